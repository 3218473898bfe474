"""Ingest: every input becomes an article or a rejection with a specific reason."""
import json
from pathlib import Path

import pytest

from summarise.inputs.clean import clean_text
from summarise.inputs.ingest import IngestSettings, load_articles, parse_plain
from summarise.inputs.outlets import copyright_holder
from summarise.stages.segment import WINDOW, punkt_tokenizer, segment, split_spans, windowed_spans

SEEDS = Path(__file__).parent.parent / "seeds"
STORY = ("The city council voted on Monday to approve a new budget for the coming year. "
         "The budget includes funding for schools, roads and public transport. Council members said "
         "the vote followed months of negotiation with residents and local businesses. The mayor "
         "is expected to sign the budget into law later this week, officials said.")


def reasons(result):
    return {Path(r.input).name if "/" in r.input else r.input: r.reason for r in result.rejected}


def test_seeds_load_with_metadata_and_no_boilerplate():
    result = load_articles([SEEDS])
    assert len(result.articles) == 5 and result.rejected == []
    texts = "\n".join(a.text for a in result.articles)
    for junk in ("Read Also", "Please enter your comment", "Getty Images", "All rights reserved",
                 "Source link", "Sputnik | Reuters", "contributed to this report", "WATCH:"):
        assert junk not in texts, junk
    by_name = {Path(a.input).name: a for a in result.articles}
    assert by_name["002_942ce97730e0929f.txt"].published == "2022-02-02"
    assert by_name["002_942ce97730e0929f.txt"].text.startswith("For weeks, Putin")
    assert by_name["004_bf616655b4f4cea6.txt"].title.startswith("Putin says US has ignored")


def test_sentence_offsets_point_into_clean_text():
    for article in load_articles([SEEDS]).articles:
        sentences = segment(article)
        assert len(sentences) > 10
        for s in sentences:
            assert article.text[s.start:s.end] == s.text
    # punkt with the packaged English parameters does not split inside "the U.S. pull back"
    texts = [s.text for a in load_articles([SEEDS]).articles for s in segment(a)]
    assert any("and that the U.S. pull back its missile systems" in t for t in texts)
    assert not any(t.endswith("the U.S.") and "pull back" in t for t in texts)


def test_bad_files_are_rejected_with_reasons(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "latin1.txt").write_bytes(STORY.replace("budget", "budg\xe9t").encode("cp1252"))
    (tmp_path / "short.txt").write_text("Too short to be a story.")
    (tmp_path / "french.txt").write_text(
        "Le conseil municipal a voté lundi pour approuver un nouveau budget pour l'année à venir. "
        "Le budget comprend des fonds pour les écoles, les routes et les transports publics. Les "
        "conseillers ont déclaré que le vote faisait suite à des mois de négociations avec les habitants.")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n")
    (tmp_path / "bad.jsonl").write_text(json.dumps({"text": STORY}) + "\n{not json\n" + json.dumps({"title": "x"}) + "\n")
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(25_000_000)  # sparse: 25 MB without writing them
    result = load_articles([tmp_path, tmp_path / "missing.txt"])
    got = reasons(result)
    assert got["empty.txt"] == "empty file"
    assert "binary" in got["binary.txt"]
    assert "too little text" in got["short.txt"]
    assert "language 'fr'" in got["french.txt"]
    assert "unsupported file type .png" in got["image.png"]
    assert "25.0 MB, over the 20 MB limit" in got["big.txt"]
    assert got["missing.txt"] == "no such file or directory"
    jsonl = {r.input.rsplit("/", 1)[-1]: r.reason for r in result.rejected if ".jsonl" in r.input}
    assert "invalid JSON on line 2" in jsonl["bad.jsonl:2"]
    assert "no article text" in jsonl["bad.jsonl:3"]
    # the Windows-1252 file and the good JSONL line are read
    assert {Path(a.input.split(":")[0]).name for a in result.articles} == {"latin1.txt", "bad.jsonl"}
    assert "budgét" in next(a for a in result.articles if a.input.endswith("latin1.txt")).text
    # nothing lost: 2 articles, 6 bad files, 2 bad JSONL lines, 1 missing path
    assert len(result.articles) + len(result.rejected) == 2 + 6 + 2 + 1


def test_empty_folder_is_a_rejection(tmp_path):
    result = load_articles([tmp_path])
    assert result.articles == [] and result.rejected[0].reason == "folder contains no files"


def test_html_drops_scripts_and_keeps_metadata(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Budget passes</title><meta property='og:site_name' content='Daily Post'>"
        "<meta property='og:url' content='https://example.com/budget'>"
        "<script>alert('x')</script></head><body><nav>Home | World</nav><article>"
        f"<p>{STORY}</p><script>document.write('evil')</script></article>"
        "<footer>(c) Daily Post</footer></body></html>")
    article = load_articles([page]).articles[0]
    assert (article.title, article.source, article.url) == ("Budget passes", "Daily Post", "https://example.com/budget")
    assert "alert" not in article.text and "evil" not in article.text and "Home" not in article.text


def test_strings_records_and_identical_copies():
    result = load_articles([STORY, {"headline": "Budget", "body": STORY, "outlet": "Post",
                                    "link": "javascript:alert(1)", "date": "2024-05-06T10:00:00Z"}])
    first, second = result.articles
    assert first.input == "text:1" and second.source == "Post" and second.title == "Budget"
    assert second.url == ""  # only http(s) URLs are kept
    assert second.published == "2024-05-06T10:00:00Z"
    assert first.id != second.id  # same text, distinct ids


def test_article_count_limit():
    result = load_articles([STORY + f" Item {n}." for n in range(5)], IngestSettings(max_articles=3))
    assert len(result.articles) == 3
    assert [r.reason for r in result.rejected] == ["over the limit of 3 articles per run"] * 2


@pytest.mark.parametrize("line", ["Read Also:  Will this Monday be the saddest day of the year?",
                                  "© 2024 Latin Times. All rights reserved.", "Please enter your name here",
                                  "Photo by Mikhail Svetlov/Getty Images",
                                  "Please enable Javascript to watch this video"])
def test_boilerplate_lines_go(line):
    assert clean_text(f"{STORY}\n\n{line}\n\n{STORY}") == f"{STORY}\n\n{STORY}"


ARCHIVE_NOTICE = ("These crawls are part of an effort to archive pages as they are created and archive the pages "
                  "that they refer to. That way, as the pages that are referenced are changed or taken from the "
                  "web, a link to the version that was live when the page was written will be preserved. Then the "
                  "Internet Archive hopes that references to these archived pages will be put in place of a link "
                  "that would be otherwise be broken. The goal is to fix all broken links on the web. Crawls of "
                  'supported "No More 404" sites.')
NOT_FOUND = ("Sorry, the page you requested was not found. Please check the URL for proper spelling and "
             "capitalization. If you're having trouble locating a destination, try visiting the home page. "
             "You can also search for news, weather, sports, finance and entertainment from the top of any page.")


def test_a_page_that_stands_where_the_article_should_be_is_rejected_with_what_it_is():
    result = load_articles([ARCHIVE_NOTICE, NOT_FOUND, STORY])
    assert [a.text for a in result.articles] == [STORY]
    assert reasons(result) == {"text:1": "not an article: the page is a web archive's crawl notice",
                               "text:2": "not an article: the page is a page-not-found notice"}


def test_a_long_story_that_mentions_a_missing_page_is_kept():
    story = f"{STORY} Visitors saw a 'page not found' notice on the city's website for most of Tuesday. {STORY}"
    assert len(load_articles([story * 2]).articles) == 1


def test_plain_text_header_lines():
    parsed = parse_plain("Title: Budget passes\nSource: Daily Post\nDate: 2024-05-06\n\nBody text here.")
    assert parsed == {"title": "Budget passes", "source": "Daily Post", "published": "2024-05-06",
                      "text": "Body text here."}


def test_outlets_are_named_as_readers_know_them(tmp_path):
    """Metadata first, then the URL's domain, then a dateline's agency, the file name last."""
    (tmp_path / "a1.txt").write_text("Source: The Daily Bugle\n\n" + STORY)
    (tmp_path / "a2.txt").write_text("Budget passes\n\nSPRINGFIELD, June 3 (Reuters) - " + STORY)
    (tmp_path / "a3.txt").write_text(STORY + " The figures came from a Reuters survey (Reuters) - of firms.")
    (tmp_path / "a4.txt").write_text(STORY + "\n\n© 2023 Getty Images\n\nCopyright 2024 The Springfield Post. "
                                     "All rights reserved.\n\n© AP Photo/Jane Doe\n")
    record = {"text": STORY, "url": "https://www.example-news.com/2026/budget"}
    result = load_articles([tmp_path, record])
    outlets = {Path(a.input).name if "/" in a.input else a.input: a.source for a in result.articles}
    assert outlets == {"a1.txt": "The Daily Bugle", "a2.txt": "Reuters", "a3.txt": "a3",
                       "a4.txt": "The Springfield Post", "record:2": "example-news.com"}
    assert "Copyright" not in next(a.text for a in result.articles if a.input.endswith("a4.txt"))
    seeds = {Path(a.input).name[:3]: a.source for a in load_articles([SEEDS]).articles}
    assert seeds["004"] == "AP"  # "MOSCOW (AP) — Russian President ..."
    assert seeds["001"] == "Latin Times"  # "© 2024 Latin Times. All rights reserved." at the foot
    assert seeds["003"] == "003_7e4300adf6b00cac"  # "according to a Reuters translation" credits no outlet


@pytest.mark.parametrize("page, holder", [
    ("Copyright © 2021 NPR. To see more, visit https://www.npr.org.", "NPR"),
    ("© Reuters 2022", "Reuters"),
    ("(c) 2019 Acme Media, Inc. All rights reserved.", "Acme Media, Inc"),
    ("© 2022 Cable News Network. A Warner Bros. Discovery Company. All Rights Reserved.", "Cable News Network"),
    ("Copyright holders sued the company in 2019.", ""),  # a sentence about copyright names no holder
    ("Copyright Office staff agreed.", ""),  # no mark, year or reserved rights: not a notice
    ("© 2024 Getty Images", ""),  # a picture agency's mark is not the publisher's
    ("The council met.\nIts copyright (c) 2020 notice was long and went on to say many things here.", ""),
])
def test_a_copyright_line_names_its_holder_only_when_it_is_a_publishers_notice(page, holder):
    assert copyright_holder(page) == holder


def test_a_long_paragraph_is_read_a_window_at_a_time_with_punkts_own_sentences():
    paragraph = " ".join(f"Mr. Smith met the U.S. envoy on day {i} in St. Louis at 3 p.m. and they spoke." for i in range(400))
    assert len(paragraph) > 5 * WINDOW
    whole = list(punkt_tokenizer().span_tokenize(paragraph))
    assert windowed_spans(punkt_tokenizer(), paragraph) == whole and len(whole) == 400


def test_crafted_text_reaches_punkt_in_bounded_windows(monkeypatch):
    # NLTK stops a regular expression after 5 s; 200,000 characters of "a. " take 4 s idle in one call
    tokenizer, lengths = punkt_tokenizer(), []
    original = tokenizer.span_tokenize
    monkeypatch.setattr(tokenizer, "span_tokenize", lambda text: lengths.append(len(text)) or original(text))
    text = "a. " * 66_000 + "\n\n" + "x" * 20_000
    spans = split_spans(text)
    assert max(lengths) <= WINDOW and len(lengths) >= len(text) // WINDOW
    covered = "".join(text[start:end] for start, end in spans)
    assert covered.replace(" ", "") == text.replace(" ", "").replace("\n", "")  # no character lost


def test_a_clock_time_and_its_zone_stay_in_one_sentence():
    text = ("NBC lost the ratings battle during the 8 p.m. ET slot on Monday. CBS led.\n\n"
            "The polls close at 7 p.m.\n\nET viewers saw it first. It ended at 9 p.m. The talks resume Friday.")
    sentences = [text[start:end] for start, end in split_spans(text)]
    assert sentences == ["NBC lost the ratings battle during the 8 p.m. ET slot on Monday.", "CBS led.",
                         "The polls close at 7 p.m.", "ET viewers saw it first.", "It ended at 9 p.m.",
                         "The talks resume Friday."]
