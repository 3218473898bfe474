"""Subjectivity of a sentence (0 objective .. 1 subjective), from TextBlob's lexicon, which ships
with the package (no download). Ranking prefers plain statements by it; evaluation compares a
briefing's mean with its sources'."""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=65536)
def subjectivity(text: str) -> float:
    # TextBlob(text).sentiment.subjectivity's own analyser, called directly: the same value without
    # the blob and the named-tuple class that analyser builds on every call (a third of its time)
    from textblob.en import sentiment

    return float(sentiment(text)[1])
