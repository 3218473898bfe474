"""The verifier measured as a classifier: on a labelled set of (claim, evidence, supported?) pairs,
how many unsupported claims do the hard checks and the judge reject, and how many supported ones
do they wrongly reject?

A pair is rejected when `hard_problems` finds something or the judge's support is below the
threshold. The support is what `Verifier.problems` uses: the best of each passage alone and of
all passages together (a claim stated verbatim is supported without asking). It is computed once
per pair, so a threshold sweep costs nothing more. "Before" is the verifier without the statement
checks (`STATEMENT_CHECKS`), "after" with them, both on the same judge answers.

Set format (JSONL): {"id", "claim", "evidence": [str, ...], "label": "supported"|"unsupported",
"kind", "origin": "fused"|"planted", "split": "calibrate"|"holdout", "source", "note"}.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from summarise.evaluation.data import DataError, read_jsonl
from summarise.stages.statements import dangling_pronoun
from summarise.stages.verify import STATEMENT_CHECKS, Verifier, hard_problems, lexical_cover

LABELS = ("supported", "unsupported")
SWEEP = (0.3, 0.4, 0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)


@dataclass
class Pair:
    id: str
    claim: str
    evidence: list[str]
    label: str
    kind: str
    origin: str
    split: str
    line: int = 0

    @property
    def unsupported(self) -> bool:
        return self.label == "unsupported"


def load_pairs(path: str | Path) -> list[Pair]:
    """The labelled set; a malformed line stops with its number (a score on damaged data is worse
    than none)."""
    pairs, seen = [], set()
    for number, row in read_jsonl(path):
        where = f"{path}:{number}"
        if not isinstance(row, dict):
            raise DataError(f"{where}: expected a JSON object")
        for key in ("id", "claim", "label", "kind", "origin", "split"):
            if not isinstance(row.get(key), str) or not row[key].strip():
                raise DataError(f"{where}: missing or empty {key!r}")
        evidence = row.get("evidence")
        if not isinstance(evidence, list) or not evidence or not all(isinstance(e, str) and e for e in evidence):
            raise DataError(f"{where}: 'evidence' must be a non-empty list of sentences")
        if row["label"] not in LABELS:
            raise DataError(f"{where}: label must be one of {', '.join(LABELS)}, not {row['label']!r}")
        if row["id"] in seen:
            raise DataError(f"{where}: repeated id {row['id']!r}")
        seen.add(row["id"])
        pairs.append(Pair(row["id"], row["claim"], evidence, row["label"], row["kind"], row["origin"],
                          row["split"], number))
    if not pairs:
        raise DataError(f"{path}: no pairs")
    return pairs


def judge_support(verifier: Verifier, pair: Pair) -> float:
    """The support `Verifier.problems` compares with its threshold, at any threshold: the best of
    the passages the claim's words come from (when they pass the hard checks) and of all of them."""
    cover = [pair.evidence[i] for i in lexical_cover(pair.claim, pair.evidence)]
    asked = [verifier.support(pair.claim, pair.evidence)]
    if len(cover) < len(pair.evidence) and not hard_problems(pair.claim, cover, verifier.max_words, standalone=False):
        asked.append(verifier.support(pair.claim, cover))
    return max(asked)


def score_pairs(pairs: list[Pair], verifier: Verifier, max_words: int = 60, judge_rejected: bool = True) -> list[dict]:
    """One row per pair: its hard problems without and with the statement checks, and its support.
    judge_rejected=False asks the judge only about pairs the hard checks pass, as the pipeline does:
    the "after" figures stay exact, and the "before" ones leave out the pairs left unjudged."""
    rows = []
    for pair in pairs:
        # support only: the pairs are claims, not briefing sentences (readability is counted apart)
        problems = hard_problems(pair.claim, pair.evidence, max_words, standalone=False)
        judged = verifier.judge is not None and (judge_rejected or not problems)
        support = None
        if judged:
            try:
                support = judge_support(verifier, pair)
            except Unanswered:  # a cache-only judge that was never asked this: left unjudged
                pass
        elif verifier.judge is None:
            support = 1.0
        rows.append({"id": pair.id, "label": pair.label, "kind": pair.kind, "origin": pair.origin,
                     "split": pair.split, "claim": pair.claim,
                     "problems_before": hard_problems(pair.claim, pair.evidence, max_words, checks=(),
                                                      standalone=False),
                     "dangling_pronoun": dangling_pronoun(pair.claim),
                     "problems": problems,
                     "support": support})
    return rows


def rejected(row: dict, threshold: float, hard: str = "problems", judge: bool = True) -> bool | None:
    """Does the verifier reject the pair? None when that needs a judge answer that was not asked."""
    if row[hard]:
        return True
    if not judge:
        return False
    return None if row["support"] is None else row["support"] < threshold


def confusion(rows: list[dict], threshold: float, hard: str = "problems", judge: bool = True) -> dict:
    """Counts with "unsupported" as the positive class: a caught unsupported claim is a true positive.
    Pairs whose verdict needs a judge answer that was not asked are counted apart (unjudged)."""
    counts = {"caught": 0, "missed": 0, "false_rejects": 0, "passed": 0, "unjudged": 0}
    for row in rows:
        out = rejected(row, threshold, hard, judge)
        if out is None:
            counts["unjudged"] += 1
        elif row["label"] == "unsupported":
            counts["caught" if out else "missed"] += 1
        else:
            counts["false_rejects" if out else "passed"] += 1
    unsupported = counts["caught"] + counts["missed"]
    supported = counts["false_rejects"] + counts["passed"]
    counts["catch_rate"] = counts["caught"] / unsupported if unsupported else float("nan")
    counts["false_reject_rate"] = counts["false_rejects"] / supported if supported else float("nan")
    return counts


def by_kind(rows: list[dict], threshold: float) -> dict[str, dict]:
    """Per failure kind (or "supported"): pairs rejected with and without the statement checks,
    by the hard checks alone, and pairs whose verdict waits on an unasked judge question."""
    kinds: dict[str, dict] = {}
    for row in rows:
        entry = kinds.setdefault(row["kind"], {"n": 0, "rejected_before": 0, "rejected": 0, "hard_after": 0,
                                               "unjudged_before": 0, "unjudged": 0})
        entry["n"] += 1
        for suffix, hard in (("_before", "problems_before"), ("", "problems")):
            out = rejected(row, threshold, hard)
            entry["rejected" + suffix] += out is True
            entry["unjudged" + suffix] += out is None
        entry["hard_after"] += bool(row["problems"])
    return dict(sorted(kinds.items()))


def check_effects(rows: list[dict]) -> dict[str, dict]:
    """Per statement check: unsupported pairs it flags, and supported pairs it flags (false rejects)."""
    effects = {}
    for check in STATEMENT_CHECKS:
        flagged = [r for r in rows if any(p.startswith(check.note) for p in r["problems"])]
        effects[check.note] = {"unsupported": sum(r["label"] == "unsupported" for r in flagged),
                               "supported": sum(r["label"] == "supported" for r in flagged)}
    return effects


def evaluate(rows: list[dict], threshold: float, sweep: tuple[float, ...] = SWEEP) -> dict:
    """Every figure the command prints, for the whole set and each split."""
    result = {"threshold": threshold, "pairs": len(rows), "splits": {}}
    for split in ["all"] + sorted({r["split"] for r in rows}):
        part = rows if split == "all" else [r for r in rows if r["split"] == split]
        result["splits"][split] = {
            "pairs": len(part),
            "hard_checks_before": confusion(part, threshold, "problems_before", judge=False),
            "hard_checks_after": confusion(part, threshold, judge=False),
            "before": confusion(part, threshold, "problems_before"),
            "after": confusion(part, threshold),
            "sweep": {f"{t:.2f}": confusion(part, t) for t in sorted(set(sweep) | {threshold})},
        }
    result["kinds"] = by_kind(rows, threshold)
    result["checks"] = check_effects(rows)
    # what the briefing's readability check (not part of the figures above) would reject besides
    result["dangling_pronoun"] = {label: sum(bool(r.get("dangling_pronoun")) for r in rows if r["label"] == label)
                                  for label in ("unsupported", "supported")}
    return result


class Unanswered(LookupError):
    """A cache-only judge was asked a question it has no answer for."""


class CachedJudge:
    """A yes/no judge that remembers its answers in a JSON file: a rerun of the command (after a
    change to the hard checks) asks the model only the questions it has not answered before.
    With judge=None it only reads the file: a question not in it raises Unanswered."""

    def __init__(self, judge, path: str | Path, model_key: str):
        self.judge = judge
        self.path = Path(path)
        self.model_key = model_key
        self.answers: dict[str, float] = json.loads(self.path.read_text()) if self.path.is_file() else {}

    def yes_probability(self, system: str, user: str) -> float:
        return self.answer(system, user, lambda: self.judge.yes_probability(system, user))

    def answer(self, first: str, second: str, ask) -> float:
        """The remembered answer to the question (first, second), else ask() and remember it."""
        key = hashlib.sha1(f"{self.model_key}\0{first}\0{second}".encode("utf-8")).hexdigest()
        if key not in self.answers:
            if self.judge is None:
                raise Unanswered(key)
            self.answers[key] = ask()
            self.path.write_text(json.dumps(self.answers, indent=0, sort_keys=True))
        return self.answers[key]


class CachedEntailmentJudge:
    """CachedJudge for an NLI classifier (`[verify] judge = "nli"`): the same file, keyed by premise
    and hypothesis. A separate class, because the verifier tells the two kinds of judge apart by
    the method they have."""

    def __init__(self, judge, path: str | Path, model_key: str):
        self._cache = CachedJudge(judge, path, model_key)

    def entailment_probability(self, premise: str, hypothesis: str) -> float:
        return self._cache.answer(premise, hypothesis,
                                  lambda: self._cache.judge.entailment_probability(premise, hypothesis))
