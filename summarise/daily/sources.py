"""Daily sources: turn the INPUTs of `summarise daily` into that day's articles.

An INPUT is whatever summarise/inputs/sources reads: a folder, an article file (.txt .md .html
.json .jsonl), an RSS/Atom feed (.rss .atom .xml), an OPML list of feeds (.opml), or an http(s)
URL of a feed or an OPML list (here a URL is never an article page). This module adds the day on
top: each file or URL is read once, a story listed by several feeds once. Every source ends
as articles of the day, articles of other days (left out, counted), or rejections with a reason;
nothing is dropped silently. Feed entries dated another day are skipped before their page is
fetched; article pages are fetched a few at a time, results kept in feed order.

Which day an article belongs to: its publication date (timestamps with a UTC offset are read in
UTC), else for local files the file's modification time; a feed entry with no date on the feed
or its page is rejected, because its day cannot be told.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Callable

from summarise.config import Config
from summarise.inputs import sources
from summarise.inputs.fetch import FeedEntry, FetchSettings, map_in_threads
from summarise.inputs.ingest import load_articles
from summarise.inputs.sources import Context, FeedEntries, Record, feeds
from summarise.types import Article, Rejection


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
        self.context = Context(max_file_bytes=config.ingest.max_file_bytes,
                               min_article_words=config.ingest.min_article_words, fetch=self.settings,
                               urls="feeds", read_once=True, skip_hidden=True, note=note,
                               on_read=lambda where: self._read_one())
        self._pages: list[tuple[FeedEntry, str]] = []  # entries whose article page must be fetched
        self._links: set[str] = set()  # article links already seen: feeds often share stories

    def collect(self, inputs: list[str]) -> Collected:
        self._sources_bar = self.progress("sources read", None)  # feeds and OPML expand: no total
        for item in inputs:
            for found in sources.read(item, self.context):
                self._take(found)
        self._sources_bar.close()
        self._fetch_pages()
        self._enforce_count()
        self._dedupe_ids()
        return self.result

    def _take(self, found: Record | FeedEntries | Rejection) -> None:
        if isinstance(found, Rejection):
            self._reject(found.input, found.reason)
        elif isinstance(found, FeedEntries):
            self._feed(found)
        else:
            self._local_record(found)

    # -- feeds ----------------------------------------------------------------------------------

    def _feed(self, found: FeedEntries) -> None:
        for n, entry in enumerate(found.entries, 1):
            label = feeds.entry_label(found.where, n, entry)
            entry_day = article_day(entry.published) if entry.published else None
            if entry.link and entry.link in self._links:
                self.note(f"{label}: listed again in {found.where}; read once")
                continue
            self._links.add(entry.link)
            if entry_day is not None and entry_day != self.day:
                self.result.other_days.append(OtherDay(label, entry.published))
            elif not feeds.needs_page(entry, self.context):  # the feed carries the full text: use it
                self._add_record(label, feeds.entry_record(entry, entry.text or entry.summary))
            elif len(self._pages) + len(self.result.articles) >= self.config.ingest.max_articles:
                self._reject(label, f"over the limit of {self.config.ingest.max_articles:,} articles per run")
            else:
                self._pages.append((entry, label))

    def _fetch_pages(self) -> None:
        if not self._pages:
            return
        bar = self.progress("article pages", len(self._pages))
        outcomes = map_in_threads(lambda item: feeds.page_record(item[0], self.context), self._pages,
                                  self.settings.workers)
        for (entry, label), outcome in zip(self._pages, outcomes):
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

    def _local_record(self, record: Record) -> None:
        """A record of a local file: its date, else the file's modification time, decides its day."""
        ingested = load_articles([record], self.config.ingest)
        self.result.rejected.extend(ingested.rejected)
        for article in ingested.articles:
            day = article_day(article.published) if article.published else _file_day(record.origin)
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


def _file_day(path: Path | None) -> date | None:
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.utc).date() if path else None
    except OSError:
        return None
