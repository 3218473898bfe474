"""Render briefings: one module per format, registered here by name and used by `brief --format`,
by `daily` (which writes every format) and by the web page's downloads alike.

A format is a module with `render_briefing(briefing)` and `render_daily(daily)`, each returning
the file's text; adding one is its file plus one line in RENDERERS.
"""
from __future__ import annotations

from summarise.render import atom, html, json, markdown
from summarise.render.document import summary_line

RENDERERS = {"md": markdown, "json": json, "html": html, "atom": atom}
FORMATS = tuple(RENDERERS)

__all__ = ["FORMATS", "RENDERERS", "render", "render_daily", "render_daily_files", "summary_line"]


def _renderer(fmt: str):
    if fmt not in RENDERERS:
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    return RENDERERS[fmt]


def render(briefing, fmt: str) -> str:
    """A Briefing as the text of one format."""
    return _renderer(fmt).render_briefing(briefing)


def render_daily(daily, fmt: str) -> str:
    """A day's briefing (summarise/daily/run.py) as the text of one format."""
    return _renderer(fmt).render_daily(daily)


def render_daily_files(daily) -> dict[str, str]:
    """The files of a day's briefing, by extension: every registered format."""
    return {fmt: renderer.render_daily(daily) for fmt, renderer in RENDERERS.items()}
