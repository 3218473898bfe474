"""The classic peers `summarise eval summarise` runs beside the pipeline."""
import pytest

from summarise.evaluation.peers import PEERS, sentences_of

DOCUMENTS = [
    "The river flooded the town of Riverton on Monday. Officials closed the main bridge over the river. "
    "A local bakery sold out of bread.",
    "Flooding of the river closed the Riverton bridge on Monday. The river rose two metres overnight.",
    "Riverton's bridge was closed after the river flooded the town. A school choir sang at the fair.",
]


@pytest.mark.parametrize("name", ["lead", "lexrank", "textrank", "kl", "sumbasic"])
def test_each_peer_fills_its_budget_with_whole_source_sentences(name):
    summary = PEERS[name](DOCUMENTS, 20)
    sources = {s for document in sentences_of(DOCUMENTS) for s in document}
    picked = [s for s in sources if s in summary]
    assert len(summary.split()) >= 20
    assert sum(len(s.split()) for s in picked) == len(summary.split())  # nothing but whole sentences
    assert PEERS[name](DOCUMENTS, 20) == summary  # deterministic


@pytest.mark.parametrize("name", ["kl", "sumbasic"])
def test_frequency_peers_pick_what_the_documents_share_over_an_aside(name):
    summary = PEERS[name](DOCUMENTS, 8)
    assert "river" in summary.lower()
    assert "bakery" not in summary and "choir" not in summary
