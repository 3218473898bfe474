"""Event clustering: the TF-IDF + lead-vector similarity, the exact and the nearest-neighbour
paths (which must agree), and the evaluation's larger-stories view and vector cache."""
import numpy as np
import pytest
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import pdist

from summarise.cli.eval import larger_events
from summarise.evaluation.data import ClusterDoc
from summarise.evaluation.vector_cache import FileVectorCache
from summarise.registry import resolve
from summarise.stages.cluster import ClusterSettings, TextAndVectorClusterer
from summarise.stages.cluster_communities import CommunityClusterer, agreed, communities
from summarise.stages.cluster_graph import (ArticleFeatures, background, indexed_neighbours, nearest_neighbours,
                                            sparse_average_link, term_vectors)
from summarise.stages.embed import HashingEmbedder
from summarise.types import Article

STORIES = {
    "flood": ["Floodwater swept through Valencia overnight after record rainfall, and rescuers searched "
              "submerged cars on the motorway near Paiporta.",
              "In Paiporta, residents shovelled mud from their homes as the Valencia flood death toll rose "
              "and rescuers reached cars on the motorway.",
              "Spain's government sent soldiers to Valencia, where the flood left Paiporta's streets "
              "under mud and rescuers kept searching cars."],
    "strike": ["Dockworkers at Rotterdam walked out on Tuesday, halting container ships as the union "
               "demanded higher wages from port operators.",
               "The Rotterdam port strike stranded container ships for a second day; the union said "
               "operators had refused its wage demand.",
               "Port operators in Rotterdam offered the dockworkers' union a new wage deal to end the "
               "strike that left container ships waiting."],
}


def articles_and_vectors(texts: list[str]) -> tuple[list[Article], list[np.ndarray]]:
    embedder = HashingEmbedder()
    return [Article(id=f"a{i}", text=t) for i, t in enumerate(texts)], [embedder.embed([t]) for t in texts]


def test_term_vectors_are_unit_rows_and_link_reports_that_share_rare_words():
    texts = STORIES["flood"] + STORIES["strike"]
    terms = term_vectors(texts)
    assert np.allclose(np.asarray(terms.multiply(terms).sum(axis=1)).ravel(), 1.0)
    similarity = (terms @ terms.T).toarray()
    assert similarity[0, 1] > 0.3 and similarity[3, 4] > 0.3
    assert similarity[0, 3] < 0.05  # no story word in common


def test_two_stories_form_two_events_on_both_paths():
    articles, vectors = articles_and_vectors(STORIES["strike"] + STORIES["flood"])
    for exact_limit in (1000, 0):  # the full matrix, then nearest neighbours only
        clusterer = TextAndVectorClusterer(ClusterSettings(exact_limit=exact_limit, neighbours=2))
        assert clusterer.cluster(articles, vectors) == [[0, 1, 2], [3, 4, 5]]


def test_one_article_and_none():
    articles, vectors = articles_and_vectors(STORIES["flood"][:1])
    assert TextAndVectorClusterer().cluster(articles, vectors) == [[0]]
    assert TextAndVectorClusterer().cluster([], []) == []


def test_nearest_neighbours_match_a_full_sort():
    rng = np.random.default_rng(3)
    vectors = rng.normal(size=(40, 8))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    features = ArticleFeatures(vectors, term_vectors(["x"] * 40), vector_weight=1.0)
    indices, sims = nearest_neighbours(features, k=5, block=7)
    full = vectors @ vectors.T
    np.fill_diagonal(full, -np.inf)
    assert np.array_equal(indices, np.argsort(-full, axis=1, kind="stable")[:, :5])
    assert np.allclose(sims, np.sort(full, axis=1)[:, ::-1][:, :5], atol=1e-6)


def story_texts(stories: int, per_story: int, seed: int = 0) -> list[str]:
    """Reports of several stories: each story's own rare names (a letter code, no digits) in
    every report, among common words that every story uses."""
    rng = np.random.default_rng(seed)
    common = [f"word{chr(97 + i % 26)}{chr(97 + i // 26)}" for i in range(60)]
    texts = []
    for s in range(stories):
        names = [f"name{chr(97 + s % 26)}{chr(97 + s // 26)}{x}" for x in "pqrs"]
        for _ in range(per_story):
            texts.append(" ".join(list(rng.choice(common, 25)) + list(rng.choice(names, 3, replace=False))))
    return texts


def test_the_term_index_scores_every_article_exactly_when_it_shortlists_all():
    articles, vectors = articles_and_vectors(story_texts(stories=6, per_story=5))
    features = ArticleFeatures(np.stack([v[0] for v in vectors]), term_vectors([a.text for a in articles]), 0.15)
    exact_indices, exact_sims = nearest_neighbours(features, k=8)
    indices, sims = indexed_neighbours(features, k=8, shortlist=len(articles))
    assert np.array_equal(indices, exact_indices)
    assert np.allclose(sims, exact_sims, atol=1e-6)


def test_the_term_index_finds_each_report_its_story_mates_among_many_stories():
    articles, vectors = articles_and_vectors(story_texts(stories=60, per_story=4))
    features = ArticleFeatures(np.stack([v[0] for v in vectors]), term_vectors([a.text for a in articles]), 0.15)
    indices, sims = indexed_neighbours(features, k=6, heaviest=5, shortlist=10)
    for i, row in enumerate(indices):
        assert set(row[:3]) == {j for j in range(i // 4 * 4, i // 4 * 4 + 4) if j != i}
        assert i not in row and len(set(row)) == 6  # never itself, no article twice
    assert np.all(np.diff(sims, axis=1) <= 0)


def test_communities_give_the_same_events_from_the_term_index():
    articles, vectors = articles_and_vectors(story_texts(stories=15, per_story=4))
    exact = CommunityClusterer(ClusterSettings(index_from=0)).cluster(articles, vectors)
    assert exact == [list(range(s * 4, s * 4 + 4)) for s in range(15)]
    assert CommunityClusterer(ClusterSettings(index_from=21)).cluster(articles, vectors) == exact


def test_sparse_average_link_on_every_pair_is_scipy_average_link():
    rng = np.random.default_rng(5)
    centres = rng.normal(size=(6, 12))
    points = np.repeat(centres, 5, axis=0) + 0.6 * rng.normal(size=(30, 12))
    points /= np.linalg.norm(points, axis=1, keepdims=True)
    similarity = points @ points.T
    np.fill_diagonal(similarity, -np.inf)
    order = np.argsort(-similarity, axis=1, kind="stable")[:, :29]  # every other point: the exact method
    sims = np.take_along_axis(similarity, order, axis=1)
    sims = np.clip(sims, 1e-6, None)  # no negative similarities (the sparse graph drops them)
    cuts = [0.2, 0.4, 0.6]
    ours = sparse_average_link(30, order, sims, cuts)
    tree = linkage(pdist(points, metric=lambda u, v: 1 - max(float(u @ v), 1e-6)), method="average")
    for cut in cuts:
        labels = fcluster(tree, t=1 - cut, criterion="distance")
        theirs = sorted(sorted(np.flatnonzero(labels == label).tolist()) for label in set(labels))
        assert ours[cut] == theirs


def test_larger_events_keeps_the_documents_of_stories_with_enough_documents():
    docs = [ClusterDoc(f"d{i}", gold, "text") for i, gold in enumerate("aabbbc")]
    assert [d.doc_id for d in larger_events(docs, 3)] == ["d2", "d3", "d4"]
    assert larger_events(docs, 1) == docs


def test_vector_cache_embeds_each_text_once_across_runs(tmp_path):
    calls = []

    class Counting:
        def embed(self, texts):
            calls.append(list(texts))
            return HashingEmbedder().embed(texts)

    first = FileVectorCache(Counting(), tmp_path, "hashing:").embed(["one", "two"])
    second = FileVectorCache(Counting(), tmp_path, "hashing:").embed(["two", "three", "one"])
    assert calls == [["one", "two"], ["three"]]
    assert np.allclose(second[[2, 0]], first)
    FileVectorCache(Counting(), tmp_path, "other-model:").embed(["one"])
    assert calls[-1] == ["one"]  # another embedder's vectors are not reused


def unit_vectors_with_similarities(gram: np.ndarray) -> list[np.ndarray]:
    """One (1, dim) sentence matrix per article whose cosines are exactly `gram`."""
    rows = np.linalg.cholesky(gram)
    return [row[None, :] for row in rows]


def topic_collection(stories: int, per_story: int, within: float, same_topic: float) -> np.ndarray:
    """Cosines of a collection of stories on one topic: `within` inside a story, `same_topic` across."""
    story = np.repeat(np.arange(stories), per_story)
    gram = np.where(story[:, None] == story[None, :], within, same_topic)
    np.fill_diagonal(gram, 1.0)
    return gram


def cluster_by_vectors(gram: np.ndarray, exact_limit: int, **settings) -> list[list[int]]:
    vectors = unit_vectors_with_similarities(gram)
    articles = [Article(id=f"a{i}", text="x") for i in range(len(vectors))]  # no terms: vectors only
    clusterer = TextAndVectorClusterer(ClusterSettings(vector_weight=1.0, lead=1, exact_limit=exact_limit,
                                                       neighbours=8, **settings))
    return clusterer.cluster(articles, vectors)


def test_background_separates_stories_of_a_dense_topic_and_keeps_a_sparse_story_whole():
    # Ten two-article stories on one topic (0.45 inside a story, 0.3 across): every article's
    # background is 0.3, so the stories stand apart after it is taken off.
    dense = topic_collection(stories=10, per_story=2, within=0.45, same_topic=0.3)
    pairs = [[2 * s, 2 * s + 1] for s in range(10)]
    # One four-article story (0.2 inside) among unrelated articles (0): its background is 0.
    sparse = topic_collection(stories=1, per_story=4, within=0.2, same_topic=0.0)
    sparse = np.block([[sparse, np.zeros((4, 12))], [np.zeros((12, 4)), np.eye(12)]])
    story_and_singletons = [[0, 1, 2, 3]] + [[i] for i in range(4, 16)]
    for exact_limit in (1000, 0):  # the full matrix, then nearest neighbours only
        assert cluster_by_vectors(dense, exact_limit, background_rank=5, link_similarity=0.08) == pairs
        assert cluster_by_vectors(sparse, exact_limit, background_rank=5, link_similarity=0.08) == story_and_singletons
    # Without the background no one cut does both: a cut that keeps the dense topic's stories
    # apart (above its 0.3 average across stories) splits the sparse story (0.2 inside).
    for cut in (0.08, 0.18, 0.25):
        assert cluster_by_vectors(dense, 1000, background_rank=0, link_similarity=cut) == [list(range(20))]
    assert cluster_by_vectors(dense, 1000, background_rank=0, link_similarity=0.32) == pairs
    assert cluster_by_vectors(sparse, 1000, background_rank=0, link_similarity=0.32) == [[i] for i in range(16)]


def test_background_is_the_rank_th_neighbour_and_zero_when_there_are_too_few():
    sims = np.array([[0.9, 0.5, 0.2], [0.4, 0.3, -0.1]], dtype=np.float32)
    assert np.allclose(background(sims, 2), [0.5, 0.3])
    assert np.allclose(background(sims, 3), [0.2, 0.0])  # a negative background counts as unrelated
    assert np.allclose(background(sims, 4), [0.0, 0.0])
    assert np.allclose(background(sims, 0), [0.0, 0.0])


def test_a_handful_of_articles_is_cut_as_before_the_background():
    # Two three-article stories that share a topic (0.13 across): fewer articles than the
    # background's rank, so each gets `few_background` (0.10) and the cut is 0.08 + 0.10, the
    # former fixed cut; with no background at all (0) the two stories would merge, as they did on
    # small Multi-News sets (docs/benchmarks.md).
    gram = topic_collection(stories=2, per_story=3, within=0.6, same_topic=0.13)
    assert cluster_by_vectors(gram, 1000, background_rank=20, link_similarity=0.08) == [[0, 1, 2], [3, 4, 5]]
    assert cluster_by_vectors(gram, 1000, background_rank=20, link_similarity=0.08,
                              few_background=0.0) == [list(range(6))]


def communities_by_vectors(gram: np.ndarray, **settings) -> list[list[int]]:
    vectors = unit_vectors_with_similarities(gram)
    articles = [Article(id=f"a{i}", text="x") for i in range(len(vectors))]  # no terms: vectors only
    clusterer = CommunityClusterer(ClusterSettings(method="communities", vector_weight=1.0, lead=1,
                                                   neighbours=8, **settings))
    return clusterer.cluster(articles, vectors)


def test_communities_split_stories_joined_by_weak_edges():
    # Four stories of ten (0.3 inside), every article also linked to two articles of the next
    # story (0.12): above the edge cut, so the graph is one component, but far fewer links than
    # inside a story, so four communities.
    n, story = 40, np.arange(40) // 10
    indices, sims = [], []
    for i in range(n):
        inside = [j for j in range(n) if story[j] == story[i] and j != i]
        after = [(story[i] + 1) % 4 * 10 + (i + k) % 10 for k in (0, 1)]
        indices.append(inside + after)
        sims.append([0.3] * len(inside) + [0.12] * len(after))
    events = communities(np.array(indices), np.array(sims), min_similarity=0.1, penalty=0.05)
    assert events == [list(range(s * 10, s * 10 + 10)) for s in range(4)]
    assert communities(np.array(indices), np.array(sims), min_similarity=0.35, penalty=0.05) == [[i] for i in range(n)]


def test_communities_separate_a_dense_topic_and_keep_a_sparse_story_whole():
    # As for average-link above: ten three-article stories on one topic, then one four-article
    # story among unrelated articles.
    dense = topic_collection(stories=10, per_story=3, within=0.45, same_topic=0.3)
    assert communities_by_vectors(dense, background_rank=5) == [[3 * s, 3 * s + 1, 3 * s + 2] for s in range(10)]
    sparse = topic_collection(stories=1, per_story=4, within=0.2, same_topic=0.0)
    sparse = np.block([[sparse, np.zeros((4, 12))], [np.zeros((12, 4)), np.eye(12)]])
    assert communities_by_vectors(sparse, background_rank=5) == [list(range(4))] + [[i] for i in range(4, 16)]


def test_communities_keep_a_clear_story_whole_among_unrelated_articles():
    # Ten reports of one story (0.3 alike) among 100 unrelated articles: few edges in all, so a
    # resolution taken from every article's mean degree would split the story into singletons.
    story = topic_collection(stories=1, per_story=10, within=0.3, same_topic=0.0)
    gram = np.block([[story, np.zeros((10, 100))], [np.zeros((100, 10)), np.eye(100)]])
    assert communities_by_vectors(gram) == [list(range(10))] + [[i] for i in range(10, 110)]


def test_communities_cut_a_handful_of_articles_as_the_default_does():
    gram = topic_collection(stories=2, per_story=3, within=0.6, same_topic=0.13)
    assert communities_by_vectors(gram) == [[0, 1, 2], [3, 4, 5]]  # 6 articles, background rank 20
    assert communities_by_vectors(gram, few_background=0.0) == cluster_by_vectors(gram, 1000, background_rank=20,
                                                                                  few_background=0.0)


def test_agreed_keeps_only_what_both_partitions_put_together():
    assert agreed([[0, 1, 2, 3], [4]], [[0, 1], [2, 3, 4]]) == [[0, 1], [2, 3], [4]]
    assert agreed([[0, 2], [1]], [[0, 1, 2]]) == [[0, 2], [1]]


def test_communities_is_a_cluster_method():
    assert resolve("clusterer", "communities", ClusterSettings.METHODS) is CommunityClusterer
