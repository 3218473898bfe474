"""The Atom renderer and the feeds `summarise daily` keeps (DAY.atom, feed.atom), read back with
feedparser: they parse, one entry per event, ids stable across reruns, links only to http(s)
sources, hostile text escaped. No models: the hashing embedder and extractive sentences."""
from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest

from daily_support import ARTICLES, DAY1, DAY2, write_config
from summarise.cli import main
from summarise.daily.run import DailyBriefing
from summarise.render import FORMATS, render, render_daily_files
from summarise.types import Article, Briefing, BriefingSentence, Citation, Event

HOSTILE = "<script>alert(1)</script> ]]> \x00\x01\x1b control & <b>bold</b>"


def write_jsonl(path: Path, keys: list[str], day: str | None = None, **fields) -> Path:
    path.write_text("".join(json.dumps({"id": key, "title": ARTICLES[key]["title"], "source": ARTICLES[key]["source"],
                                        "url": f"https://news.example/{key}", "published": day or ARTICLES[key]["day"],
                                        "text": ARTICLES[key]["text"], **fields.get(key, {})}) + "\n"
                            for key in keys), encoding="utf-8")
    return path


@pytest.fixture
def daily(tmp_path):
    """Run `summarise daily` on some of the articles; returns the output folder."""
    config, out, state = write_config(tmp_path), tmp_path / "out", tmp_path / "state.sqlite"

    def run(keys: list[str], day: str, **fields) -> Path:
        inputs = write_jsonl(tmp_path / f"{day}.jsonl", keys, day, **fields)
        assert main(["daily", str(inputs), "--date", day, "--out-dir", str(out), "--state", str(state),
                     "--config", str(config), "--quiet"]) == 0
        return out
    return run


def parsed(path: Path) -> feedparser.FeedParserDict:
    feed = feedparser.parse(path.read_bytes())
    assert not feed.bozo, feed.bozo_exception
    return feed


def test_the_day_is_a_feed_with_one_entry_per_event(daily):
    out = daily(["bridge-1a", "bridge-1b", "bridge-1c", "bakery-1"], DAY1)
    data = json.loads((out / f"{DAY1}.json").read_text(encoding="utf-8"))
    events = data["events"] + data["also_today"]
    feed = parsed(out / f"{DAY1}.atom")
    assert feed.feed.title == f"Daily briefing: {DAY1}" and feed.feed.updated == f"{DAY1}T00:00:00Z"
    assert [e.title for e in feed.entries] == [e["title"] for e in events]
    assert len({e.id for e in feed.entries}) == len(events) and all(e.id.startswith("urn:uuid:") for e in feed.entries)
    assert all(e.updated == f"{DAY1}T00:00:00Z" for e in feed.entries)
    for entry, event in zip(feed.entries, events):
        keys = {a["id"] for a in data["articles"] if a["id"] in event["article_ids"]}
        assert {link.href for link in entry.links} == {f"https://news.example/{k}" for k in keys}
        for sentence in event["sentences"]:
            assert sentence["text"].split()[0] in entry.content[0].value
    assert (out / "feed.atom").exists() and parsed(out / "feed.atom").entries[0].id == feed.entries[0].id


def test_a_rerun_gives_the_same_bytes_and_ids(daily):
    daily(["bridge-1a", "bridge-1b", "bridge-1c"], DAY1)
    out = daily(["bridge-2a", "bridge-2b", "storm-2a", "storm-2b"], DAY2)
    first = {name: (out / name).read_bytes() for name in (f"{DAY2}.atom", "feed.atom")}
    daily(["bridge-2a", "bridge-2b", "storm-2a", "storm-2b"], DAY2)
    assert {name: (out / name).read_bytes() for name in first} == first


def test_the_feed_keeps_the_latest_days_newest_first(daily, tmp_path):
    out = daily(["bridge-1a", "bridge-1b", "bridge-1c"], DAY1)
    day1_ids = [e.id for e in parsed(out / f"{DAY1}.atom").entries]
    daily(["bridge-2a", "bridge-2b", "storm-2a", "storm-2b"], DAY2)
    day2_ids = [e.id for e in parsed(out / f"{DAY2}.atom").entries]
    feed = parsed(out / "feed.atom")
    assert [e.id for e in feed.entries] == day2_ids + day1_ids
    assert feed.feed.updated == f"{DAY2}T00:00:00Z"
    assert not set(day1_ids) & set(day2_ids)  # a story's entry of each day is a new entry
    (out / "2026-01-01.json").write_text("{not json")  # unreadable: left out of the feed, not fatal
    daily(["bridge-2a", "bridge-2b", "storm-2a", "storm-2b"], DAY2)
    assert [e.id for e in parsed(out / "feed.atom").entries] == day2_ids + day1_ids


def test_a_day_read_back_from_its_json_renders_the_same_files(daily):
    """feed.atom is made from DAY.json files read back: they must give what the run gave."""
    daily(["bridge-1a", "bridge-1b", "bridge-1c"], DAY1)
    out = daily(["bridge-2a", "bridge-2b", "storm-2a", "storm-2b", "bakery-1"], DAY2)
    back = DailyBriefing.from_dict(json.loads((out / f"{DAY2}.json").read_text(encoding="utf-8")))
    assert render_daily_files(back) == {ext: (out / f"{DAY2}.{ext}").read_text(encoding="utf-8") for ext in FORMATS}


def test_only_the_seven_latest_days_are_in_the_feed(daily):
    days = [f"2026-11-{n:02d}" for n in range(10, 19)]
    for day in days:
        out = daily(["bakery-1"], day)
    feed = parsed(out / "feed.atom")
    assert [e.updated[:10] for e in feed.entries] == sorted(days, reverse=True)[:7]


def test_hostile_text_is_escaped_and_the_feed_still_parses(daily):
    out = daily(["bridge-1a", "bridge-1b"], DAY1, **{"bridge-1a": {"title": HOSTILE, "source": HOSTILE,
                                                                     "url": "javascript:alert(1)"}})
    text = (out / f"{DAY1}.atom").read_text(encoding="utf-8")
    assert "<script>" not in text and "\x00" not in text and "\x1b" not in text
    feed = parsed(out / f"{DAY1}.atom")
    assert all(link.href == "https://news.example/bridge-1b" for e in feed.entries for link in e.get("links", []))


def hostile_briefing(url: str = "https://example.com/a") -> Briefing:
    article = Article(id="a1", text=f"Lead. {HOSTILE}", title=HOSTILE, source=HOSTILE, url=url,
                      published="2026-11-21T09:00:00+01:00")
    sentence = BriefingSentence(HOSTILE, [Citation("a1", HOSTILE)])
    return Briefing([article], [Event("e1", HOSTILE, ["a1"], [sentence])], [])


def test_a_plain_briefing_renders_as_atom_too():
    assert "atom" in FORMATS
    text = render(hostile_briefing(), "atom")
    feed = feedparser.parse(text)
    assert not feed.bozo, feed.bozo_exception
    entry, = feed.entries
    assert entry.title == "<script>alert(1)</script> ]]>  control & <b>bold</b>"  # control characters dropped
    assert entry.updated == "2026-11-21T00:00:00Z"  # the newest article's day, never the clock
    assert [link.href for link in entry.links] == ["https://example.com/a"]
    assert render(hostile_briefing(), "atom") == text
    assert not feedparser.parse(render(hostile_briefing("javascript:alert(1)"), "atom")).entries[0].get("links")


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="unknown format"):
        render(hostile_briefing(), "pdf")
