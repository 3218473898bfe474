"""The web demo's logic without a browser: inputs, limits, escaping, citations, downloads, URL fetch.

Runs on the hashing embedder and no language model (tests/data/web_hashing.toml), so it is fast;
tests/test_web_browser.py drives the real app in Chromium.
"""
import http.server
import json
import threading
from pathlib import Path

import pytest

from summarise import web
from summarise.render import html as web_page
from summarise.types import Article, Briefing, BriefingSentence, Citation, Event, Rejection
from summarise.inputs.fetch import FetchError
from summarise.inputs.urls import check_url

ROOT = Path(__file__).parent.parent
SEEDS = ROOT / "seeds"
HASHING = str(Path(__file__).parent / "data" / "web_hashing.toml")
LIMITS = web.Limits()
STORY = ("The city council voted on Monday to approve a new budget for the coming year. "
         "The budget includes funding for schools, roads and public transport. Council members said "
         "the vote followed months of negotiation with residents and local businesses. The mayor "
         "is expected to sign the budget into law later this week, officials said.")
HOSTILE = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2">'


def hostile_briefing() -> Briefing:
    text = f"First paragraph about the vote {HOSTILE}.\n\nThe council approved the budget on Monday. More text."
    evidence = "The council approved the budget on Monday."
    start = text.index(evidence)
    article = Article(id="a1", text=text, title=f"Budget {HOSTILE}", source=f"Outlet {HOSTILE}",
                      url='javascript:alert(1)', input=f"upload {HOSTILE}.txt")
    linked = Article(id="a2", text=evidence, title="Linked", source="Daily",
                     url='https://example.com/a?"onmouseover="alert(1)')
    sentence = BriefingSentence(f"The budget passed {HOSTILE}.",
                                [Citation("a1", evidence, start, start + len(evidence)), Citation("a2", evidence, 0, 0)])
    event = Event("e1", f"Vote {HOSTILE}", ["a1", "a2"], [sentence])
    return Briefing([article, linked], [event], [Rejection(f"bad {HOSTILE}", f"reason {HOSTILE}")], "fast")


# -- escaping -------------------------------------------------------------------------------

def test_every_piece_of_article_text_is_escaped():
    page = web_page.briefing_html(hostile_briefing())
    assert "<script" not in page and "<img" not in page and "onerror=\"" not in page
    assert page.count("&lt;script&gt;window.pwned=1&lt;/script&gt;") >= 6  # title, text, source, input, ...
    assert "javascript:" not in page  # not a link, and not shown as one
    assert 'href="https://example.com/a?%22onmouseover=%22alert%281%29"' in page


def test_notice_escapes_its_message():
    assert "<b>" not in web_page.notice("failed: <b>x</b>")


# -- citations --------------------------------------------------------------------------------

def test_every_sentence_gets_a_marker_whose_panel_highlights_the_evidence():
    briefing = hostile_briefing()
    page = web_page.briefing_html(briefing)
    assert page.count('<details class="sb-cite"') == 2
    evidence = '<mark class="sb-evidence">The council approved the budget on Monday.</mark>'
    # both citations find the sentence: the first by its offsets, the second (offsets 0, 0) by search
    assert page.count(evidence) >= 4


def test_long_articles_are_not_repeated_in_every_citation():
    text = "The council approved the budget on Monday. " + "Filler sentence here. " * 2000
    article = Article(id="a1", text=text, title="Budget")
    citation = Citation("a1", "The council approved the budget on Monday.", 0, 42)
    event = Event("e1", "Budget", ["a1"], [BriefingSentence("The budget passed.", [citation])] * 3)
    page = web_page.briefing_html(Briefing([article], [event], []))
    # the whole text once (in the source list), plus up to 400 characters of context in each of 3 panels
    assert 2000 < page.count("Filler sentence here.") <= 2000 + 3 * (400 // 22 + 1)
    assert len(text) > web_page.WHOLE_ARTICLE_IN_CITATION_CHARS


def test_context_is_the_paragraph_around_the_evidence():
    text = "Intro paragraph.\n\nBefore it. The cited sentence. After it.\n\nLast paragraph."
    start = text.index("The cited")
    html = web_page.context_html(text, start, start + len("The cited sentence."))
    assert html == 'Before it. <mark class="sb-evidence">The cited sentence.</mark> After it.'
    assert "Intro" not in html and "Last" not in html
    long = "x" * 500 + " Cited. " + "y" * 500
    start = long.index("Cited.")
    assert web_page.context_html(long, start, start + 6) == f'… {"x" * 399} <mark class="sb-evidence">Cited.</mark> {"y" * 399} …'


def test_evidence_missing_from_text_is_said_not_invented():
    article = Article(id="a", text="Some other text entirely.")
    assert web_page.evidence_span(Citation("a", "Not there.", 0, 10), article) == (0, 0)
    assert "could not be located" in web_page.context_html(article.text, 0, 0)


def test_overlapping_highlights_merge():
    assert web_page.merge_spans([(5, 9), (0, 3), (2, 4), (9, 9)]) == [(0, 4), (5, 9)]
    assert web_page.highlighted("a<b>c", [(1, 4)]) == 'a<mark class="sb-evidence">&lt;b&gt;</mark>c'


# -- inputs and limits ------------------------------------------------------------------------

def test_pasted_text_splits_on_separator_lines_and_is_never_a_path():
    assert web.split_pasted("one\n---\n\ntwo\n  ---  \n") == ["one", "two"]
    request = web.gather("/etc/passwd", [], "", LIMITS)
    assert request.inputs == [{"text": "/etc/passwd", "input": "pasted text 1"}]


def test_nothing_given_is_a_clear_message():
    result = web.run_request(HASHING, "  \n ", None, "", LIMITS)
    assert "Nothing to summarise" in result.html and result.json_path is None


def test_files_over_the_limits_are_refused_with_reasons(tmp_path):
    limits = web.Limits(max_files=2, max_file_mb=1)
    big, exe, ok = tmp_path / "big.txt", tmp_path / "tool.exe", tmp_path / "ok.txt"
    big.write_bytes(b"a" * 1_500_000)
    exe.write_bytes(b"MZ")
    ok.write_text(STORY)
    request = web.gather("", [str(big), str(exe), str(ok)], "", limits)
    reasons = {r.input: r.reason for r in request.rejected}
    assert reasons["big.txt"] == "file is 1.5 MB, over the 1 MB limit"
    assert reasons["ok.txt"] == "over the limit of 2 files per briefing"
    assert reasons["tool.exe"].startswith("unsupported file type .exe")
    assert request.inputs == []


def test_too_much_pasted_text_and_too_many_urls_are_refused():
    limits = web.Limits(max_paste_chars=10, max_urls=0)
    request = web.gather("x" * 11, [], "https://example.com/a", limits)
    assert [r.reason for r in request.rejected] == ["11 characters, over the 10 character limit",
                                                    "over the limit of 0 URLs per briefing"]


def test_a_briefing_from_uploads_shows_file_names_not_server_paths(tmp_path):
    upload = tmp_path / "gradio-cache-xyz"
    upload.mkdir()
    (upload / "council.txt").write_text(STORY)
    (upload / "blob.txt").write_bytes(bytes(range(256)) * 40)
    result = web.run_request(HASHING, "", [str(upload / "council.txt"), str(upload / "blob.txt")], "", LIMITS)
    assert str(upload) not in result.html
    assert "blob.txt</td><td>binary file, not text" in result.html
    data = json.loads(Path(result.json_path).read_text())
    assert data["articles"][0]["input"] == "council.txt"
    assert data["rejected"] == [{"input": "blob.txt", "reason": "binary file, not text"}]
    assert Path(result.markdown_path).read_text().startswith("# Briefing")


def test_demo_articles_give_a_cited_briefing_and_matching_downloads():
    result = web.run_request(HASHING, "", None, "", LIMITS, demo_dir=SEEDS)
    data = json.loads(Path(result.json_path).read_text())
    texts = {a["id"]: a["text"] for a in data["articles"]}
    assert data["events"] and all(s["citations"] for e in data["events"] for s in e["sentences"])
    for event in data["events"]:
        for sentence in event["sentences"]:
            for citation in sentence["citations"]:
                assert citation["evidence"] in texts[citation["article_id"]]
    assert result.html.count('class="sb-sentence"') == sum(len(e["sentences"]) for e in data["events"])
    assert "seeds/000_c92f36bf99a8c2f1.txt" in result.html and str(SEEDS) not in result.html


def test_articles_over_the_limit_are_named_in_a_notice(tmp_path):
    records = tmp_path / "many.jsonl"
    records.write_text("".join(json.dumps({"title": f"Story {n}", "text": f"Item {n}. {STORY}"}) + "\n"
                               for n in range(7)))
    result = web.run_request(HASHING, "", [str(records)], "", web.Limits(max_articles=4))
    assert "3 articles over the limit of 4 per briefing were left out" in result.html
    assert "many.jsonl:5</td><td>over the limit of 4 articles per run" in result.html


def test_a_failing_request_becomes_a_message_not_a_crash():
    result = web.run_request("no-such-config", STORY, None, "", LIMITS)
    assert "The briefing failed: ConfigError" in result.html


def test_pipelines_are_made_once_per_config():
    assert web.pipeline_for(HASHING, LIMITS) is web.pipeline_for(HASHING, LIMITS)


# -- URL fetch ------------------------------------------------------------------------------

PAGE = (f"<html><head><title>Council budget</title><script>window.pwned=1</script></head>"
        f"<body><nav>Menu</nav><article><p>{STORY}</p></article></body></html>")


class Handler(http.server.BaseHTTPRequestHandler):
    routes = {
        "/story": (200, "text/html; charset=utf-8", PAGE.encode()),
        "/image": (200, "image/png", b"\x89PNG"),
        "/huge": (200, "text/plain", b"word " * 400_000),
        "/moved": (302, "text/html", b""),
        "/plain": (200, "text/plain; charset=utf-8", STORY.encode()),
    }

    def do_GET(self):
        status, content_type, body = self.routes.get(self.path, (404, "text/plain", b"missing"))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if status == 302:
            self.send_header("Location", "/story")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def fetch_url(url: str, allow_private: bool = False, max_bytes: int = web.Limits().url_max_bytes):
    """What the page's URL box makes of one URL: its article record, or the Rejection saying why not."""
    request = web.gather("", None, url, web.Limits(url_max_bytes=max_bytes), allow_private_urls=allow_private)
    return request.rejected[0] if request.rejected else request.inputs[0].data


def test_fetch_reads_an_article_page(site):
    record = fetch_url(f"{site}/moved", allow_private=True)
    assert record["title"] == "Council budget" and record["text"] == STORY
    assert record["url"] == f"{site}/story" and record["input"] == f"{site}/moved"
    assert "pwned" not in record["text"] and "Menu" not in record["text"]


@pytest.mark.parametrize("path, reason", [
    ("/image", "not a web page or text (content type image/png)"),
    ("/huge", "response is over the 1,000,000-byte limit"),
    ("/gone", "HTTP 404 Not Found"),
])
def test_fetch_refuses_what_is_not_an_article(site, path, reason):
    assert fetch_url(site + path, allow_private=True, max_bytes=1_000_000) == Rejection(site + path, reason)


def test_fetch_reads_plain_text(site):
    assert fetch_url(f"{site}/plain", allow_private=True) == {"text": STORY, "url": f"{site}/plain",
                                                              "input": f"{site}/plain"}


def test_fetch_refuses_local_addresses_unless_allowed(site):
    assert fetch_url(f"{site}/story").reason == "refused: the URL points to a local or private network address"


@pytest.mark.parametrize("url", ["http://localhost/", "http://10.1.2.3/", "http://[::1]:8080/",
                                 "http://169.254.169.254/latest/meta-data/", "http://0.0.0.0/"])
def test_local_and_private_addresses_are_refused(url):
    with pytest.raises(FetchError, match="local or private network"):
        check_url(url)


@pytest.mark.parametrize("url, allow_private, reason", [
    ("file:///etc/passwd", False, "only http:// and https:// URLs can be fetched"),
    ("https://no-such-host.invalid/news", False, "could not find the host 'no-such-host.invalid'"),
    ("https://no-such-host.invalid/news", True, "cannot connect: "),
    ("http://127.0.0.1:9/", True, "cannot connect: "),
])
def test_fetch_explains_unusable_urls(url, allow_private, reason):
    assert fetch_url(url, allow_private=allow_private).reason.startswith(reason)


def test_url_failures_show_up_as_rejected_inputs():
    result = web.run_request(HASHING, STORY, None, "ftp://example.com/story", LIMITS)
    assert "ftp://example.com/story</td><td>only http:// and https:// URLs can be fetched" in result.html


# -- app.py's command line ------------------------------------------------------------------

def load_app_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location("summarise_app", ROOT / "app.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_app_listens_on_localhost_unless_told_otherwise(monkeypatch):
    app = load_app_module()
    monkeypatch.delenv("SUMMARISE_HOST", raising=False)
    monkeypatch.delenv("SUMMARISE_PORT", raising=False)
    args = app.parse_args([])
    assert (args.host, args.port, args.config, args.allow_private_urls) == ("127.0.0.1", 7860, None, False)
    monkeypatch.setenv("SUMMARISE_HOST", "0.0.0.0")
    monkeypatch.setenv("SUMMARISE_PORT", "8080")
    assert (app.parse_args([]).host, app.parse_args([]).port) == ("0.0.0.0", 8080)
    args = app.parse_args(["--host", "::1", "--port", "9000", "--config", "fast", "--config", "default"])
    assert (args.host, args.port, args.config) == ("::1", 9000, ["fast", "default"])


def test_app_refuses_an_unknown_config_at_start(capsys):
    assert load_app_module().main(["--config", "no-such-config"]) == 2
    assert "no config 'no-such-config'" in capsys.readouterr().err
