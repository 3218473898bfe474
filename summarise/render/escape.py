"""Escaping for every output format, in one place.

Article text, titles, outlets, URLs and input labels are untrusted. HTML and XML escape all of
them, Markdown escapes the characters that would become markup, and only http(s) URLs are ever
made into links.
"""
from __future__ import annotations

import html
import re
from urllib.parse import quote, urlsplit

# characters XML 1.0 cannot carry at all, escaped or not: a feed holding one does not parse
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def esc(text: str) -> str:
    """Text for HTML element content or a quoted attribute value."""
    return html.escape(text, quote=True)


def xml_escape(text: str) -> str:
    """Text for XML element content or a quoted attribute: escaped, with the characters XML
    forbids removed (a control character in an article must not break the whole feed)."""
    return html.escape(_NOT_XML.sub("", text), quote=True)


def safe_url(url: str) -> str:
    """The URL if it is http(s), with characters that could break out of markup quoted; else ""."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return ""
    return quote(url.strip(), safe=":/?#[]@!$&'*+,;=%-._~")


def md_escape(text: str) -> str:
    """Untrusted text as one line of literal Markdown: no tags, links, emphasis, code, headings,
    lists, quotes or rules, whatever it contains and wherever the line starts."""
    text = " ".join(text.split())  # a newline could open a heading, list, code block or rule
    text = html.escape(text, quote=False)  # < > & never become tags in a Markdown renderer
    text = re.sub(r"([\\`*_{}\[\]()#+!|~])", r"\\\1", text)
    # at the start of a line, "-", "=", "1." and "1)" open lists or headings
    text = re.sub(r"^([-=])", r"\\\1", text)
    return re.sub(r"^(\d+)([.)])", r"\1\\\2", text)
