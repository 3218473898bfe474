"""Render a Briefing as Markdown, HTML or JSON.

Article text, titles, outlets and URLs are untrusted: HTML output escapes every one of them,
Markdown output escapes the characters that would become markup, and only http(s) URLs are
ever made into links.
"""
from __future__ import annotations

import html
import json
import re
from urllib.parse import quote, urlsplit

from summarise.types import Article, Briefing

FORMATS = ("md", "json", "html")


def render(briefing: Briefing, fmt: str) -> str:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    return {"md": to_markdown, "json": to_json, "html": to_html}[fmt](briefing)


def to_json(briefing: Briefing) -> str:
    return json.dumps(briefing.to_dict(), ensure_ascii=False, indent=2) + "\n"


def source_numbers(briefing: Briefing) -> dict[str, int]:
    """Citation numbers: articles in briefing order, 1-based, stable across formats."""
    return {a.id: n for n, a in enumerate(briefing.articles, 1)}


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


def _label(article: Article) -> tuple[str, str, str]:
    return (article.source or "unknown outlet", article.title or "untitled",
            safe_url(article.url) or article.input)


def summary_line(briefing: Briefing) -> str:
    return (f"{_count(len(briefing.articles), 'article')}, {_count(len(briefing.events), 'event')}, "
            f"{len(briefing.rejected)} rejected")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def to_markdown(briefing: Briefing) -> str:
    numbers = source_numbers(briefing)
    by_id = {a.id: a for a in briefing.articles}
    lines = ["# Briefing", "", f"_{summary_line(briefing)}_", ""]
    for n, event in enumerate(briefing.events, 1):
        lines += [f"## {n}. {md_escape(event.title)}", ""]
        for sentence in event.sentences:
            markers = "".join(f"[{n}]" for n in sorted({numbers[c.article_id] for c in sentence.citations}))
            lines.append(f"{md_escape(sentence.text)} {markers}")
        lines += ["", "Sources:", ""]
        for article_id in event.article_ids:
            outlet, title, where = _label(by_id[article_id])
            note = " (rewritten copy; not quoted)" if by_id[article_id].spun else ""
            lines.append(f"{numbers[article_id]}. {md_escape(outlet)}: {md_escape(title)}, "
                         f"{md_escape(where)}{note}")
        lines.append("")
    if briefing.rejected:
        lines += ["## Rejected inputs", ""]
        lines += [f"- {md_escape(r.input)}: {md_escape(r.reason)}" for r in briefing.rejected]
        lines.append("")
    return "\n".join(lines)


_CSS = """
body{font:16px/1.55 Georgia,serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
h1,h2{font-family:system-ui,sans-serif} h2{border-top:1px solid #ddd;padding-top:1rem}
sup a{text-decoration:none;font-family:system-ui,sans-serif;font-size:.75em}
.meta,.sources{color:#555;font-size:.9rem} li:target{background:#fff3c4}
"""


def to_html(briefing: Briefing) -> str:
    esc = html.escape
    numbers = source_numbers(briefing)
    by_id = {a.id: a for a in briefing.articles}
    body = [f"<h1>Briefing</h1><p class=meta>{esc(summary_line(briefing))}</p>"]
    for n, event in enumerate(briefing.events, 1):
        body.append(f"<section><h2>{n}. {esc(event.title)}</h2>")
        for sentence in event.sentences:
            markers = "".join(
                f'<sup><a href="#src-{numbers[c.article_id]}" title="{esc(c.evidence)}">'
                f"[{numbers[c.article_id]}]</a></sup>" for c in sentence.citations)
            body.append(f"<p>{esc(sentence.text)} {markers}</p>")
        body.append("<ol class=sources>")
        for article_id in event.article_ids:
            outlet, title, where = _label(by_id[article_id])
            link = safe_url(by_id[article_id].url)
            where_html = f'<a href="{esc(link)}" rel="noopener noreferrer">{esc(link)}</a>' if link else esc(where)
            body.append(f'<li id="src-{numbers[article_id]}" value="{numbers[article_id]}">'
                        f"{esc(outlet)}: {esc(title)}, {where_html}</li>")
        body.append("</ol></section>")
    if briefing.rejected:
        body.append("<h2>Rejected inputs</h2><ul>")
        body += [f"<li>{esc(r.input)}: {esc(r.reason)}</li>" for r in briefing.rejected]
        body.append("</ul>")
    return ("<!doctype html><html lang=en><head><meta charset=utf-8>"
            "<meta name=viewport content='width=device-width,initial-scale=1'>"
            "<meta http-equiv=Content-Security-Policy content=\"default-src 'none'; style-src 'unsafe-inline'\">"
            f"<title>Briefing</title><style>{_CSS}</style></head><body>{''.join(body)}</body></html>\n")
