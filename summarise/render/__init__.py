"""Render briefings: one renderer per format, registered here and used by `brief`, `daily` and
the web page alike."""
from __future__ import annotations

from summarise.render.briefing import FORMATS, render, summary_line
from summarise.render.daily import to_html as daily_html, to_json as daily_json, to_markdown as daily_markdown

__all__ = ["FORMATS", "render", "render_daily_files", "summary_line"]


def render_daily_files(daily) -> dict[str, str]:
    """The files of a day's briefing, by extension."""
    return {"md": daily_markdown(daily), "html": daily_html(daily), "json": daily_json(daily)}
