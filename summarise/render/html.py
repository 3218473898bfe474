"""HTML: the standalone document (`brief --format html`, daily's DAY.html) and the web page's
fragment, built from the same pieces.

Each citation marker is a <details>/<summary> pair whose panel shows the cited sentence highlighted
in its paragraph, and the whole article on request: no JavaScript, so it works under the
standalone document's Content-Security-Policy (nothing but inline style) and inside Gradio alike.
Every piece of article-derived text (article text, titles, outlets, URLs, input labels, rejection
reasons that quote inputs) goes through `esc`; links are made only from http(s) URLs.
"""
from __future__ import annotations

from summarise.render.document import Document, Item, count, of_briefing, of_daily
from summarise.render.escape import esc, safe_url
from summarise.render.style import DOCUMENT_CSS
from summarise.types import Article, Briefing, BriefingSentence, Citation, Rejection

WHOLE_ARTICLE_IN_CITATION_CHARS = 30_000
_CSP = "default-src 'none'; style-src 'unsafe-inline'"  # no script, no remote anything


def render_briefing(briefing: Briefing) -> str:
    return standalone(of_briefing(briefing))


def render_daily(daily) -> str:
    return standalone(of_daily(daily))


def standalone(doc: Document) -> str:
    """A whole page, readable offline, that runs nothing and loads nothing."""
    return ("<!doctype html><html lang=en><head><meta charset=utf-8>"
            "<meta name=viewport content='width=device-width,initial-scale=1'>"
            f'<meta http-equiv=Content-Security-Policy content="{_CSP}">'
            f"<title>{esc(doc.title)}</title><style>{DOCUMENT_CSS}</style></head>"
            f'<body><main class="sb-briefing"><h1>{esc(doc.title)}</h1>{body(doc)}</main></body></html>\n')


def briefing_html(briefing: Briefing, notices: list[str] = ()) -> str:
    """The web page's briefing: a fragment inside the demo page, under the page's own heading."""
    doc = of_briefing(briefing)
    empty = [] if doc.articles else [notice("No article could be read, so there is no briefing. "
                                            "The reasons are listed below.")]
    return f'<div class="sb-briefing">{"".join(notices)}{body(doc, empty)}</div>'


def notice(message: str, kind: str = "error") -> str:
    """A message box for the page; `message` is escaped."""
    return f'<div class="sb-notice sb-{esc(kind)}" role="alert">{esc(message)}</div>'


def placeholder() -> str:
    return ('<div class="sb-empty"><p>Your briefing will appear here: one section per news event, every '
            'sentence followed by numbered citations. Click a number to see the source sentence it rests on, '
            'highlighted in its article.</p></div>')


# -- the pieces -----------------------------------------------------------------------------------

def body(doc: Document, notices: list[str] = ()) -> str:
    config = f" &middot; config <code>{esc(doc.config)}</code>" if doc.config else ""
    parts = [f'<p class="sb-summary">{esc(doc.counts)}{config}</p>', *notices]
    parts += [f'<p class="sb-meta">{esc(note)}</p>' for note in doc.notes]
    parts += [event_html(doc, n, item) for n, item in enumerate(doc.featured, 1)]
    if doc.also_today:
        parts.append(also_today_html(doc))
    if doc.rejected:
        parts.append(rejected_html(doc.rejected))
    return "".join(parts)


def event_html(doc: Document, n: int, item: Item) -> str:
    articles = doc.sources([item])
    outlets = len({a.source for a in articles})
    out = [f'<section class="sb-event" id="sb-{esc(item.event.id)}">',
           f'<h2><span class="sb-event-n">{n}</span> {esc(item.event.title)}</h2>',
           f'<p class="sb-meta">{count(len(articles), "article")} from {count(outlets, "source")}</p>']
    if item.note:
        out.append(f'<p class="sb-story">{esc(item.note)}</p>')
    out.append('<ol class="sb-sentences">')
    out += [sentence_html(doc, s, item.label(i)) for i, s in enumerate(item.event.sentences)]
    out.append("</ol>")
    out.append(sources_html(doc, [item]))
    out.append("</section>")
    return "".join(out)


def also_today_html(doc: Document) -> str:
    rows = []
    for item in doc.also_today:
        sentences = item.event.sentences
        text = (sentence_body(doc, sentences[0]) if sentences
                else '<span class="sb-text">(no sentence could be written)</span>')
        rows.append(f'<li class="sb-sentence"><strong>{esc(item.event.title)}</strong>: {text}</li>')
    return (f'<section class="sb-event sb-also"><h2>Also today</h2><ul class="sb-sentences">{"".join(rows)}</ul>'
            f'{sources_html(doc, doc.also_today)}</section>')


def sentence_html(doc: Document, sentence: BriefingSentence, label: str = "") -> str:
    method = ("model-written, checked against its sources" if sentence.method == "generated"
              else "a source sentence, quoted")
    prefix = {"New": '<span class="sb-new">New</span> ', "Background": '<span class="sb-bg">Background:</span> '}
    return (f'<li class="sb-sentence" data-method="{esc(sentence.method)}" title="{esc(method)}">'
            f'{prefix.get(label, "")}{sentence_body(doc, sentence)}</li>')


def sentence_body(doc: Document, sentence: BriefingSentence) -> str:
    markers = "".join(citation_html(c, doc.articles[c.article_id], doc.numbers[c.article_id])
                      for c in sentence.citations)
    return f'<span class="sb-text">{esc(sentence.text)}</span> <span class="sb-cites">{markers}</span>'


def citation_html(citation: Citation, article: Article, number: int) -> str:
    """The one citation marker: its number, opening on the evidence in its paragraph."""
    start, end = evidence_span(citation, article)
    label = f"Source {number}: {article.source or 'unknown source'}"
    return (f'<details class="sb-cite" data-source="{number}">'
            f'<summary title="{esc(label)}: {esc(citation.evidence)}" aria-label="{esc(label)}">{number}</summary>'
            f'<div class="sb-cite-panel">'
            f'<p class="sb-cite-head"><span class="sb-num">{number}</span> {article_label(article)}</p>'
            f'<blockquote class="sb-context">{context_html(article.text, start, end)}</blockquote>'
            f'{whole_article_html(article, start, end)}</div></details>')


def whole_article_html(article: Article, start: int, end: int) -> str:
    """The article with this citation's sentence marked; long articles only once, in the source list,
    so that a briefing of long articles does not repeat each of them in every citation."""
    if len(article.text) > WHOLE_ARTICLE_IN_CITATION_CHARS:
        return ('<p class="sb-meta">The whole article, with every cited sentence marked, '
                'is under “Articles in this event”.</p>')
    return (f'<details class="sb-whole"><summary>Show the whole article</summary>'
            f'<div class="sb-article-text">{highlighted(article.text, [(start, end)])}</div></details>')


def article_label(article: Article) -> str:
    source = f'<strong>{esc(article.source or "unknown source")}</strong>'
    title = esc(article.title or "untitled")
    link = safe_url(article.url)
    if link:
        title = f'<a href="{esc(link)}" target="_blank" rel="noopener noreferrer nofollow">{title}</a>'
    return f"{source}: {title}"


def evidence_span(citation: Citation, article: Article) -> tuple[int, int]:
    """The evidence's offsets in the article text; found by search if the stored offsets are stale."""
    if citation.end > citation.start and article.text[citation.start:citation.end] == citation.evidence:
        return citation.start, citation.end
    found = article.text.find(citation.evidence)
    return (found, found + len(citation.evidence)) if found >= 0 else (0, 0)


def context_html(text: str, start: int, end: int, reach: int = 400) -> str:
    """The paragraph around the evidence (at most `reach` characters either side), evidence marked."""
    if end <= start:
        return '<span class="sb-missing">The cited sentence could not be located in the article text.</span>'
    paragraph_start = text.rfind("\n\n", 0, start)
    paragraph_start = 0 if paragraph_start < 0 else paragraph_start + 2
    paragraph_end = text.find("\n\n", end)
    paragraph_end = len(text) if paragraph_end < 0 else paragraph_end
    left, right = max(paragraph_start, start - reach), min(paragraph_end, end + reach)
    before = ("… " if left > paragraph_start else "") + text[left:start].lstrip()
    after = text[end:right].rstrip() + (" …" if right < paragraph_end else "")
    return f'{esc(before)}<mark class="sb-evidence">{esc(text[start:end])}</mark>{esc(after)}'


def highlighted(text: str, spans: list[tuple[int, int]]) -> str:
    """The whole text, escaped, with each (start, end) span in <mark>; overlapping spans merge."""
    out, position = [], 0
    for start, end in merge_spans(spans):
        out += [esc(text[position:start]), f'<mark class="sb-evidence">{esc(text[start:end])}</mark>']
        position = end
    out.append(esc(text[position:]))
    return "".join(out)


def merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def sources_html(doc: Document, items: list[Item]) -> str:
    """The events' articles, numbered as cited, each readable in full with its cited sentences marked."""
    articles = doc.sources(items)
    cited: dict[str, list[tuple[int, int]]] = {}
    for sentence in (s for item in items for s in item.event.sentences):
        for citation in sentence.citations:
            cited.setdefault(citation.article_id, []).append(evidence_span(citation, doc.articles[citation.article_id]))
    rows = [source_html(doc, a, cited.get(a.id, [])) for a in articles]
    return (f'<details class="sb-sources" open><summary>Articles in this event ({len(articles)})</summary>'
            f'<ol class="sb-source-list">{"".join(rows)}</ol></details>')


def source_html(doc: Document, article: Article, spans: list[tuple[int, int]]) -> str:
    notes = []
    if article.spun:
        notes.append("machine-rewritten copy: counted as coverage, never quoted")
    if article.duplicate_of and article.duplicate_of in doc.numbers:
        notes.append(f"near-identical copy of source {doc.numbers[article.duplicate_of]}")
    badges = "".join(f'<span class="sb-badge">{esc(n)}</span>' for n in notes)
    meta = " &middot; ".join(esc(x) for x in (article.published, article.input) if x)
    number = doc.numbers[article.id]
    return (f'<li class="sb-source" data-article="{esc(article.id)}"><span class="sb-num">{number}</span>'
            f'<div>{article_label(article)} {badges}<div class="sb-meta">{meta}</div>'
            f'<details class="sb-whole"><summary>Read the article '
            f'({count(len(merge_spans(spans)), "cited sentence")} highlighted)</summary>'
            f'<div class="sb-article-text">{highlighted(article.text, spans)}</div></details></div></li>')


def rejected_html(rejected: list[Rejection]) -> str:
    rows = "".join(f'<tr><td class="sb-input">{esc(r.input)}</td><td>{esc(r.reason)}</td></tr>' for r in rejected)
    return (f'<section class="sb-rejected"><h2>Inputs not used ({len(rejected)})</h2>'
            f'<div class="sb-table-wrap"><table><thead><tr><th>Input</th><th>Why</th></tr></thead>'
            f'<tbody>{rows}</tbody></table></div></section>')
