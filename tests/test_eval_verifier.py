"""`summarise eval verifier`: the verifier as a classifier on labelled pairs. Fast tests use a fake
judge; the `models` test runs the real judge over tests/data/verifier_pairs.jsonl and holds the
rates reached there as a floor."""
import json
from pathlib import Path

import pytest

from summarise.cli import main
from summarise.evaluation.data import DataError
from summarise.evaluation.verifier import confusion, evaluate, load_pairs, score_pairs
from summarise.models.fake import FakeModel
from summarise.stages.verify import Verifier

PAIRS = Path(__file__).parent / "data" / "verifier_pairs.jsonl"


def pair(id, claim, evidence, label, kind="supported", split="calibrate"):
    return {"id": id, "claim": claim, "evidence": [evidence], "label": label, "kind": kind, "origin": "planted",
            "split": split, "source": {}, "note": ""}


SMALL = [
    pair("s1", "At least 17 people died in Cairo last month.", "Clashes in Cairo last month left at least 17 people dead.",
         "supported"),
    pair("u1", "Clashes in Cairo last month left 17 people dead.", "Clashes in Cairo last month left at least 17 people dead.",
         "unsupported", "hedge_dropped"),
    pair("u2", "The vote was held on Monday.", "The vote is expected to be held on Monday.", "unsupported",
         "prediction_as_fact", "holdout"),
    pair("u3", "Talks ended with a deal on taxes.", "Talks ended without a deal on taxes.", "unsupported",
         "negation_flipped", "holdout"),
]


def write(path: Path, rows) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_the_labelled_set_is_well_formed_and_large_enough():
    pairs = load_pairs(PAIRS)
    assert len(pairs) >= 150
    assert {p.origin for p in pairs} == {"fused", "planted"} and {p.split for p in pairs} == {"calibrate", "holdout"}
    assert sum(p.unsupported for p in pairs) >= 50 and sum(not p.unsupported for p in pairs) >= 50
    planted = {p.kind for p in pairs if p.origin == "planted"}
    assert {"recombined", "prediction_as_fact", "hedge_dropped", "attribution_dropped", "negation_flipped"} <= planted


@pytest.mark.parametrize("change, message", [
    ({"label": "maybe"}, "label must be one of"),
    ({"evidence": []}, "'evidence' must be a non-empty list"),
    ({"claim": ""}, "missing or empty 'claim'"),
])
def test_a_bad_pair_stops_with_its_line(tmp_path, change, message):
    path = write(tmp_path / "pairs.jsonl", [SMALL[0], {**SMALL[1], **change}])
    with pytest.raises(DataError, match=rf"pairs.jsonl:2: .*{message}"):
        load_pairs(path)


def test_confusion_counts_unsupported_as_the_positive_class(tmp_path):
    # the judge says no only to the negation flip; the hard checks must catch the other two
    judge = FakeModel(yes=lambda s, u: 0.1 if "with a deal" in u else 0.9)
    rows = score_pairs(load_pairs(write(tmp_path / "p.jsonl", SMALL)), Verifier(judge, 0.5))
    after = confusion(rows, 0.5)
    assert (after["caught"], after["missed"], after["false_rejects"], after["passed"]) == (3, 0, 0, 1)
    before = confusion(rows, 0.5, "problems_before")
    assert (before["caught"], before["missed"]) == (1, 2)  # without the statement checks only the judge catches
    assert confusion(rows, 0.95)["false_reject_rate"] == 1.0  # a threshold above every answer rejects all
    results = evaluate(rows, 0.5)
    assert results["splits"]["holdout"]["after"]["catch_rate"] == 1.0
    assert results["kinds"]["hedge_dropped"] == {"n": 1, "rejected_before": 0, "rejected": 1, "hard_after": 1,
                                                 "unjudged_before": 0, "unjudged": 0}


def test_the_judge_can_be_spared_the_pairs_the_hard_checks_reject(tmp_path):
    judge = FakeModel(yes=lambda s, u: 0.9)
    rows = score_pairs(load_pairs(write(tmp_path / "p.jsonl", SMALL)), Verifier(judge, 0.5), judge_rejected=False)
    assert len(judge.calls) == 1 and [r["support"] for r in rows] == [0.9, None, None, None]
    after, before = confusion(rows, 0.5), confusion(rows, 0.5, "problems_before")
    assert (after["caught"], after["unjudged"]) == (3, 0) and before["unjudged"] == 3


def test_the_command_prints_the_confusion_matrix_and_writes_json(tmp_path, capsys):
    config = tmp_path / "fake.toml"
    config.write_text('[model]\nbackend = "fake"\n[verify]\njudge = "model"\n')
    out = tmp_path / "out.json"
    code = main(["eval", "verifier", str(write(tmp_path / "p.jsonl", SMALL)), "--config", str(config),
                 "--json", str(out)])
    printed = capsys.readouterr().out
    assert code == 0 and "| all (4) | hard checks after + judge | 3 | 0 | 0 | 1 | 0 | 100.0% | 0.0% |" in printed
    results = json.loads(out.read_text())
    assert results["splits"]["all"]["before"]["missed"] == 3 and len(results["rows"]) == 4


def test_answers_are_cached_and_a_cache_only_run_asks_no_model(tmp_path, capsys):
    config = tmp_path / "fake.toml"
    config.write_text('[model]\nbackend = "fake"\n[verify]\njudge = "model"\n')
    data, cache = write(tmp_path / "p.jsonl", SMALL), tmp_path / "cache.json"
    args = ["eval", "verifier", str(data), "--config", str(config), "--judge-cache", str(cache), "--json"]
    assert main(args + [str(tmp_path / "empty.json"), "--judge-cache-only"]) == 0
    assert json.loads((tmp_path / "empty.json").read_text())["splits"]["all"]["after"]["unjudged"] == 1
    assert main(args + [str(tmp_path / "asked.json")]) == 0 and len(json.loads(cache.read_text())) == 4
    assert main(args + [str(tmp_path / "cached.json"), "--judge-cache-only"]) == 0
    cached = json.loads((tmp_path / "cached.json").read_text())["splits"]["all"]
    assert cached["after"]["unjudged"] == 0 and cached == json.loads((tmp_path / "asked.json").read_text())["splits"]["all"]


@pytest.mark.models
def test_the_real_verifier_catches_unsupported_claims_of_the_labelled_set():
    """A quality floor, not a timing: the rates measured on tests/data/verifier_pairs.jsonl
    (docs/benchmarks.md, "The verifier as a classifier") less a small margin for the judge's
    numeric noise across thread counts. The judge is asked about the pairs the hard checks pass:
    minutes on an idle CPU."""
    from summarise.config import load_config
    from summarise.models import make_language_model

    config = load_config("default")
    model = make_language_model(config.model, config.n_threads, config.seed)
    rows = score_pairs(load_pairs(PAIRS), Verifier(model, config.verify.threshold), config.verify.max_sentence_words,
                       judge_rejected=False)  # as the pipeline: the judge only where the hard checks pass
    result = confusion(rows, config.verify.threshold)
    assert result["catch_rate"] >= CATCH_FLOOR and result["false_reject_rate"] <= FALSE_REJECT_CEILING, result


# The aim is 0.95 and 0.10. Measured at threshold 0.75: 97.7% and 7.0% on the first 158 pairs
# (2026-11-23); 89.9% and 3.9% on 238 (2026-11-24), once 80 pairs of real fused output read in two
# independent reviews joined them: recombinations the judge passes (docs/benchmarks.md); 87.1% and
# 3.1% on 278 (2026-12-04), with the 40 of a third review; 87.7% and 2.9% on 337 (2026-12-05), with
# 19 pairs of swapped roles written beside their rule and the 40 of a fourth review; 86.4% and 2.5%
# on 377 (2026-12-06), with the 40 of a fifth review (10 unsupported, 3 caught by rules); 83.2% and
# 2.2% on 417 (2026-12-06), with the 40 of a sixth review (9 unsupported, 3 caught by rules); 81.0%
# and 2.0% on 457 (2026-12-06), with the 40 of a seventh review (4 unsupported, none caught); 79.7%
# and 2.4% on 497 (2026-12-07), with the 40 of an eighth review (5 unsupported, 2 caught by a rule);
# 79.1% and 3.2% on 537 (2026-12-07), with the 40 of a ninth review (5 unsupported, 2 caught by a
# rule on speakers who say nothing in the evidence, which also catches one of the eighth's); 79.2%
# and 2.9% on 577 (2026-12-07), with the 40 of a tenth review (5 unsupported, 4 caught by rules
# written after reading them; 76.8% before those rules); 76.9% and 2.7% on 611 (2026-12-07), with
# the 34 new pairs of an eleventh review (5 new unsupported, none caught).
# The floor keeps what is reached, less a margin (about four pairs) for the judge's noise across
# thread counts and builds.
CATCH_FLOOR = 0.745
FALSE_REJECT_CEILING = 0.10
