"""http(s) URLs: what the address serves decides what it is, within what the caller allows
(Context.urls): an OPML list of feeds, an RSS/Atom feed, or an article page (HTML or plain
text). Every download is bounded (FetchSettings) and passes summarise.inputs.urls' guard, which
refuses local and private addresses unless Context.allow_private.
"""
from __future__ import annotations

import re
from typing import Iterator

from summarise.inputs.fetch import Fetched, FetchError
from summarise.inputs.sources import feeds, opml_lists
from summarise.inputs.sources.base import Context, Item, Record, Source
from summarise.inputs.urls import PAGE_ACCEPT, download, is_page, page_record
from summarise.types import Rejection

ACCEPT = {"any": "text/html, application/rss+xml, application/atom+xml, text/x-opml, application/xml;q=0.9, */*;q=0.5",
          "feeds": "application/rss+xml, application/atom+xml, text/x-opml, application/xml;q=0.9, */*;q=0.5",
          "pages": PAGE_ACCEPT}
FAILED = {"feeds": "feed: "}  # a URL that can only be a feed says so when it fails
_OPML = re.compile(rb"<opml\b", re.IGNORECASE)


def read(where: str, context: Context) -> Iterator[Item]:
    url = where.strip()
    try:
        fetched = download(url, context.fetch.timeout, context.fetch.max_bytes, context.allow_private,
                           ACCEPT[context.urls])
    except FetchError as exc:
        yield Rejection(url, FAILED.get(context.urls, "") + str(exc))
        return
    context.on_read(url)
    kind = _kind(fetched, context.urls)
    if kind == "opml":
        yield from opml_lists.listed(url, fetched.body, context, base=None)
    elif kind == "feed":
        yield from feeds.entries(url, fetched.body, context)
    else:
        try:
            yield Record(url, {**page_record(fetched), "input": url})
        except FetchError as exc:
            yield Rejection(url, str(exc))


def _kind(fetched: Fetched, urls: str) -> str:
    if urls != "pages" and _OPML.search(fetched.body[:1024]):
        return "opml"
    if urls == "feeds" or (urls == "any" and not is_page(fetched)):
        return "feed"
    return "page"


SOURCE = Source("url", read, schemes=("http", "https"))
