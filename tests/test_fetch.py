"""fetch.py against a local HTTP server on 127.0.0.1: limits, failures, feeds, OPML, pages."""
from __future__ import annotations

import pytest

from daily_support import ARTICLES, DAY1, LocalServer, article_html, atom, closed_port_url, opml, rfc822, rss
from summarise.inputs.fetch import (USER_AGENT, FetchError, extract_article, fetch, parse_feed, parse_opml)


@pytest.fixture
def server():
    s = LocalServer()
    yield s
    s.close()


def test_fetch_returns_body_and_sends_user_agent(server):
    url = server.add("/page", "hello", content_type="text/plain")
    fetched = fetch(url)
    assert fetched.body == b"hello"
    assert fetched.content_type == "text/plain"
    assert server.requests == [("/page", USER_AGENT)]
    assert USER_AGENT.startswith("summarise/")


def test_http_error_is_named(server):
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch(server.base + "/missing")
    server.add("/broken", "oops", status=500)
    with pytest.raises(FetchError, match="HTTP 500"):
        fetch(server.base + "/broken")


def test_slow_server_times_out(server):
    url = server.add("/slow", "late", delay=3)
    with pytest.raises(FetchError, match="timed out after 0.5 s"):
        fetch(url, timeout=0.5)


def test_a_server_dribbling_bytes_cannot_outlast_the_timeout(server):
    url = server.add("/dribble", b"x" * 3000, dribble=0.2)  # 30 pieces, 6 s in all, none slower than 1 s
    with pytest.raises(FetchError, match="timed out after 1 s"):
        fetch(url, timeout=1)


def test_declared_size_over_limit_is_refused(server):
    url = server.add("/huge", b"x" * 50_000)
    with pytest.raises(FetchError, match="50,000 bytes, over the 10,000-byte limit"):
        fetch(url, max_bytes=10_000)


def test_streamed_size_over_limit_is_refused(server):
    url = server.add("/huge-stream", b"x" * 300_000, send_length=False)
    with pytest.raises(FetchError, match="over the 100,000-byte limit"):
        fetch(url, max_bytes=100_000)
    assert fetch(url, max_bytes=400_000).body == b"x" * 300_000


def test_unreachable_host_and_bad_scheme():
    with pytest.raises(FetchError, match="cannot connect"):
        fetch(closed_port_url(), timeout=2)
    with pytest.raises(FetchError, match="not an http"):
        fetch("file:///etc/passwd")


def test_redirect_to_file_scheme_is_refused(server):
    for n, target in enumerate(["file:///etc/passwd", "ftp://127.0.0.1/x"]):
        url = server.add(f"/sneaky{n}", "", status=302, redirect=target)
        with pytest.raises(FetchError, match="not allowed|non-HTTP"):
            fetch(url)
    target = server.add("/target", "arrived", content_type="text/plain")
    server.add("/hop", "", status=301, redirect=target)
    assert fetch(server.base + "/hop").final_url == target


def test_rss_entries_with_dates_in_utc_and_full_text():
    body = ARTICLES["bridge-1a"]["text"]
    data = rss([
        {"title": "Full", "link": "http://x.test/1", "pubdate": "Sat, 21 Nov 2026 23:30:00 -0200", "content": f"<p>{body}</p>"},
        {"title": "Teaser", "link": "http://x.test/2", "pubdate": rfc822(DAY1), "description": "Short teaser."},
        {"title": "Undated", "link": "http://x.test/3"},
    ], title="The Outlet").encode()
    feed = parse_feed(data, "feed.xml")
    assert feed.title == "The Outlet"
    full, teaser, undated = feed.entries
    assert full.published == "2026-11-22T01:30:00Z"  # 23:30 at -02:00 is the next day in UTC
    assert "Kellerman" in full.text and full.source == "The Outlet"
    assert teaser.text == "" and teaser.summary == "Short teaser."
    assert teaser.published == "2026-11-21T09:00:00Z"
    assert undated.published == ""


def test_atom_entries():
    data = atom([{"title": "A", "link": "http://x.test/a", "updated": "2026-11-21T10:00:00+01:00",
                  "content": "<p>Some text here.</p>"}]).encode()
    (entry,) = parse_feed(data).entries
    assert (entry.title, entry.link, entry.published) == ("A", "http://x.test/a", "2026-11-21T09:00:00Z")
    assert "Some text here." in entry.text


def test_html_page_instead_of_feed_is_named_with_its_feed_link():
    page = (b"<!DOCTYPE html><html><head><link rel='alternate' type='application/rss+xml' href='/rss'>"
            b"</head><body><p>News</p></body></html>")
    with pytest.raises(FetchError, match=r"HTML web page, not an RSS/Atom feed; the page names its feed: "
                                         r"http://news\.test/rss"):
        parse_feed(page, "http://news.test/home")


def test_garbage_is_not_a_feed():
    with pytest.raises(FetchError, match="not an RSS/Atom feed"):
        parse_feed(b"this is plain text, not XML at all")


@pytest.mark.parametrize("data", [b"", b"  \n", b"<?xml version='1.0'?>"])
def test_an_empty_feed_file_is_refused_with_a_reason(data):
    """Found by the fuzzer once brief read feeds: feedparser's result then has no `version`."""
    with pytest.raises(FetchError, match="not an RSS/Atom feed"):
        parse_feed(data)


def test_opml_lists_feeds_in_order_without_repeats():
    data = opml(["http://a.test/rss", "http://b.test/atom", "http://a.test/rss"]).encode()
    assert parse_opml(data) == ["http://a.test/rss", "http://b.test/atom"]


@pytest.mark.parametrize("data, message", [
    (b"<opml><body>", "not a valid OPML"),
    (b"<rss version='2.0'></rss>", "not an OPML file"),
    (b"<opml version='2.0'><body><outline text='x'/></body></opml>", "lists no feeds"),
    (b"<?xml version='1.0'?><!DOCTYPE opml [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;'>]>"
     b"<opml><body><outline xmlUrl='&b;'/></body></opml>", "not a valid OPML"),  # entity expansion refused
])
def test_bad_opml(data, message):
    with pytest.raises(FetchError, match=message):
        parse_opml(data)


def test_extract_article_drops_page_chrome():
    record = extract_article(article_html("bridge-1a").encode(), "http://news.test/a/1")
    assert record["title"] == ARTICLES["bridge-1a"]["title"]
    assert record["source"] == "Harbour Herald"
    assert record["published"].startswith(DAY1)
    assert "deep cracks in its steel supports" in record["text"]
    for chrome in ("Home", "Copyright", "alert("):
        assert chrome not in record["text"]


def test_extract_article_without_date_has_none():
    record = extract_article(article_html("bakery-1", with_date=False), "http://news.test/a/2")
    assert record["published"] == ""
    assert "rye sourdough" in record["text"]
