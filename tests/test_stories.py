"""stories.py: the SQLite story memory and linking today's events to stored stories."""
from __future__ import annotations

import sqlite3

import numpy as np
import pytest

from summarise.daily.stories import DayEvent, StateError, StoryStore, default_state_path, link_events, new_story_id


def unit(*values: float) -> np.ndarray:
    v = np.array(values, dtype=np.float32)
    return v / np.linalg.norm(v)


BRIDGE, STORM, BAKERY = unit(1, 0.1, 0), unit(0, 1, 0.1), unit(0.1, 0, 1)


def save(store: StoryStore, day: str, *events: tuple[str, str, np.ndarray, list[str]]) -> None:
    store.save_day(day, [DayEvent(f"e{n}", story, story.title(), centroid, sentences, [f"{day}-{n}"],
                                  reported=[f"{story} as reported on {day}"])
                         for n, (story, _, centroid, sentences) in enumerate(events, 1)])


def test_default_path_is_per_user(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    assert default_state_path() == tmp_path / "summarise" / "stories.sqlite"


def test_continuing_story_is_linked_with_its_last_briefing(tmp_path):
    store = StoryStore(tmp_path / "s.sqlite", "hashing:packaged")
    save(store, "2026-11-20", ("bridge", "", BRIDGE, ["The bridge closed."]))
    save(store, "2026-11-21", ("bridge", "", BRIDGE, ["Cracks were found."]), ("bakery", "", BAKERY, ["Bread won."]))
    stories = store.stories("2026-11-22", window_days=7)
    today = np.stack([unit(0, 1, 0.12), unit(1, 0.15, 0)])  # a storm, then the bridge again
    storm, bridge = link_events("2026-11-22", today, [["s1"], ["b1"]], stories, threshold=0.8)
    assert (bridge.story_id, bridge.since, bridge.continues) == ("bridge", "2026-11-20", True)
    assert (bridge.last_day, bridge.days) == ("2026-11-21", 3)
    assert bridge.previous_sentences == ("Cracks were found.",)
    assert bridge.known == ("Cracks were found.", "bridge as reported on 2026-11-21")
    assert bridge.similarity > 0.99
    assert not storm.continues and storm.since == "2026-11-22"
    assert storm.story_id == new_story_id("2026-11-22", ["s1"], set())


def test_one_event_per_story_closest_first(tmp_path):
    store = StoryStore(tmp_path / "s.sqlite", "e")
    save(store, "2026-11-21", ("bridge", "", BRIDGE, ["x"]))
    near, nearer = unit(1, 0.3, 0), unit(1, 0.05, 0)
    links = link_events("2026-11-22", np.stack([near, nearer]), [["a"], ["b"]], store.stories("2026-11-22", 7), 0.8)
    assert [link.continues for link in links] == [False, True]


def test_window_and_embedder_limit_what_can_continue(tmp_path):
    path = tmp_path / "s.sqlite"
    save(StoryStore(path, "minilm:packaged"), "2026-11-01", ("old", "", BRIDGE, ["x"]))
    save(StoryStore(path, "hashing:packaged"), "2026-11-21", ("other-embedder", "", STORM, ["y"]))
    store = StoryStore(path, "minilm:packaged")
    assert store.stories("2026-11-22", window_days=7) == []  # too old, or another embedder's vectors
    assert [s.id for s in store.stories("2026-11-05", window_days=7)] == ["old"]


def test_rerun_of_a_day_keeps_story_ids_and_replaces_rows(tmp_path):
    store = StoryStore(tmp_path / "s.sqlite", "e")
    save(store, "2026-11-21", ("bridge", "", BRIDGE, ["first run"]))
    links = link_events("2026-11-21", np.stack([BRIDGE]), [["other ids now"]], store.stories("2026-11-21", 7), 0.8)
    assert links[0].story_id == "bridge" and not links[0].continues  # same day: same story, not a continuation
    save(store, "2026-11-21", ("bridge", "", BRIDGE, ["second run"]))
    (story,) = store.stories("2026-11-22", 7)
    assert story.previous.sentences == ["second run"] and story.days == 1


def test_corrupt_state_file_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "s.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StateError, match="damaged or not a summarise state file"):
        StoryStore(path, "e")
    assert path.read_bytes() == b"this is not a database" * 100


def test_locked_state_file_is_named(tmp_path):
    path = tmp_path / "s.sqlite"
    StoryStore(path, "e").close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StateError, match="locked by another process"):
            StoryStore(path, "e", timeout=0.2)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_failed_save_stores_nothing_of_the_day(tmp_path):
    store = StoryStore(tmp_path / "s.sqlite", "e")
    save(store, "2026-11-21", ("bridge", "", BRIDGE, ["kept"]))
    with pytest.raises(StateError):
        # the second row repeats the primary key (day, event_id): the transaction rolls back
        store.save_day("2026-11-21", [DayEvent("e1", "a", "A", BRIDGE, ["new"], []),
                                      DayEvent("e1", "b", "B", STORM, ["new"], [])])
    (story,) = store.stories("2026-11-22", 7)
    assert story.previous.sentences == ["kept"]


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "s.sqlite"
    StoryStore(path, "e").close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StateError, match="newer summarise"):
        StoryStore(path, "e")
