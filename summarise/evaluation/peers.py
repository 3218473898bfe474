"""Baseline summarisers to compare against: Lead-k, and LexRank, TextRank, KL-Sum and SumBasic (sumy).

All of them read the same sentences as the pipeline (summarise.stages.segment's Punkt splitter; sumy's own
splitter needs NLTK downloads) and fill the same word budget, so only the choice of sentences
differs. Output keeps document order, as sumy does.
"""
from __future__ import annotations

import re
from typing import Callable

from summarise.stages.segment import split_spans

Summariser = Callable[[list[str], int], str]  # (documents, word budget) -> summary
_WORD = re.compile(r"\w+", re.UNICODE)


def sentences_of(documents: list[str]) -> list[list[str]]:
    return [[text[a:b].strip() for a, b in split_spans(text) if text[a:b].strip()] for text in documents]


def _fill(ranked: list[tuple[int, int]], split: list[list[str]], budget: int) -> str:
    """Take (doc, index) sentences in rank order until the budget is met; print in document order."""
    chosen, words, seen = [], 0, set()
    for doc, index in ranked:
        text = split[doc][index]
        if words >= budget:
            break
        if text in seen:
            continue
        seen.add(text)
        chosen.append((doc, index))
        words += len(text.split())
    return " ".join(split[d][i] for d, i in sorted(chosen))


def lead(documents: list[str], budget: int) -> str:
    """Lead-k for many documents: first sentences of every document, then second ones, ..."""
    split = sentences_of(documents)
    depth = max((len(s) for s in split), default=0)
    ranked = [(d, i) for i in range(depth) for d in range(len(split)) if i < len(split[d])]
    chosen, words = [], 0
    for d, i in ranked:
        if words >= budget:
            break
        chosen.append(split[d][i])
        words += len(split[d][i].split())
    return " ".join(chosen)


class _Words:
    """The word tokenizer sumy's Sentence calls (its own needs NLTK downloads)."""

    @staticmethod
    def to_words(text: str) -> list[str]:
        return _WORD.findall(text)


def _sumy_ratings(summarizer, split: list[list[str]]) -> dict:
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence

    paragraphs = [Paragraph([Sentence(s, _Words()) for s in doc]) for doc in split if doc]
    document = ObjectDocumentModel(paragraphs)
    captured: dict = {}

    def capture(sentences, count, rating, *args, **kwargs):
        captured.update(rating)
        return ()

    summarizer._get_best_sentences = capture  # sumy ranks, we fill the budget
    summarizer(document, 1)
    return captured


# sumy's summariser class for each peer, by module and class name (imported when used)
_SUMY = {"lexrank": ("lex_rank", "LexRankSummarizer"), "textrank": ("text_rank", "TextRankSummarizer"),
         "kl": ("kl", "KLSummarizer"), "sumbasic": ("sum_basic", "SumBasicSummarizer")}


def _sumy(kind: str) -> Summariser:
    def summarise_with_sumy(documents: list[str], budget: int) -> str:
        from importlib import import_module

        from sumy.nlp.stemmers import Stemmer
        from sumy.utils import get_stop_words

        module, name = _SUMY[kind]
        summarizer = getattr(import_module(f"sumy.summarizers.{module}"), name)(Stemmer("english"))
        summarizer.stop_words = get_stop_words("english")
        split = sentences_of(documents)
        ratings = _sumy_ratings(summarizer, split)
        positions = [(d, i) for d in range(len(split)) for i in range(len(split[d]))]
        score = {text: float(value) for text, value in ((str(s), v) for s, v in ratings.items())}
        ranked = sorted(positions, key=lambda p: (-score.get(split[p[0]][p[1]], 0.0), p))
        return _fill(ranked, split, budget)

    summarise_with_sumy.__name__ = kind
    return summarise_with_sumy


PEERS: dict[str, Summariser] = {"lead": lead, **{kind: _sumy(kind) for kind in _SUMY}}
