"""Nothing lost: 1,000 inputs, 10% broken in ten ways; every good one must reach the briefing
(as an article inside an event) and every broken one must be rejected with its specific reason.

Good articles are real news documents read at run time from the shared evaluation data
(clusters_multinews_pool.jsonl; never copied into the repo), written as .txt, .html, .json and
.jsonl files and passed as records. Without that data, generated articles stand in.
"""
from __future__ import annotations

import json
import os
import random
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from summarise.config import Config
from summarise.inputs.ingest import detect_language

from . import offline_config

REPO = Path(__file__).resolve().parents[2]
GERMAN = ("Die Regierung hat am Dienstag einen neuen Plan vorgestellt, der die Kosten für Familien und Schulen "
          "senken soll. Die Opposition kritisierte den Entwurf scharf und forderte weitere Gespräche im Parlament. "
          "Nach Angaben des Ministeriums soll das Gesetz im kommenden Jahr in Kraft treten. ") * 3
# kind -> a fragment the rejection reason must contain (the reason is specific, not generic)
BROKEN_KINDS = {
    "binary": "binary file",
    "empty": "empty file",
    "invalid-json": "invalid JSON",
    "invalid-jsonl-line": "invalid JSON on line",
    "too-short": "too little text",
    "not-english": "only English is supported",
    "too-large": "over the 200,000 limit",
    "unsupported-type": "unsupported file type",
    "no-text-field": "no article text",
    "undecodable": "neither UTF-8 nor Windows-1252",
}


def eval_dir() -> Path | None:
    for candidate in (os.environ.get("SUMMARISE_EVAL_DIR"), REPO.parent / "shared" / "eval", "/work/shared/eval"):
        if candidate and (Path(candidate) / "clusters_multinews_pool.jsonl").is_file():
            return Path(candidate)
    return None


def good_texts(n: int, min_words: int = 120) -> tuple[list[str], str]:
    """n real news documents of at least min_words words, or generated ones; and which."""
    folder = eval_dir()
    texts: list[str] = []
    if folder:
        with open(folder / "clusters_multinews_pool.jsonl", encoding="utf-8") as pool:
            for line in pool:
                text = json.loads(line)["text"]
                if len(text.split()) >= min_words and detect_language(text) == "en":
                    texts.append(text)  # the pool holds a few non-English pages: not "good"
                if len(texts) == n:
                    return texts, f"{folder}/clusters_multinews_pool.jsonl"
    rng = random.Random(0)
    words = ("council minister police storm budget school hospital court election market river "
             "bridge farmers teachers workers strike plan vote report city region").split()
    texts = [" ".join(f"The {rng.choice(words)} {rng.choice(words)} said on day {i} that the "
                      f"{rng.choice(words)} would {rng.choice(['rise', 'fall', 'change', 'wait'])}."
                      for _ in range(12)) for i in range(n)]
    return texts, "generated"


@dataclass
class LostReport:
    inputs: int = 0
    good: int = 0
    broken: int = 0
    good_in_briefing: int = 0
    broken_rejected_with_reason: int = 0
    lost: list[str] = field(default_factory=list)  # labels found nowhere
    wrong: list[str] = field(default_factory=list)  # good rejected, or broken with a vague reason
    source: str = ""


def build_inputs(folder: Path, n_inputs: int = 1000, broken_share: float = 0.1):
    """(inputs, {label: "good"} | {label: kind}) for n_inputs units, broken_share of them broken."""
    n_broken = int(n_inputs * broken_share)
    texts, source = good_texts(n_inputs - n_broken)
    inputs: list = []
    expected: dict[str, str] = {}
    jsonl_lines: list[str] = []
    for i, text in enumerate(texts):
        kind = ("txt", "html", "json", "jsonl", "record")[i % 5]
        if kind == "record":
            inputs.append({"text": text, "input": f"record:{i}"})
            expected[f"record:{i}"] = "good"
            continue
        if kind == "jsonl":
            jsonl_lines.append(json.dumps({"text": text, "title": f"doc {i}"}))
            continue
        path = folder / f"good{i:04d}.{kind}"
        body = {"txt": text, "html": f"<html><body><article><p>{text}</p></article></body></html>",
                "json": json.dumps({"text": text, "title": f"doc {i}"})}[kind]
        path.write_text(body, encoding="utf-8")
        inputs.append(path)
        expected[str(path)] = "good"
    feed = folder / "good-lines.jsonl"
    feed.write_text("\n".join(jsonl_lines) + "\n", encoding="utf-8")
    inputs.append(feed)
    expected.update({f"{feed}:{n}": "good" for n in range(1, len(jsonl_lines) + 1)})
    kinds = list(BROKEN_KINDS)
    for j in range(n_broken):
        kind = kinds[j % len(kinds)]
        label, item = _broken(folder, kind, j)
        inputs.append(item)
        expected[label] = kind
    return inputs, expected, source


def _broken(folder: Path, kind: str, j: int):
    def file(suffix: str, data: bytes):
        path = folder / f"broken{j:03d}-{kind}{suffix}"
        path.write_bytes(data)
        return str(path), path

    if kind == "binary":
        return file(".txt", bytes(range(256)) * 4)
    if kind == "empty":
        return file(".md", b"  \n\n")
    if kind == "invalid-json":
        return file(".json", b'{"text": "The council met on Tuesday and')
    if kind == "invalid-jsonl-line":
        label, path = file(".jsonl", b'{"text": "unterminated\n')
        return f"{label}:1", path
    if kind == "too-short":
        return f"text-short:{j}", {"text": f"Police said {j} roads were closed.", "input": f"text-short:{j}"}
    if kind == "not-english":
        return file(".txt", f"{GERMAN} Meldung {j}.".encode())
    if kind == "too-large":
        return file(".txt", ("The council met again and talked. " * 7000).encode())
    if kind == "unsupported-type":
        return file(".pdf", b"%PDF-1.4 broken")
    if kind == "no-text-field":
        return f"record-no-text:{j}", {"title": "A headline with no story", "input": f"record-no-text:{j}"}
    return file(".txt", b"The council met on Tuesday \x81\x8d\xff and talked about roads.\n")


def run_lost(n_inputs: int = 1000, broken_share: float = 0.1, config: Config | None = None) -> LostReport:
    from summarise.stages.embed import HashingEmbedder
    from summarise.pipeline import Pipeline

    config = config or offline_config("lost")
    with tempfile.TemporaryDirectory() as tmp:
        inputs, expected, source = build_inputs(Path(tmp), n_inputs, broken_share)
        briefing = Pipeline(config, embedder=HashingEmbedder(), progress=False).run(inputs)
    in_events = {i for event in briefing.events for i in event.article_ids}
    placed = {a.input: a.id in in_events for a in briefing.articles}
    reasons = {r.input: r.reason for r in briefing.rejected}
    report = LostReport(inputs=len(expected), source=source)
    for label, kind in expected.items():
        if kind == "good":
            report.good += 1
            if placed.get(label):
                report.good_in_briefing += 1
            elif label in reasons:
                report.wrong.append(f"good input {label} rejected: {reasons[label]}")
            else:
                report.lost.append(label)
        else:
            report.broken += 1
            if label in reasons and BROKEN_KINDS[kind] in reasons[label]:
                report.broken_rejected_with_reason += 1
            elif label in reasons:
                report.wrong.append(f"{kind} input {label}: unexpected reason {reasons[label]!r}")
            else:
                report.lost.append(label)
    return report
