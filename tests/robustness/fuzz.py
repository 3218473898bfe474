"""Fuzzing ingest, cleaning and sentence splitting with Hypothesis.

Each target is a property over generated input: no exception escapes, and every input is
accounted for (it becomes an article or a rejection with a reason). `run_fuzz(examples)` runs
every target for `examples` generated inputs and counts them; tests/test_robustness_fuzz.py
runs the same targets with a smaller count.
"""
from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summarise.inputs.clean import clean_text, normalise
from summarise.inputs.ingest import IngestSettings, decode, load_articles, parse_html, parse_plain
from summarise.stages.segment import split_spans
from summarise.types import Rejection

from . import offline_config

INGEST = IngestSettings(min_article_words=5)
SUFFIXES = [".txt", ".md", ".html", ".htm", ".json", ".jsonl", ".xml", ".rss", ".pdf", ""]
WORDS = ["the", "minister", "said", "on", "Tuesday", "that", "talks", "would", "continue", "U.S.", "Mr.",
         "3.5%", "\u201cquoted\u201d", "Ukraine", "N.A.T.O.", "e.g.", "...", "?", "!", "\n", "\n\n", "\t", "\u00a0",
         "caf\u00e9", "\u0416\u0443\u043a", "\u4e2d\u6587", "\U0001f600", "\u202e", "\u200b", "\r\n", "&amp;", "<b>"]
ENGLISH = ("the government said on Tuesday that the new plan would cut costs for families and schools "
           "while officials in the capital warned of delays. police reported that the storm had damaged "
           "homes and roads across the region, and the minister promised help within a week.").split()
TAGS = ["p", "div", "span", "article", "main", "script", "style", "li", "ul", "h2", "blockquote", "table",
        "td", "tr", "br", "img", "a", "nav", "footer", "iframe", "svg", "template", "noscript", "title", "meta"]


# -- strategies ------------------------------------------------------------------------------

def news_text() -> st.SearchStrategy[str]:
    """Sentence-like text: real words, abbreviations, odd whitespace, other scripts, emoji."""
    return st.lists(st.sampled_from(WORDS) | st.text(min_size=1, max_size=12), max_size=80).map(" ".join)


def article_text() -> st.SearchStrategy[str]:
    """Mostly English news prose (so articles pass the language and length checks and reach
    segmentation, ranking and rendering), salted with the hostile tokens of news_text."""
    word = st.sampled_from(ENGLISH * 6 + WORDS) | st.text(min_size=1, max_size=8)
    sentence = st.lists(word, min_size=4, max_size=30).map(lambda w: " ".join(w) + ".")
    return st.lists(sentence, min_size=1, max_size=12).map(" ".join)


def any_text() -> st.SearchStrategy[str]:
    return st.text(max_size=400) | news_text()


@st.composite
def html_documents(draw) -> str:
    """Random, often malformed, sometimes very deep HTML."""
    def element(depth: int) -> str:
        tag = draw(st.sampled_from(TAGS))
        attrs = draw(st.sampled_from(["", ' class="x"', ' style="display:none"', " hidden", ' alt="a <b>"',
                                      ' href="javascript:alert(1)"', " onload=alert(1)", ' content="x']))
        inner = draw(news_text())
        child = element(depth - 1) if depth > 0 and draw(st.booleans()) else ""
        close = draw(st.sampled_from([f"</{tag}>", "", f"</{tag}", "</div>"]))
        return f"<{tag}{attrs}>{inner}{child}{close}"
    deep = draw(st.integers(0, 3000)) if draw(st.booleans()) else 0
    body = "".join(element(draw(st.integers(0, 6))) for _ in range(draw(st.integers(0, 6))))
    comment = draw(st.sampled_from(["", "<!-- ignore the above -->", "<!-- unterminated", "<![CDATA[x]]>"]))
    return f"<html><head><title>{draw(news_text())}</title></head><body>{'<div>' * deep}{comment}{body}</body>"


def json_values() -> st.SearchStrategy:
    scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | any_text()
    return st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                        | st.dictionaries(st.sampled_from(["text", "title", "body", "url", "date", "source", "id",
                                                           "articles", "x"]) | st.text(max_size=5), inner,
                                          max_size=5), max_leaves=20)


@st.composite
def file_contents(draw) -> bytes:
    """Bytes a file might hold: random bytes, text in assorted encodings, mixed encodings,
    (malformed) JSON and JSONL, HTML, RSS, huge lines."""
    kind = draw(st.sampled_from(["bytes", "text", "mixed", "json", "broken-json", "jsonl", "html", "rss", "huge"]))
    if kind == "bytes":
        return draw(st.binary(max_size=2000))
    if kind == "text":
        encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16", "utf-32"]))
        return draw(article_text() | news_text()).encode(encoding, errors="replace")
    if kind == "mixed":
        return draw(news_text()).encode("utf-8") + "caf\u00e9 \u2019quoted\u2019".encode("cp1252") + draw(news_text()).encode()
    if kind in ("json", "broken-json"):
        data = json.dumps(draw(json_values()))
        return (data[: draw(st.integers(0, len(data)))] if kind == "broken-json" else data).encode()
    if kind == "jsonl":
        lines = [json.dumps(draw(json_values())) for _ in range(draw(st.integers(0, 5)))]
        lines.insert(draw(st.integers(0, len(lines))), draw(st.sampled_from(["", "{", "not json", "[1,", "\ufeff{}"])))
        return "\n".join(lines).encode()
    if kind == "html":
        return draw(html_documents()).encode()
    if kind == "rss":
        items = "".join(f"<item><title>{draw(news_text())}</title><description>{draw(news_text())}</description></item>"
                        for _ in range(draw(st.integers(0, 3))))
        feed = f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'
        return feed[: draw(st.integers(0, len(feed)))].encode()
    line = " ".join(["word"] * draw(st.integers(10_000, 60_000)))  # one very long line, no full stop
    return line.encode()


# -- properties ------------------------------------------------------------------------------

def accounted(inputs: list, ingested) -> list[str]:
    """Inputs that ended up neither as an article nor as a rejection."""
    labels = [a.input for a in ingested.articles] + [r.input for r in ingested.rejected]
    missing = []
    for item in inputs:
        name = str(item) if isinstance(item, Path) else None
        if name is not None and not any(label == name or label.startswith((name + ":", name + "#")) for label in labels):
            missing.append(name)
    return missing


def check_decode(data: bytes) -> None:
    result = decode(data)
    assert isinstance(result, (str, Rejection))
    if isinstance(result, Rejection):
        assert result.reason


def check_clean(text: str) -> None:
    cleaned = clean_text(text)
    assert isinstance(cleaned, str)
    assert not any(ch in cleaned for ch in "\x00\r\u202e\u200b")
    assert normalise(cleaned) == cleaned
    parse_plain(text)


def check_split(text: str) -> None:
    spans = split_spans(text)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text), (start, end, previous_end)
        previous_end = end


def check_html(document: str) -> None:
    record = parse_html(document)
    assert all(isinstance(record[key], str) for key in ("title", "source", "url", "published", "text"))


def check_files(contents: list[bytes], suffixes: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for n, (data, suffix) in enumerate(zip(contents, suffixes)):
            path = Path(folder) / f"input{n}{suffix}"
            path.write_bytes(data)
            paths.append(path)
        ingested = load_articles(paths, INGEST)
        missing = accounted(paths, ingested)
        assert not missing, f"inputs neither article nor rejection: {missing}"
        assert all(r.reason for r in ingested.rejected)


def check_pipeline(texts: list[str], contents: list[bytes]) -> None:
    """The whole pipeline (hashing embeddings, extractive) on fuzzed articles and files, then
    every renderer; the JSON briefing must read back to the same briefing."""
    from summarise.stages.embed import HashingEmbedder
    from summarise.pipeline import Pipeline
    from summarise.render import FORMATS, render
    from summarise.types import Briefing

    config = offline_config("fuzz", ingest={"min_article_words": 5})
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for n, data in enumerate(contents):
            paths.append(Path(folder) / f"input{n}.{['txt', 'html', 'json', 'jsonl'][n % 4]}")
            paths[-1].write_bytes(data)
        inputs = [*paths, *({"text": t} for t in texts)]
        briefing = Pipeline(config, embedder=HashingEmbedder(), progress=False).run(inputs)
        assert not accounted(paths, briefing)
        assert len(briefing.articles) + len(briefing.rejected) >= len(inputs)
        for fmt in FORMATS:
            render(briefing, fmt)
        ElementTree.fromstring(render(briefing, "atom").encode())  # control characters must not break the feed
        text = render(briefing, "json")
        assert render(Briefing.from_dict(json.loads(text)), "json") == text


def check_records(records: list) -> None:
    ingested = load_articles(records, INGEST)
    assert len(ingested.articles) + len(ingested.rejected) == len(records)


def _not_an_existing_path(value) -> bool:
    """A string naming an existing path ("/", ".") is read as that path, by design: not fuzzed."""
    if not isinstance(value, str):
        return True
    try:
        return not Path(value).exists()
    except (OSError, ValueError):
        return True


@dataclass
class Target:
    name: str
    check: object
    strategies: tuple
    examples_run: int = 0
    failure: str = ""


def targets() -> list[Target]:
    return [
        Target("decode(random bytes)", check_decode, (st.binary(max_size=4000),)),
        Target("clean_text(random unicode)", check_clean, (any_text(),)),
        Target("split_spans(random unicode)", check_split, (any_text(),)),
        Target("parse_html(random, deep, malformed HTML)", check_html, (html_documents(),)),
        Target("load_articles(files: bytes, encodings, JSON, JSONL, HTML, RSS, huge lines)", check_files,
               (st.lists(file_contents(), min_size=1, max_size=4),
                st.lists(st.sampled_from(SUFFIXES), min_size=4, max_size=4))),
        Target("Pipeline.run + render(fuzzed texts and files)", check_pipeline,
               (st.lists(article_text(), max_size=4), st.lists(file_contents(), max_size=3))),
        Target("load_articles(records: random JSON values and texts)", check_records,
               (st.lists(json_values().filter(_not_an_existing_path), max_size=5),)),
    ]


def run_target(target: Target, examples: int) -> Target:
    def body(values):
        target.examples_run += 1
        target.check(*values)

    test = settings(max_examples=examples, deadline=None, database=None, derandomize=True,
                    suppress_health_check=list(HealthCheck))(given(st.tuples(*target.strategies))(body))
    try:
        test()
    except Exception as exc:  # a crash or a broken property: keep it for the report
        target.failure = f"{type(exc).__name__}: {str(exc)[:500]}"
    return target


@dataclass
class FuzzReport:
    targets: list[Target] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"inputs_fuzzed": sum(t.examples_run for t in self.targets),
                "crashes_or_lost_inputs": sum(bool(t.failure) for t in self.targets),
                "targets": {t.name: {"examples": t.examples_run, "failure": t.failure} for t in self.targets}}


def run_fuzz(examples: int) -> FuzzReport:
    return FuzzReport([run_target(target, examples) for target in targets()])
