"""Metric values on tiny hand-made examples, computed by hand (the working is in each test)."""
import re

import pytest

from summarise.evaluation.scoring import Judge
from summarise.models.fake import FakeModel
from summarise.evaluation.metrics import (bcubed, citation_scores, cluster_scores, longbench_rouge_l, pairwise, rouge,
                               truncate_words)
from summarise.stages.verify import Verifier

GOLD = ["A", "A", "B", "B", "B"]
PRED = [1, 1, 1, 2, 2]


def test_bcubed_by_hand():
    # precision per item: 2/3, 2/3 (cluster 1 = {0,1,2}, two of them A), 1/3 (item 2 is B), 1, 1
    # -> (2/3 + 2/3 + 1/3 + 1 + 1) / 5 = 11/15
    # recall per item: 1, 1 (both A together), 1/3 (B = {2,3,4}, only 2 in its cluster), 2/3, 2/3
    # -> 11/15 as well
    p, r, f = bcubed(PRED, GOLD)
    assert p == pytest.approx(11 / 15)
    assert r == pytest.approx(11 / 15)
    assert f == pytest.approx(11 / 15)


def test_bcubed_baselines_by_hand():
    # singletons: every item precise; recall 1/2, 1/2, 1/3, 1/3, 1/3 -> 2/5
    assert bcubed([0, 1, 2, 3, 4], GOLD)[:2] == pytest.approx((1.0, 0.4))
    # all in one: precision 2/5, 2/5, 3/5, 3/5, 3/5 -> 13/25; recall 1
    assert bcubed(["x"] * 5, GOLD)[:2] == pytest.approx((13 / 25, 1.0))


def test_pairwise_by_hand():
    # predicted pairs: 01 02 12 34 (4); gold pairs: 01 23 24 34 (4); in both: 01 34
    assert pairwise(PRED, GOLD) == pytest.approx((0.5, 0.5, 0.5))
    # singletons: no predicted pair, so nothing wrongly joined (P = 1) and nothing found (R = 0)
    assert pairwise([0, 1, 2, 3, 4], GOLD) == pytest.approx((1.0, 0.0, 0.0))


def test_cluster_scores_perfect_and_mismatched_lengths():
    score = cluster_scores(["x", "x", "y", "y", "y"], GOLD)
    assert (score.bcubed_f1, score.pairwise_f1, score.ari, score.ami) == pytest.approx((1, 1, 1, 1))
    assert score.n_clusters == 2
    with pytest.raises(ValueError):
        bcubed([1, 2], GOLD)


def test_rouge_tiny_pair_by_hand():
    # prediction "the cat sat" (3 words), reference "the cat sat on the mat" (6 words)
    # ROUGE-1: 3 shared unigrams: P 1, R 3/6, F 2/3; ROUGE-2: bigrams "the cat", "cat sat" of 5: R 2/5, F 4/7
    # ROUGE-L: LCS "the cat sat" = 3: as ROUGE-1
    scores = rouge("the cat sat", ["the cat sat on the mat"])
    assert scores["rouge1_r"] == pytest.approx(50.0)
    assert scores["rouge1_f"] == pytest.approx(200 / 3)
    assert scores["rouge2_r"] == pytest.approx(40.0)
    assert scores["rouge2_f"] == pytest.approx(400 / 7)
    assert scores["rougeL_f"] == pytest.approx(200 / 3)


def test_rouge_takes_the_best_reference_and_stems():
    # "cats" stems to "cat": against the second reference every word matches
    scores = rouge("the cats sat", ["dogs ran far away", "the cat sat"])
    assert scores["rouge1_f"] == pytest.approx(100.0)


def test_longbench_rouge_l_by_hand():
    # the `rouge` package counts distinct words: reference {the, cat, sat, on, mat} = 5, prediction 3,
    # union LCS 3 -> R 3/5, P 1, F = 2 * 0.6 / 1.6 = 0.75
    assert longbench_rouge_l("the cat sat", ["the cat sat on the mat"]) == pytest.approx(75.0, abs=1e-4)
    assert longbench_rouge_l("", ["the cat sat on the mat"]) == 0.0  # LongBench scores failures as 0


def test_truncate_words():
    assert truncate_words("one two  three four", 2) == "one two"
    assert truncate_words("one two", 5) == "one two"
    assert truncate_words("one two", None) == "one two"


def word_judge():
    """A FakeModel judge: 'Yes' when every word of the claim occurs in the premise."""
    def yes(system, user):
        premise = re.search(r"Premise: (.*)\n\nClaim: ", user, re.S).group(1).lower()
        claim = re.search(r"Claim: (.*)\n\nIs the claim", user, re.S).group(1).lower()
        return 0.9 if set(re.findall(r"\w+", claim)) <= set(re.findall(r"\w+", premise)) else 0.1
    model = FakeModel(yes=yes)
    return Judge(Verifier(model, threshold=0.5)), model


def test_citation_precision_and_recall_alce_by_hand():
    judge, model = word_judge()
    summary = [
        # jointly supported; citation 1 supports alone; citation 2 alone does not and the rest
        # (citation 1) still does -> over-citation: 1 of 2 precise
        ("Rain fell in Paris.", ["Rain fell in Paris on Monday.", "Paris is in France."]),
        # not supported ("sharply" is missing): recall 0, its citation imprecise
        ("Prices rose sharply.", ["Prices rose."]),
        # no citation: counts against recall, adds no citation
        ("Snow fell.", []),
    ]
    score = citation_scores(summary, judge)
    assert score.recall == pytest.approx(100 / 3)  # 1 of 3 sentences supported
    assert score.precision == pytest.approx(100 / 3)  # 1 of 3 citations precise
    assert (score.sentences, score.citations) == (3, 3)
    assert any(kind == "yes" for kind, _ in model.calls)  # the judge was really asked


def test_citations_needed_together_are_both_precise():
    judge, _ = word_judge()
    # neither passage alone supports the claim, both together do: neither is superfluous
    score = citation_scores([("Rain fell in Paris on Monday.", ["Rain fell in Paris.", "It was on Monday."])], judge)
    assert (score.recall, score.precision) == (100.0, 100.0)


def test_judge_accepts_verbatim_claims_without_asking():
    judge, model = word_judge()
    assert judge("Rain fell.", ["Rain fell.", "Something else entirely."])
    assert model.calls == []
