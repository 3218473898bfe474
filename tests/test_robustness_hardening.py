"""The fixes the robustness suite found, pinned down one by one."""
from summarise.inputs.clean import clean_text
from summarise.inputs.ingest import decode, load_articles

STORY = " ".join(["The council approved the new budget on Tuesday after a long public debate."] * 6)


def test_one_line_article_ending_in_a_copyright_notice_is_kept():
    text = clean_text(STORY + " Copyright 2013 The Associated Press. All rights reserved.")
    assert text.startswith("The council approved")


def test_short_copyright_line_is_still_dropped():
    assert "reserved" not in clean_text(STORY + "\n\n(c) 2024 Example News. All rights reserved.")


def test_bidi_overrides_and_reference_marks_are_removed():
    text = clean_text("The council approved the budget\u202e on Tuesday [12][13] after a long public debate.")
    assert "\u202e" not in text and "[12]" not in text


def test_utf16_with_bom_and_mixed_encodings_decode():
    assert decode("Caf\u00e9 news".encode("utf-16")) == "Caf\u00e9 news"
    mixed = "caf\u00e9\n".encode() + "\u2019quoted\u2019\n".encode("cp1252")
    assert decode(mixed) == "caf\u00e9\n\u2019quoted\u2019\n"


def test_blank_string_is_not_the_current_folder():
    result = load_articles(["", "   "])
    assert result.articles == [] and len(result.rejected) == 2


def test_empty_json_list_is_rejected_not_silent(tmp_path):
    (tmp_path / "empty.json").write_text("[]")
    result = load_articles([tmp_path / "empty.json"])
    assert [r.reason for r in result.rejected] == ["JSON holds no article records"]


def test_metadata_is_one_bounded_line():
    article = load_articles([{"text": STORY, "title": "A\n\nheadline\x00" + "x" * 5000, "source": "Out\u202elet"}],
                            ).articles[0]
    assert "\n" not in article.title and len(article.title) <= 1000
    assert article.source == "Outlet"
