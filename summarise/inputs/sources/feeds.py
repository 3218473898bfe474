"""RSS and Atom feeds (.rss .atom .xml files; URLs that serve one come through http_urls.py).

A feed yields its entries as one FeedEntries item: daily keeps the day's and fetches their pages
itself; `records` (brief, the library) keeps them all. An entry that carries too little text of
its own (a teaser) is read from its article page, a few pages at a time.
"""
from __future__ import annotations

import re
from typing import Iterator

from summarise.inputs.fetch import FeedEntry, FetchError, extract_article, is_url, map_in_threads, parse_feed
from summarise.inputs.sources.base import Context, FeedEntries, Item, Record, Source, local_file
from summarise.inputs.urls import download
from summarise.types import Rejection

_HTML_TAG = re.compile(r"<[^>]+>")
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"


def entries(where: str, data: bytes, context: Context) -> Iterator[Item]:
    try:
        feed = parse_feed(data, where)
    except FetchError as exc:
        yield Rejection(where, f"feed: {exc}")
        return
    if not feed.entries:  # a rejection, not a note: every input ends as articles or a reason
        yield Rejection(where, "feed has no entries")
        return
    yield FeedEntries(where, feed.entries)


def entry_label(where: str, n: int, entry: FeedEntry) -> str:
    return entry.link or f"{where}#{n}"


def needs_page(entry: FeedEntry, context: Context) -> bool:
    """A teaser with a page to fetch; otherwise the feed's own text is the article."""
    return len(_HTML_TAG.sub(" ", entry.text).split()) < context.min_article_words and is_url(entry.link)


def entry_record(entry: FeedEntry, text: str) -> dict:
    return {"title": entry.title, "source": entry.source, "url": entry.link, "published": entry.published,
            "text": text}


def page_record(entry: FeedEntry, context: Context) -> dict | str:
    """The entry with its article page's text, or the reason the page could not be read."""
    try:
        fetched = download(entry.link, context.fetch.timeout, context.fetch.max_bytes, context.allow_private,
                           PAGE_ACCEPT)
        page = extract_article(fetched.body, fetched.final_url)
    except FetchError as exc:
        return f"article page: {exc}"
    except Exception as exc:  # a page that breaks the extractor must not end the run
        return f"article page: text could not be extracted ({type(exc).__name__}: {exc})"
    # the feed's title and date win (the page may carry several); the page's own site name
    # names the outlet better than an aggregating feed's title does
    record = entry_record(entry, page["text"])
    for key in ("title", "published"):
        record[key] = record[key] or page[key]
    record["source"] = page["source"] or record["source"]
    return record


def records(found: FeedEntries, context: Context) -> Iterator[Record | Rejection]:
    """Every entry as a record, in feed order; teasers' pages fetched a few at a time."""
    labels = [entry_label(found.where, n, e) for n, e in enumerate(found.entries, 1)]
    pages = [e for e in found.entries if needs_page(e, context)]
    fetched = map_in_threads(lambda e: page_record(e, context), pages, context.fetch.workers)
    for entry, label in zip(found.entries, labels):
        record = next(fetched) if needs_page(entry, context) else entry_record(entry, entry.text or entry.summary)
        yield Rejection(label, record) if isinstance(record, str) else Record(label, {**record, "input": label})


SOURCE = Source("feed", local_file(entries, decoded=False), suffixes=(".rss", ".atom", ".xml"))
