"""The coverage ranker (stages/coverage.py): concepts many outlets share come first, within a budget."""
import numpy as np
import pytest

from summarise import Pipeline, load_config
from summarise.stages.coverage import _greedy_coverage, best_concept_set, concept_weights, concepts, without_dateline
from summarise.stages.embed import make_embedder
from summarise.types import Sentence

SHARED = "Putin said that talks with the West over the security demands could still continue next month."
REPORTS = {
    "Wire": [SHARED,
             "The Kremlin released a transcript of the remarks on its website later that evening.",
             "Officials in Washington declined to comment on the remarks before the weekend."],
    "Times": ["A spokesman for the Hungarian embassy described the atmosphere in the room as cold and tense.",
              "Putin said talks with the West over the security demands could still continue next month.",
              "Markets in Europe fell slightly after the news conference in the afternoon."],
    "Post": ["Reporters waited outside the palace gates for almost three hours in the freezing snow.",
             "Putin said talks with the West over security demands could still continue next month, aides added.",
             "The two leaders also discussed gas supplies for the coming winter in some detail."],
    "Daily": ["Protesters painted slogans on the walls of an empty factory building near the river overnight.",
              "The city council promised to repair the damaged walls before the holiday season began.",
              "Police said they had no suspects in the case so far and appealed for any witnesses."],
}


def coverage_pipeline(**rank) -> Pipeline:
    config = load_config("fast").override(spin={"method": "none"}, rank={"method": "coverage", **rank})
    return Pipeline(config, embedder=make_embedder("hashing"), progress=False)


def briefing_of(pipeline: Pipeline):
    records = [{"text": " ".join(sentences), "source": outlet} for outlet, sentences in REPORTS.items()]
    return pipeline.run(records, cluster=False)


def test_concepts_are_stemmed_content_words_and_word_pairs():
    units = concepts("The U.S. has ignored Russia's demands, Putin told us.")
    assert {"usa", "ignor", "russia", "demand", "putin", "ignor russia", "russia demand"} <= units
    assert "us" not in units and "the" not in units  # a stopword alone is no concept
    assert "ha ignor" in units and "the usa" in units  # a pair counts when one of its words does


def test_a_dateline_is_cut_and_the_rest_stays_an_exact_span():
    text = "Earlier. MOSCOW (AP) \u2014 Russian President Vladimir Putin said Tuesday that talks could go on."
    start = text.index("MOSCOW")
    cut = without_dateline(Sentence("a", 1, start, len(text), text[start:]))
    assert cut.text.startswith("Russian President") and text[cut.start:cut.end] == cut.text
    for plain in ("NATO \u2014 the alliance said so.", "US-Russia talks resumed on Monday."):
        assert without_dateline(Sentence("a", 0, 0, len(plain), plain)).text == plain


def test_the_fact_three_outlets_state_comes_first_and_cites_them():
    # no corroboration rule: the order must come from the concepts' weights alone; the Daily's
    # lead sentence (one outlet, first position) must not outrank the fact three outlets state
    briefing = briefing_of(coverage_pipeline(corroborate_from=0, max_sentences=1, min_sentences=1))
    [first] = briefing.events[0].sentences
    assert "talks with the West" in first.text
    source = {a.id: a.source for a in briefing.articles}
    assert {"Wire", "Times"} <= {source[c.article_id] for c in first.citations}


def test_a_word_budget_bounds_the_briefing_and_no_fact_is_said_twice():
    event = briefing_of(coverage_pipeline(corroborate_from=0, budget_words=40, max_sentences=20)).events[0]
    words = [len(s.text.split()) for s in event.sentences]
    assert sum(words[:-1]) < 40 <= sum(words) or len(event.sentences) == 20
    assert sum("talks with the West" in s.text for s in event.sentences) == 1


def test_same_input_same_briefing():
    first = [s.text for s in briefing_of(coverage_pipeline()).events[0].sentences]
    assert first == [s.text for s in briefing_of(coverage_pipeline()).events[0].sentences]


def test_a_concept_weighs_the_outlets_that_state_it_early():
    sentences = [Sentence("a", 0, 0, 0, "x"), Sentence("b", 0, 0, 0, "x"), Sentence("c", 3, 0, 0, "x"),
                 Sentence("d", 0, 0, 0, "x")]
    units = [{"talk", "orban"}, {"talk"}, {"talk"}, {"quote"}]
    weights = concept_weights(sentences, np.array(["a", "b", "c", "d"]), units)
    assert weights["talk"] == 3 * (1 + 1 + 0.5)  # three outlets: two leads and a fourth sentence (1/sqrt(4))
    assert weights["orban"] == weights["quote"] == 0.1  # one outlet of four: that outlet's wording
    of_three = concept_weights(sentences[:3], np.array(["a", "b", "c"]), units[:3])
    assert of_three["orban"] == 1 and of_three["talk"] == weights["talk"]  # of three outlets, one suffices


@pytest.mark.parametrize("embedder", ["minilm", "minilm_onnx"])  # PyTorch, and the int8 export that ships
def test_the_seeds_briefing_states_what_several_outlets_lead_with(embedder):
    # the real sentence encoder; the spin check marks the machine-rewritten copy (002) as in
    # tests/test_pipeline.py, so it counts toward no concept and corroborates no fact
    from pathlib import Path

    from summarise import FakeModel

    def perplexity(text: str) -> float:
        return 60.0 if "attainable invasion" in text else 12.0

    seeds = Path(__file__).parent.parent / "seeds"
    pipeline = Pipeline(load_config("fast"), embedder=make_embedder(embedder),
                        language_model=FakeModel(perplexity=perplexity), progress=False)
    briefing = pipeline.run([seeds], cluster=False)
    spun = {a.id for a in briefing.articles if a.spun}
    sentences = briefing.events[0].sentences
    text = " ".join(s.text for s in sentences)
    assert "ignored" in text and "Orban" in text
    assert any("talks" in s.text and ("still" in s.text or "continue" in s.text) for s in sentences)
    for sentence in sentences:  # every fact kept is stated by two outlets that are not a rewrite
        assert len({c.article_id for c in sentence.citations} - spun) >= 2, sentence.text


def test_a_sentence_a_chosen_group_cites_is_picked_for_the_other_fact_it_states():
    # 1 is cited by 0's group ("ignored") but also states "talks": half its weight is unbriefed
    units = [{"ignor", "demand"}, {"ignor", "demand", "talk", "west"}, {"orban"}, {"ignor", "moscow"}]
    weights = {"ignor": 3.0, "demand": 3.0, "talk": 3.0, "west": 3.0, "orban": 1.0, "moscow": 1.0}
    members, prior, words = [[1, 3], [0], [], [0]], np.ones(4), [1, 2, 1, 1]

    def picks(share):
        chosen = _greedy_coverage([0, 1, 2, 3], units, weights, words, prior, np.eye(4), members, 4, 0, 1.0,
                                  new_fact_share=share)
        return [i for i, _ in chosen]

    assert picks(None) == [0, 2]  # a cited sentence is skipped: its fact is briefed
    assert picks(0.33) == [0, 1, 2]  # 1 adds "talk" and "west"; 3 adds only "moscow" (1 of 4): skipped
    assert picks(0.6) == [0, 2]


def test_the_ilp_picks_the_concept_maximal_set_where_greedy_does_not():
    # 10 words: the densest sentence (6 words, weight 6) leaves no room for another; the two
    # 5-word ones cover 9 together. Greedy takes the dense one first; the ILP takes the pair.
    units, weights, words = [{"a"}, {"b"}, {"c"}], {"a": 6.0, "b": 4.5, "c": 4.5}, [6, 5, 5]
    unrelated, no_members = np.eye(3), [[], [], []]
    assert best_concept_set([0, 1, 2], units, weights, words, 10, unrelated, no_members) == [1, 2]
    [(first, _)] = _greedy_coverage([0, 1, 2], units, weights, words, np.ones(3), unrelated, no_members, 1, 0, 1.0)
    assert first == 0


def test_the_ilp_never_picks_two_sentences_that_say_the_same_thing():
    units, weights, words = [{"a"}, {"b"}, {"c"}], {"a": 6.0, "b": 4.5, "c": 4.5}, [6, 5, 5]
    similar = np.eye(3)
    similar[1, 2] = similar[2, 1] = 0.9  # 1 and 2 repeat each other: the best allowed is 0 alone
    assert best_concept_set([0, 1, 2], units, weights, words, 10, similar, [[], [], []]) == [0]
    cites = [[], [2], [1]]  # or one cites the other as stating the same fact
    assert best_concept_set([0, 1, 2], units, weights, words, 10, np.eye(3), cites) == [0]
    # a concept two sentences share counts once: {a, b} and {a, c} (6.5, 11.5 if a counted twice) lose to {a, b} and {d} (9)
    shared = [{"a", "b"}, {"a", "c"}, {"d"}]
    assert best_concept_set([0, 1, 2], shared, {"a": 5.0, "b": 1.0, "c": 0.5, "d": 3.0}, [4, 4, 4], 8, np.eye(3),
                            [[], [], []]) == [0, 2]


def test_the_ilp_briefing_leads_with_the_best_short_briefing_and_fills_its_budget():
    event = briefing_of(coverage_pipeline(corroborate_from=0, budget_words=40, max_sentences=20,
                                          coverage_solver="ilp", coverage_lead_words=20)).events[0]
    words = [len(s.text.split()) for s in event.sentences]
    assert "talks with the West" in event.sentences[0].text and words[0] <= 20
    assert sum(words[:-1]) < 40 <= sum(words) or len(event.sentences) == 20
    assert sum("talks with the West" in s.text for s in event.sentences) == 1


def anchors(texts: list[str]) -> list[int]:
    """The indices of the sentences of one article that may anchor a fact."""
    from summarise.stages.rank import RankSettings, anchor_candidates
    from summarise.types import Article

    sentences = [Sentence("a", i, 0, len(t), t) for i, t in enumerate(texts)]
    return anchor_candidates(sentences, {"a": Article(id="a", text=" ".join(texts))}, RankSettings())


def test_a_sentence_opening_with_a_pronoun_anchors_a_fact_only_when_nothing_else_can():
    texts = ["He deplored the refusal to consider the demands for guarantees on NATO.",
             "They said the talks with the West could still continue next month.",
             "It was not immediately clear when the talks would resume in Geneva.",
             "Putin deplored the refusal to consider the demands for guarantees on NATO."]
    assert anchors(texts) == [2, 3]
    assert anchors(texts[:2]) == [0, 1]  # nothing else: they may


def test_a_quote_cut_from_its_speaker_anchors_only_when_nothing_else_can_and_a_headline_never():
    texts = ["I quit drugs and am happy and sober for the first time in eight years.",
             "Frances Bean Cobain Hubby Wants FAT Allowance You Left Me Broke!",
             '"We will not give up on the talks," the minister said on Monday.',
             "The singer said in a video that she had quit drugs eight years ago.",
             "\u201cHe designed this rifle to defend his country, not so terrorists could use it abroad.\u201d"]
    assert anchors(texts) == [2, 3]
    assert anchors(texts[:2]) == [0]
    assert anchors(texts[4:]) == [0]


def test_a_photo_caption_never_anchors_a_fact():
    texts = ["President Donald Trump speaks during a news conference, Thursday, Feb. 16, 2017, in the East Room.",
             "FILE - In this May 4, 2001, file photo, a man believed to be Kim Jong Nam looks at photographers.",
             "Civilians cheer as mutinous soldiers drive past in Bamako, Mali Wednesday March 21, 2012.",
             "The private university announced on Monday, Aug. 15, 2016, that it has struck an agreement.",
             "Trump said at a news conference on Thursday that the leaks were real but the news was fake.",
             "The encampment at City Hall Park is seen before the midnight deadline in Los Angeles, November 27, 2011.",
             "Stewart made his debut on Monday, January 11, 1999.",
             "Foundation president David Molyneaux, right, and administrator Mary Lu Abbott, left, congratulate "
             "the winners.",
             "Gary Goddard (center), who produced Broadway shows, has been named in a lawsuit.",
             "The minister speaks to the media outside the police station, Northern Ireland, Friday, May, 2 2014."]
    # "announced on Monday, Aug. 15, 2016" is a report's date, not a caption's
    assert anchors(texts) == [3, 4, 6]


def test_a_sentence_that_trails_off_never_anchors_a_fact():
    texts = ["The island's oldest newspaper is looking for a new publisher; several... More.",
             "The owner said the talks with two buyers had gone on for months and would end soon...",
             "The owner said on Monday that talks with two buyers would end by the summer.",
             '"We will see what happens..." the owner said of the talks with the buyers.']
    assert anchors(texts) == [2, 3]


def test_the_ilp_takes_over_from_a_number_of_outlets():
    # the four reports above: the exact ILP from 4 outlets, the greedy below that
    settings = dict(corroborate_from=0, budget_words=40, max_sentences=20, coverage_lead_words=20)

    def briefing(**rank):
        return [s.text for s in briefing_of(coverage_pipeline(**settings, **rank)).events[0].sentences]

    greedy, ilp = briefing(), briefing(coverage_solver="ilp")
    assert greedy != ilp  # otherwise this test could not tell which solver ran
    assert briefing(coverage_ilp_from=4) == ilp
    assert briefing(coverage_ilp_from=5) == greedy


def test_subjectivity_is_textblobs_own_value():
    """stages/subjectivity.py calls TextBlob's pattern analyser directly, for speed: the values must stay
    TextBlob's (ranking's prior and the evaluation's subjectivity column depend on them)."""
    from textblob import TextBlob

    from summarise.stages.subjectivity import subjectivity

    texts = [SHARED, "This is a truly awful, shameful and disgusting decision.", "Not very good at all.", ""]
    assert [subjectivity(t) for t in texts] == [TextBlob(t).sentiment.subjectivity for t in texts]
    assert subjectivity(texts[1]) > 0.5 > subjectivity(SHARED)
