"""Fetch: bounded HTTP(S) downloads, RSS/Atom feeds and OPML lists, article page extraction.

Everything from the network is untrusted and may be slow, huge or broken, so every download has
a timeout for the whole transfer (not just each read), a byte limit, a clear user agent, and only
http(s) URLs, redirects included. Failures raise `FetchError` with a reason a user can act on;
callers turn it into a `Rejection` for that source. Feeds are parsed from bytes by feedparser
(never handed a URL, so feedparser itself fetches nothing); article pages are extracted by
trafilatura, with the pipeline's own HTML parser as the fallback.

Used by the sources (summarise/inputs/sources): feeds, OPML lists and URLs for brief, daily and the web demo.
"""
from __future__ import annotations

import queue
import re
import socket
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Iterator
from urllib.parse import urljoin, urlsplit

try:
    from summarise import __version__
except ImportError:  # imported while the package itself is still loading
    __version__ = "0.1.0"

USER_AGENT = f"summarise/{__version__} (multi-document news briefing tool; Python urllib)"
DEFAULT_TIMEOUT = 15.0  # seconds for one whole download
DEFAULT_MAX_BYTES = 5_000_000


@dataclass(frozen=True)
class FetchSettings:
    """[fetch]: limits on every download (feeds, article pages, URLs)."""

    timeout: float = DEFAULT_TIMEOUT  # seconds for one whole download
    max_bytes: int = DEFAULT_MAX_BYTES  # larger feeds and pages are rejected
    workers: int = 4  # article pages fetched at once


class FetchError(Exception):
    """A download or parse that failed, with the reason in words."""


@dataclass
class Fetched:
    url: str  # the URL asked for
    final_url: str  # after redirects
    content_type: str
    body: bytes


@dataclass
class FeedEntry:
    title: str
    link: str
    published: str  # ISO 8601 in UTC, "" when the entry has no date
    text: str  # the entry's full text (content:encoded / atom content), "" when it only has a teaser
    summary: str  # the teaser (description / summary)
    source: str  # the outlet: the entry's own source, else the feed's title


@dataclass
class Feed:
    title: str
    entries: list[FeedEntry] = field(default_factory=list)


def is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


def _feeds_extra(module: str):
    """Import a library of the `feeds` extra, or say how to install it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise FetchError(f"{module.split('.')[0]} is not installed: pip install 'summarise[feeds]'") from None


# -- downloading ------------------------------------------------------------------------------

class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects only to http(s): a feed must not redirect us to ftp: or file:."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not is_url(urljoin(req.full_url, newurl)):
            raise FetchError(f"redirected to a non-HTTP address {newurl!r}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_HttpOnlyRedirects())


def fetch(url: str, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES,
          accept: str = "*/*") -> Fetched:
    """GET url; at most max_bytes, finished within timeout seconds, or FetchError."""
    if not is_url(url) or not urlsplit(url).netloc:
        raise FetchError(f"not an http(s) URL: {url!r}")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": accept})
    deadline = time.monotonic() + timeout
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(f"response is {int(declared):,} bytes, over the {max_bytes:,}-byte limit")
            body = _read_bounded(response, max_bytes, deadline, timeout)
            return Fetched(url, response.geturl(), response.headers.get("Content-Type", ""), body)
    except FetchError:
        raise
    except urllib.error.HTTPError as exc:
        raise FetchError(f"HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (socket.timeout, TimeoutError)):
            raise FetchError(f"timed out after {timeout:g} s") from None
        raise FetchError(f"cannot connect: {getattr(reason, 'strerror', None) or reason}") from None
    except (socket.timeout, TimeoutError):
        raise FetchError(f"timed out after {timeout:g} s") from None
    except (OSError, ValueError) as exc:  # connection reset, bad status line, malformed URL
        raise FetchError(f"download failed: {exc}") from None


def _read_bounded(response, max_bytes: int, deadline: float, timeout: float) -> bytes:
    chunks, size = [], 0
    while True:
        if time.monotonic() > deadline:  # a server dribbling bytes must not hold us forever
            raise FetchError(f"timed out after {timeout:g} s")
        chunk = response.read1(64 * 1024)  # read1: what has arrived, never waits to fill 64 KiB
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"response is over the {max_bytes:,}-byte limit")
        chunks.append(chunk)


# -- feeds ------------------------------------------------------------------------------------

def looks_like_html(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:512]


def advertised_feed(html: bytes, base_url: str) -> str:
    """The feed a web page points to with <link rel="alternate" type="application/rss+xml">."""
    match = re.search(rb"<link\b[^>]*type=[\"']application/(rss|atom)\+xml[\"'][^>]*>", html[:200_000], re.I)
    href = re.search(rb"href=[\"']([^\"']+)[\"']", match.group(0), re.I) if match else None
    return urljoin(base_url, href.group(1).decode("utf-8", "replace")) if href else ""


def parse_feed(data: bytes, where: str = "") -> Feed:
    """Entries of an RSS or Atom document; FetchError when it is not one."""
    feedparser = _feeds_extra("feedparser")
    if looks_like_html(data):
        hint = advertised_feed(data, where) if is_url(where) else ""
        raise FetchError("got an HTML web page, not an RSS/Atom feed"
                         + (f"; the page names its feed: {hint}" if hint else ""))
    if not data.strip():
        raise FetchError("empty file, not an RSS/Atom feed")
    parsed = feedparser.parse(data)  # bytes: feedparser never fetches anything itself
    if not parsed.get("version") and not parsed.get("entries"):  # feedparser leaves both out of some results
        problem = parsed.get("bozo_exception")
        raise FetchError(f"not an RSS/Atom feed{f' ({problem})' if problem else ''}")
    title = parsed.feed.get("title", "") or (urlsplit(where).netloc if is_url(where) else "")
    return Feed(title, [_entry(e, title) for e in parsed.entries])


def _entry(entry: Any, feed_title: str) -> FeedEntry:
    contents = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
    source = entry.get("source", {}).get("title", "") if isinstance(entry.get("source"), dict) else ""
    return FeedEntry(
        title=entry.get("title", "").strip(),
        link=entry.get("link", "").strip(),
        published=_entry_date(entry),
        text=max(contents, key=len) if contents else "",
        summary=entry.get("summary", ""),
        source=source or feed_title,
    )


def _entry_date(entry: Any) -> str:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            return datetime(*parsed[:6], tzinfo=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return ""


def parse_opml(data: bytes) -> list[str]:
    """Feed URLs (xmlUrl) of an OPML subscription list, in document order, without repeats."""
    ElementTree = _feeds_extra("defusedxml.ElementTree")  # OPML comes from outside: no entity expansion

    try:
        root = ElementTree.fromstring(data)
    except Exception as exc:  # ParseError and defusedxml's refusals alike
        raise FetchError(f"not a valid OPML file: {exc}") from None
    if root.tag.lower() != "opml":
        raise FetchError(f"not an OPML file (root element <{root.tag}>)")
    urls = [o.get("xmlUrl", "").strip() for o in root.iter("outline")]
    urls = list(dict.fromkeys(u for u in urls if u))
    if not urls:
        raise FetchError("OPML file lists no feeds (no outline with an xmlUrl)")
    return urls


# -- article pages ----------------------------------------------------------------------------

def extract_article(html: bytes | str, url: str = "") -> dict[str, str]:
    """Main text and metadata of an article page as an ingest record (title, source, url,
    published, text); trafilatura first, the pipeline's own HTML parser when it finds no text."""
    from summarise.inputs.parse import decode, parse_html

    trafilatura = _feeds_extra("trafilatura")

    text = html if isinstance(html, str) else decode(html)
    if not isinstance(text, str):
        raise FetchError(text.reason)
    found = trafilatura.bare_extraction(text, url=url or None, with_metadata=True, include_comments=False,
                                        include_tables=False, favor_precision=True)
    found = found.as_dict() if hasattr(found, "as_dict") else (found or {})
    fallback = parse_html(text)
    body = found.get("text") or ""
    title = found.get("title") or fallback["title"]
    lines = body.split("\n")
    if lines and title and lines[0].strip() == title.strip():
        lines = lines[1:]  # trafilatura repeats the headline as the first line
    return {
        "title": title,
        "source": found.get("sitename") or fallback["source"],
        "url": url or fallback["url"],
        "published": fallback["published"] or found.get("date") or "",
        "text": "\n\n".join(line for line in lines if line.strip()) or fallback["text"],
    }


# -- a few at a time --------------------------------------------------------------------------

def map_in_threads(function: Callable, items: list, workers: int) -> Iterator:
    """function(item) for each item, `workers` at a time, yielded in the order of items. Daemon
    threads, so Ctrl-C ends the program at once instead of waiting for a slow download."""
    results: list = [None] * len(items)
    done = [threading.Event() for _ in items]
    todo: queue.Queue = queue.Queue()
    for index in range(len(items)):
        todo.put(index)

    def work() -> None:
        while True:
            try:
                index = todo.get_nowait()
            except queue.Empty:
                return
            try:
                results[index] = function(items[index])
            except BaseException as exc:  # handed to the caller, raised there
                results[index] = exc
            done[index].set()

    for _ in range(max(1, min(workers, len(items)))):
        threading.Thread(target=work, daemon=True).start()
    for index in range(len(items)):
        while not done[index].wait(0.2):  # short waits keep the main thread responsive to Ctrl-C
            pass
        if isinstance(results[index], BaseException):
            raise results[index]
        yield results[index]
