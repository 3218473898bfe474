"""Ingest: turn inputs (paths, folders, feeds, URLs, raw text, records) into cleaned Articles or
Rejections. Paths and URLs are read by the sources (summarise/inputs/sources); this module
judges each record they hold, and keeps the run within its limits.

Every input ends up in exactly one of the two lists; a Rejection says why, in words a user
can act on. Nothing here raises on bad content.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Union

from summarise.inputs import sources
from summarise.inputs.clean import clean_text, normalise, placeholder_page
from summarise.inputs.fetch import FetchSettings
from summarise.inputs.outlets import outlet_name
from summarise.inputs.parse import ISO_DATE, decode, parse_html, parse_plain  # noqa: F401 (decode, parse_plain: part of ingest's API)
from summarise.inputs.sources import Context, Record
from summarise.types import Article, Rejection

TEXT_KEYS = ("text", "body", "content", "article", "document")
FIELD_ALIASES = {
    "title": ("title", "headline"),
    "source": ("source", "outlet", "publisher", "site_name", "site"),
    "url": ("url", "link", "href"),
    "published": ("published", "date", "published_at", "datetime", "pubdate"),
    "id": ("id", "doc_id", "article_id"),
}

InputLike = Union[str, Path, dict, Article, Record]  # a Record: read already (the web demo)
MARKUP_FACTOR = 5  # raw HTML may be this many times max_article_chars before its text is measured
MAX_FIELD_CHARS = 1_000  # title, outlet, URL, date: longer values are cut


@dataclass(frozen=True)
class IngestSettings:
    """[ingest]: what is read, and the limits that keep one run's memory bounded."""

    max_article_chars: int = 200_000
    max_file_bytes: int = 20_000_000
    max_articles: int = 2_000
    max_total_chars: int = 20_000_000  # article text per run, all articles together
    min_article_words: int = 40


@dataclass
class Ingested:
    articles: list[Article] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)


def load_articles(inputs: Iterable[InputLike], settings: IngestSettings | None = None,
                  fetch: FetchSettings | None = None) -> Ingested:
    """Read every input; a str is an input name when it names one (a URL some source reads, or
    one line naming an existing path or ending like a readable file), otherwise the text of an
    article. Paths and URLs are read by the sources (summarise/inputs/sources): feeds with
    all their entries, their pages downloaded within `fetch`'s limits."""
    settings = settings or IngestSettings()
    admission = Admission(settings)
    for item in read_inputs(inputs, context_for(settings, fetch)):
        if isinstance(item, Rejection):
            admission.result.rejected.append(item)
        else:  # over the article limit: not even parsed, so memory stays bounded
            label, raw = item
            admission.admit(label, None if admission.full else read_record(label, raw, settings))
    return admission.result


def context_for(settings: IngestSettings, fetch: FetchSettings | None = None) -> Context:
    return Context(max_file_bytes=settings.max_file_bytes, min_article_words=settings.min_article_words,
                   fetch=fetch or FetchSettings())


def read_inputs(inputs: Iterable[InputLike], context: Context) -> Iterator[tuple[str, Any] | Rejection]:
    """(label, record) for each record of each input, or a Rejection, in input order."""
    rejected: list[Rejection] = []
    for found in _expand(inputs, context, rejected):
        yield from rejected
        rejected.clear()
        yield found
    yield from rejected


class Admission:
    """The run's limits and unique ids, applied to read records in input order (an engine may
    read the records elsewhere, in parallel: what is admitted is the same)."""

    def __init__(self, settings: IngestSettings):
        self.settings = settings
        self.result = Ingested()
        self.seen_ids: set[str] = set()
        self.total_chars = 0

    @property
    def full(self) -> bool:
        return len(self.result.articles) >= self.settings.max_articles

    def admit(self, label: str, outcome: Article | Rejection | None) -> None:
        """`outcome` None (or any outcome once full): over the article limit."""
        limits = self.settings
        if self.full or outcome is None:
            outcome = Rejection(label, f"over the limit of {limits.max_articles:,} articles per run")
        elif not isinstance(outcome, Rejection) and self.total_chars + len(outcome.text) > limits.max_total_chars:
            outcome = Rejection(label, f"over the limit of {limits.max_total_chars:,} characters of article "
                                       f"text per run ({self.total_chars:,} already read)")
        if isinstance(outcome, Rejection):
            self.result.rejected.append(outcome)
            return
        self.total_chars += len(outcome.text)
        outcome.id = _unique(outcome.id or _content_id(outcome.text), self.seen_ids)
        for sentence in outcome.sentences:  # segmented before its id was known
            sentence.article_id = outcome.id
        self.result.articles.append(outcome)


def _expand(inputs: Iterable[InputLike], context: Context, rejected: list[Rejection]) -> Iterator[tuple[str, Any]]:
    """(label, record) for each record of each input; rejections go straight to `rejected`."""
    for n, item in enumerate(inputs, 1):
        if isinstance(item, Article):
            yield item.input or f"article:{n}", item
        elif isinstance(item, Record):
            yield item.label, item.data
        elif isinstance(item, dict):
            yield item.get("input") or f"record:{n}", item
        elif isinstance(item, Path) or (isinstance(item, str) and sources.names_input(item)):
            for found in sources.records(sources.read(item, context), context):
                if isinstance(found, Rejection):
                    rejected.append(found)
                else:
                    yield found.label, found.data
        elif isinstance(item, str):
            yield f"text:{n}", {"text": item}
        else:
            rejected.append(Rejection(f"input:{n}", f"unsupported input type {type(item).__name__}"))


# -- one record into an Article ---------------------------------------------------------------

def read_record(label: str, raw: Any, settings: IngestSettings) -> Article | Rejection:
    """One record as a cleaned Article, or why not; a record that breaks the reader is a
    rejection too, never a crashed run."""
    try:
        return _to_article(label, raw, settings)
    except Exception as exc:  # noqa: BLE001 (one bad document must not stop the others)
        return Rejection(label, f"could not be read ({type(exc).__name__}: {str(exc)[:200]})")


def _to_article(label: str, raw: Any, settings: IngestSettings) -> Article | Rejection:
    if isinstance(raw, Article):
        raw = {**raw.to_dict()}
    if not isinstance(raw, dict):
        return Rejection(label, f"record is a JSON {type(raw).__name__}, not an object with a text field")
    fields = {name: _one_line(_first_str(raw, keys)) for name, keys in FIELD_ALIASES.items()}
    body = _first_str(raw, TEXT_KEYS)
    if not body:
        return Rejection(label, f"no article text (expected one of the fields: {', '.join(TEXT_KEYS)})")
    if len(body) > MARKUP_FACTOR * settings.max_article_chars:  # refused before parsing: bounded memory
        return Rejection(label, f"article is {len(body):,} characters, over the "
                                f"{MARKUP_FACTOR * settings.max_article_chars:,} limit for text with markup")
    if "<" in body and re.search(r"</?(p|div|script|html|body|br)\b", body, re.IGNORECASE):
        html = parse_html(body)
        body = html["text"]
        fields = {k: fields.get(k) or html.get(k, "") for k in fields}
    if len(body) > settings.max_article_chars:
        return Rejection(label, f"article is {len(body):,} characters, over the {settings.max_article_chars:,} limit")
    text = clean_text(body)
    words = len(text.split())
    if words < settings.min_article_words:
        return Rejection(label, f"too little text after cleaning ({words} words; at least "
                                f"{settings.min_article_words} needed)")
    if kind := placeholder_page(text):
        return Rejection(label, f"not an article: the page is {kind}")
    language = detect_language(text)
    if language != "en":
        return Rejection(label, f"article is in language '{language}'; only English is supported")
    published = ISO_DATE.search(fields["published"] or "")
    url = fields["url"] if fields["url"].startswith(("http://", "https://")) else ""
    return Article(
        id=fields["id"],
        text=text,
        title=fields["title"] or _title_from(text),
        source=outlet_name(fields["source"], url, text, raw.get("_name", ""), raw_text=body),
        url=url,
        published=published.group(0) if published else "",
        input=label,
        language=language,
    )


def detect_language(text: str) -> str:
    import py3langid

    language, _ = py3langid.classify(text[:5000])
    return language


def _first_str(record: dict, keys: Iterable[str]) -> str:
    for key in keys:
        value = record.get(key)
        if isinstance(value, (str, int, float)) and not isinstance(value, bool) and str(value).strip():
            return str(value).strip()
    return ""


def _one_line(value: str) -> str:
    """Metadata as one clean line of bounded length (titles and outlets are shown everywhere)."""
    value = " ".join(normalise(value).split())
    return value if len(value) <= MAX_FIELD_CHARS else value[:MAX_FIELD_CHARS - 1] + "\u2026"


def _title_from(text: str) -> str:
    first = text.split("\n", 1)[0]
    words = first.split()
    return " ".join(words[:12]) + (" ..." if len(words) > 12 else "")


def _content_id(text: str) -> str:
    return "a" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def _unique(article_id: str, seen: set[str]) -> str:
    candidate, n = article_id, 2
    while candidate in seen:
        candidate, n = f"{article_id}-{n}", n + 1
    seen.add(candidate)
    return candidate
