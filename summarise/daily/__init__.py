"""`summarise daily`: one briefing document a day, with stories remembered across days.

    run.py       the day's run: the pipeline's steps, story links, importance, what is new first
    sources.py   which of the inputs' articles belong to the day
    stories.py   the story memory (SQLite)
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DailySettings:
    """[daily]: the shape of a day's briefing and how stories continue."""

    max_events: int = 8  # events with a full section; the rest get one line under "Also today"
    story_similarity: float = 0.5  # event-centroid cosine at which today's event continues a stored story
    story_window_days: int = 7  # how far back a story may have last appeared and still continue
