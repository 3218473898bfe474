"""Daily sources: turn the INPUTs of `summarise daily` into that day's articles.

An INPUT is a folder, a file (.txt .md .html .json .jsonl), an RSS/Atom feed (.rss .atom .xml,
or an http(s) URL), or an OPML list of feeds (.opml, or a URL that serves one). Every source ends
as articles of the day, articles of other days (left out, counted), or rejections with a reason;
nothing is dropped silently. Feed entries dated another day are skipped before their page is
fetched; article pages are fetched a few at a time, results kept in feed order.

Which day an article belongs to: its publication date (timestamps with a UTC offset are read in
UTC), else for local files the file's modification time; a feed entry with no date on the feed
or its page is rejected, because its day cannot be told.
"""
from __future__ import annotations

import re
import queue
import threading
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterator

from summarise.config import Config
from summarise.inputs.fetch import (FEED_SUFFIXES, FetchSettings, OPML_SUFFIXES, FeedEntry, FetchError, extract_article, fetch, is_url,
                    parse_feed, parse_opml)
from summarise.inputs.ingest import SUPPORTED_SUFFIXES, load_articles
from summarise.types import Article, Rejection

_HTML_TAG = re.compile(r"<[^>]+>")


@dataclass
class OtherDay:
    input: str
    published: str  # the date it has ("" when it came from the file time)


@dataclass
class Collected:
    articles: list[Article] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    other_days: list[OtherDay] = field(default_factory=list)
    sources: int = 0  # feeds, files and pages read


def article_day(published: str) -> date | None:
    """The calendar day of an ISO date or timestamp; timestamps with an offset are read in UTC."""
    text = published.strip().replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    return moment.date()


class _NoBar:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


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


class DailySources:
    """Collects one day's articles from many sources; `note` gets one line per event worth telling."""

    def __init__(self, day: date, config: Config, settings: FetchSettings | None = None,
                 note: Callable[[str], None] = lambda line: None,
                 progress: Callable[[str, int | None], Any] | None = None):
        self.day = day
        self.config = config
        self.settings = settings or config.fetch
        self.note = note
        self.progress = progress or (lambda what, total: _NoBar())  # (what, total) -> a bar
        self.result = Collected()
        self._pages: list[tuple[FeedEntry, str]] = []  # entries whose article page must be fetched
        self._links: set[str] = set()  # article links already seen: feeds often share stories
        self._sources_seen: set[str] = set()

    def collect(self, inputs: list[str]) -> Collected:
        self._sources_bar = self.progress("sources read", None)  # feeds and OPML expand: no total
        for item in inputs:
            self._input(item)
        self._sources_bar.close()
        self._fetch_pages()
        self._enforce_count()
        self._dedupe_ids()
        return self.result

    # -- routing --------------------------------------------------------------------------------

    def _input(self, item: str) -> None:
        if is_url(item):
            self._url(item)
            return
        path = Path(item)
        if not path.exists():
            self._reject(item, "no such file or directory")
        elif path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
            if not files:
                self._reject(item, "folder contains no files")
            for file in files:
                self._file(file)
        else:
            self._file(path)

    def _file(self, path: Path) -> None:
        suffix = path.suffix.lower()
        if self._seen_before(str(path.resolve())):
            return
        if suffix in OPML_SUFFIXES:
            data = self._read(path)
            if data is not None:
                self._opml(str(path), data, base=path.parent)
        elif suffix in FEED_SUFFIXES:
            data = self._read(path)
            if data is not None:
                self._feed(str(path), data)
        elif suffix in SUPPORTED_SUFFIXES:
            self._local_articles(path)
        else:
            self._reject(str(path), f"unsupported file type {suffix or '(none)'}; supported: "
                                    f"{', '.join(sorted(SUPPORTED_SUFFIXES | FEED_SUFFIXES | OPML_SUFFIXES))}")

    def _read(self, path: Path) -> bytes | None:
        try:
            if path.stat().st_size > self.settings.max_bytes:
                self._reject(str(path), f"file is over the {self.settings.max_bytes:,}-byte limit")
                return None
            data = path.read_bytes()
            self._read_one()
            return data
        except OSError as exc:
            self._reject(str(path), f"cannot read file: {exc.strerror or exc}")
            return None

    def _url(self, url: str) -> None:
        """A URL is a feed or an OPML list; what it serves decides which."""
        if self._seen_before(url):
            return
        try:
            fetched = fetch(url, self.settings.timeout, self.settings.max_bytes,
                            accept="application/rss+xml, application/atom+xml, text/x-opml, application/xml;q=0.9, */*;q=0.5")
        except FetchError as exc:
            self._reject(url, f"feed: {exc}")
            return
        self._read_one()
        if re.search(rb"<opml\b", fetched.body[:1024], re.IGNORECASE):
            self._opml(url, fetched.body, base=None)
        else:
            self._feed(url, fetched.body)

    def _opml(self, where: str, data: bytes, base: Path | None) -> None:
        try:
            feeds = parse_opml(data)
        except FetchError as exc:
            self._reject(where, str(exc))
            return
        self.note(f"{where}: {len(feeds)} feeds")
        for feed in feeds:
            if is_url(feed):
                self._url(feed)
            elif base is not None and (base / feed).is_file():  # a local OPML may list local feed files
                self._file(base / feed)
            elif base is not None:
                self._reject(str(base / feed), f"listed in {where}: no such file")
            else:
                self._reject(feed, f"listed in {where}: not an http(s) URL")

    # -- feeds ----------------------------------------------------------------------------------

    def _feed(self, where: str, data: bytes) -> None:
        try:
            feed = parse_feed(data, where)
        except FetchError as exc:
            self._reject(where, f"feed: {exc}")
            return
        if not feed.entries:
            self.note(f"{where}: feed has no entries")
        for n, entry in enumerate(feed.entries, 1):
            label = entry.link or f"{where}#{n}"
            entry_day = article_day(entry.published) if entry.published else None
            if entry.link and entry.link in self._links:
                self.note(f"{label}: listed again in {where}; read once")
                continue
            self._links.add(entry.link)
            if entry_day is not None and entry_day != self.day:
                self.result.other_days.append(OtherDay(label, entry.published))
            elif self._words(entry.text) >= self.config.ingest.min_article_words or not is_url(entry.link):
                # the feed carries the full text (or there is no page to fetch): use the feed's
                self._add_record(label, self._record(entry, entry.text or entry.summary))
            elif len(self._pages) + len(self.result.articles) >= self.config.ingest.max_articles:
                self._reject(label, f"over the limit of {self.config.ingest.max_articles:,} articles per run")
            else:
                self._pages.append((entry, label))

    @staticmethod
    def _words(html_text: str) -> int:
        return len(_HTML_TAG.sub(" ", html_text).split())

    @staticmethod
    def _record(entry: FeedEntry, text: str) -> dict:
        return {"title": entry.title, "source": entry.source, "url": entry.link,
                "published": entry.published, "text": text}

    def _fetch_pages(self) -> None:
        if not self._pages:
            return
        bar = self.progress("article pages", len(self._pages))

        def get(item: tuple[FeedEntry, str]) -> dict | str:
            entry, label = item
            try:
                fetched = fetch(entry.link, self.settings.timeout, self.settings.max_bytes,
                                accept="text/html, application/xhtml+xml;q=0.9, */*;q=0.5")
                page = extract_article(fetched.body, fetched.final_url)
            except FetchError as exc:
                return f"article page: {exc}"
            except Exception as exc:  # a page that breaks the extractor must not end the run
                return f"article page: text could not be extracted ({type(exc).__name__}: {exc})"
            # the feed's title and date win (the page may carry several); the page's own site name
            # names the outlet better than an aggregating feed's title does
            record = self._record(entry, page["text"])
            for key in ("title", "published"):
                record[key] = record[key] or page[key]
            record["source"] = page["source"] or record["source"]
            return record

        for (entry, label), outcome in zip(self._pages, map_in_threads(get, self._pages, self.settings.workers)):
            bar.update(1)
            if isinstance(outcome, str):
                self._reject(label, outcome)
                continue
            self.result.sources += 1
            self._add_record(label, outcome)
        bar.close()

    def _add_record(self, label: str, record: dict) -> None:
        """A feed or page record: ingest it, then keep it if it is of the day."""
        if not record.get("published"):
            self._reject(label, "no publication date in the feed or on the page: cannot tell which day it "
                                "belongs to")
            return
        published_day = article_day(record["published"])
        if published_day is None:
            self._reject(label, f"unreadable publication date {record['published']!r}")
            return
        if published_day != self.day:
            self.result.other_days.append(OtherDay(label, record["published"]))
            return
        ingested = load_articles([{**record, "input": label}], self.config.ingest)
        self.result.rejected.extend(ingested.rejected)
        self.result.articles.extend(ingested.articles)

    # -- local article files --------------------------------------------------------------------

    def _local_articles(self, path: Path) -> None:
        ingested = load_articles([path], self.config.ingest)
        self.result.rejected.extend(ingested.rejected)
        if ingested.articles or not ingested.rejected:
            self._read_one()
        try:
            file_day = datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.utc).date()
        except OSError:
            file_day = None
        for article in ingested.articles:
            day = article_day(article.published) if article.published else file_day
            if day is None:
                self._reject(article.input, f"unreadable publication date {article.published!r}")
            elif day != self.day:
                self.result.other_days.append(OtherDay(article.input, article.published or f"file time {day}"))
            else:
                self.result.articles.append(article)

    # -- bookkeeping ----------------------------------------------------------------------------

    def _read_one(self) -> None:
        self.result.sources += 1
        self._sources_bar.update(1)

    def _reject(self, where: str, reason: str) -> None:
        self.note(f"rejected {where}: {reason}")
        self.result.rejected.append(Rejection(where, reason))

    def _seen_before(self, source: str) -> bool:
        """True for a feed, list or file met before (an OPML may list itself or repeat a folder)."""
        if source in self._sources_seen:
            self.note(f"{source}: given more than once; read once")
            return True
        self._sources_seen.add(source)
        return False

    def _enforce_count(self) -> None:
        extra = self.result.articles[self.config.ingest.max_articles:]
        del self.result.articles[self.config.ingest.max_articles:]
        for article in extra:
            self._reject(article.input, f"over the limit of {self.config.ingest.max_articles:,} articles per run")

    def _dedupe_ids(self) -> None:
        """Ids unique across sources (two files may both number their records 1, 2, ...)."""
        seen: set[str] = set()
        for article in self.result.articles:
            candidate, n = article.id, 2
            while candidate in seen:
                candidate, n = f"{article.id}-{n}", n + 1
            article.id = candidate
            seen.add(candidate)
