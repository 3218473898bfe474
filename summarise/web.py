"""The web demo's logic, kept apart from Gradio: gather inputs, run the pipeline, render HTML.

Every piece of article-derived text (article text, titles, outlets, URLs, file names, rejection
reasons that quote inputs) goes through `html.escape`; links are made only from http(s) URLs.
Citations open without any JavaScript: each marker is a <details>/<summary> pair whose panel
shows the cited sentence highlighted in its paragraph, and the whole article on request.
"""
from __future__ import annotations

import html
import logging
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .config import Config, load_config
from .pipeline import Pipeline
from .render import safe_url, source_numbers, to_json, to_markdown
from .types import Article, Briefing, Citation, Event, Rejection
from .web_fetch import fetch_url

log = logging.getLogger("summarise.web")

esc = html.escape
WHOLE_ARTICLE_IN_CITATION_CHARS = 30_000
UPLOAD_TYPES = (".txt", ".md", ".html", ".htm", ".json", ".jsonl")
PASTE_SEPARATOR = "---"


@dataclass(frozen=True)
class Limits:
    """What one request may ask for; stated in the page and enforced here."""

    max_files: int = 20
    max_file_mb: int = 5
    max_urls: int = 10
    max_paste_chars: int = 500_000
    max_articles: int = 50

    def describe(self) -> str:
        return (f"Up to {self.max_articles} articles per briefing; up to {self.max_files} files of at most "
                f"{self.max_file_mb} MB each ({', '.join(UPLOAD_TYPES)}); up to {self.max_urls} URLs; "
                f"pasted text up to {self.max_paste_chars:,} characters.")


# -- one Pipeline per config for the life of the process ---------------------------------

_pipelines: dict[tuple[str, Limits], Pipeline] = {}
_pipelines_lock = threading.Lock()


def pipeline_for(config: str, limits: Limits) -> Pipeline:
    """The process-wide Pipeline for a config name or path; its models load once, on first use."""
    with _pipelines_lock:
        if (config, limits) not in _pipelines:
            _pipelines[config, limits] = Pipeline(web_config(config, limits), progress=True)
        return _pipelines[config, limits]


def web_config(config: str, limits: Limits) -> Config:
    return load_config(config, max_articles=limits.max_articles,
                       max_file_bytes=limits.max_file_mb * 1_000_000)


# -- inputs -------------------------------------------------------------------------------

@dataclass
class Request:
    """What the page sent, turned into pipeline inputs plus the inputs refused before the run."""

    inputs: list = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # server path of an upload -> its file name

    @property
    def empty(self) -> bool:
        return not self.inputs and not self.rejected


def split_pasted(text: str) -> list[str]:
    """Pasted text is one article, or several separated by a line holding only ---."""
    chunks, current = [], []
    for line in (text or "").splitlines():
        if line.strip() == PASTE_SEPARATOR:
            chunks.append("\n".join(current))
            current = []
        else:
            current.append(line)
    chunks.append("\n".join(current))
    return [c.strip() for c in chunks if c.strip()]


def gather(pasted: str, files: list[str] | None, urls: str, limits: Limits, *,
           allow_private_urls: bool = False, on_fetch: Callable[[int, int, str], None] | None = None) -> Request:
    request = Request()
    pasted = pasted or ""
    if len(pasted) > limits.max_paste_chars:
        request.rejected.append(Rejection("pasted text", f"{len(pasted):,} characters, over the "
                                                         f"{limits.max_paste_chars:,} character limit"))
    else:
        # records, never bare strings: a pasted line must not be read as a path on the server
        request.inputs += [{"text": chunk, "input": f"pasted text {n}"}
                           for n, chunk in enumerate(split_pasted(pasted), 1)]
    _gather_files(files or [], limits, request)
    _gather_urls(urls, limits, request, allow_private_urls, on_fetch)
    return request


def _gather_files(files: list[str], limits: Limits, request: Request) -> None:
    for n, path in enumerate(files):
        path = Path(path)
        request.names[str(path)] = path.name
        if n >= limits.max_files:
            request.rejected.append(Rejection(path.name, f"over the limit of {limits.max_files} files per briefing"))
        elif path.suffix.lower() not in UPLOAD_TYPES:
            request.rejected.append(Rejection(path.name, f"unsupported file type {path.suffix or '(none)'}; "
                                                         f"supported: {', '.join(UPLOAD_TYPES)}"))
        elif path.stat().st_size > limits.max_file_mb * 1_000_000:
            request.rejected.append(Rejection(path.name, f"file is {path.stat().st_size / 1e6:.1f} MB, over the "
                                                         f"{limits.max_file_mb} MB limit"))
        else:
            request.inputs.append(path)


def _gather_urls(urls: str, limits: Limits, request: Request, allow_private: bool,
                 on_fetch: Callable[[int, int, str], None] | None) -> None:
    wanted = [u.strip() for u in (urls or "").split() if u.strip()]
    for n, url in enumerate(wanted):
        if n >= limits.max_urls:
            request.rejected.append(Rejection(url, f"over the limit of {limits.max_urls} URLs per briefing"))
            continue
        if on_fetch:
            on_fetch(n, min(len(wanted), limits.max_urls), url)
        record = fetch_url(url, allow_private=allow_private)
        (request.rejected if isinstance(record, Rejection) else request.inputs).append(record)


def with_display_names(briefing: Briefing, request: Request) -> Briefing:
    """Uploads are read from server temp paths; users should see their own file names."""
    def display(label: str) -> str:
        for path, name in request.names.items():
            if label.startswith(path):
                return name + label[len(path):]
        return label

    for article in briefing.articles:
        article.input = display(article.input)
    briefing.rejected = [Rejection(display(r.input), r.reason) for r in request.rejected + briefing.rejected]
    return briefing


# -- downloads ----------------------------------------------------------------------------

DOWNLOAD_ROOT = Path(tempfile.gettempdir()) / "summarise-web"
DOWNLOAD_MAX_AGE_S = 3600


def write_downloads(briefing: Briefing) -> tuple[str, str]:
    """briefing.md and briefing.json in a fresh folder; folders older than an hour are removed."""
    DOWNLOAD_ROOT.mkdir(parents=True, exist_ok=True)
    for old in DOWNLOAD_ROOT.iterdir():
        try:
            if time.time() - old.stat().st_mtime > DOWNLOAD_MAX_AGE_S:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:  # removed meanwhile by another process serving the demo
            pass
    folder = Path(tempfile.mkdtemp(dir=DOWNLOAD_ROOT))
    md, js = folder / "briefing.md", folder / "briefing.json"
    md.write_text(to_markdown(briefing), encoding="utf-8")
    js.write_text(to_json(briefing), encoding="utf-8")
    return str(md), str(js)


# -- rendering ----------------------------------------------------------------------------

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


def limit_notices(briefing: Briefing, limits: Limits) -> list[str]:
    over = sum("over the limit of" in r.reason and "articles per run" in r.reason for r in briefing.rejected)
    if not over:
        return []
    return [notice(f"{over} article{'s' * (over != 1)} over the limit of {limits.max_articles} per briefing "
                   f"{'were' if over != 1 else 'was'} left out; the briefing uses the first {limits.max_articles}.",
                   "warning")]


# -- one request, start to finish -----------------------------------------------------------

@dataclass
class Result:
    html: str
    markdown_path: str | None = None
    json_path: str | None = None


def run_request(config: str, pasted: str, files: list[str] | None, urls: str, limits: Limits, *,
                allow_private_urls: bool = False, demo_dir: Path | None = None,
                progress: Callable[[float, str], None] = lambda fraction, message: None) -> Result:
    """Everything one press of the button does; never raises, failures become a message."""
    try:
        if demo_dir is not None:
            request = Request(inputs=[demo_dir], names={str(demo_dir): demo_dir.name})
        else:
            progress(0.0, "Reading inputs")
            request = gather(pasted, files, urls, limits, allow_private_urls=allow_private_urls,
                             on_fetch=lambda n, total, url: progress(0.05 * n / total, f"Fetching {url}"))
        if request.empty:
            return Result(notice("Nothing to summarise: paste article text, upload files, give URLs, "
                                 "or press “Try the demo articles”."))
        progress(0.1, "Loading models (first run only) and reading articles")
        briefing = pipeline_for(config, limits).run(request.inputs)
        briefing = with_display_names(briefing, request)
        markdown_path, json_path = write_downloads(briefing)
        return Result(briefing_html(briefing, limit_notices(briefing, limits)), markdown_path, json_path)
    except Exception as exc:  # the app must keep serving others whatever one request does
        log.exception("briefing failed")
        return Result(notice(f"The briefing failed: {type(exc).__name__}: {exc}"))


# -- page style -----------------------------------------------------------------------------

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
