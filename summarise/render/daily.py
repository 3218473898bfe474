"""Render a day's briefing (DailyBriefing) as Markdown, HTML and JSON.

Same rules as render.py: article text, titles, outlets and URLs are untrusted, so HTML escapes
all of them and only http(s) URLs become links. Sources are numbered once for the whole day, in
the order they are first cited, so a number means the same article everywhere in the document.
Nothing time- or machine-dependent goes in: the same inputs give the same files.
"""
from __future__ import annotations

import html
import json

from summarise.render.briefing import _CSS, md_escape, safe_url
from summarise.types import Article

_DAILY_CSS = _CSS + """
.story{color:#555;font-size:.9rem;font-style:italic} .new{font-family:system-ui,sans-serif;font-size:.75rem;
font-weight:600;color:#0a5;text-transform:uppercase;margin-right:.4em} .bg{color:#444}
"""


def count(n: int, singular: str, plural: str = "") -> str:
    return f"{n} {singular if n == 1 else plural or singular + 's'}"


def to_json(daily) -> str:
    return json.dumps(daily.to_dict(), ensure_ascii=False, indent=2) + "\n"


def source_numbers(daily) -> dict[str, int]:
    numbers: dict[str, int] = {}
    for item in daily.featured + daily.also_today:
        for article_id in item.event.article_ids:
            numbers.setdefault(article_id, len(numbers) + 1)
    return numbers


def headline_counts(daily) -> str:
    b = daily.briefing
    outlets = len({a.source or a.id for a in b.articles})
    parts = [f"{count(len(b.articles), 'article')} from {count(outlets, 'outlet')}", count(len(daily.events), "event"),
             count(daily.continuing, "continuing story", "continuing stories")]
    if daily.other_days:
        parts.append(f"{count(daily.other_days, 'article')} of other days left out")
    if b.rejected:
        parts.append(f"{count(len(b.rejected), 'input')} rejected")
    return ", ".join(parts)


def story_note(item) -> str:
    link = item.link
    if not link.continues:
        return ""
    note = f"Continuing story since {link.since} (day {link.days}; last briefed {link.last_day})."
    if item.new_sentences == 0:
        note += f" Nothing new since {link.last_day}; today's reports repeat earlier facts."
    return note


def _label(article: Article) -> tuple[str, str, str]:
    return (article.source or "unknown outlet", article.title or "untitled",
            safe_url(article.url) or article.input)


# -- Markdown ---------------------------------------------------------------------------------------

def to_markdown(daily) -> str:
    numbers = source_numbers(daily)
    by_id = {a.id: a for a in daily.briefing.articles}
    lines = [f"# Daily briefing: {daily.day}", "", f"_{headline_counts(daily)}_", ""]
    if daily.memory != "on":
        lines += [f"> Stories were not linked to earlier days: story memory {md_escape(daily.memory)}", ""]
    for n, item in enumerate(daily.featured, 1):
        lines += [f"## {n}. {md_escape(item.event.title)}", ""]
        if story_note(item):
            lines += [f"_{md_escape(story_note(item))}_", ""]
        for i, sentence in enumerate(item.event.sentences):
            markers = "".join(f"[{numbers[c.article_id]}]" for c in sentence.citations)
            prefix = ""
            if item.link.continues:
                prefix = "**New:** " if i < item.new_sentences else "Background: "
            lines.append(f"{prefix}{md_escape(sentence.text)} {markers}")
        lines += ["", "Sources:", ""]
        lines += [_md_source(numbers[i], by_id[i]) for i in item.event.article_ids]
        lines.append("")
    if daily.also_today:
        lines += ["## Also today", ""]
        for item in daily.also_today:
            sentence = item.event.sentences[0] if item.event.sentences else None
            text = md_escape(sentence.text) if sentence else "(no sentence could be written)"
            markers = "".join(f"[{numbers[c.article_id]}]" for c in sentence.citations) if sentence else ""
            lines.append(f"- **{md_escape(item.event.title)}**: {text} {markers}".rstrip())
        lines += ["", "Sources:", ""]
        lines += [_md_source(numbers[i], by_id[i]) for item in daily.also_today for i in item.event.article_ids]
        lines.append("")
    if daily.briefing.rejected:
        lines += ["## Rejected inputs", ""]
        lines += [f"- {md_escape(r.input)}: {md_escape(r.reason)}" for r in daily.briefing.rejected]
        lines.append("")
    return "\n".join(lines)


def _md_source(number: int, article: Article) -> str:
    outlet, title, where = _label(article)
    note = " (rewritten copy; not quoted)" if article.spun else ""
    return f"{number}. {md_escape(outlet)}: {md_escape(title)}, {md_escape(where)}{note}"


# -- HTML -------------------------------------------------------------------------------------------

def to_html(daily) -> str:
    esc = html.escape
    numbers = source_numbers(daily)
    by_id = {a.id: a for a in daily.briefing.articles}

    def markers(sentence) -> str:
        return "".join(f'<sup><a href="#src-{numbers[c.article_id]}" title="{esc(c.evidence)}">'
                       f"[{numbers[c.article_id]}]</a></sup>" for c in sentence.citations)

    def sources(article_ids) -> str:
        items = []
        for article_id in article_ids:
            outlet, title, where = _label(by_id[article_id])
            link = safe_url(by_id[article_id].url)
            where_html = f'<a href="{esc(link)}" rel="noopener noreferrer">{esc(link)}</a>' if link else esc(where)
            note = " (rewritten copy; not quoted)" if by_id[article_id].spun else ""
            items.append(f'<li id="src-{numbers[article_id]}" value="{numbers[article_id]}">'
                         f"{esc(outlet)}: {esc(title)}, {where_html}{note}</li>")
        return f"<ol class=sources>{''.join(items)}</ol>"

    body = [f"<h1>Daily briefing: {esc(daily.day)}</h1><p class=meta>{esc(headline_counts(daily))}</p>"]
    if daily.memory != "on":
        body.append(f"<p class=meta>Stories were not linked to earlier days: story memory {esc(daily.memory)}</p>")
    for n, item in enumerate(daily.featured, 1):
        body.append(f'<section id="{esc(item.event.id)}"><h2>{n}. {esc(item.event.title)}</h2>')
        if story_note(item):
            body.append(f"<p class=story>{esc(story_note(item))}</p>")
        for i, sentence in enumerate(item.event.sentences):
            if not item.link.continues:
                body.append(f"<p>{esc(sentence.text)} {markers(sentence)}</p>")
            elif i < item.new_sentences:
                body.append(f"<p><span class=new>New</span>{esc(sentence.text)} {markers(sentence)}</p>")
            else:
                body.append(f"<p class=bg>Background: {esc(sentence.text)} {markers(sentence)}</p>")
        body.append(sources(item.event.article_ids) + "</section>")
    if daily.also_today:
        body.append("<section><h2>Also today</h2><ul>")
        for item in daily.also_today:
            sentence = item.event.sentences[0] if item.event.sentences else None
            text = f"{esc(sentence.text)} {markers(sentence)}" if sentence else "(no sentence could be written)"
            body.append(f"<li><strong>{esc(item.event.title)}</strong>: {text}</li>")
        body.append("</ul>" + sources([i for item in daily.also_today for i in item.event.article_ids]) + "</section>")
    if daily.briefing.rejected:
        body.append("<h2>Rejected inputs</h2><ul>")
        body += [f"<li>{esc(r.input)}: {esc(r.reason)}</li>" for r in daily.briefing.rejected]
        body.append("</ul>")
    return ("<!doctype html><html lang=en><head><meta charset=utf-8>"
            "<meta name=viewport content='width=device-width,initial-scale=1'>"
            "<meta http-equiv=Content-Security-Policy content=\"default-src 'none'; style-src 'unsafe-inline'\">"
            f"<title>Daily briefing {esc(daily.day)}</title><style>{_DAILY_CSS}</style></head>"
            f"<body>{''.join(body)}</body></html>\n")
