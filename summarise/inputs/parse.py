"""Parse: the text of one file or page into an ingest record (title, source, url, published,
text): bytes decoded to text, plain text or Markdown with optional header lines, and HTML with
its scripts, chrome and hidden text dropped. Used by the sources (files, feeds, pages) and by
ingest for records that carry HTML.
"""
from __future__ import annotations

import re
import warnings

from summarise.inputs.clean import normalise
from summarise.types import Rejection

_META_LINE = re.compile(r"^\s*(title|source|outlet|url|date|published)\s*[:]?\s+(\S.*)$", re.IGNORECASE)
ISO_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?\b")

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
                date = ISO_DATE.search(value)
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

