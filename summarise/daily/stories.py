"""Story memory: which of today's events continue a story from earlier days.

An embedded SQLite file keeps every day's events: their centroid (the normalised mean of their
article vectors), the embedder that made it, the text of their briefing sentences, and the source
sentences their articles reported (what was known that day, briefed or not). A story is
the chain of events that share a story id; it starts on the day of its first event.

Today's event continues a stored story when its centroid is close enough to the story's latest
earlier event (cosine at or above `threshold`), one event per story, closest pairs first. A
rerun of a day replaces that day's rows and keeps the story ids the earlier run gave, so the same
inputs give the same ids.
"""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np

SCHEMA_VERSION = 1
MAX_REPORTED = 2000  # source sentences kept per event: enough for a big story, bounded for the file
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    day TEXT NOT NULL,             -- YYYY-MM-DD
    event_id TEXT NOT NULL,        -- e1, e2, ... in that day's briefing
    story_id TEXT NOT NULL,
    title TEXT NOT NULL,
    embedder TEXT NOT NULL,        -- centroids of different embedders are never compared
    centroid BLOB NOT NULL,        -- float32 unit vector
    sentences TEXT NOT NULL,       -- JSON list of the briefing's sentence texts
    reported TEXT NOT NULL,        -- JSON list of the event's source sentences (capped)
    article_ids TEXT NOT NULL,     -- JSON list
    PRIMARY KEY (day, event_id)
);
CREATE INDEX IF NOT EXISTS events_story ON events (story_id, day);
"""


class StateError(Exception):
    """The state file cannot be used: corrupt, locked, unwritable, or of a newer version."""


def default_state_path() -> Path:
    """Per-user state file: $XDG_STATE_HOME/summarise (~/.local/state) or %LOCALAPPDATA% on Windows."""
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        base = Path(os.environ["LOCALAPPDATA"])
    else:
        base = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
    return base / "summarise" / "stories.sqlite"


@dataclass
class StoredEvent:
    day: str
    story_id: str
    title: str
    centroid: np.ndarray
    sentences: list[str]
    reported: list[str]


@dataclass
class Story:
    id: str
    first_day: str
    days: int  # days with an event before today
    previous: StoredEvent | None  # its latest event before today
    same_day: StoredEvent | None  # today's event from an earlier run of the same day


@dataclass
class Link:
    """What today's event is in story terms."""

    story_id: str
    since: str  # the story's first day
    continues: bool  # it has events before today
    last_day: str = ""  # day of its latest earlier briefing
    days: int = 1  # days with an event, today included
    similarity: float = 0.0  # centroid cosine to the story's latest earlier event
    previous_sentences: tuple[str, ...] = ()  # that briefing's sentences
    known: tuple[str, ...] = ()  # what was known then: that briefing's and its sources' sentences

    def to_dict(self) -> dict:
        return {"id": self.story_id, "since": self.since, "continues": self.continues,
                "last_briefed": self.last_day, "days": self.days, "similarity": round(self.similarity, 3)}

    @classmethod
    def from_dict(cls, data: dict) -> "Link":
        """A link read back from a day's JSON (to_dict); what was known then is not stored there."""
        return cls(data["id"], data["since"], data["continues"], data["last_briefed"], data["days"],
                   data["similarity"])


@dataclass
class DayEvent:
    """One of today's events as it is stored."""

    event_id: str
    story_id: str
    title: str
    centroid: np.ndarray
    sentences: list[str]
    article_ids: list[str]
    reported: list[str] = field(default_factory=list)


class StoryStore:
    def __init__(self, path: Path, embedder: str, timeout: float = 10.0):
        self.path = Path(path)
        self.embedder = embedder
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
            version = self._check()
        except sqlite3.Error as exc:
            raise StateError(self._explain(exc)) from None
        except OSError as exc:
            raise StateError(f"cannot open state file {self.path}: {exc.strerror or exc}") from None
        if version > SCHEMA_VERSION:
            raise StateError(f"state file {self.path} was written by a newer summarise (schema {version})")

    def _check(self) -> int:
        """Schema version; creates the tables in a new file and refuses a damaged one."""
        problem = self.db.execute("PRAGMA quick_check").fetchone()[0]
        if problem != "ok":
            raise sqlite3.DatabaseError(f"integrity check failed: {problem}")
        self.db.executescript(_SCHEMA)
        row = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is None:
            self.db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            return SCHEMA_VERSION
        return int(row[0])

    def _explain(self, exc: sqlite3.Error) -> str:
        text = str(exc)
        if "locked" in text or "busy" in text:
            return f"state file {self.path} is locked by another process (another daily run?): {text}"
        if "readonly" in text or "read-only" in text:
            return f"state file {self.path} cannot be written: {text}"
        if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
            return (f"state file {self.path} is damaged or not a summarise state file ({text}); "
                    "move it aside to start a new story memory")
        return f"state file {self.path}: {text}"

    def close(self) -> None:
        self.db.close()

    # -- reading --------------------------------------------------------------------------------

    def stories(self, day: str, window_days: int) -> list[Story]:
        """Stories with an event in the `window_days` before `day`, or on `day` from an earlier run."""
        start = (date.fromisoformat(day) - timedelta(days=window_days)).isoformat()
        try:
            rows = self.db.execute(
                "SELECT day, story_id, title, centroid, sentences, reported FROM events "
                "WHERE embedder = ? AND story_id IN (SELECT story_id FROM events WHERE day >= ? AND day <= ?) "
                "ORDER BY story_id, day, event_id", (self.embedder, start, day)).fetchall()
            firsts = dict(self.db.execute(
                "SELECT story_id, MIN(day) FROM events GROUP BY story_id").fetchall())
        except sqlite3.Error as exc:
            raise StateError(self._explain(exc)) from None
        by_story: dict[str, list[StoredEvent]] = {}
        for row_day, story_id, title, blob, sentences, reported in rows:
            event = StoredEvent(row_day, story_id, title, np.frombuffer(blob, dtype=np.float32),
                                json.loads(sentences), json.loads(reported))
            by_story.setdefault(story_id, []).append(event)
        stories = []
        for story_id, events in sorted(by_story.items()):
            earlier = [e for e in events if e.day < day]
            same_day = next((e for e in events if e.day == day), None)
            stories.append(Story(story_id, firsts[story_id], len({e.day for e in earlier}),
                                 earlier[-1] if earlier else None, same_day))
        return stories

    # -- writing --------------------------------------------------------------------------------

    def save_day(self, day: str, events: list[DayEvent]) -> None:
        """Replace the day's events in one transaction: all of them are stored or none."""
        rows = [(day, e.event_id, e.story_id, e.title, self.embedder,
                 np.asarray(e.centroid, dtype=np.float32).tobytes(), json.dumps(e.sentences, ensure_ascii=False),
                 json.dumps(e.reported[:MAX_REPORTED], ensure_ascii=False),
                 json.dumps(e.article_ids)) for e in events]
        try:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                self.db.execute("DELETE FROM events WHERE day = ?", (day,))
                self.db.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise StateError(self._explain(exc)) from None


def link_events(day: str, centroids: np.ndarray, article_ids: list[list[str]], stories: list[Story],
                threshold: float) -> list[Link]:
    """A Link for each of today's events: a continued story, or a new one with a stable id."""
    pairs = []
    for e, centroid in enumerate(centroids):
        for s, story in enumerate(stories):
            candidates = [x for x in (story.previous, story.same_day)
                          if x is not None and x.centroid.shape == centroid.shape]
            if not candidates:
                continue
            similarity = max(float(centroid @ x.centroid) for x in candidates)
            if similarity >= threshold:
                pairs.append((-similarity, e, story.id, s))
    links: list[Link | None] = [None] * len(centroids)
    taken: set[int] = set()
    for _, e, _, s in sorted(pairs):  # closest pairs first; ties by event, then story id
        if links[e] is not None or s in taken:
            continue
        taken.add(s)
        story = stories[s]
        previous = story.previous
        links[e] = Link(
            story.id, story.first_day if previous else day, continues=previous is not None,
            last_day=previous.day if previous else "", days=story.days + 1,
            similarity=float(centroids[e] @ previous.centroid) if previous else 0.0,
            previous_sentences=tuple(previous.sentences) if previous else (),
            known=tuple(dict.fromkeys(previous.sentences + previous.reported)) if previous else ())
    used = {s.id for s in stories}
    for e, link in enumerate(links):
        if link is None:
            links[e] = Link(new_story_id(day, article_ids[e], used), day, continues=False)
    return links


def new_story_id(day: str, article_ids: list[str], used: set[str]) -> str:
    """Stable for the same articles on the same day: the day plus a hash of the article ids."""
    digest = hashlib.sha1("\n".join(sorted(article_ids)).encode()).hexdigest()
    story_id, n = f"{day}-{digest[:6]}", 2
    while story_id in used:
        story_id, n = f"{day}-{digest[:6]}-{n}", n + 1
    used.add(story_id)
    return story_id
