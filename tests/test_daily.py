"""`summarise daily` end to end: feeds, OPML and article pages served on 127.0.0.1, local folders,
two consecutive days, bad sources, state-file trouble and atomic output. No models: the hashing
embedder and extractive sentences (tests/daily_support.write_config)."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from daily_support import (ARTICLES, BRIDGE_NEWS, DAY1, DAY2, LocalServer, article_html, atom, closed_port_url,
                           feed_item, opml, rfc822, rss, serve_articles, write_config)
from summarise.cli import daily as daily_command
from summarise.render import FORMATS, output
from summarise.cli import main

REPO = Path(__file__).resolve().parents[1]
FEEDS = {"herald": ["bridge-1a", "bridge-2a"], "courier": ["bridge-1b", "bridge-2b", "storm-2a"],
         "metro": ["bridge-1c", "bakery-1", "storm-2b"]}


@pytest.fixture
def web():
    """Three outlets' feeds (RSS, Atom, RSS), their article pages, and an OPML list of the feeds."""
    server = LocalServer()
    serve_articles(server, list(ARTICLES))
    b = server.base
    server.add("/herald.xml", rss([feed_item(b, k) for k in FEEDS["herald"]], "Harbour Herald"),
               content_type="application/rss+xml")
    server.add("/courier.atom", atom([{"title": ARTICLES[k]["title"], "link": f"{b}/a/{k}",
                                       "updated": f"{ARTICLES[k]['day']}T08:00:00Z"} for k in FEEDS["courier"]]),
               content_type="application/atom+xml")
    server.add("/metro.xml", rss([feed_item(b, k) for k in FEEDS["metro"]], "Metro Daily"),
               content_type="application/rss+xml")
    server.add("/feeds.opml", opml([f"{b}/herald.xml", f"{b}/courier.atom", f"{b}/metro.xml"]),
               content_type="text/x-opml")
    yield server
    server.close()


@pytest.fixture
def setup(tmp_path):
    """(config path, out dir, state path) in a fresh folder."""
    return write_config(tmp_path), tmp_path / "out", tmp_path / "state.sqlite"


def run(inputs, day, setup, *extra) -> int:
    config, out, state = setup
    return main(["daily", *map(str, inputs), "--date", day, "--out-dir", str(out), "--state", str(state),
                 "--config", str(config), *([] if "--verbose" in extra else ["--quiet"]), *extra])


def outputs(out: Path, day: str) -> dict[str, bytes]:
    """The day's files in every format, and the feed of recent days."""
    files = {ext: (out / f"{day}.{ext}").read_bytes() for ext in FORMATS}
    return files | {"feed.atom": (out / "feed.atom").read_bytes()}


def load(out: Path, day: str) -> dict:
    return json.loads((out / f"{day}.json").read_text(encoding="utf-8"))


def event_with(data: dict, key: str) -> dict:
    url_suffix = f"/a/{key}"
    ids = {a["id"] for a in data["articles"]
           if a["id"] == key or a["url"].endswith(url_suffix) or a["input"].endswith(key)}
    return next(e for e in data["events"] + data["also_today"] if ids & set(e["article_ids"]))


# -- two days -------------------------------------------------------------------------------------

def test_day_two_continues_the_day_one_story_and_leads_with_what_is_new(web, setup):
    _, out, _ = setup
    feeds = web.base + "/feeds.opml"
    assert run([feeds], DAY1, setup) == 0
    day1 = load(out, DAY1)
    bridge1 = event_with(day1, "bridge-1a")
    assert len(bridge1["article_ids"]) == 3 and not bridge1["story"]["continues"]
    assert bridge1["story"]["since"] == DAY1

    assert run([feeds], DAY2, setup) == 0
    day2 = load(out, DAY2)
    bridge2, storm = event_with(day2, "bridge-2a"), event_with(day2, "storm-2a")
    assert bridge2["story"]["id"] == bridge1["story"]["id"]
    assert bridge2["story"] | {"similarity": None} == {"id": bridge1["story"]["id"], "since": DAY1, "continues": True,
                                                       "last_briefed": DAY1, "days": 2, "similarity": None}
    assert not storm["story"]["continues"] and storm["story"]["id"] != bridge1["story"]["id"]

    # what is new leads, cited to today's sources; yesterday's facts come after, if at all
    assert bridge2["new_sentences"] >= 1
    lead = bridge2["sentences"][0]
    assert any(fact in lead["text"] for fact in BRIDGE_NEWS), lead["text"]
    today_ids = {a["id"] for a in day2["articles"]}
    assert {c["article_id"] for s in bridge2["sentences"] for c in s["citations"]} <= today_ids
    texts = {a["id"]: a["text"] for a in day2["articles"]}
    assert all(c["evidence"] in texts[c["article_id"]] for s in bridge2["sentences"] for c in s["citations"])
    new = bridge2["sentences"][:bridge2["new_sentences"]]
    yesterday = [s["text"] for s in bridge1["sentences"]]
    assert not any(s["text"] in yesterday for s in new)

    md = (out / f"{DAY2}.md").read_text(encoding="utf-8")
    assert "Continuing story since 2026-11-21" in md and "**New:** " in md
    assert '<span class="sb-new">New</span>' in (out / f"{DAY2}.html").read_text(encoding="utf-8")


def test_articles_of_other_days_are_counted_and_their_pages_not_fetched(web, setup):
    _, out, _ = setup
    assert run([web.base + "/feeds.opml"], DAY2, setup) == 0
    data = load(out, DAY2)
    assert data["other_days"]["count"] == 4
    assert {o["input"].rsplit("/", 1)[-1] for o in data["other_days"]["inputs"]} == {
        "bridge-1a", "bridge-1b", "bridge-1c", "bakery-1"}
    assert not any(p.startswith("/a/") and p.endswith(("-1a", "-1b", "-1c", "bakery-1")) for p in web.paths())
    assert len(data["articles"]) == 4


def test_same_inputs_give_the_same_files(web, setup):
    _, out, _ = setup
    feeds = web.base + "/feeds.opml"
    assert run([feeds], DAY1, setup) == 0
    assert run([feeds], DAY2, setup) == 0
    first = outputs(out, DAY2)
    assert run([feeds], DAY2, setup) == 0
    assert outputs(out, DAY2) == first
    assert run([feeds], DAY1, setup) == 0  # a rerun of an earlier day keeps its story ids
    assert run([feeds], DAY2, setup) == 0
    assert outputs(out, DAY2) == first


def test_rerun_after_more_articles_arrived_updates_the_day(web, setup):
    _, out, _ = setup
    assert run([web.base + "/herald.xml"], DAY2, setup) == 0
    assert len(load(out, DAY2)["articles"]) == 1
    assert run([web.base + "/herald.xml", web.base + "/courier.atom", web.base + "/metro.xml"], DAY2, setup) == 0
    data = load(out, DAY2)
    assert len(data["articles"]) == 4 and len(data["events"]) == 2


def test_event_cap_puts_small_events_under_also_today(web, tmp_path):
    setup = (write_config(tmp_path, daily={"max_events": 1}), tmp_path / "out", tmp_path / "state.sqlite")
    assert run([web.base + "/feeds.opml"], DAY1, setup) == 0
    data = load(tmp_path / "out", DAY1)
    assert len(data["events"]) == 1 and len(data["also_today"]) == 1
    (small,) = data["also_today"]
    assert len(small["sentences"]) == 1 and small["sentences"][0]["citations"]
    assert data["events"][0]["importance"] >= small["importance"]
    md = (tmp_path / "out" / f"{DAY1}.md").read_text(encoding="utf-8")
    assert "## Also today" in md and "bread prize" in md


# -- local inputs ---------------------------------------------------------------------------------

def test_folder_files_jsonl_local_feed_and_opml(tmp_path, setup):
    _, out, _ = setup
    folder = tmp_path / "in"
    folder.mkdir()
    dated = folder / "herald.txt"
    dated.write_text(f"Title: {ARTICLES['bridge-1a']['title']}\nSource: Harbour Herald\nDate: {DAY1}\n\n"
                     + ARTICLES["bridge-1a"]["text"], encoding="utf-8")
    undated = folder / "courier.txt"  # no date: its file time decides
    undated.write_text(ARTICLES["bridge-1b"]["text"], encoding="utf-8")
    noon = time.mktime(time.strptime(f"{DAY1} 12:00", "%Y-%m-%d %H:%M")) - time.timezone
    os.utime(undated, (noon, noon))
    stale = folder / "old.txt"
    stale.write_text(ARTICLES["bakery-1"]["text"], encoding="utf-8")
    os.utime(stale, (noon - 5 * 86400, noon - 5 * 86400))
    export = tmp_path / "export.jsonl"
    export.write_text("\n".join(json.dumps({"title": ARTICLES[k]["title"], "source": ARTICLES[k]["source"],
                                            "published": ARTICLES[k]["day"], "text": ARTICLES[k]["text"]})
                                for k in ("bridge-1c", "storm-2a")) + "\n{broken\n", encoding="utf-8")
    feed = tmp_path / "feeds" / "metro.rss"
    feed.parent.mkdir()
    feed.write_text(rss([{"title": "Prize <script>alert(1)</script>", "link": "http://metro.test/bakery",
                          "pubdate": rfc822(DAY1), "content": f"<p>{ARTICLES['bakery-1']['text']}</p>"}], "Metro Daily"),
                    encoding="utf-8")
    subscriptions = tmp_path / "feeds.opml"
    subscriptions.write_text(opml(["feeds/metro.rss", "feeds/missing.rss"]), encoding="utf-8")

    assert run([folder, export, subscriptions], DAY1, setup) == 0
    data = load(out, DAY1)
    assert len(data["articles"]) == 4  # herald, courier (file time), metro jsonl, metro feed
    assert data["other_days"]["count"] == 2  # old.txt (file time) and the storm record
    reasons = {r["input"]: r["reason"] for r in data["rejected"]}
    assert "invalid JSON on line 3" in reasons[f"{export}:3"]
    assert reasons[str(tmp_path / "feeds" / "missing.rss")] == f"listed in {subscriptions}: no such file"
    bridge = event_with(data, "herald.txt")
    assert len(bridge["article_ids"]) == 3
    html = (out / f"{DAY1}.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# -- bad input ------------------------------------------------------------------------------------

def test_bad_sources_are_rejected_one_by_one_and_the_rest_goes_on(web, setup, capsys):
    _, out, _ = setup
    b = web.base
    web.add("/a/huge", "<html><body><article>" + "<p>Filler words for a huge page.</p>" * 10_000 + "</article></body></html>")
    web.add("/a/slow", article_html("storm-2b"), delay=4)
    web.add("/a/undated", article_html("storm-2a", with_date=False))
    web.add("/home", "<!doctype html><html><head><link rel=alternate type='application/rss+xml' href='/rss'>"
                     "</head><body>Welcome</body></html>")
    items = [feed_item(b, "bridge-2a"),
             {"title": "Gone", "link": f"{b}/a/gone", "pubdate": rfc822(DAY2)},
             {"title": "Huge", "link": f"{b}/a/huge", "pubdate": rfc822(DAY2)},
             {"title": "Slow", "link": f"{b}/a/slow", "pubdate": rfc822(DAY2)},
             {"title": "Undated", "link": f"{b}/a/undated"}]
    mixed = web.add("/mixed.xml", rss(items), content_type="application/rss+xml")
    unreachable = closed_port_url()
    assert run([mixed, unreachable, b + "/home", b + "/nothing.xml"], DAY2, setup, "--verbose") == 0

    data = load(out, DAY2)
    assert [a["url"] for a in data["articles"]] == [f"{b}/a/bridge-2a"]
    reasons = {r["input"]: r["reason"] for r in data["rejected"]}
    assert reasons[unreachable].startswith("feed: cannot connect")
    assert reasons[b + "/home"] == f"feed: got an HTML web page, not an RSS/Atom feed; the page names its feed: {b}/rss"
    assert reasons[b + "/nothing.xml"] == "feed: HTTP 404 Not Found"
    assert reasons[f"{b}/a/gone"] == "article page: HTTP 404 Not Found"
    assert "over the 200,000-byte limit" in reasons[f"{b}/a/huge"]
    assert reasons[f"{b}/a/slow"] == "article page: timed out after 2 s"
    assert reasons[f"{b}/a/undated"].startswith("no publication date")
    assert len(data["rejected"]) == 7
    md = (out / f"{DAY2}.md").read_text(encoding="utf-8")
    assert "## Rejected inputs" in md and "HTTP 404 Not Found" in md
    err = capsys.readouterr().err
    assert f"rejected {b}/a/gone: article page: HTTP 404 Not Found" in err  # --verbose tells as it goes
    stages = {line.rsplit(None, 2)[0].strip(): float(line.split()[-2])
              for line in err.splitlines() if line.startswith("  ") and line.endswith(" s")}
    assert {"read the day's inputs", "embed", "cluster", "rank", "fuse_verify"} <= set(stages)  # cost per stage


def test_malformed_date_is_a_usage_error(setup, capsys):
    with pytest.raises(SystemExit) as stop:
        run(["anything"], "2026-11-31", setup)
    assert stop.value.code == 2
    assert "invalid date '2026-11-31': use YYYY-MM-DD" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        run(["anything"], "22/11/2026", setup)


def test_no_article_of_the_day_writes_nothing(web, setup, capsys):
    _, out, _ = setup
    assert run([web.base + "/herald.xml"], "2026-11-25", setup) == 1
    assert "no article of 2026-11-25 could be read; nothing written (2 articles of other days left out)" in \
        capsys.readouterr().err
    assert not list(out.glob("2026-11-25*"))


def test_output_folder_that_cannot_be_written(web, tmp_path, capsys):
    config = write_config(tmp_path)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    for out in (blocker, blocker / "below"):
        code = main(["daily", web.base + "/herald.xml", "--date", DAY1, "--out-dir", str(out),
                     "--state", str(tmp_path / "s.sqlite"), "--config", str(config), "--quiet"])
        assert code == 5
        assert "nothing written" in capsys.readouterr().err
    assert web.requests == []  # it stopped before reading any source


def make_read_only(folder: Path):
    """Make folder unwritable even for root (chattr +i) or, for other users, by its mode; return the undo."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        return lambda: folder.chmod(0o755)
    if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
        pytest.skip("running as root on a file system without chattr +i: cannot make a folder read-only")
    return lambda: subprocess.run(["chattr", "-i", str(folder)], check=True)


def test_read_only_output_folder_stops_before_any_work(web, setup, capsys):
    _, out, _ = setup
    out.mkdir()
    (out / f"{DAY1}.md").write_text("yesterday's run")
    undo = make_read_only(out)
    try:
        assert run([web.base + "/herald.xml"], DAY1, setup) == 5
    finally:
        undo()
    assert f"output folder {out} is not writable" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == [f"{DAY1}.md"] and (out / f"{DAY1}.md").read_text() == "yesterday's run"
    assert web.requests == []


def test_something_in_the_way_of_one_output_leaves_all_previous_files(web, setup, capsys):
    _, out, _ = setup
    assert run([web.base + "/herald.xml"], DAY1, setup) == 0
    before = {ext: (out / f"{DAY1}.{ext}").read_bytes() for ext in ("md", "html")}
    (out / f"{DAY1}.json").unlink()
    (out / f"{DAY1}.json").mkdir()
    assert run([web.base + "/feeds.opml"], DAY1, setup) == 5
    assert "something other than a file is in the way" in capsys.readouterr().err
    assert {ext: (out / f"{DAY1}.{ext}").read_bytes() for ext in ("md", "html")} == before
    assert not list(out.glob(".*partial"))


def test_a_failure_while_writing_leaves_every_previous_file(tmp_path, monkeypatch):
    targets = {tmp_path / f"day.{ext}": f"new {ext}" for ext in ("md", "html", "json")}
    for target in targets:
        target.write_text("old")
    real_fsync, calls = os.fsync, []

    def failing_fsync(fd):
        calls.append(fd)
        if len(calls) == 3:  # the disk fills while the third file is written
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(output.os, "fsync", failing_fsync)
    with pytest.raises(output.OutputError, match="No space left on device"):
        output.write_files(targets)
    assert [t.read_text() for t in targets] == ["old"] * 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["day.html", "day.json", "day.md"]


def test_corrupt_state_file_still_writes_the_briefing_and_keeps_the_file(web, setup, capsys):
    _, out, state = setup
    state.write_bytes(b"garbage" * 1000)
    assert run([web.base + "/herald.xml"], DAY1, setup) == 4
    err = capsys.readouterr().err
    assert "damaged or not a summarise state file" in err and "continuing without linking stories" in err
    assert state.read_bytes() == b"garbage" * 1000
    data = load(out, DAY1)
    assert data["story_memory"].startswith("off: state file") and len(data["articles"]) == 1
    assert "Stories were not linked to earlier days" in (out / f"{DAY1}.md").read_text(encoding="utf-8")


def test_locked_state_file_is_reported(web, setup, monkeypatch, capsys):
    _, out, state = setup
    assert run([web.base + "/herald.xml"], DAY1, setup) == 0
    monkeypatch.setattr(daily_command, "STATE_TIMEOUT", 0.2)
    holder = sqlite3.connect(state, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        assert run([web.base + "/herald.xml"], DAY2, setup) == 4
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "locked by another process" in capsys.readouterr().err
    assert (out / f"{DAY2}.md").exists()


# -- killed runs ----------------------------------------------------------------------------------

def start_cli(inputs, day, setup) -> subprocess.Popen:
    config, out, state = setup
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-m", "summarise", "daily", *inputs, "--date", day, "--out-dir", str(out),
                             "--state", str(state), "--config", str(config), "--quiet"],
                            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_request(server: LocalServer, path: str, process: subprocess.Popen, limit: float = 120) -> None:
    deadline = time.monotonic() + limit
    while path not in server.paths():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the run never asked for the slow page"
        time.sleep(0.1)


@pytest.fixture
def ctrl_c_handled():
    """SIGINT handled as in a terminal. A shell starts its background jobs (`cmd &`, CI runners)
    with SIGINT ignored, and children inherit that; then no Ctrl-C reaches anything under test."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT])
def test_a_run_killed_in_the_middle_leaves_the_previous_files(web, tmp_path, how, ctrl_c_handled):
    setup = (write_config(tmp_path, fetch={"timeout": 60.0}), tmp_path / "out", tmp_path / "state.sqlite")
    _, out, state = setup
    assert run([web.base + "/feeds.opml"], DAY2, setup) == 0
    before, state_before = outputs(out, DAY2), state.read_bytes()
    # the page never answers within the test, however slowly a busy machine runs it
    web.add("/a/stuck", article_html("storm-2b").replace("Ferries", "Boats"), delay=600)
    web.add("/late.xml", rss([{"title": "Stuck", "link": f"{web.base}/a/stuck", "pubdate": rfc822(DAY2)}]),
            content_type="application/rss+xml")
    process = start_cli([web.base + "/feeds.opml", web.base + "/late.xml"], DAY2, setup)
    try:
        wait_for_request(web, "/a/stuck", process)
        process.send_signal(how)
        _, err = process.communicate(timeout=300)  # generous: a busy machine is slow, not wrong
    finally:
        process.kill()
    if how == signal.SIGINT:
        assert process.returncode == 130 and "interrupted" in err
    else:
        assert process.returncode == -signal.SIGKILL
    assert outputs(out, DAY2) == before
    assert state.read_bytes() == state_before
    assert not list(out.glob(".*partial"))


# -- what the user sees ---------------------------------------------------------------------------

def test_summary_line_and_quiet(web, setup, capsys):
    config, out, state = setup
    args = ["daily", web.base + "/feeds.opml", closed_port_url(), "--date", DAY2, "--out-dir", str(out),
            "--state", str(state), "--config", str(config)]
    assert main(args) == 0
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last.startswith(f"{DAY2}: 4 articles read, 1 rejected (1 \u00d7 feed: cannot connect: Connection refused), 4 of other days left out, "
                           "2 events (2 featured, 0 also today), 0 continuing stories, ")
    assert last.endswith(" s")
    assert main(args + ["--quiet"]) == 0
    assert capsys.readouterr().err == ""


def test_help_documents_exit_codes(capsys):
    with pytest.raises(SystemExit):
        main(["daily", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for code in ("0 briefing written", "1 no article", "4 briefing written but the story memory", "5 the output folder"):
        assert code in text


def write_jsonl(path: Path, keys: list[str], day: str | None = None) -> Path:
    """An export of the articles, dated `day` (default: their own day)."""
    path.write_text("".join(json.dumps({"id": key, "title": ARTICLES[key]["title"], "source": ARTICLES[key]["source"],
                                        "published": day or ARTICLES[key]["day"], "text": ARTICLES[key]["text"]}) + "\n"
                            for key in keys), encoding="utf-8")
    return path


def test_a_story_with_nothing_new_says_so_and_ranks_below_fresh_news(tmp_path, setup):
    _, out, _ = setup
    assert run([write_jsonl(tmp_path / "d1.jsonl", ["bridge-1a", "bridge-1b", "bridge-1c"])], DAY1, setup) == 0
    # day 2: the same three reports again (nothing new), and two outlets on a storm
    repeat = write_jsonl(tmp_path / "d2.jsonl", ["bridge-1a", "bridge-1b", "bridge-1c"], day=DAY2)
    assert run([repeat, write_jsonl(tmp_path / "storm.jsonl", ["storm-2a", "storm-2b"])], DAY2, setup) == 0
    data = load(out, DAY2)
    bridge = event_with(data, "bridge-1a")
    assert bridge["story"]["continues"] and bridge["new_sentences"] == 0
    assert len(bridge["sentences"]) == 1  # one line of background, no "new" facts
    assert "Nothing new since 2026-11-21" in (out / f"{DAY2}.md").read_text(encoding="utf-8")
    assert [e["id"] for e in data["events"]] == ["e1", "e2"]
    assert event_with(data, "storm-2a")["id"] == "e1"  # two fresh outlets outrank three repeating ones


def test_daily_json_reads_back_as_a_briefing(tmp_path, setup):
    from summarise.types import Briefing

    _, out, _ = setup
    assert run([write_jsonl(tmp_path / "d1.jsonl", ["bridge-1a", "bridge-1b", "bakery-1"])], DAY1, setup) == 0
    data = load(out, DAY1)
    briefing = Briefing.from_dict(data)
    assert [e.id for e in briefing.events] == [e["id"] for e in data["events"]]
    assert {a.id for a in briefing.articles} == {"bridge-1a", "bridge-1b", "bakery-1"}


@pytest.mark.models
def test_two_days_with_the_packaged_embedder(tmp_path):
    """The real MiniLM embedder with the default clustering and story thresholds: yesterday's
    bridge story continues, the storm and the bakery stay their own stories."""
    from summarise.config import Config

    defaults = Config()
    config = write_config(tmp_path, embed={"method": "minilm"},
                          ingest={"min_article_words": defaults.ingest.min_article_words},
                          cluster={"similarity": defaults.cluster.similarity},
                          daily={"story_similarity": defaults.daily.story_similarity})
    setup = (config, tmp_path / "out", tmp_path / "state.sqlite")
    day1 = [k for k in ARTICLES if ARTICLES[k]["day"] == DAY1]
    day2 = [k for k in ARTICLES if ARTICLES[k]["day"] == DAY2]
    assert run([write_jsonl(tmp_path / "d1.jsonl", day1)], DAY1, setup) == 0
    assert run([write_jsonl(tmp_path / "d2.jsonl", day2)], DAY2, setup) == 0
    first, second = load(tmp_path / "out", DAY1), load(tmp_path / "out", DAY2)
    assert sorted(len(e["article_ids"]) for e in first["events"] + first["also_today"]) == [1, 3]
    bridge, storm = event_with(second, "bridge-2a"), event_with(second, "storm-2a")
    assert bridge["story"]["id"] == event_with(first, "bridge-1a")["story"]["id"] and bridge["story"]["continues"]
    assert not storm["story"]["continues"]
    assert bridge["new_sentences"] >= 1
    assert any(fact in bridge["sentences"][0]["text"] for fact in BRIDGE_NEWS)


def test_article_limit_and_links_listed_twice(web, tmp_path):
    setup = (write_config(tmp_path, ingest={"max_articles": 3}), tmp_path / "out", tmp_path / "state.sqlite")
    again = web.add("/again.xml", rss([feed_item(web.base, "storm-2a")]), content_type="application/rss+xml")
    assert run([web.base + "/feeds.opml", again], DAY2, setup) == 0
    data = load(tmp_path / "out", DAY2)
    assert len(data["articles"]) == 3
    assert [r["reason"] for r in data["rejected"]] == ["over the limit of 3 articles per run"]
    assert web.paths().count("/a/storm-2a") == 1  # listed by two feeds, fetched once


def test_an_opml_that_lists_itself_is_read_once(web, setup):
    _, out, _ = setup
    loop = web.base + "/loop.opml"
    web.add("/loop.opml", opml([loop, web.base + "/herald.xml"]), content_type="text/x-opml")
    assert run([loop, web.base + "/herald.xml"], DAY1, setup) == 0
    assert web.paths().count("/loop.opml") == 1 and web.paths().count("/herald.xml") == 1
    assert len(load(out, DAY1)["articles"]) == 1


def test_ctrl_c_while_renaming_waits_until_all_files_are_renamed(ctrl_c_handled):
    order = []
    with pytest.raises(KeyboardInterrupt):
        with output.signals_held():
            signal.raise_signal(signal.SIGINT)  # to this thread, at once (os.kill may pick another)
            order.append("renamed all")  # reached: the interrupt waits for the block to end
    assert order == ["renamed all"]
