"""Evaluation metrics, each a plain function that is easy to check by hand.

- ROUGE-1/2/L F1 and recall (`rouge-score`, Porter-stemmed), best over the references;
- LongBench's ROUGE-L (the `rouge` package, F1 x100), comparable with its published LLM numbers;
- citation recall and precision in ALCE's sense (Gao et al. 2023), with any yes/no judge;
- B-cubed and pairwise precision/recall/F1 for clusterings, ARI/AMI through scikit-learn.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Sequence

ROUGE_KEYS = ("rouge1", "rouge2", "rougeL")


def truncate_words(text: str, max_words: int | None) -> str:
    """The first max_words whitespace-separated words (how classic 100-word comparisons cut)."""
    if not max_words:
        return text
    words = text.split()
    return text if len(words) <= max_words else " ".join(words[:max_words])


@lru_cache(maxsize=1)
def _rouge_scorer():
    from rouge_score import rouge_scorer

    return rouge_scorer.RougeScorer(list(ROUGE_KEYS), use_stemmer=True)


def rouge(prediction: str, references: Sequence[str]) -> dict[str, float]:
    """{"rouge1_f", "rouge1_r", ...} x100, from the reference that gives the best F1 per measure."""
    out: dict[str, float] = {}
    scores = [_rouge_scorer().score(reference, prediction) for reference in references]
    for key in ROUGE_KEYS:
        best = max((s[key] for s in scores), key=lambda s: s.fmeasure)
        out[f"{key}_f"] = 100.0 * best.fmeasure
        out[f"{key}_r"] = 100.0 * best.recall
    return out


def longbench_rouge_l(prediction: str, references: Sequence[str]) -> float:
    """LongBench's multi_news metric: `rouge` package ROUGE-L F x100, best reference; 0 when the
    package cannot score (an empty summary), as in LongBench's own code."""
    from rouge import Rouge

    best = 0.0
    for reference in references:
        try:
            score = Rouge().get_scores([prediction], [reference], avg=True)["rouge-l"]["f"]
        except (ValueError, RecursionError):
            score = 0.0
        best = max(best, 100.0 * score)
    return best


# -- citations (ALCE) ---------------------------------------------------------------------

Entails = Callable[[str, list[str]], bool]  # (claim, evidence passages) -> supported?


@dataclass
class CitationScore:
    recall: float  # share of sentences whose citations jointly entail them
    precision: float  # share of citations that are not irrelevant
    sentences: int
    citations: int


def citation_scores(sentences: Sequence[tuple[str, Sequence[str]]], entails: Entails) -> CitationScore:
    """ALCE's citation recall and precision for one summary.

    Each item is (sentence, its cited evidence). Recall: a sentence counts when the
    concatenation of its evidence entails it (no citation: it does not). Precision: a citation
    is imprecise when the sentence is not jointly supported, or when it alone does not support
    the sentence while the other citations without it still do (ALCE's over-citation)."""
    supported, precise, total = 0, 0, 0
    for claim, evidence in sentences:
        evidence = list(evidence)
        total += len(evidence)
        if not evidence:
            continue
        joint = entails(claim, evidence)
        supported += joint
        if not joint:
            continue
        if len(evidence) == 1:
            precise += 1
            continue
        for k, passage in enumerate(evidence):
            rest = evidence[:k] + evidence[k + 1:]
            if entails(claim, [passage]) or not entails(claim, rest):
                precise += 1
    n = len(sentences)
    return CitationScore(100.0 * supported / n if n else 0.0, 100.0 * precise / total if total else 0.0, n, total)


# -- clustering ---------------------------------------------------------------------------

@dataclass
class ClusterScore:
    bcubed_p: float
    bcubed_r: float
    bcubed_f1: float
    pairwise_p: float
    pairwise_r: float
    pairwise_f1: float
    ari: float
    ami: float
    n_clusters: int


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def bcubed(predicted: Sequence, gold: Sequence) -> tuple[float, float, float]:
    """B-cubed precision, recall, F1 (Bagga & Baldwin 1998), averaged over items.

    An item's precision is the share of its predicted cluster that shares its gold event; its
    recall the share of its gold event that shares its predicted cluster."""
    _check_lengths(predicted, gold)
    both = Counter(zip(predicted, gold))
    pred_size, gold_size = Counter(predicted), Counter(gold)
    n = len(gold)
    p = sum(count * count / pred_size[pc] for (pc, _), count in both.items()) / n
    r = sum(count * count / gold_size[gc] for (_, gc), count in both.items()) / n
    return p, r, _f1(p, r)


def pairwise(predicted: Sequence, gold: Sequence) -> tuple[float, float, float]:
    """Precision, recall, F1 over pairs of items put in one cluster. With no predicted pairs,
    precision is 1 (nothing was wrongly joined); with no gold pairs, recall is 1."""
    _check_lengths(predicted, gold)

    def pairs(counts: Counter) -> int:
        return sum(c * (c - 1) // 2 for c in counts.values())

    together = pairs(Counter(zip(predicted, gold)))
    predicted_pairs, gold_pairs = pairs(Counter(predicted)), pairs(Counter(gold))
    p = together / predicted_pairs if predicted_pairs else 1.0
    r = together / gold_pairs if gold_pairs else 1.0
    return p, r, _f1(p, r)


def cluster_scores(predicted: Sequence, gold: Sequence) -> ClusterScore:
    from sklearn.metrics import adjusted_mutual_info_score, adjusted_rand_score

    bp, br, bf = bcubed(predicted, gold)
    pp, pr, pf = pairwise(predicted, gold)
    labels_p, labels_g = [str(x) for x in predicted], [str(x) for x in gold]
    return ClusterScore(bp, br, bf, pp, pr, pf, float(adjusted_rand_score(labels_g, labels_p)),
                        float(adjusted_mutual_info_score(labels_g, labels_p)), len(set(labels_p)))


def _check_lengths(predicted: Sequence, gold: Sequence) -> None:
    if len(predicted) != len(gold) or not gold:
        raise ValueError(f"need one predicted label per gold label ({len(predicted)} vs {len(gold)}, non-empty)")


# -- neutrality ---------------------------------------------------------------------------

def mean_subjectivity(sentences: Sequence[str]) -> float:
    """Mean TextBlob subjectivity (0 objective .. 1 subjective) of the sentences; 0 for none."""
    from summarise.stages.subjectivity import subjectivity

    texts = [s for s in sentences if re.search(r"\w", s)]
    return sum(subjectivity(s) for s in texts) / len(texts) if texts else 0.0
