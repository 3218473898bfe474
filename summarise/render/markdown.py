"""Markdown: a briefing or a day's briefing as one literal-text document.

Every piece of untrusted text goes through `md_escape`, so it stays one line of text in any
Markdown renderer; citations are numbers in brackets, resolved in each section's source list.
"""
from __future__ import annotations

from summarise.render.document import SPUN_NOTE, Document, Item, of_briefing, of_daily, source_label
from summarise.render.escape import md_escape
from summarise.types import Article, BriefingSentence


def render_briefing(briefing) -> str:
    return render_document(of_briefing(briefing))


def render_daily(daily) -> str:
    return render_document(of_daily(daily))


def render_document(doc: Document) -> str:
    lines = [f"# {md_escape(doc.title)}", "", f"_{md_escape(doc.counts)}_", ""]
    for note in doc.notes:
        lines += [f"> {md_escape(note)}", ""]
    for n, item in enumerate(doc.featured, 1):
        lines += event_lines(doc, n, item)
    if doc.also_today:
        lines += also_today_lines(doc)
    if doc.rejected:
        lines += ["## Rejected inputs", ""]
        lines += [f"- {md_escape(r.input)}: {md_escape(r.reason)}" for r in doc.rejected]
        lines.append("")
    return "\n".join(lines)


def event_lines(doc: Document, n: int, item: Item) -> list[str]:
    lines = [f"## {n}. {md_escape(item.event.title)}", ""]
    if item.note:
        lines += [f"_{md_escape(item.note)}_", ""]
    for i, sentence in enumerate(item.event.sentences):
        label = {"New": "**New:** ", "Background": "Background: "}.get(item.label(i), "")
        lines.append(f"{label}{sentence_text(doc, sentence)}")
    return lines + sources_lines(doc, [item])


def also_today_lines(doc: Document) -> list[str]:
    lines = ["## Also today", ""]
    for item in doc.also_today:
        sentences = item.event.sentences
        text = sentence_text(doc, sentences[0]) if sentences else "(no sentence could be written)"
        lines.append(f"- **{md_escape(item.event.title)}**: {text}")
    return lines + sources_lines(doc, doc.also_today)


def sentence_text(doc: Document, sentence: BriefingSentence) -> str:
    return f"{md_escape(sentence.text)} {''.join(f'[{n}]' for n in doc.cited(sentence))}".rstrip()


def sources_lines(doc: Document, items: list[Item]) -> list[str]:
    return ["", "Sources:", "", *(source_line(doc.numbers[a.id], a) for a in doc.sources(items)), ""]


def source_line(number: int, article: Article) -> str:
    outlet, title, where = source_label(article)
    note = f" ({SPUN_NOTE})" if article.spun else ""
    return f"{number}. {md_escape(outlet)}: {md_escape(title)}, {md_escape(where)}{note}"
