"""Ingest: turn inputs (paths, folders, raw text, records) into cleaned Articles or Rejections.

Every input ends up in exactly one of the two lists; a Rejection says why, in words a user
can act on. Nothing here raises on bad content.
"""
from __future__ import annotations

import hashlib
import json
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Union

from summarise.inputs.clean import clean_text, normalise
from summarise.types import Article, Rejection

SUPPORTED_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl"}
TEXT_KEYS = ("text", "body", "content", "article", "document")
FIELD_ALIASES = {
    "title": ("title", "headline"),
    "source": ("source", "outlet", "publisher", "site_name", "site"),
    "url": ("url", "link", "href"),
    "published": ("published", "date", "published_at", "datetime", "pubdate"),
    "id": ("id", "doc_id", "article_id"),
}
_META_LINE = re.compile(r"^\s*(title|source|outlet|url|date|published)\s*[:]?\s+(\S.*)$", re.IGNORECASE)
_ISO_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?\b")

InputLike = Union[str, Path, dict, Article]
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


def load_articles(inputs: Iterable[InputLike], settings: IngestSettings | None = None) -> Ingested:
    """Read every input; a str is a path when it names one (one line, existing or with a known
    suffix), otherwise it is the text of an article."""
    settings = settings or IngestSettings()
    result = Ingested()
    seen_ids: set[str] = set()
    total_chars = 0
    for label, raw in _expand(inputs, settings, result.rejected):
        if len(result.articles) >= settings.max_articles:  # not even parsed: memory stays bounded
            result.rejected.append(Rejection(label, f"over the limit of {settings.max_articles:,} articles per run"))
            continue
        outcome = _to_article(label, raw, settings)
        if not isinstance(outcome, Rejection) and total_chars + len(outcome.text) > settings.max_total_chars:
            outcome = Rejection(label, f"over the limit of {settings.max_total_chars:,} characters of article "
                                       f"text per run ({total_chars:,} already read)")
        if isinstance(outcome, Rejection):
            result.rejected.append(outcome)
            continue
        total_chars += len(outcome.text)
        outcome.id = _unique(outcome.id or _content_id(outcome.text), seen_ids)
        result.articles.append(outcome)
    return result


def looks_like_path(value: str) -> bool:
    if not value.strip() or "\n" in value or len(value) > 255:
        return False  # "" would name the current folder
    try:
        return Path(value).exists() or value.endswith(("/", *SUPPORTED_SUFFIXES))
    except (OSError, ValueError):  # a name too long, or a NUL byte: text, not a path
        return False


# -- expansion: inputs to (label, record) pairs ---------------------------------------------

def _expand(inputs: Iterable[InputLike], settings: IngestSettings, rejected: list[Rejection]) -> Iterator[tuple[str, Any]]:
    for n, item in enumerate(inputs, 1):
        if isinstance(item, Article):
            yield item.input or f"article:{n}", item
        elif isinstance(item, dict):
            yield item.get("input") or f"record:{n}", item
        elif isinstance(item, Path) or (isinstance(item, str) and looks_like_path(item)):
            yield from _expand_path(Path(item), settings, rejected)
        elif isinstance(item, str):
            yield f"text:{n}", {"text": item}
        else:
            rejected.append(Rejection(f"input:{n}", f"unsupported input type {type(item).__name__}"))


def _expand_path(path: Path, settings: IngestSettings, rejected: list[Rejection]) -> Iterator[tuple[str, Any]]:
    label = str(path)
    if not path.exists():
        rejected.append(Rejection(label, "no such file or directory"))
    elif path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file())
        if not files:
            rejected.append(Rejection(label, "folder contains no files"))
        for file in files:
            yield from _expand_file(file, settings, rejected)
    else:
        yield from _expand_file(path, settings, rejected)


def _expand_file(path: Path, settings: IngestSettings, rejected: list[Rejection]) -> Iterator[tuple[str, Any]]:
    label = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        rejected.append(Rejection(label, f"unsupported file type {suffix or '(none)'}; "
                                         f"supported: {', '.join(sorted(SUPPORTED_SUFFIXES))}"))
        return
    try:
        size = path.stat().st_size
        if size > settings.max_file_bytes:
            rejected.append(Rejection(label, f"file is {size / 1e6:.1f} MB, over the "
                                             f"{settings.max_file_bytes / 1e6:.0f} MB limit"))
            return
        data = path.read_bytes()
    except OSError as exc:
        rejected.append(Rejection(label, f"cannot read file: {exc.strerror or exc}"))
        return
    text = decode(data)
    if isinstance(text, Rejection):
        rejected.append(Rejection(label, text.reason))
    elif suffix == ".jsonl":
        yield from _jsonl_records(label, text, rejected)
    elif suffix == ".json":
        yield from _json_records(label, text, rejected)
    elif suffix in (".html", ".htm"):
        yield label, {**parse_html(text), "input": label, "_name": path.stem}
    else:
        yield label, {**parse_plain(text), "input": label, "_name": path.stem}


_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def decode(data: bytes) -> str | Rejection:
    """UTF-8 (with or without BOM), UTF-16/32 with a BOM, else Windows-1252; a file mixing UTF-8
    and Windows-1252 lines is read line by line; binary data is refused."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                data = data.decode(encoding).encode("utf-8")
            except UnicodeDecodeError:
                return Rejection("", f"file starts with a {encoding.upper()} byte-order mark but is not {encoding.upper()}")
            break
    if not data.strip():
        return Rejection("", "empty file")
    head = data[:8192]
    if b"\x00" in head or sum(b < 9 or 13 < b < 32 for b in head) > len(head) * 0.05:
        return Rejection("", "binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:  # each line as UTF-8 if it is, else as Windows-1252 (files pasted together mix them)
        return "".join(_decode_line(line) for line in data.splitlines(keepends=True))
    except UnicodeDecodeError:
        return Rejection("", "text is neither UTF-8 nor Windows-1252")


def _decode_line(line: bytes) -> str:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return line.decode("cp1252")


def _jsonl_records(label: str, text: str, rejected: list[Rejection]) -> Iterator[tuple[str, Any]]:
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{label}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            rejected.append(Rejection(where, f"invalid JSON on line {number}: {exc.msg}"))
            continue
        yield where, record


def _json_records(label: str, text: str, rejected: list[Rejection]) -> Iterator[tuple[str, Any]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        rejected.append(Rejection(label, f"invalid JSON at line {exc.lineno}: {exc.msg}"))
        return
    records = data.get("articles", [data]) if isinstance(data, dict) else data
    if not isinstance(records, list):
        rejected.append(Rejection(label, "JSON must be an article object, a list of them, or {\"articles\": [...]}"))
        return
    if not records:
        rejected.append(Rejection(label, "JSON holds no article records"))
    for n, record in enumerate(records, 1):
        yield (f"{label}#{n}" if len(records) > 1 else label), record


# -- parsing one record into an Article -----------------------------------------------------

def parse_plain(text: str) -> dict[str, str]:
    """Plain text or Markdown: optional `Key: value` header lines, then an optional title line."""
    lines = normalise(text).split("\n")
    meta: dict[str, str] = {}
    while lines and (not lines[0].strip() or _META_LINE.match(lines[0])):
        line = lines.pop(0)
        if line.strip():
            key, value = _META_LINE.match(line).groups()
            key = {"outlet": "source", "date": "published"}.get(key.lower(), key.lower())
            if key == "published":
                date = _ISO_DATE.search(value)
                if not date:
                    lines.insert(0, line)  # not a date header after all: keep as text
                    break
                meta[key] = date.group(0)
                rest = value[date.end():].strip()
                if rest:
                    lines.insert(0, rest)  # "date 2022-02-02 For weeks..." keeps its text
            else:
                meta[key] = value.strip()
    first = lines[0].strip().lstrip("#").strip() if lines else ""
    title_line = (first and len(first.split()) <= 25 and not first.endswith((".", "!", "?"))
                  and len(lines) > 1 and not lines[1].strip())
    if title_line and "title" not in meta:
        meta["title"] = first
        lines = lines[1:]
    return {**meta, "text": "\n".join(lines)}


def parse_html(html: str) -> dict[str, str]:
    """Article text and metadata from an HTML page; scripts, styles and page chrome are dropped."""
    from bs4 import BeautifulSoup

    with warnings.catch_warnings():  # an RSS/XML body parsed as HTML still yields its text
        warnings.simplefilter("ignore")
        soup = BeautifulSoup(html, "lxml")

    def meta(*names: str) -> str:
        for name in names:
            tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
            if tag and tag.get("content"):
                return tag["content"].strip()
        return ""

    record = {
        "title": meta("og:title", "twitter:title") or (soup.title.get_text(" ", strip=True) if soup.title else ""),
        "source": meta("og:site_name", "publisher", "author"),
        "url": meta("og:url") or _link(soup, "canonical"),
        "published": meta("article:published_time", "date", "pubdate", "dc.date"),
    }
    for tag in soup(["script", "style", "noscript", "template", "iframe", "object", "svg",
                     "nav", "header", "footer", "aside", "form", "button", "figcaption", "figure"]):
        tag.decompose()
    for tag in soup.find_all(_hidden):  # text a reader never sees is where injections hide
        tag.decompose()
    body = soup.find("article") or soup.find("main") or soup.body or soup
    blocks = [el.get_text(" ", strip=True) for el in body.find_all(["p", "h2", "h3", "li", "blockquote"])]
    if not blocks:
        blocks = [body.get_text("\n", strip=True)]
    if not record["published"]:
        time_tag = soup.find("time", attrs={"datetime": True})
        record["published"] = time_tag["datetime"] if time_tag else ""
    record["text"] = "\n\n".join(b for b in blocks if b)
    return record


_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?![.\d])", re.IGNORECASE)


def _hidden(tag) -> bool:
    attrs = getattr(tag, "attrs", None) or {}
    return ("hidden" in attrs or str(attrs.get("aria-hidden", "")).lower() == "true"
            or bool(_HIDDEN_STYLE.search(str(attrs.get("style", "")))))


def _link(soup, rel: str) -> str:
    tag = soup.find("link", attrs={"rel": rel})
    return tag.get("href", "").strip() if tag else ""


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
    language = detect_language(text)
    if language != "en":
        return Rejection(label, f"article is in language '{language}'; only English is supported")
    published = _ISO_DATE.search(fields["published"] or "")
    return Article(
        id=fields["id"],
        text=text,
        title=fields["title"] or _title_from(text),
        source=fields["source"] or raw.get("_name", ""),
        url=fields["url"] if fields["url"].startswith(("http://", "https://")) else "",
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
