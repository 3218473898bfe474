"""Output safety: XSS payloads in every field of every format (HTML, the web page's fragment,
Markdown, Atom, JSON), for a briefing and a day's briefing."""
from summarise.stages.embed import HashingEmbedder
from summarise.pipeline import Pipeline
from summarise.render import FORMATS, render
from summarise.render.escape import md_escape, safe_url
from robustness import offline_config
from robustness.xss import (HTML_ALLOWED, MARKDOWN_ALLOWED, PAYLOADS, URL_PAYLOADS, check_all_fields,
                            atom_problems, check_briefing, live_markup, markdown_to_html, payload_records,
                                      synthetic_briefing)


def test_no_payload_renders_live_in_any_field():
    result = check_all_fields()
    assert result.payloads >= 40 and result.fields_tried >= 600
    assert result.formats == sorted(FORMATS)
    assert result.live_html == []
    assert result.live_markdown == []
    assert result.live_atom == []
    assert result.missing_text == []  # escaped, not deleted


def test_payloads_through_the_whole_pipeline():
    config = offline_config("xss")
    briefing = Pipeline(config, embedder=HashingEmbedder(), progress=False).run(payload_records())
    assert briefing.articles and briefing.rejected
    result = check_briefing(briefing)
    assert (result.live_html, result.live_markdown, result.live_atom, result.missing_text) == ([], [], [], [])


def test_the_checker_sees_live_markup():
    """The check can fail: raw payloads in a page are caught."""
    assert live_markup("<p><img src=x onerror=alert(1)></p>", HTML_ALLOWED)
    assert live_markup('<a href="javascript:alert(1)">x</a>', HTML_ALLOWED)
    assert live_markup(markdown_to_html("[x](javascript:alert(1))"), MARKDOWN_ALLOWED)
    assert live_markup(markdown_to_html("<script>alert(1)</script>"), MARKDOWN_ALLOWED)
    assert atom_problems("<feed><entry>]]></feed>")
    raw = ('<feed xmlns="http://www.w3.org/2005/Atom"><entry><content type="html">'
           '&lt;img src=x onerror=alert(1)&gt;</content></entry></feed>')
    assert atom_problems(raw)


def test_only_http_links_survive():
    for url in URL_PAYLOADS:
        cleaned = safe_url(url)
        assert cleaned == "" or cleaned.startswith(("http://", "https://")), url
        assert '"' not in cleaned and "<" not in cleaned


def test_markdown_text_stays_one_literal_line():
    for text in ("Title\n===", "- item", "1) item", "12. item", "```\ncode\n```", "a\n\n# heading"):
        escaped = md_escape(text)
        assert "\n" not in escaped
        rendered = markdown_to_html(escaped)
        assert rendered.startswith("<p>") and rendered.count("<p>") == 1, (text, rendered)


def test_html_page_keeps_the_payload_as_text():
    page = render(synthetic_briefing(PAYLOADS[0], URL_PAYLOADS[0]), "html")
    assert "&lt;script&gt;" in page and "<script>" not in page
