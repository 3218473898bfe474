"""The source registry (summarise/inputs/sources): one router for brief, the library, daily and
the web demo; a new source is one module plus one registry line (here: registered in the test)."""
from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

from daily_support import ARTICLES, DAY1, DAY2, LocalServer, feed_item, opml, rss, serve_articles, write_config
from summarise import web
from summarise.cli import main
from summarise.config import load_config
from summarise.daily.sources import DailySources
from summarise.inputs import sources
from summarise.inputs.ingest import IngestSettings, load_articles
from summarise.inputs.sources import Context, Record, Source
from summarise.inputs.sources.base import local_file
from summarise.types import Rejection

SETTINGS = IngestSettings(min_article_words=30)


# -- a new source, registered without touching any other file ----------------------------------

def csv_items(where: str, text: str, context: Context):
    """A .csv of articles: a header row, then one article a row (title, source, published, text)."""
    for n, row in enumerate(csv.DictReader(io.StringIO(text)), 1):
        yield Record(f"{where}#{n}", row, origin=Path(where))


def read_archive(where: str, context: Context):
    """archive://KEY: one of the test articles, by key (a custom URL scheme)."""
    key = where.split("://", 1)[1]
    if key not in ARTICLES:
        yield Rejection(where, f"no article {key!r} in the archive")
    else:
        yield Record(where, {**ARTICLES[key], "published": ARTICLES[key]["day"]})


@pytest.fixture
def registered(monkeypatch):
    monkeypatch.setattr(sources, "SOURCES", [*sources.SOURCES, Source("csv", local_file(csv_items), suffixes=(".csv",)),
                                             Source("archive", read_archive, schemes=("archive",))])


def write_csv(path: Path, keys: list[str]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, ["title", "source", "published", "text"])
        writer.writeheader()
        for key in keys:
            a = ARTICLES[key]
            writer.writerow({"title": a["title"], "source": a["source"], "published": a["day"], "text": a["text"]})
    return path


def test_a_registered_source_is_read_by_brief_and_the_library(registered, tmp_path):
    table = write_csv(tmp_path / "export.csv", ["bridge-1a", "storm-2a"])
    result = load_articles([table, "archive://bakery-1", "archive://nothing"], SETTINGS)
    assert [a.input for a in result.articles] == [f"{table}#1", f"{table}#2", "archive://bakery-1"]
    assert result.articles[0].source == "Harbour Herald" and result.articles[2].published == DAY1
    assert result.rejected == [Rejection("archive://nothing", "no article 'nothing' in the archive")]
    # a folder holding one is read too, and unsupported types now name .csv among the supported
    (tmp_path / "notes.doc").write_text("x")
    in_folder = load_articles([tmp_path], SETTINGS)
    assert len(in_folder.articles) == 2
    assert ".csv" in in_folder.rejected[0].reason and in_folder.rejected[0].reason.startswith("unsupported file type .doc")


def test_a_registered_source_is_read_by_daily_with_its_day_filter(registered, tmp_path):
    table = write_csv(tmp_path / "export.csv", ["bridge-1a", "storm-2a", "bakery-1"])
    collected = DailySources(date.fromisoformat(DAY1), load_config(str(write_config(tmp_path)))).collect(
        [str(table), "archive://bridge-1b"])
    assert [a.input for a in collected.articles] == [f"{table}#1", f"{table}#3", "archive://bridge-1b"]
    assert [o.input for o in collected.other_days] == [f"{table}#2"]


def test_a_registered_scheme_is_a_url_the_web_demo_may_be_given(registered):
    request = web.gather("", [], "archive://storm-2b", web.Limits())
    assert [item.label for item in request.inputs] == ["archive://storm-2b"] and request.rejected == []


# -- routing ------------------------------------------------------------------------------------

def test_unsupported_types_list_every_registered_suffix(tmp_path):
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    (reason,) = [r.reason for r in load_articles([tmp_path / "image.png"]).rejected]
    assert reason == ("unsupported file type .png; supported: .atom, .htm, .html, .json, .jsonl, .markdown, .md, "
                      ".opml, .rss, .txt, .xml")


def test_what_names_an_input():
    assert sources.names_input("https://example.com/story") and sources.names_input("news/feeds.opml")
    assert not sources.names_input("The council met on Monday.") and not sources.names_input("ftp://x.test/a")
    assert sources.url_scheme(" HTTPS://example.com") == "https" and sources.url_scheme("/etc/passwd") == ""


def test_an_opml_that_lists_itself_is_read_once_with_a_reason(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text(ARTICLES["bridge-1a"]["text"], encoding="utf-8")
    (tmp_path / "loop.opml").write_text(opml(["loop.opml", "story.txt"]), encoding="utf-8")
    result = load_articles([tmp_path / "loop.opml"], SETTINGS)
    assert [a.input for a in result.articles] == [str(story)]
    assert result.rejected == [Rejection(str(tmp_path / "loop.opml"), f"listed in {tmp_path / 'loop.opml'} while "
                                         "being read itself (a list that includes itself): read once")]


def test_web_urls_are_never_read_as_local_paths(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text(ARTICLES["bridge-1a"]["text"], encoding="utf-8")
    request = web.gather("", [], f"{secret} file://{secret}", web.Limits())
    assert request.inputs == []
    assert [r.reason for r in request.rejected] == ["only http:// and https:// URLs can be fetched"] * 2


def test_web_upload_types_are_local_article_sources(tmp_path):
    """An upload never makes the server download anything: each type is read by a file source."""
    for suffix in web.UPLOAD_TYPES:
        (tmp_path / f"upload{suffix}").write_text("x")
        assert sources.source_for(str(tmp_path / f"upload{suffix}")).name in ("text", "html", "json", "jsonl")


# -- brief reads feeds, OPML lists and URLs (all entries, no day filter) -------------------------

@pytest.fixture
def site():
    server = LocalServer()
    serve_articles(server, list(ARTICLES))
    b = server.base
    full = [{"title": ARTICLES["storm-2a"]["title"], "link": f"{b}/a/storm-2a", "pubdate": "",
             "content": f"<p>{ARTICLES['storm-2a']['text']}</p>"}]
    server.add("/herald.xml", rss([feed_item(b, "bridge-1a"), feed_item(b, "bridge-2a")], "Harbour Herald"),
               content_type="application/rss+xml")
    server.add("/full.xml", rss(full, "Coast Courier"), content_type="application/rss+xml")
    server.add("/feeds.opml", opml([f"{b}/herald.xml", f"{b}/full.xml"]), content_type="text/x-opml")
    yield server
    server.close()


def test_brief_reads_an_opml_list_its_feeds_their_pages_and_a_page_url(site, tmp_path):
    out = tmp_path / "briefing.json"
    code = main(["brief", site.base + "/feeds.opml", site.base + "/a/bakery-1", "--config",
                 str(write_config(tmp_path)), "--format", "json", "--out", str(out), "--quiet"])
    assert code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    b = site.base
    # both days' entries (no day filter), in list order; the teasers' pages were downloaded
    assert [a["input"] for a in data["articles"]] == [f"{b}/a/bridge-1a", f"{b}/a/bridge-2a", f"{b}/a/storm-2a",
                                                      f"{b}/a/bakery-1"]
    by_input = {a["input"]: a for a in data["articles"]}
    assert "deep cracks in its steel supports" in by_input[f"{b}/a/bridge-1a"]["text"]
    assert by_input[f"{b}/a/bridge-1a"]["published"].startswith(DAY1)
    assert by_input[f"{b}/a/bridge-2a"]["published"].startswith(DAY2)
    assert data["rejected"] == []
    assert "/a/storm-2a" not in site.paths()  # the feed carried its full text: no download


def test_brief_names_what_a_url_could_not_give(site, tmp_path):
    out = tmp_path / "briefing.json"
    gone, image = site.base + "/nothing.xml", site.add("/logo.png", b"\x89PNG", content_type="image/png")
    main(["brief", gone, image, site.base + "/herald.xml", "--config", str(write_config(tmp_path)),
          "--format", "json", "--out", str(out), "--quiet"])
    reasons = {r["input"]: r["reason"] for r in json.loads(out.read_text(encoding="utf-8"))["rejected"]}
    assert reasons[gone] == "HTTP 404 Not Found"
    assert reasons[image].startswith("feed: not an RSS/Atom feed")


def test_a_feed_without_entries_is_a_rejection_not_a_silent_nothing(tmp_path):
    """Found by the fuzzer: a truncated RSS document parses as a feed with no entries."""
    feed = tmp_path / "empty.xml"
    feed.write_text('<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>', encoding="utf-8")
    result = load_articles([feed], SETTINGS)
    assert result.articles == [] and result.rejected == [Rejection(str(feed), "feed has no entries")]
