"""The web page's briefing: an HTML fragment for the demo page (inside Gradio's page), where each
citation opens, without any JavaScript, on its source sentence highlighted in its paragraph.

Every piece of article-derived text (article text, titles, outlets, URLs, file names, rejection
reasons that quote inputs) goes through `html.escape`; links are made only from http(s) URLs.
Each citation marker is a <details>/<summary> pair whose panel shows the cited sentence
highlighted in its paragraph, and the whole article on request.
"""
from __future__ import annotations

import html

from summarise.render.briefing import safe_url, source_numbers
from summarise.types import Article, Briefing, Citation, Event, Rejection

esc = html.escape
WHOLE_ARTICLE_IN_CITATION_CHARS = 30_000


def notice(message: str, kind: str = "error") -> str:
    """A message box for the page; `message` is escaped."""
    return f'<div class="sb-notice sb-{kind}" role="alert">{esc(message)}</div>'


def placeholder() -> str:
    return ('<div class="sb-empty"><p>Your briefing will appear here: one section per news event, every '
            'sentence followed by numbered citations. Click a number to see the source sentence it rests on, '
            'highlighted in its article.</p></div>')


def briefing_html(briefing: Briefing, notices: list[str] = ()) -> str:
    numbers = source_numbers(briefing)
    by_id = {a.id: a for a in briefing.articles}
    parts = ['<div class="sb-briefing">', *notices]
    parts.append(f'<p class="sb-summary">{esc(counts(briefing))} &middot; config '
                 f'<code>{esc(briefing.config)}</code></p>')
    if not briefing.articles:
        parts.append(notice("No article could be read, so there is no briefing. The reasons are listed below."))
    for n, event in enumerate(briefing.events, 1):
        parts.append(event_html(n, event, by_id, numbers))
    if briefing.rejected:
        parts.append(rejected_html(briefing.rejected))
    parts.append("</div>")
    return "".join(parts)


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def counts(briefing: Briefing) -> str:
    return (f"{plural(len(briefing.articles), 'article')}, {plural(len(briefing.events), 'event')}, "
            f"{len(briefing.rejected)} not used")


def event_html(n: int, event: Event, by_id: dict[str, Article], numbers: dict[str, int]) -> str:
    articles = [by_id[i] for i in event.article_ids]
    outlets = len({a.source for a in articles})
    out = [f'<section class="sb-event" id="sb-{esc(event.id)}">',
           f'<h2><span class="sb-event-n">{n}</span> {esc(event.title)}</h2>',
           f'<p class="sb-meta">{plural(len(articles), "article")} from {plural(outlets, "source")}</p>',
           '<ol class="sb-sentences">']
    for sentence in event.sentences:
        markers = "".join(citation_html(c, by_id[c.article_id], numbers[c.article_id]) for c in sentence.citations)
        method = "model-written, checked against its sources" if sentence.method == "generated" \
            else "a source sentence, quoted"
        out.append(f'<li class="sb-sentence" data-method="{esc(sentence.method)}" title="{esc(method)}">'
                   f'<span class="sb-text">{esc(sentence.text)}</span> <span class="sb-cites">{markers}</span></li>')
    out.append("</ol>")
    out.append(sources_html(event, articles, numbers))
    out.append("</section>")
    return "".join(out)


def citation_html(citation: Citation, article: Article, number: int) -> str:
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
        return '<p class="sb-meta">The whole article, with every cited sentence marked, is under “Articles in this event”.</p>'
    return (f'<details class="sb-whole"><summary>Show the whole article</summary>'
            f'<div class="sb-article-text">{highlighted(article.text, [(start, end)])}</div></details>')


def article_label(article: Article) -> str:
    source = f'<b>{esc(article.source or "unknown source")}</b>'
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


def sources_html(event: Event, articles: list[Article], numbers: dict[str, int]) -> str:
    cited: dict[str, list[tuple[int, int]]] = {}
    for sentence in event.sentences:
        for citation in sentence.citations:
            article = next(a for a in articles if a.id == citation.article_id)
            cited.setdefault(article.id, []).append(evidence_span(citation, article))
    rows = []
    for article in articles:
        notes = []
        if article.spun:
            notes.append("machine-rewritten copy: counted as coverage, never quoted")
        if article.duplicate_of and article.duplicate_of in numbers:
            notes.append(f"near-identical copy of source {numbers[article.duplicate_of]}")
        badges = "".join(f'<span class="sb-badge">{esc(n)}</span>' for n in notes)
        meta = " &middot; ".join(esc(x) for x in (article.published, article.input) if x)
        spans = cited.get(article.id, [])
        rows.append(
            f'<li class="sb-source" data-article="{esc(article.id)}"><span class="sb-num">{numbers[article.id]}</span>'
            f'<div>{article_label(article)} {badges}<div class="sb-meta">{meta}</div>'
            f'<details class="sb-whole"><summary>Read the article '
            f'({plural(len(merge_spans(spans)), "cited sentence")} highlighted)</summary>'
            f'<div class="sb-article-text">{highlighted(article.text, spans)}</div></details></div></li>')
    return (f'<details class="sb-sources" open><summary>Articles in this event ({len(articles)})</summary>'
            f'<ol class="sb-source-list">{"".join(rows)}</ol></details>')


def rejected_html(rejected: list[Rejection]) -> str:
    rows = "".join(f'<tr><td class="sb-input">{esc(r.input)}</td><td>{esc(r.reason)}</td></tr>' for r in rejected)
    return (f'<section class="sb-rejected"><h2>Inputs not used ({len(rejected)})</h2>'
            f'<div class="sb-table-wrap"><table><thead><tr><th>Input</th><th>Why</th></tr></thead>'
            f'<tbody>{rows}</tbody></table></div></section>')


CSS = """
.sb-header h1{font-size:1.6rem;margin:.2rem 0}
.sb-header p{margin:.2rem 0;max-width:48rem}
.sb-header .sb-steps{margin-top:.5rem;font-size:.9rem}
.sb-steps span{display:inline-block;margin-right:1.2rem}
.sb-steps b{display:inline-block;width:1.3rem;height:1.3rem;line-height:1.3rem;text-align:center;border-radius:50%;
  background:#1a4f8b;color:#fff;font-size:.75rem;margin-right:.3rem}
.sb-limits{font-size:.85rem;color:var(--body-text-color-subdued)}
.sb-briefing{font:17px/1.6 Georgia,'Times New Roman',serif;color:var(--body-text-color);max-width:48rem}
.sb-briefing h2{font:600 1.25rem/1.3 system-ui,sans-serif;margin:1.2rem 0 .2rem}
.sb-event{border-top:3px solid var(--body-text-color);padding-top:.4rem;margin-bottom:1.5rem}
.sb-event-n{display:inline-block;min-width:1.6rem;color:var(--body-text-color-subdued)}
.sb-summary,.sb-meta{font:.85rem/1.4 system-ui,sans-serif;color:var(--body-text-color-subdued);margin:.2rem 0}
.sb-sentences{padding-left:1.2rem;margin:.6rem 0}
.sb-sentence{margin:.45rem 0}
.sb-cites{white-space:normal}
details.sb-cite{display:inline}
/* a closed <details> still holds a block box for its content, which would put each marker on its own line */
details.sb-cite::details-content{display:inline}
details.sb-cite:not([open])::details-content{display:none}
details.sb-cite>summary{display:inline-block;list-style:none;cursor:pointer;font:600 .72rem/1 system-ui,sans-serif;
  vertical-align:super;padding:.15rem .35rem;margin:0 .1rem;border-radius:.6rem;background:#e8eef7;color:#1a4f8b;
  border:1px solid #b8cbe6}
details.sb-cite>summary::-webkit-details-marker{display:none}
details.sb-cite>summary:hover,details.sb-cite[open]>summary{background:#1a4f8b;color:#fff}
details.sb-cite>summary:focus-visible{outline:2px solid #1a4f8b;outline-offset:2px}
.sb-cite-panel{display:block;margin:.4rem 0 .6rem;padding:.6rem .8rem;border-left:4px solid #1a4f8b;
  background:var(--background-fill-secondary);font-size:.95rem}
.sb-cite-head{font:.85rem/1.4 system-ui,sans-serif;margin:0 0 .3rem!important}
.sb-context{margin:0!important;padding:0!important;border:0!important;white-space:pre-wrap}
mark.sb-evidence{background:#ffe58a;color:#1b1b1b;padding:0 .1rem}
.sb-num{display:inline-block;min-width:1.3rem;font:600 .8rem/1.4 system-ui,sans-serif;color:#1a4f8b}
details.sb-whole>summary{cursor:pointer;font:.85rem/1.6 system-ui,sans-serif;color:#1a4f8b}
.sb-article-text{white-space:pre-wrap;max-height:24rem;overflow:auto;padding:.5rem;margin-top:.3rem;
  border:1px solid var(--border-color-primary);background:var(--background-fill-primary);font-size:.92rem}
.sb-sources>summary{cursor:pointer;font:600 .9rem/1.6 system-ui,sans-serif}
.sb-source-list{list-style:none;padding:0;margin:.3rem 0}
.sb-source{display:flex;gap:.4rem;margin:.4rem 0;font:.9rem/1.45 system-ui,sans-serif}
.sb-source>div{min-width:0;flex:1}
.sb-badge{display:inline-block;font-size:.75rem;padding:0 .4rem;border-radius:.5rem;background:#fde2e1;color:#8a1c17}
.sb-rejected h2{font:600 1.1rem/1.3 system-ui,sans-serif}
.sb-table-wrap{max-height:20rem;overflow:auto}
.sb-rejected table{border-collapse:collapse;font:.85rem/1.4 system-ui,sans-serif;width:100%}
.sb-rejected td,.sb-rejected th{border-bottom:1px solid var(--border-color-primary);padding:.3rem;text-align:left;
  vertical-align:top}
.sb-input{word-break:break-all;max-width:16rem}
.sb-notice{padding:.7rem 1rem;border-radius:.4rem;margin:.5rem 0;font:.95rem/1.4 system-ui,sans-serif}
.sb-error{background:#fde2e1;color:#8a1c17;border:1px solid #f3b1ad}
.sb-warning{background:#fff4d6;color:#6b4a00;border:1px solid #f0d48a}
.sb-empty{color:var(--body-text-color-subdued);font:.95rem/1.5 system-ui,sans-serif;padding:1rem 0}
.dark details.sb-whole>summary,.dark .sb-num{color:#8fb8ee}
.dark .sb-cite-panel{border-left-color:#8fb8ee}
@media (max-width:640px){.sb-briefing{font-size:16px}.sb-sentences{padding-left:1rem}}
"""
