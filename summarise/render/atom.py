"""Atom (RFC 4287): a briefing as a feed, one entry per event.

An entry's content is the event's cited sentences as escaped HTML, with its numbered sources;
its links are the sources' http(s) URLs. Nothing comes from the clock or the machine: entry ids
are name-based UUIDs of the day and the story id (or, in a plain briefing, of the event's
articles), and `updated` is the day at midnight UTC, so a rerun of the same day with the same
inputs gives the same bytes and the same ids.
"""
from __future__ import annotations

import uuid

from summarise.render.document import SPUN_NOTE, Document, Item, of_briefing, of_daily, source_label
from summarise.render.escape import esc, safe_url, xml_escape
from summarise.render.html import article_label

FEED_DAYS = 7  # days in the subscribable feed.atom that `summarise daily` keeps
_NAMESPACE = uuid.UUID("5d0c6f0e-2b1a-4d4e-9a57-6b0e1d4f2c3a")  # fixed: the same ids on every machine
_UNDATED = "1970-01-01"  # a plain briefing none of whose articles is dated: a fixed day, never today


def render_briefing(briefing) -> str:
    doc = of_briefing(briefing)
    return feed(doc.title, f"briefing/{doc.day}/{'/'.join(i.key for i in doc.featured)}", [doc])


def render_daily(daily) -> str:
    doc = of_daily(daily)
    return feed(doc.title, f"day/{daily.day}", [doc])


def render_recent_days(dailies: list) -> str:
    """The subscribable feed: the entries of the given days' briefings, newest day first."""
    docs = sorted((of_daily(d) for d in dailies), key=lambda doc: doc.day, reverse=True)
    return feed("Daily briefings", "daily-briefings", docs)


def feed(title: str, name: str, docs: list[Document]) -> str:
    entries = [entry(doc, item) for doc in docs for item in doc.featured + doc.also_today]
    return ('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
            f"<id>{urn(name)}</id>\n<title>{xml_escape(title)}</title>\n"
            f"<updated>{timestamp(max((d.day for d in docs), default=''))}</updated>\n"
            "<author><name>summarise</name></author>\n<generator>summarise</generator>\n"
            f"{''.join(entries)}</feed>\n")


def entry(doc: Document, item: Item) -> str:
    links = "".join(f'<link rel="related" href="{xml_escape(url)}" title="{xml_escape(label)}"/>\n'
                    for url, label in source_links(doc, item))
    return (f"<entry>\n<id>{urn(f'{doc.day}/{item.key}')}</id>\n<title>{xml_escape(item.event.title)}</title>\n"
            f"<updated>{timestamp(doc.day)}</updated>\n{links}"
            f'<content type="html">{xml_escape(content_html(doc, item))}</content>\n</entry>\n')


def content_html(doc: Document, item: Item) -> str:
    """The entry's content before XML escaping: a feed reader shows it as HTML, so every piece of
    article text in it is HTML-escaped first."""
    parts = [f"<p><em>{esc(item.note)}</em></p>"] if item.note else []
    for i, sentence in enumerate(item.event.sentences):
        label = f"<strong>{item.label(i)}:</strong> " if item.label(i) else ""
        markers = "".join(f"[{n}]" for n in doc.cited(sentence))
        parts.append(f"<p>{label}{esc(sentence.text)} {markers}</p>")
    parts.append("<ol>" + "".join(source_item(doc, a) for a in doc.sources([item])) + "</ol>")
    return "".join(parts)


def source_item(doc: Document, article) -> str:
    note = f" ({SPUN_NOTE})" if article.spun else ""
    return f'<li value="{doc.numbers[article.id]}">{article_label(article)}{note}</li>'


def source_links(doc: Document, item: Item) -> list[tuple[str, str]]:
    """(URL, "outlet: title") of each of the event's sources that has an http(s) URL."""
    return [(safe_url(a.url), "{}: {}".format(*source_label(a)[:2])) for a in doc.sources([item]) if safe_url(a.url)]


def urn(name: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, name)}"


def timestamp(day: str) -> str:
    return f"{day or _UNDATED}T00:00:00Z"
