"""Sources: the one router from an input name (a path or a URL) to what it holds. `summarise
brief`, the library (ingest.load_articles), `summarise daily` and the web demo all read through it.

    base.py         the interface: Source, Context, and the items a source yields
    text_files.py   .txt .md .markdown        html_files.py  .html .htm
    json_files.py   .json .jsonl              folders.py     directories
    feeds.py        .rss .atom .xml           opml_lists.py  .opml
    http_urls.py    http:// https:// (an article page, a feed or an OPML list)

How an input is routed: a URL by its scheme; an existing folder to the source that reads
folders; a file by the end of its name. What matches nothing is a Rejection that lists what
would have (SOURCES below is the whole list).

Adding a source, say sitemaps:
1. write summarise/inputs/sources/sitemaps.py: a module docstring, and
       def read(where: str, context: Context) -> Iterator[Item]: ...
       SOURCE = Source("sitemap", read, suffixes=(".sitemap",))   # or schemes=("sitemap",)
   `read` yields Records (article records under their labels), Listed (other inputs it names,
   e.g. a sitemap's page URLs: the registry reads them in turn), FeedEntries, or Rejections
   with a specific reason; it never raises on bad content. For a local file, write
   items(where, text, context) instead and register local_file(items): the file is then read
   and decoded within the size limit first (base.local_file).
2. add `sitemaps.SOURCE,` to SOURCES below.
brief, daily, the library and the web demo's URLs then read it; tests/test_sources.py registers
a .csv source and a custom URL scheme this way. (The web demo's uploads keep their own list of
types, summarise.web.UPLOAD_TYPES: add the suffix there too to allow uploading it.)
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

from summarise.inputs.sources import feeds, folders, html_files, http_urls, json_files, opml_lists, text_files
from summarise.inputs.sources.base import Context, FeedEntries, Item, Listed, Record, Source
from summarise.types import Rejection

__all__ = ["SOURCES", "Context", "FeedEntries", "Record", "Source", "names_input", "read", "read_url",
           "records", "source_for", "suffixes", "url_scheme"]

SOURCES: list[Source] = [
    text_files.SOURCE,
    html_files.SOURCE,
    json_files.JSON,
    json_files.JSONL,
    folders.SOURCE,
    feeds.SOURCE,
    opml_lists.SOURCE,
    http_urls.SOURCE,
]

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


def suffixes() -> list[str]:
    return sorted(s for source in SOURCES for s in source.suffixes)


def url_scheme(value: str) -> str:
    """The scheme of a URL some source reads ("https"), else ""."""
    match = _SCHEME.match(value.strip())
    scheme = match.group(1).lower() if match else ""
    return scheme if any(scheme in source.schemes for source in SOURCES) else ""


def names_input(value: str) -> bool:
    """A string names an input when it is a URL some source reads, or one line that names an
    existing path or ends like a file some source reads (or in /); otherwise it is article text."""
    if not value.strip() or "\n" in value or len(value) > 255:
        return False  # "" would name the current folder
    if url_scheme(value):
        return True
    try:
        return Path(value).exists() or value.lower().endswith(("/", *suffixes()))
    except (OSError, ValueError):  # a name too long, or a NUL byte: text, not a path
        return False


def read(where: str | Path, context: Context) -> Iterator[Record | FeedEntries | Rejection]:
    """Everything an input holds, in order; the inputs it names (folder files, listed feeds)
    are read in their place."""
    yield from _read(where, context, within=())


def read_url(url: str, context: Context) -> Iterator[Record | FeedEntries | Rejection]:
    """A URL typed by a user: never read as a local path, whatever it says."""
    if not url_scheme(url):
        schemes = sorted(s for source in SOURCES for s in source.schemes)
        yield Rejection(url.strip(), f"only {' and '.join(s + '://' for s in schemes)} URLs can be fetched")
        return
    yield from read(url, context)


def records(items: Iterator[Record | FeedEntries | Rejection], context: Context) -> Iterator[Record | Rejection]:
    """Items with every feed entry made a record (teasers' pages fetched): brief, the library, the web."""
    for item in items:
        if isinstance(item, FeedEntries):
            yield from feeds.records(item, context)
        else:
            yield item


def _read(where: str | Path, context: Context, within: tuple[str, ...]) -> Iterator[Item]:
    where = where.strip() if isinstance(where, str) and url_scheme(where) else str(Path(where))
    source = source_for(where)
    if isinstance(source, Rejection):
        yield source
        return
    key = _key(where)
    if context.read_once and key in context.seen:
        context.note(f"{where}: given more than once; read once")
        return
    if key in map(_key, within):  # a list that names itself, or a list it is part of
        yield Rejection(where, f"listed in {within[-1]} while being read itself (a list that includes itself): read once")
        return
    context.seen.add(key)
    for item in source.read(where, context):
        if isinstance(item, Listed):
            yield from _read(item.where, context, (*within, where))
        else:
            yield item


def source_for(where: str) -> Source | Rejection:
    """The source that reads a URL, folder or file; a Rejection when none does."""
    scheme = url_scheme(where)
    if scheme:
        return next(source for source in SOURCES if scheme in source.schemes)
    path = Path(where)
    if not path.exists():
        return Rejection(where, "no such file or directory")
    if path.is_dir():
        return next((source for source in SOURCES if source.folders), None) or Rejection(where, "is a folder")
    name = path.name.lower()
    for source in SOURCES:
        if name.endswith(source.suffixes):
            return source
    return Rejection(where, f"unsupported file type {path.suffix.lower() or '(none)'}; "
                            f"supported: {', '.join(suffixes())}")


def _key(where: str) -> str:
    """One name per file or URL, whichever way it was written."""
    if url_scheme(where):
        return where
    try:
        return str(Path(where).resolve())
    except (OSError, RuntimeError):
        return where
