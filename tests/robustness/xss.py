"""Output safety: XSS payloads in titles, bodies, URLs, outlet names and input labels, in every
registered format (render.FORMATS) and the web page's fragment, for a briefing and a day's briefing.

The HTML briefing (the standalone document and the web page's fragment) is parsed back with the
standard library's HTML parser and every element and attribute is checked against what the renderer itself writes: an element it never writes
(script, img, svg, iframe...), an event-handler attribute, or a link that is not http(s) or an
in-page anchor counts as live markup. The Markdown briefing is turned into HTML by markdown-it
with raw HTML allowed and link validation off (the most permissive renderer a reader might use)
and checked the same way. The Atom feed must parse (feedparser, not bozo) and its entries' HTML
content, once unescaped from the XML, is checked like a page; the JSON must read back to the same
briefing. Each payload in a title or outlet must also come back as visible
text, so "safe" never means "silently deleted".
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from xml.etree import ElementTree

import feedparser

from summarise.daily.run import DailyBriefing, DailyEvent
from summarise.daily.stories import Link
from summarise.render import FORMATS, render, render_daily_files
from summarise.render.html import briefing_html
from summarise.types import Article, Briefing, BriefingSentence, Citation, Event, Rejection

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "\"><script>alert(1)</script>",
    "'><img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.cookie)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;avascript&colon;alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<a href=\"javascript:alert(1)\">click</a>",
    "[click](javascript:alert(1))",
    "![x](javascript:alert(1))",
    "<javascript:alert(1)>",
    "[a]: javascript:alert(1)",
    "<details open ontoggle=alert(1)>",
    "<body onload=alert(1)>",
    "<style>@import 'http://evil.example/x.css';</style>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "</title><script>alert(1)</script>",
    "</style><script>alert(1)</script>",
    "<!--<script>alert(1)</script>-->",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<base href=\"javascript:/\">",
    "<object data=\"javascript:alert(1)\"></object>",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "<<script>alert(1)//<</script>",
    "<img \"\"\"><script>alert(1)</script>\">",
    "<form action=javascript:alert(1)><button>go</button></form>",
    "<input autofocus onfocus=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<x onclick=alert(1)>click me</x>",
    "<a href=\"http://evil.example\" onmouseover=\"alert(1)\">hover</a>",
    "**bold** _em_ `code` <b>bold</b>",
    "\n# Fake heading\n\n[fake link](http://evil.example)\n",
    "| a | b |\n|---|---|\n| <img src=x onerror=alert(1)> | x |",
    "<http://evil.example/\"onmouseover=\"alert(1)>",
    "\u202egnp.exe\u202c<script>alert(1)</script>",
    "{{constructor.constructor('alert(1)')()}}",
    "Setext heading\n===",
    "Another heading\n---\n",
    "- fake list item",
    "1) fake numbered item",
    "    indented code block <script>alert(1)</script>",
    "```\n<script>alert(1)</script>\n```",
    "> fake quote",
    "~~~html\n<img src=x onerror=alert(1)>",
    "]]><script>alert(1)</script>",
    "<![CDATA[<img src=x onerror=alert(1)>]]>",
    "control \x00\x01\x08\x0b\x0c\x1b\x7f\ufffe characters <b>x</b>",
    "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>&e;",
]
URL_PAYLOADS = [
    "javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    " javascript:alert(1)",
    "java\nscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "https://example.com/\"onmouseover=\"alert(1)",
    "https://example.com/'><svg/onload=alert(1)>",
    "https://example.com/<script>alert(1)</script>",
    "http://evil.example/#\"><img src=x onerror=alert(1)>",
    "https://example.com/a b\"c<d>e",
    "//evil.example/x",
    "http:javascript:alert(1)",
    "https://",
]

# what the renderers themselves write: anything else in the output is live markup
HTML_ALLOWED = {
    "html": {"lang"}, "head": set(), "meta": {"charset", "name", "content", "http-equiv"}, "title": set(),
    "style": set(), "body": set(), "main": {"class"}, "div": {"class", "role"}, "h1": set(), "h2": set(),
    "p": {"class"}, "section": {"class", "id"}, "span": {"class"}, "strong": set(), "code": set(),
    "ol": {"class"}, "ul": {"class"}, "li": {"class", "data-method", "data-article", "title"},
    "details": {"class", "data-source", "open"}, "summary": {"title", "aria-label"}, "blockquote": {"class"},
    "mark": {"class"}, "a": {"href", "target", "rel"}, "table": set(), "thead": set(), "tbody": set(),
    "tr": set(), "th": set(), "td": {"class"},
}
MARKDOWN_ALLOWED = {
    "h1": set(), "h2": set(), "p": set(), "em": set(), "strong": set(), "ol": {"start"}, "ul": set(),
    "li": set(), "a": {"href"}, "code": set(), "br": set(), "blockquote": set(),
}
ATOM_CONTENT_ALLOWED = {"p": set(), "em": set(), "strong": set(), "ol": set(), "li": {"value"},
                        "a": {"href", "target", "rel"}}
ATOM = "{http://www.w3.org/2005/Atom}"
_SAFE_HREF = re.compile(r"^(#src-\d+|https?://[^\s\"<>]+)$", re.IGNORECASE)
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "content", "data", "xlink:href"}


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, attrs))

    def handle_data(self, data):
        self.text.append(data)

    def handle_comment(self, data):
        self.comments.append(data)


def live_markup(document: str, allowed: dict[str, set[str]]) -> list[str]:
    """Every element, attribute or link in `document` that the renderer does not write itself."""
    parser = _Collector()
    parser.feed(document)
    parser.close()
    problems = [f"comment <!--{c[:40]}-->" for c in parser.comments]
    for tag, attrs in parser.elements:
        if tag not in allowed:
            problems.append(f"element <{tag}>")
            continue
        for name, value in attrs:
            if name not in allowed[tag] or name.startswith("on"):
                problems.append(f"attribute {name} on <{tag}>")
            elif name == "href" and not _SAFE_HREF.match(value or ""):
                problems.append(f"link {value!r}")
            elif name in _URL_ATTRIBUTES and "javascript:" in re.sub(r"\s", "", (value or "")).lower():
                problems.append(f"javascript: in {name}")
    if sum(tag == "style" for tag, _ in parser.elements) > 1 or sum(tag == "title" for tag, _ in parser.elements) > 1:
        problems.append("extra <style> or <title> element")
    return problems


def heading_count(document: str) -> dict[str, int]:
    parser = _Collector()
    parser.feed(document)
    parser.close()
    return {tag: sum(t == tag for t, _ in parser.elements) for tag in ("h1", "h2", "h3", "h4", "h5", "h6")}


def spoofed_structure(expected: dict[str, int], document: str) -> list[str]:
    """Headings the briefing did not ask for: text that broke out of its line into structure."""
    found = heading_count(document)
    return [f"{found[tag]} <{tag}> where {expected.get(tag, 0)} expected"
            for tag in found if found[tag] != expected.get(tag, 0)]


def visible_text(document: str) -> str:
    parser = _Collector()
    parser.feed(document)
    parser.close()
    return " ".join(" ".join(parser.text).split())


def markdown_to_html(markdown: str) -> str:
    """The most permissive CommonMark rendering: raw HTML on, every link scheme accepted."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True})
    md.validateLink = lambda url: True
    return md.render(markdown)


def _sentence_with(payload: str, n: int) -> str:
    return (f"The harbour authority of Port Elling approved a new ferry timetable on Tuesday {payload} "
            f"after a public consultation that lasted {n + 3} weeks.")


def payload_records() -> list[dict]:
    """One article per payload (in title, outlet and body) and per URL payload; plus records that
    are rejected with the payload in their input label."""
    records = []
    for n, payload in enumerate(PAYLOADS):
        body = "\n\n".join([
            _sentence_with(payload, n),
            "Officials said the new timetable adds two evening crossings and keeps fares unchanged for residents.",
            "The ferry operator said it would hire more crew before the summer season begins in June.",
            "Passengers had complained for years about long waits at the harbour during winter storms.",
        ])
        records.append({"id": f"x{n:02d}", "title": f"Ferry timetable {payload}", "source": f"Outlet {payload}",
                        "url": URL_PAYLOADS[n % len(URL_PAYLOADS)], "text": body, "input": f"xss:{payload}"})
    for n, payload in enumerate(PAYLOADS[:10]):
        records.append({"input": f"broken:{payload}", "text": ""})  # rejected, label shown
    return records


@dataclass
class XssResult:
    payloads: int = 0
    url_payloads: int = 0
    fields_tried: int = 0
    formats: list[str] = field(default_factory=list)
    live_html: list[str] = field(default_factory=list)
    live_markdown: list[str] = field(default_factory=list)
    live_atom: list[str] = field(default_factory=list)
    missing_text: list[str] = field(default_factory=list)

    def add(self, other: "XssResult") -> None:
        self.formats = sorted(set(self.formats) | set(other.formats))
        self.live_html += other.live_html
        self.live_markdown += other.live_markdown
        self.live_atom += other.live_atom
        self.missing_text += other.missing_text


def check_briefing(briefing: Briefing) -> XssResult:
    """Every registered format of a briefing, and the web page's fragment."""
    files = {fmt: render(briefing, fmt) for fmt in FORMATS}
    result = check_files(files, briefing, len(briefing.events) + bool(briefing.rejected))
    result.live_html += live_markup(briefing_html(briefing), HTML_ALLOWED)
    if render(Briefing.from_dict(json.loads(files["json"])), "json") != files["json"]:
        result.live_html.append("the JSON does not read back to the same briefing")
    return result


def check_files(files: dict[str, str], briefing: Briefing, sections: int) -> XssResult:
    """The files of one briefing or day, by format: no live markup in any, every title and outlet shown."""
    assert set(files) == set(FORMATS), "a format the XSS check does not look at"
    result = XssResult(payloads=len(PAYLOADS), url_payloads=len(URL_PAYLOADS), formats=sorted(files))
    page = files["html"]
    result.live_html = live_markup(page, HTML_ALLOWED)
    markdown_page = markdown_to_html(files["md"])
    expected = {"h1": 1, "h2": sections}  # one h2 a section: events, "Also today", rejected inputs
    result.live_markdown = (live_markup(markdown_page, MARKDOWN_ALLOWED)
                            + spoofed_structure(expected, markdown_page) + spoofed_structure(expected, page))
    result.live_atom = atom_problems(files["atom"])
    shown = visible_text(page)
    for article in briefing.articles:
        for value in (article.title, article.source):
            result.fields_tried += 1
            if " ".join(value.split()) not in shown:
                result.missing_text.append(value)
    return result


def atom_problems(feed: str) -> list[str]:
    """A feed that does not parse, or entry content or links that would be live in a feed reader."""
    parsed = feedparser.parse(feed)
    if parsed.bozo:
        return [f"feed does not parse: {parsed.bozo_exception}"]
    problems = []
    for entry in ElementTree.fromstring(feed.encode()).iter(f"{ATOM}entry"):
        content = entry.find(f"{ATOM}content")
        problems += live_markup(content.text or "", ATOM_CONTENT_ALLOWED)
        problems += [f"link {link.get('href')!r}" for link in entry.iter(f"{ATOM}link")
                     if not _SAFE_HREF.match(link.get("href", "")) or link.get("href", "").startswith("#")]
    return problems


def synthetic_briefing(payload: str, url: str) -> Briefing:
    """A briefing with the payload in every field a renderer shows: event title, sentence,
    evidence, article title, outlet, URL, input label, rejection."""
    article = Article(id="a1", text=f"Lead. {payload}", title=payload, source=payload, url=url, input=payload)
    sentence = BriefingSentence(text=payload, citations=[Citation("a1", payload)])
    return Briefing([article], [Event("e1", payload, ["a1"], [sentence])], [Rejection(payload, payload)])


def synthetic_day(payload: str, url: str) -> DailyBriefing:
    """A day with the payload in every field: a continuing story (New/Background labels, story note)
    and an "Also today" event."""
    briefing = synthetic_briefing(payload, url)
    article = Article(id="a2", text=f"Other. {payload}", title=payload, source=payload, url=url, input=payload)
    other = Event("e2", payload, ["a2"], [BriefingSentence(payload, [Citation("a2", payload)])])
    briefing.articles.append(article)
    briefing.events.append(other)
    story = Link("2026-11-20-abcdef", "2026-11-20", True, "2026-11-20", 2, 0.8)
    events = [DailyEvent(briefing.events[0], story, 1.0, 1, new_sentences=1),
              DailyEvent(other, Link("2026-11-21-fedcba", "2026-11-21", False), 0.5, 1, featured=False)]
    return DailyBriefing("2026-11-21", briefing, events)


def check_day(daily: DailyBriefing) -> XssResult:
    sections = len(daily.featured) + bool(daily.also_today) + bool(daily.briefing.rejected)
    result = check_files(render_daily_files(daily), daily.briefing, sections)
    text = render_daily_files(daily)["json"]
    if render_daily_files(DailyBriefing.from_dict(json.loads(text)))["json"] != text:
        result.live_html.append("the day's JSON does not read back to the same day")
    return result


def check_all_fields() -> XssResult:
    """Every payload in every field of every format, for a briefing and a day, rendered directly
    (no pipeline in between to defuse it)."""
    total = XssResult(payloads=len(PAYLOADS), url_payloads=len(URL_PAYLOADS))
    for n, payload in enumerate(PAYLOADS):
        for url in (URL_PAYLOADS[n % len(URL_PAYLOADS)], payload):
            total.add(check_briefing(synthetic_briefing(payload, url)))
            total.add(check_day(synthetic_day(payload, url)))
            total.fields_tried += 8
    for url in URL_PAYLOADS:
        total.add(check_briefing(synthetic_briefing("Plain title", url)))
    return total
