"""Article features for event clustering, and the large-input path that never builds an n x n
matrix: each article's nearest neighbours by blocked matrix products, then average-link over
that sparse candidate graph (candidates from an inverted index of rare terms on the largest
inputs, where even the blocked products take too long). Both paths link on similarities relative to each article's
background (`relative_to_background`).

An article is compared with another by a weighted sum of two cosines: TF-IDF over its text (the
rare names and terms two reports of one story share, whatever their wording) and the mean vector
of its lead sentences (what the story is about, when the words differ). Both are unit rows, so
the combined similarity is one inner product of stacked rows, which both paths use."""
from __future__ import annotations

import heapq
import math
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

WORD = re.compile(r"[^\W\d_][\w'-]*[^\W_]|[^\W\d_]")
# Function words and reporting verbs: frequent in every story, evidence of none.
STOP_WORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being below between
both but by can could did do does doing down during each few for from further had has have having he her here
hers herself him himself his how i if in into is it it's its itself just me more most my myself no nor not now
of off on once only or other our ours ourselves out over own same she should so some such than that the their
theirs them themselves then there these they this those through to too under until up very was we were what when
where which while who whom why will with would you your yours yourself yourselves said says say told one two
new like get got us mr mrs ms s t re ve ll d m
""".split())


def term_vectors(texts: list[str], min_df: int = 2) -> sp.csr_matrix:
    """Unit-length TF-IDF rows (sublinear term frequency, smoothed IDF fitted on these texts,
    squared: the rare names and terms one story's reports share weigh more than topic words that
    many stories use; B-cubed F1 +1.3 on the pool's larger stories, docs/benchmarks.md): words seen
    in fewer than `min_df` texts link no pair, so they are left out."""
    counts = [Counter(w for w in WORD.findall(text.lower()) if len(w) > 1 and w not in STOP_WORDS)
              for text in texts]
    df = Counter(w for c in counts for w in c)
    vocabulary = {w: j for j, w in enumerate(sorted(w for w, f in df.items() if f >= min_df))}
    n = len(texts)
    idf = np.zeros(len(vocabulary))
    for w, j in vocabulary.items():
        idf[j] = (math.log((1 + n) / (1 + df[w])) + 1.0) ** 2
    rows, cols, values = [], [], []
    for r, c in enumerate(counts):
        for w, f in sorted(c.items()):
            j = vocabulary.get(w)
            if j is not None:
                rows.append(r)
                cols.append(j)
                values.append((1.0 + math.log(f)) * idf[j])
    matrix = sp.csr_matrix((values, (rows, cols)), shape=(n, len(vocabulary)), dtype=np.float64)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1))).ravel()
    return sp.csr_matrix(sp.diags(1.0 / np.maximum(norms, 1e-12)) @ matrix)


@dataclass
class ArticleFeatures:
    """Per article: unit lead vector and unit TF-IDF row; similarity is
    vector_weight * vector cosine + (1 - vector_weight) * TF-IDF cosine."""

    vectors: np.ndarray  # (n, dim)
    terms: sp.csr_matrix  # (n, vocabulary)
    vector_weight: float

    def __len__(self) -> int:
        return self.vectors.shape[0]

    def similarity(self, rows: slice | np.ndarray, columns: slice | np.ndarray = slice(None)) -> np.ndarray:
        """Dense block of combined similarities, rows x columns."""
        w = self.vector_weight
        dense = self.vectors[rows] @ self.vectors[columns].T
        sparse = (self.terms[rows] @ self.terms[columns].T).toarray()
        return (w * dense + (1.0 - w) * sparse).astype(np.float32)


def nearest_neighbours(features: ArticleFeatures, k: int, block: int = 512) -> tuple[np.ndarray, np.ndarray]:
    """Each article's k most similar other articles (exact, by blocks of rows: memory is
    block x n, never n x n, but time grows with n x n; `indexed_neighbours` is near-linear):
    (n, k) indices and similarities, ties broken by index."""
    n = len(features)
    k = min(k, n - 1)
    indices = np.zeros((n, k), dtype=np.int64)
    sims = np.zeros((n, k), dtype=np.float32)
    for start in range(0, n, block):
        stop = min(start + block, n)
        s = features.similarity(slice(start, stop))
        s[np.arange(stop - start), np.arange(start, stop)] = -np.inf  # not one's own neighbour
        top = np.argpartition(-s, k - 1, axis=1)[:, :k] if k < n else np.argsort(-s, axis=1)[:, :k]
        top_s = np.take_along_axis(s, top, axis=1)
        order = np.lexsort((top, -top_s), axis=1)
        indices[start:stop] = np.take_along_axis(top, order, axis=1)
        sims[start:stop] = np.take_along_axis(top_s, order, axis=1)
    return indices, sims


def neighbours(features: ArticleFeatures, k: int, index_from: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Each article's k nearest: exact below `index_from` articles, from the term index at and
    above it (0: always exact)."""
    if index_from and len(features) >= index_from:
        return indexed_neighbours(features, k)
    return nearest_neighbours(features, k)


def indexed_neighbours(features: ArticleFeatures, k: int, heaviest: int = 40, shortlist: int = 100,
                       max_postings: int = 1000, block: int = 1024) -> tuple[np.ndarray, np.ndarray]:
    """Approximate nearest neighbours in near-linear time, for inputs where the exact search's
    n x n products take too long. An inverted index of each article's `heaviest` TF-IDF terms
    (squared IDF: its rare names and terms) gives the candidates, the articles that share one
    of them, ranked by the weight they share; the best `shortlist` are scored exactly and the k
    best kept. Two reports of one story share rare names, so their pair is a candidate; a term
    heavy in more than `max_postings` articles is a topic and links none; an article that shares
    too few is padded with the next articles by index (scored, so their similarity is near 0,
    as its real far neighbours' would be). Same output as `nearest_neighbours`: (n, k) indices
    and similarities, ties broken by index (docs/benchmarks.md, issue 13: the index against the
    exact search)."""
    n = len(features)
    k = min(k, n - 1)
    width = min(max(shortlist, k), n - 1)
    heavy = heaviest_terms(features.terms, heaviest)
    postings = sp.csr_matrix(heavy.T)
    rare = np.diff(postings.indptr) <= max_postings  # a term that many articles weigh heavily is a topic
    postings = sp.csr_matrix(sp.diags(rare.astype(np.float64)) @ postings)
    postings.eliminate_zeros()
    indices = np.zeros((n, k), dtype=np.int64)
    sims = np.zeros((n, k), dtype=np.float32)
    for start in range(0, n, block):
        stop = min(start + block, n)
        shared = sp.csr_matrix(heavy[start:stop] @ postings)
        candidates = np.stack([_shortlist(shared, r, start + r, width, n) for r in range(stop - start)])
        rows = np.repeat(np.arange(start, stop), width)
        s = pair_similarities(features, rows, candidates.ravel()).reshape(stop - start, width)
        order = np.lexsort((candidates, -s), axis=1)[:, :k]
        indices[start:stop] = np.take_along_axis(candidates, order, axis=1)
        sims[start:stop] = np.take_along_axis(s, order, axis=1)
    return indices, sims


def heaviest_terms(terms: sp.csr_matrix, m: int) -> sp.csr_matrix:
    """Each row with only its m largest weights (ties to the lower column)."""
    rows, cols, values = [], [], []
    for r in range(terms.shape[0]):
        lo, hi = terms.indptr[r], terms.indptr[r + 1]
        keep = np.lexsort((terms.indices[lo:hi], -terms.data[lo:hi]))[:m] + lo
        rows.append(np.full(len(keep), r))
        cols.append(terms.indices[keep])
        values.append(terms.data[keep])
    return sp.csr_matrix((np.concatenate(values or [[]]), (np.concatenate(rows or [[]]), np.concatenate(cols or [[]]))),
                         shape=terms.shape)


def _shortlist(shared: sp.csr_matrix, r: int, article: int, width: int, n: int) -> np.ndarray:
    """Row r's `width` candidates, in no order: those sharing most heavy-term weight, then the
    next articles by index."""
    lo, hi = shared.indptr[r], shared.indptr[r + 1]
    cols, weights = shared.indices[lo:hi], shared.data[lo:hi]
    mine = cols != article
    cols, weights = cols[mine], weights[mine]
    chosen = cols if len(cols) <= width else cols[np.argpartition(-weights, width - 1)[:width]]
    if len(chosen) < width:
        following = (article + 1 + np.arange(min(width + len(chosen), n - 1))) % n  # never itself
        following = following[~np.isin(following, chosen)]
        chosen = np.concatenate([chosen, following[:width - len(chosen)]])
    return chosen.astype(np.int64)


def pair_similarities(features: ArticleFeatures, rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """The combined similarity of each pair (rows[i], columns[i]), as `ArticleFeatures.similarity` gives it."""
    w = features.vector_weight
    dense = np.einsum("ij,ij->i", features.vectors[rows], features.vectors[columns])
    sparse = np.asarray(features.terms[rows].multiply(features.terms[columns]).sum(axis=1)).ravel()
    return (w * dense + (1.0 - w) * sparse).astype(np.float32)


def background(neighbour_sims: np.ndarray, rank: int) -> np.ndarray:
    """Each article's background: its similarity to its `rank`-th most similar other article,
    given each row's neighbour similarities in falling order; 0 (an unrelated article) where it
    has fewer others than that."""
    n = neighbour_sims.shape[0]
    if rank <= 0 or neighbour_sims.shape[1] < rank:
        return np.zeros(n, dtype=np.float32)
    return np.maximum(neighbour_sims[:, rank - 1], 0.0).astype(np.float32)


def relative_to_background(sims: np.ndarray, rows: np.ndarray, columns: np.ndarray,
                           backgrounds: np.ndarray) -> np.ndarray:
    """A pair's similarity less the mean of its two articles' backgrounds. With the rank well above
    a story's size, the background is how alike an article is to the other stories around it:
    high where many stories share a topic (a large, dense collection), low in a sparse one. So one
    cut asks more of a pair in a dense neighbourhood than in a sparse one (docs/benchmarks.md,
    issue 13)."""
    return sims - 0.5 * (backgrounds[rows][:, None] + backgrounds[columns][None, :])


def sparse_average_link(n: int, indices: np.ndarray, sims: np.ndarray,
                        min_similarities: list[float]) -> dict[float, list[list[int]]]:
    """Average-link over a sparse candidate graph, a pair that is no candidate counting as
    similarity 0 (it was not among either article's nearest neighbours, so it is far below any
    useful cut). Merges run from the most similar pair of clusters down to the lowest cut; each
    cut's events replay the merges above it. Deterministic: ties go to the lower cluster ids."""
    lowest = min(min_similarities)
    links: list[dict[int, float]] = [dict() for _ in range(n)]  # cluster -> {neighbour cluster: summed similarity}
    for i in range(n):
        for j, s in zip(indices[i].tolist(), sims[i].tolist()):
            if i != j and s > 0:
                links[i][j] = s  # the pair's similarity, seen from either side
                links[j][i] = s
    size = [1] * n
    alive = [True] * n
    heap = [(-s, i, j) for i in range(n) for j, s in links[i].items() if i < j and s >= lowest]
    heapq.heapify(heap)
    merges: list[tuple[float, int, int]] = []
    while heap:
        negative, a, b = heapq.heappop(heap)
        if not (alive[a] and alive[b]) or b not in links[a]:
            continue
        average = links[a][b] / (size[a] * size[b])
        if abs(average + negative) > 1e-9:
            continue  # stale: a or b grew since this entry
        keep, gone = (a, b) if len(links[a]) >= len(links[b]) else (b, a)
        merges.append((average, keep, gone))
        alive[gone] = False
        size[keep] += size[gone]
        del links[keep][gone]
        for c, s in links[gone].items():
            if c == keep:
                continue
            total = links[keep].get(c, 0.0) + s
            links[keep][c] = total
            links[c][keep] = total
            del links[c][gone]
        links[gone] = {}
        for c, total in links[keep].items():
            average = total / (size[keep] * size[c])
            if average >= lowest:
                heapq.heappush(heap, (-average, min(keep, c), max(keep, c)))
    return {cut: _replay(n, merges, cut) for cut in min_similarities}


def _replay(n: int, merges: list[tuple[float, int, int]], cut: float) -> list[list[int]]:
    parent = list(range(n))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for average, keep, gone in merges:
        if average >= cut:
            parent[root(gone)] = root(keep)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(root(i), []).append(i)
    return sorted(groups.values(), key=lambda members: members[0])


def cluster_large(features: ArticleFeatures, min_similarities: list[float], count: int = 30,
                  background_rank: int = 0, index_from: int = 0) -> dict[float, list[list[int]]]:
    """Events at each cut for an input of any size: nearest-neighbour candidates (at least
    `background_rank` an article, so the backgrounds come from the same search), their
    similarities taken relative to the two articles' backgrounds, then sparse average-link. A pair
    that is no candidate counts as 0, not as its (negative) relative similarity: within 0.4
    B-cubed F1 of the exact path on the whole pool (docs/benchmarks.md). Memory grows with
    n x neighbours."""
    n = len(features)
    if n <= 1:
        return {cut: [list(range(n))] if n else [] for cut in min_similarities}
    indices, sims = neighbours(features, max(count, background_rank), index_from)
    backgrounds = background(sims, background_rank)
    sims = sims - 0.5 * (backgrounds[:, None] + backgrounds[indices])  # relative_to_background, per candidate
    return sparse_average_link(n, indices, sims, min_similarities)
