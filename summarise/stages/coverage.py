"""Rank by concept coverage: brief the concepts that many outlets share, within a word budget.

A concept is a stemmed content word or a pair of adjacent words that are not both stopwords
(the units of ICSISumm, Gillick & Favre 2009). A concept weighs how many outlets state it times
how early they do (reports lead with what matters). The briefing is picked greedily by the weight
of concepts a sentence adds per word, times the sentence's own salience (rank.py's centrality,
support and lead position; the `coverage_prior` power): budgeted submodular coverage (Lin &
Bilmes 2011). A concept already briefed adds nothing, so the briefing does not say one thing
twice, and a fact three outlets lead with outweighs a quote one carries. Each pick becomes a
`FactGroup` with the outlets that state the same fact, as `MMRRanker` does. In events of
`coverage_ilp_from` outlets or more (or everywhere with `coverage_solver = "ilp"`) the
concept-maximal set is picked exactly instead (ICSISumm's ILP, HiGHS): first the best
`coverage_lead_words`, then the rest of the budget. Measured in docs/benchmarks.md ("Coverage
ranking", "Exact coverage" and "Content selection (issue 12, third pass)").
"""
from __future__ import annotations

import math
import re
from collections import defaultdict
from functools import lru_cache

import numpy as np

from summarise.stages.rank import (FactGroup, RankSettings, _salience, anchor_candidates, closest, event_sentences,
                                   sentence_budget)
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
# "MOSCOW (AP) -" and "LONDON, June 3 (Reuters) -": a dateline is no content and costs words
_DATELINE = re.compile(r"^[A-Z][A-Z .,'-]{2,40}(?:,[\w .]{1,20})?\s*(?:\([\w .]{1,20}\))?\s*[\u2014\u2013-]{1,2}\s*"
                       r"(?=[A-Z\"'\u201c])")


REDUNDANT = 0.8  # sentence cosine at which two picks say the same thing
RARE_CONCEPT = 0.1  # the weight left to a concept too few of many outlets state (fewest_outlets)
ILP_CANDIDATES = 300  # the ILP chooses among at most this many sentences (the densest)


@lru_cache(maxsize=1)
def _stemmer():
    # imported on first use: nltk's package import takes about a second (it pulls in scipy.stats),
    # which `summarise --help` and the library's import need not pay
    from nltk.stem import PorterStemmer

    return PorterStemmer()


@lru_cache(maxsize=65_536)
def _stem(word: str) -> str:
    return _stemmer().stem(word)


def concepts(text: str) -> set[str]:
    """The sentence's content words and word pairs, stemmed; pairs of two stopwords are left out."""
    words = _WORD.findall(_POSSESSIVE.sub("", _US.sub("usa", text)).lower())
    stems = [_stem(w) for w in words]
    content = [w not in STOPWORDS for w in words]
    units = {s for s, c in zip(stems, content) if c and len(s) > 1}
    units.update(f"{a} {b}" for a, b, ca, cb in zip(stems, stems[1:], content, content[1:]) if ca or cb)
    return units


def content_stems(text: str) -> set[str]:
    """The sentence's content words, stemmed: what it states, for comparing it with its evidence."""
    return {unit for unit in concepts(text) if " " not in unit}


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
    outweighs what one outlet leads with. With many outlets, a concept fewer than
    `fewest_outlets` of them state weighs only RARE_CONCEPT as much (ICSISumm's document-frequency
    cut, softened so that a word budget still fills when the outlets share little)."""
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
    least = fewest_outlets(len(set(origin)))
    return {unit: outlets[unit] * value * (1.0 if outlets[unit] >= least else RARE_CONCEPT)
            for unit, value in earliness.items()}


def fewest_outlets(n_outlets: int) -> int:
    """How many outlets must state a concept for it to count: 1 of up to 3, 2 of 4-6, 3 of 7 or
    more (Gillick & Favre 2009 keep concepts of 3+ of DUC's 10 documents): among many reports, a
    word pair only one of them uses is that outlet's wording, not the story."""
    return 1 + (n_outlets >= 4) + (n_outlets >= 7)


class CoverageRanker:
    def __init__(self, settings: RankSettings = RankSettings()):
        self.settings = settings

    def rank(self, sentences: list[Sentence], vectors: np.ndarray, articles: dict[str, Article],
             max_facts: int | None = None) -> list[FactGroup]:
        return rank_by_coverage(sentences, vectors, articles, self.settings)[:max_facts]


def rank_by_coverage(sentences: list[Sentence], vectors: np.ndarray, articles: dict[str, Article],
                     settings: RankSettings) -> list[FactGroup]:
    event = event_sentences(sentences, vectors, articles, settings)
    if event is None:
        return []
    similarity, origin, origins, members = event.similarity, event.origin, event.origins, event.members
    sentences = [without_dateline(s) for s in event.sentences]
    # a spun or duplicated copy adds no outlet to a concept's weight
    counted = [i for i, s in enumerate(sentences) if not articles[s.article_id].spun]
    units = [concepts(s.text) for s in sentences]
    weights = concept_weights([sentences[i] for i in counted], origin[counted], [units[i] for i in counted])
    eligible = anchor_candidates(sentences, articles, settings)
    if settings.corroborate_from and len(origins) >= settings.corroborate_from:
        # as in rank.py, with enough outlets a fact only one of them states is not briefed; and a
        # spun copy, a rewrite of some outlet's report, is no second outlet here
        eligible = [i for i in eligible if any(not articles[sentences[j].article_id].spun for j in members[i])
                    ] or eligible
    budget = settings.max_sentences if settings.budget_words else sentence_budget(len(origins), settings)
    words = [max(len(s.text.split()), 1) for s in sentences]
    # the prior is read for anchor candidates alone (the greedy's pool, the ILP's candidates)
    prior = _salience(sentences, similarity, members, len(origins), read=eligible) ** settings.coverage_prior
    outlets = len({origin[i] for i in counted})
    if uses_ilp(settings, outlets):
        picks = _ilp_then_greedy(eligible, units, weights, words, prior, similarity, members, budget, settings)
    else:
        restates = 0 < settings.coverage_new_fact_from <= outlets
        picks = _greedy_coverage(eligible, units, weights, words, prior, similarity, members, budget,
                                 settings.budget_words, settings.coverage_cost_exponent,
                                 new_fact_share=settings.coverage_new_fact_share if restates else None)
    return [FactGroup([sentences[j] for j in [i, *closest(members[i], similarity[i], settings.max_citations - 1)]],
                      gain) for i, gain in picks]


def uses_ilp(settings: RankSettings, n_outlets: int) -> bool:
    """The exact ILP when asked for, or from `coverage_ilp_from` outlets on: its document-frequency
    weights say what the story is only when many reports share concepts (docs/benchmarks.md)."""
    return settings.coverage_solver == "ilp" or 0 < settings.coverage_ilp_from <= n_outlets


def _greedy_coverage(candidates: list[int], units: list[set[str]], weights: dict[str, float], words: list[int],
                     prior: np.ndarray, similarity: np.ndarray, members: list[list[int]], budget: int, word_budget: int,
                     cost_exponent: float, redundant: float = REDUNDANT,
                     chosen: list[tuple[int, float]] | None = None,
                     new_fact_share: float | None = None) -> list[tuple[int, float]]:
    """Up to `budget` sentences, or with a word budget until that many words: each time the
    sentence adding the most uncovered concept weight per word**cost_exponent, times its prior;
    after the `chosen` ones when given. A sentence a chosen group cites states that group's fact
    and is skipped, unless `new_fact_share` of its concept weight is still unbriefed: AP's "...
    ignored Russia's top security demands but added that Moscow is still open for more talks"
    cited for "ignored" also states the talks."""
    chosen = list(chosen or [])
    covered_units: set[str] = set().union(*(units[i] for i, _ in chosen))
    stated: set[int] = {j for i, _ in chosen for j in members[i]}  # sentences whose fact a chosen group cites
    pool = [i for i in candidates if i not in {i for i, _ in chosen}]
    written = sum(words[i] for i, _ in chosen)
    while pool and len(chosen) < budget and (not word_budget or written < word_budget):
        # fsum: exact whatever the order of the set (str hashes vary by process), so runs agree
        gains = {i: math.fsum(weights.get(u, 0.0) for u in units[i] - covered_units) for i in pool}
        best = max(pool, key=lambda i: (prior[i] * gains[i] / words[i] ** cost_exponent, -i))
        pool.remove(best)
        if gains[best] <= 0:
            break
        if best in stated and not _states_more(best, gains[best], units, weights, new_fact_share) \
                or any(similarity[best, j] >= redundant for j, _ in chosen):
            continue
        chosen.append((best, gains[best]))
        covered_units |= units[best]
        stated.update(members[best])
        written += words[best]
    return chosen


def _states_more(i: int, unbriefed: float, units: list[set[str]], weights: dict[str, float],
                 share: float | None) -> bool:
    return share is not None and unbriefed >= share * math.fsum(weights.get(u, 0.0) for u in units[i])


def _ilp_then_greedy(candidates: list[int], units: list[set[str]], weights: dict[str, float], words: list[int],
                     prior: np.ndarray, similarity: np.ndarray, members: list[list[int]], budget: int,
                     settings: RankSettings) -> list[tuple[int, float]]:
    """The concept-maximal lead of `coverage_lead_words` (an exact ILP, as ICSISumm), then, with
    a word budget, the concept-maximal rest of it, then greedy picks until the budget is met
    (the last one may run over, as the greedy's does). Solving the lead alone first keeps the
    briefing's opening the best short briefing: a reader, or a 100-word cut, stops early."""
    chosen: list[tuple[int, float]] = []
    parts = [min(settings.coverage_lead_words, settings.budget_words or settings.coverage_lead_words)]
    if settings.budget_words > settings.coverage_lead_words:
        parts.append(settings.budget_words - settings.coverage_lead_words)
    for words_allowed in parts:
        picked = best_concept_set(_still_open(candidates, chosen, similarity, members), units, weights, words,
                                  words_allowed, similarity, members, chosen, prior, settings.coverage_prior_bonus)
        chosen += _in_greedy_order(picked, units, weights, words, prior, chosen)[:max(budget - len(chosen), 0)]
    return _greedy_coverage(candidates, units, weights, words, prior, similarity, members, budget,
                            settings.budget_words, settings.coverage_cost_exponent, chosen=chosen)


def _still_open(candidates: list[int], chosen: list[tuple[int, float]], similarity: np.ndarray,
                members: list[list[int]]) -> list[int]:
    """Candidates that neither a chosen group cites nor repeat a chosen sentence."""
    taken = {i for i, _ in chosen}
    stated = {j for i in taken for j in members[i]}
    return [i for i in candidates if i not in taken and i not in stated
            and not any(similarity[i, j] >= REDUNDANT for j in taken)]


def best_concept_set(candidates: list[int], units: list[set[str]], weights: dict[str, float], words: list[int],
                     word_budget: int, similarity: np.ndarray, members: list[list[int]],
                     chosen: list[tuple[int, float]] = (), prior: np.ndarray | None = None,
                     prior_bonus: float = 0.0) -> list[int]:
    """The candidates, at most `word_budget` words in all, that together state the most concept
    weight not yet covered by `chosen` (Gillick & Favre 2009), solved exactly by HiGHS; two that
    say the same thing (cosine >= REDUNDANT, or one cites the other) are never both picked.
    With `prior_bonus`, a sentence also adds that x its prior (max 1) x its words x the mean
    concept weight per word, a soft preference for what the salience prior favours."""
    covered = set().union(*(units[i] for i, _ in chosen))
    from scipy.optimize import Bounds, LinearConstraint, milp  # only the ILP solver needs them
    from scipy.sparse import coo_matrix

    fits = _most_promising([i for i in candidates if words[i] <= word_budget], units, weights, words, covered)
    if not fits:
        return []
    holders: dict[str, list[int]] = defaultdict(list)
    for k, i in enumerate(fits):
        for unit in units[i] - covered:
            if weights.get(unit, 0.0) > 0:
                holders[unit].append(k)
    n = len(fits)
    own = np.zeros(n)  # the weight of concepts only one candidate states goes straight to it
    shared = []
    for unit in sorted(holders):
        if len(holders[unit]) == 1:
            own[holders[unit][0]] += weights[unit]
        else:
            shared.append(unit)
    if prior_bonus and prior is not None:
        per_word = (own.sum() + sum(weights[u] for u in shared)) / max(sum(words[i] for i in fits), 1)
        scale = max(float(prior[fits].max()), 1e-9)
        own += prior_bonus * np.array([prior[i] / scale * words[i] for i in fits]) * per_word
    m = len(shared)
    objective = -np.concatenate([own, [weights[u] for u in shared]])
    rows, cols, vals = [0] * n, list(range(n)), [float(words[i]) for i in fits]  # row 0: the word budget
    for r, unit in enumerate(shared, start=1):  # a concept counts only if a picked sentence states it
        rows += [r] * (len(holders[unit]) + 1)
        cols += [n + r - 1, *holders[unit]]
        vals += [1.0, *[-1.0] * len(holders[unit])]
    upper = [float(word_budget)] + [0.0] * m
    row = m + 1
    for a, b in _repeating_pairs(fits, similarity, members):  # never both
        rows += [row, row]
        cols += [a, b]
        vals += [1.0, 1.0]
        upper.append(1.0)
        row += 1
    matrix = coo_matrix((vals, (rows, cols)), shape=(row, n + m)).tocsr()
    result = milp(objective, constraints=LinearConstraint(matrix, -np.inf, upper),
                  integrality=np.concatenate([np.ones(n), np.zeros(m)]), bounds=Bounds(0, 1),
                  options={"time_limit": 20.0})
    if result.x is None:
        return []
    return [fits[k] for k in range(n) if result.x[k] > 0.5]


def _most_promising(candidates: list[int], units: list[set[str]], weights: dict[str, float], words: list[int],
                    covered: set[str]) -> list[int]:
    """The ILP_CANDIDATES candidates adding the most uncovered concept weight per word, in their
    order: a 2,000-article event's thousands of sentences would make the ILP slow, and sentences
    that add little per word are never in the best set anyway."""
    if len(candidates) <= ILP_CANDIDATES:
        return candidates
    density = {i: math.fsum(weights.get(u, 0.0) for u in units[i] - covered) / words[i] for i in candidates}
    return sorted(sorted(candidates, key=lambda i: (-density[i], i))[:ILP_CANDIDATES])


def _repeating_pairs(fits: list[int], similarity: np.ndarray, members: list[list[int]]) -> list[tuple[int, int]]:
    """Positions (a < b) in `fits` of two sentences that say the same thing: cosine >= REDUNDANT,
    or one cites the other as stating its fact."""
    close = np.argwhere(np.triu(similarity[np.ix_(fits, fits)] >= REDUNDANT, k=1))
    pairs = {(int(a), int(b)) for a, b in close}
    position = {i: k for k, i in enumerate(fits)}
    for a, i in enumerate(fits):
        for j in members[i]:
            if j in position and position[j] != a:
                pairs.add((min(a, position[j]), max(a, position[j])))
    return sorted(pairs)


def _in_greedy_order(picked: list[int], units: list[set[str]], weights: dict[str, float], words: list[int],
                     prior: np.ndarray, chosen: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """The picked sentences, the one adding most concept weight per word times its prior first."""
    covered = set().union(*(units[i] for i, _ in chosen))
    ordered: list[tuple[int, float]] = []
    pool = list(picked)
    while pool:
        gains = {i: math.fsum(weights.get(u, 0.0) for u in units[i] - covered) for i in pool}
        best = max(pool, key=lambda i: (prior[i] * gains[i] / words[i], -i))
        pool.remove(best)
        ordered.append((best, gains[best]))
        covered |= units[best]
    return ordered
