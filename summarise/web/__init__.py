"""The web demo's logic, kept apart from Gradio (app.py): gather a request's inputs, run the
pipeline, write the downloads, and render the page's briefing (render/html.py).
"""
from __future__ import annotations

import logging
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from summarise.config import Config, load_config
from summarise.pipeline import Pipeline
from summarise.render import render
from summarise.render.html import briefing_html, notice
from summarise.render.output import write_files
from summarise.types import Briefing, Rejection
from summarise.inputs import sources
from summarise.inputs.fetch import FetchSettings
from summarise.inputs.sources import Context

log = logging.getLogger("summarise.web")

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
    url_timeout_s: float = 10.0  # one whole download of a URL input
    url_max_bytes: int = 5_000_000

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
    return load_config(config, ingest={"max_articles": limits.max_articles,
                                       "max_file_bytes": limits.max_file_mb * 1_000_000})


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
    """Uploads within the page's limits, read by the sources (never a network source: the types
    allowed are article files)."""
    context = Context(max_file_bytes=limits.max_file_mb * 1_000_000, urls="pages", allow_private=False)
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
            _add_read(request, sources.read(path, context), context)


def _gather_urls(urls: str, limits: Limits, request: Request, allow_private: bool,
                 on_fetch: Callable[[int, int, str], None] | None) -> None:
    """Article pages, through the sources' URL guard: private addresses only when allowed."""
    context = Context(fetch=FetchSettings(timeout=limits.url_timeout_s, max_bytes=limits.url_max_bytes), urls="pages",
                      allow_private=allow_private)
    wanted = [u.strip() for u in (urls or "").split() if u.strip()]
    for n, url in enumerate(wanted):
        if n >= limits.max_urls:
            request.rejected.append(Rejection(url, f"over the limit of {limits.max_urls} URLs per briefing"))
            continue
        if on_fetch:
            on_fetch(n, min(len(wanted), limits.max_urls), url)
        _add_read(request, sources.read_url(url, context), context)


def _add_read(request: Request, items: Iterable, context: Context) -> None:
    """Records become the pipeline's inputs (read already: Records); rejections are listed."""
    for item in sources.records(items, context):
        (request.rejected if isinstance(item, Rejection) else request.inputs).append(item)


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
    """briefing.md and briefing.json, rendered by the format registry, in a fresh folder; folders
    older than an hour are removed."""
    DOWNLOAD_ROOT.mkdir(parents=True, exist_ok=True)
    for old in DOWNLOAD_ROOT.iterdir():
        try:
            if time.time() - old.stat().st_mtime > DOWNLOAD_MAX_AGE_S:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:  # removed meanwhile by another process serving the demo
            pass
    folder = Path(tempfile.mkdtemp(dir=DOWNLOAD_ROOT))
    files = {folder / f"briefing.{fmt}": render(briefing, fmt) for fmt in ("md", "json")}
    write_files(files)
    md, js = files
    return str(md), str(js)


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
