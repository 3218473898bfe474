"""OPML subscription lists (.opml files; URLs that serve one come through http_urls.py): each
feed listed is read in turn. A local list may name local feed files, relative to itself."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from summarise.inputs.fetch import FetchError, is_url, parse_opml
from summarise.inputs.sources.base import Context, Item, Listed, Source, local_file
from summarise.types import Rejection


def local_items(where: str, data: bytes, context: Context) -> Iterator[Item]:
    yield from listed(where, data, context, base=Path(where).parent)


def listed(where: str, data: bytes, context: Context, base: Path | None) -> Iterator[Item]:
    """The feeds of an OPML document; `base` is its folder (None: it came from a URL)."""
    try:
        feeds = parse_opml(data)
    except FetchError as exc:
        yield Rejection(where, str(exc))
        return
    context.note(f"{where}: {len(feeds)} feeds")
    for feed in feeds:
        if is_url(feed):
            yield Listed(feed)
        elif base is not None and (base / feed).is_file():
            yield Listed(str(base / feed))
        elif base is not None:
            yield Rejection(str(base / feed), f"listed in {where}: no such file")
        else:
            yield Rejection(feed, f"listed in {where}: not an http(s) URL")


SOURCE = Source("opml", local_file(local_items, decoded=False), suffixes=(".opml",))
