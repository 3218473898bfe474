"""Rank by concept coverage: brief the concepts that many outlets share, within a word budget.

A concept is a stemmed content word or a pair of adjacent words that are not both stopwords
(the units of ICSISumm, Gillick & Favre 2009). A concept weighs how many outlets state it times
how early they do (reports lead with what matters). The briefing is picked greedily by the weight
of concepts a sentence adds per word, times the sentence's own salience (rank.py's centrality,
support and lead position; the `coverage_prior` power): budgeted submodular coverage (Lin &
Bilmes 2011). A concept already briefed adds nothing, so the briefing does not say one thing
twice, and a fact three outlets lead with outweighs a quote one carries. Each pick becomes a
`FactGroup` with the outlets that state the same fact, as `MMRRanker` does. Measured in
docs/benchmarks.md ("Coverage ranking").
"""
from __future__ import annotations

import math
import re
from collections import defaultdict
from functools import lru_cache

import numpy as np
from nltk.stem import PorterStemmer

from summarise.stages.rank import (FactGroup, RankSettings, _can_anchor, _salience, _supporting_members, closest,
                                   leading_sentences, sentence_budget, without_instructions)
from summarise.types import Article, Sentence

STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had
has have having he her here hers herself him himself his how i if in into is it its itself just
me more most my myself no nor not now of off on once only or other our ours ourselves out over
own same she should so some such than that the their theirs them themselves then there these
they this those through to too under until up very was we were what when where which while who
whom why will with would you your yours yourself yourselves said says say told according mr mrs
ms one two new like get got s t us
""".split())

_WORD = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)*")
_POSSESSIVE = re.compile(r"['\u2019]s\b")
_US = re.compile(r"\bU\.?S\.?(?=\W|$)")  # the country, not the pronoun "us"
_STEMMER = PorterStemmer()
# "MOSCOW (AP) -" and "LONDON, June 3 (Reuters) -": a dateline is no content and costs words
_DATELINE = re.compile(r"^[A-Z][A-Z .,'-]{2,40}(?:,[\w .]{1,20})?\s*(?:\([\w .]{1,20}\))?\s*[\u2014\u2013-]{1,2}\s*"
                       r"(?=[A-Z\"'\u201c])")


@lru_cache(maxsize=65_536)
def _stem(word: str) -> str:
    return _STEMMER.stem(word)


def concepts(text: str) -> set[str]:
    """The sentence's content words and word pairs, stemmed; pairs of two stopwords are left out."""
    words = _WORD.findall(_POSSESSIVE.sub("", _US.sub("usa", text)).lower())
    stems = [_stem(w) for w in words]
    content = [w not in STOPWORDS for w in words]
    units = {s for s, c in zip(stems, content) if c and len(s) > 1}
    units.update(f"{a} {b}" for a, b, ca, cb in zip(stems, stems[1:], content, content[1:]) if ca or cb)
    return units


def without_dateline(sentence: Sentence) -> Sentence:
    """The sentence after its dateline, still an exact span of its article (start moves on)."""
    match = _DATELINE.match(sentence.text)
    if not match:
        return sentence
    cut = match.end()
    return Sentence(sentence.article_id, sentence.index, sentence.start + cut, sentence.end, sentence.text[cut:])


def concept_weights(sentences: list[Sentence], origin: np.ndarray, units: list[set[str]]) -> dict[str, float]:
    """Each concept: the number of outlets that state it times the sum over them of
    1/sqrt(1 + the index of the outlet's first sentence stating it), so what many outlets share
    outweighs what one outlet leads with."""
    first: dict[tuple[str, str], int] = {}
    for sentence, outlet, sentence_units in zip(sentences, origin, units):
        for unit in sentence_units:
            key = (unit, outlet)
            if key not in first or sentence.index < first[key]:
                first[key] = sentence.index
    earliness: dict[str, float] = defaultdict(float)
    outlets: dict[str, int] = defaultdict(int)
    for (unit, _), index in sorted(first.items()):  # one order of addition: the same weights every run
        earliness[unit] += 1.0 / np.sqrt(1.0 + index)
        outlets[unit] += 1
    return {unit: outlets[unit] * value for unit, value in earliness.items()}


class CoverageRanker:
    def __init__(self, settings: RankSettings = RankSettings()):
        self.settings = settings

    def rank(self, sentences: list[Sentence], vectors: np.ndarray, articles: dict[str, Article],
             max_facts: int | None = None) -> list[FactGroup]:
        return rank_by_coverage(sentences, vectors, articles, self.settings)[:max_facts]


def rank_by_coverage(sentences: list[Sentence], vectors: np.ndarray, articles: dict[str, Article],
                     settings: RankSettings) -> list[FactGroup]:
    if settings.drop_instructions:
        sentences, vectors = without_instructions(sentences, vectors)
    sentences, vectors = leading_sentences(sentences, vectors, settings.max_event_sentences)
    if not sentences:
        return []
    sentences = [without_dateline(s) for s in sentences]
    similarity = vectors @ vectors.T
    origin = np.array([articles[s.article_id].duplicate_of or s.article_id for s in sentences])
    origins = sorted(set(origin))
    members = _supporting_members(similarity, origin, origins, settings.support_similarity)
    # a spun or duplicated copy adds no outlet to a concept's weight
    counted = [i for i, s in enumerate(sentences) if not articles[s.article_id].spun]
    units = [concepts(s.text) for s in sentences]
    weights = concept_weights([sentences[i] for i in counted], origin[counted], [units[i] for i in counted])
    eligible = [i for i, s in enumerate(sentences) if _can_anchor(s, articles[s.article_id], settings)]
    if settings.corroborate_from and len(origins) >= settings.corroborate_from:
        # as in rank.py, with enough outlets a fact only one of them states is not briefed; and a
        # spun copy, a rewrite of some outlet's report, is no second outlet here
        eligible = [i for i in eligible if any(not articles[sentences[j].article_id].spun for j in members[i])
                    ] or eligible
    budget = settings.max_sentences if settings.budget_words else sentence_budget(len(origins), settings)
    words = [max(len(s.text.split()), 1) for s in sentences]
    prior = _salience(sentences, similarity, members, len(origins)) ** settings.coverage_prior
    picks = _greedy_coverage(eligible, units, weights, words, prior, similarity, members, budget,
                             settings.budget_words, settings.coverage_cost_exponent)
    return [FactGroup([sentences[j] for j in [i, *closest(members[i], similarity[i], settings.max_citations - 1)]],
                      gain) for i, gain in picks]


def _greedy_coverage(candidates: list[int], units: list[set[str]], weights: dict[str, float], words: list[int],
                     prior: np.ndarray, similarity: np.ndarray, members: list[list[int]], budget: int, word_budget: int,
                     cost_exponent: float, redundant: float = 0.8) -> list[tuple[int, float]]:
    """Up to `budget` sentences, or with a word budget until that many words: each time the
    sentence adding the most uncovered concept weight per word**cost_exponent, times its prior."""
    chosen: list[tuple[int, float]] = []
    covered_units: set[str] = set()
    stated: set[int] = set()  # sentences whose fact a chosen group already cites
    pool = list(candidates)
    written = 0
    while pool and len(chosen) < budget and (not word_budget or written < word_budget):
        # fsum: exact whatever the order of the set (str hashes vary by process), so runs agree
        gains = {i: math.fsum(weights.get(u, 0.0) for u in units[i] - covered_units) for i in pool}
        best = max(pool, key=lambda i: (prior[i] * gains[i] / words[i] ** cost_exponent, -i))
        pool.remove(best)
        if gains[best] <= 0:
            break
        if best in stated or any(similarity[best, j] >= redundant for j, _ in chosen):
            continue
        chosen.append((best, gains[best]))
        covered_units |= units[best]
        stated.update(members[best])
        written += words[best]
    return chosen
