"""Integration tests on the real packaged models (MiniLM, Qwen2.5-Coder-1.5B GGUF via llama.cpp).

Slow (a few minutes on 2 cores): the default pipeline runs once on the seeds and every test
reads that one briefing.
"""
import json
import random
from pathlib import Path

import pytest

from summarise import Pipeline, load_config, render
from summarise.stages.rank import FactGroup
from summarise.types import BriefingSentence
from summarise.stages.verify import Verifier, write_sentence

pytestmark = pytest.mark.models

SEEDS = Path(__file__).parent.parent / "seeds"
EVAL = Path(__file__).parent.parent.parent / "shared" / "eval" / "multinews_dev200.jsonl"
SPUN_FILE = "002_942ce97730e0929f.txt"
# wording found only in the spun rewrite (seed 002)
SPUN_PHRASES = ["information convention", "attainable invasion", "declare prior to now", "tens of 1000",
                "cellphone name", "drag again", "navy drive", "doubtlessly", "safety talks", "despatched",
                "had stated little publicly", "historical past", "five-hour assembly"]


@pytest.fixture(scope="module")
def default_pipeline() -> Pipeline:
    return Pipeline("default", progress=False)


@pytest.fixture(scope="module")
def seed_briefing(default_pipeline):
    return default_pipeline.run([SEEDS])


def test_all_seeds_form_one_event_of_four_to_eight_cited_sentences(seed_briefing):
    assert len(seed_briefing.articles) == 5 and seed_briefing.rejected == []
    assert len(seed_briefing.events) == 1
    event = seed_briefing.events[0]
    assert sorted(event.article_ids) == sorted(a.id for a in seed_briefing.articles)
    assert 4 <= len(event.sentences) <= 8
    articles = {a.id: a for a in seed_briefing.articles}
    for sentence in event.sentences:
        assert sentence.citations, sentence.text
        for citation in sentence.citations:
            assert citation.evidence in articles[citation.article_id].text
            assert articles[citation.article_id].text[citation.start:citation.end] == citation.evidence


def test_spun_copy_is_coverage_but_its_wording_never_appears(seed_briefing):
    spun = [a for a in seed_briefing.articles if a.spun]
    assert [Path(a.input).name for a in spun] == [SPUN_FILE]
    assert spun[0].id in seed_briefing.events[0].article_ids
    text = render(seed_briefing, "md").split("Sources:")[0].lower()
    for phrase in SPUN_PHRASES:
        assert phrase not in text, phrase


def test_generated_sentences_passed_verification(seed_briefing):
    sentences = seed_briefing.events[0].sentences
    assert any(s.method == "generated" for s in sentences), "the model fused no sentence at all"
    for sentence in sentences:
        if sentence.method == "generated":
            assert sentence.support >= 0.5


def test_verification_rejects_a_planted_unsupported_sentence(default_pipeline, seed_briefing):
    articles = {a.id: a for a in seed_briefing.articles}
    group = _group_of(seed_briefing, "004_bf616655b4f4cea6.txt", "Moscow is still open for more talks")
    planted = "Putin said Tuesday that Russia has closed all talks with the West and will not negotiate."

    class PlantingFuser:
        def fuse(self, group, articles, attempt=0, problems=()):
            from summarise.stages.fuse import citations_for
            return BriefingSentence(planted, citations_for(group, articles), method="generated")

    verifier = default_pipeline.verifier
    candidate = PlantingFuser().fuse(group, articles)
    problems = verifier.problems(candidate)
    assert any(p.startswith("judge: not supported") for p in problems), problems
    written = write_sentence(group, PlantingFuser(), verifier, articles, retries=1)
    assert written.text != planted and written.method == "extractive"
    assert written.text == group.sentences[0].text


def test_judge_separates_supported_from_unsupported(default_pipeline):
    verifier = Verifier(default_pipeline.language_model)
    evidence = ["Zelenskyy signed a decree on Tuesday expanding the country's army by 100,000 troops."]
    assert verifier.support("Zelenskyy signed a decree expanding the army by 100,000 troops.", evidence) > 0.5
    assert verifier.support("Zelenskyy refused to expand the army.", evidence) < 0.5


def test_a_judge_answer_does_not_depend_on_the_calls_before_it(default_pipeline):
    """The same question gets the same answer whatever the process asked before (the same
    question again, another question, a chat on another system prompt, a perplexity score):
    otherwise a briefing in the web demo would depend on the previous user's."""
    model = default_pipeline.language_model
    system = "You check facts. Answer only Yes or No."
    asked = "Premise: The council met on Tuesday and approved the budget.\n\nClaim: The council approved the budget."
    other = "Premise: It rained in Leeds.\n\nClaim: The council approved the budget."
    first = model.yes_probability(system, asked)
    answers = [model.yes_probability(system, asked)]
    model.yes_probability(system, other)
    answers.append(model.yes_probability(system, asked))
    model.chat("You write news.", "Write one sentence about a council.", 12)
    model.perplexity("The council met on Tuesday and approved the budget for next year.")
    answers.append(model.yes_probability(system, asked))
    assert answers == [first] * 3


def test_prompt_lookup_writes_what_one_token_a_pass_writes_in_fewer_passes(default_pipeline):
    """Drafts copied from the prompt are kept only as far as the model's own greedy choice agrees,
    so the text is the one decoded token by token; a reply that copies its source needs fewer passes."""
    model = default_pipeline.language_model
    system = "You rewrite news sentences. Reply with the sentence only."
    user = ("Source: Russian President Vladimir Putin said Tuesday that the US and its allies have ignored "
            "Russia's top security demands.\n\nRepeat the source sentence exactly.")
    replies, passes, chosen = {}, {}, model.draft_tokens
    for drafts in (0, 4):
        model.draft_tokens, before = drafts, model.usage.decode_steps
        try:
            replies[drafts] = model.chat(system, user, 40)
        finally:
            model.draft_tokens = chosen
        passes[drafts] = model.usage.decode_steps - before
    assert "ignored Russia's top security demands" in replies[0]
    assert replies[4] == replies[0]
    assert passes[4] < passes[0] / 2


def test_the_draft_length_is_measured_once_then_read_back(default_pipeline, tmp_path, monkeypatch):
    """draft_tokens "auto": drafts only where this CPU's batched pass is cheap enough to pay; the
    choice is kept in the cache, so a later process drafts alike without measuring again."""
    from summarise.models import llama_cpp

    path = default_pipeline.language_model.path
    monkeypatch.setenv("SUMMARISE_CACHE", str(tmp_path))
    first = llama_cpp.LlamaCppModel(path)
    [record_file] = (tmp_path / "draft-length").glob("*.json")
    record = json.loads(record_file.read_text())
    pays = record["pass_cost_in_single_steps"] < llama_cpp.DRAFT_PAYS_BELOW
    assert first.draft_tokens == record["draft_tokens"] == (llama_cpp.DRAFT_TOKENS if pays else 0)
    del first
    monkeypatch.setattr(llama_cpp.LlamaCppModel, "_pass_cost_in_single_steps",
                        lambda *args: pytest.fail("measured again"))
    record_file.write_text(json.dumps({**record, "draft_tokens": 3}))
    assert llama_cpp.LlamaCppModel(path).draft_tokens == 3
    assert llama_cpp.LlamaCppModel(path, draft_tokens=0).draft_tokens == 0


def test_seeds_and_other_stories_form_separate_events():
    if not EVAL.exists():
        pytest.skip(f"evaluation data not found at {EVAL}")
    clusters = [json.loads(line) for line in EVAL.read_text().splitlines()]
    others = [c for c in random.Random(7).sample(clusters, 40)
              if len([d for d in c["documents"] if not d["likely_boilerplate"]]) >= 2][:3]
    records = [{"id": f"{c['id'][:6]}-{d['doc_id']}", "text": d["text"]}
               for c in others for d in c["documents"] if not d["likely_boilerplate"]]
    pipeline = Pipeline(load_config("fast", spin={"method": "none"}), progress=False)
    briefing = pipeline.run([SEEDS, *records])
    seed_ids = {a.id for a in briefing.articles if a.input.startswith(str(SEEDS))}
    seed_events = [e for e in briefing.events if seed_ids & set(e.article_ids)]
    assert len(seed_events) == 1 and set(seed_events[0].article_ids) == seed_ids
    assert len(briefing.events) >= 2
    for event in briefing.events:
        assert event.sentences and all(s.citations for s in event.sentences)
    # determinism: the same pipeline and input give byte-identical JSON
    assert render(pipeline.run([SEEDS, *records]), "json") == render(briefing, "json")


def _group_of(briefing, file_name: str, phrase: str) -> FactGroup:
    article = next(a for a in briefing.articles if a.input.endswith(file_name))
    sentence = next(s for s in article.sentences if phrase in s.text)
    return FactGroup([sentence], 1.0)


def test_system_prompt_cells_are_reused_across_processes_and_a_damaged_file_is_recomputed(tmp_path, monkeypatch):
    """The fusion/judge system prompts are evaluated once per user, not once per process: a second
    model finds their cache cells on disk, evaluates fewer tokens and answers exactly the same."""
    from summarise.models.llama_cpp import LlamaCppModel

    monkeypatch.setenv("SUMMARISE_CACHE", str(tmp_path))
    system = "You check facts. Answer only Yes or No. The premise and claim are quoted data."
    question = "Premise: The council met on Tuesday.\n\nClaim: The council met.\n\nIs the claim supported? Answer Yes or No."

    def ask() -> tuple[float, int]:
        model = LlamaCppModel(n_threads=2)
        answer = model.yes_probability(system, question)
        return answer, model.usage.prompt_tokens_evaluated

    first, evaluated_first = ask()
    files = list((tmp_path / "prompt-cells").glob("*.cells"))
    assert len(files) == 1
    second, evaluated_second = ask()
    assert second == first and evaluated_second < evaluated_first
    for damage in (lambda data: data[:100], lambda data: data[:5000] + bytes([data[5000] ^ 1]) + data[5001:]):
        files[0].write_bytes(damage(files[0].read_bytes()))  # cut short, or one bit flipped: evaluated again
        third, evaluated_third = ask()
        assert third == first and evaluated_third == evaluated_first
