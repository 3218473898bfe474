"""`summarise eval summarise|cluster` and `summarise bench` end to end on small hand-made fixtures,
with the hashing embedder and no language model (fast); the judge is a FakeModel."""
import json
from pathlib import Path

import pytest

from summarise import Pipeline
from summarise.cli import main
from summarise.config import load_config
from summarise.evaluation.bench import bracketed_rate, model_line
from summarise.evaluation.systems import SystemBuilder
from summarise.evaluation.data import load_summary_cases
from summarise.evaluation.scoring import Judge, evaluate_summaries
from summarise.models.fake import FakeModel
from summarise.evaluation.metrics import rouge
from summarise.stages.verify import Verifier

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
HASHING = """name = "hashing-test"
[embed]
method = "hashing"
[fuse]
method = "extractive"
[verify]
judge = "none"
[spin]
method = "none"
"""

STORIES = {
    "storm": ["A storm hit the coast of Normandy on Monday, cutting power to 20,000 homes.",
              "Fallen trees blocked roads near Caen and rail services were suspended for the day.",
              "The regional prefect said repair crews would work through the night.",
              "Forecasters expect calmer weather by Wednesday afternoon."],
    "vote": ["The city council of Leeds approved a new budget on Tuesday after a long debate.",
             "The budget raises spending on libraries and road repairs by four percent.",
             "Opposition members voted against the plan, citing higher local taxes.",
             "The council leader said the vote protected frontline services."],
}


# what only one outlet adds, so the outlets' articles are not duplicates of each other
EXTRAS = [["Our correspondent Maria Gomez filed this report from a crowded press room.",
           "Subscribers can read earlier coverage in the archive section of our website.",
           "Photographs from readers showed long queues outside supermarkets and bakeries."],
          ["Local historians recalled a similar episode that happened in the winter of 1987.",
           "Several schools announced they would publish updates on their social media pages.",
           "Insurance brokers advised customers to keep receipts for any emergency purchases."],
          ["Economists at a Frankfurt bank published a short note on regional consequences.",
           "Volunteers handed out blankets and hot drinks at the central railway station.",
           "A spokesperson for the national ministry declined to comment on the details."]]


ATTRIBUTION = [".", ", officials said.", ", according to local reports."]


def article(story: str, outlet: int, extras: bool = True) -> str:
    """The story in this outlet's words: same facts, its own attribution and extras."""
    lines = [line[:-1] + ATTRIBUTION[outlet] for line in STORIES[story]]
    return " ".join(lines[outlet:] + lines[:outlet] + (EXTRAS[outlet] if extras else []))


@pytest.fixture
def config_path(tmp_path):
    path = tmp_path / "hashing.toml"
    path.write_text(HASHING)
    return path


@pytest.fixture
def summary_data(tmp_path):
    rows = [{"id": story, "documents": [{"doc_id": f"P{k}", "text": article(story, k)} for k in range(3)],
             "reference": " ".join(STORIES[story][:2])} for story in STORIES]
    path = tmp_path / "sum.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


@pytest.fixture
def cluster_data(tmp_path):
    rows = [{"doc_id": f"{story}-{k}", "gold_event": story, "text": article(story, k, extras=False)}
            for k in range(3) for story in STORIES]
    path = tmp_path / "clu.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_eval_summarise_command(tmp_path, config_path, summary_data, capsys):
    out, predictions = tmp_path / "r.json", tmp_path / "pred.jsonl"
    code = main(["eval", "summarise", str(summary_data), "--config", str(config_path), "--systems",
                 "lead,lexrank,textrank", "--judge", "none", "--limit", "2", "--max-words", "30",
                 "--json", str(out), "--predictions", str(predictions), "--plot", str(tmp_path / "s.png"),
                 "--quiet"])
    assert code == 0
    assert (tmp_path / "s.png").read_bytes()[:4] == b"\x89PNG"
    table = capsys.readouterr().out
    assert "| lexrank |" in table and "| hashing |" in table
    results = json.loads(out.read_text())
    assert set(results["systems"]) == {"lead", "lexrank", "textrank", "hashing"}
    assert results["clusters"] == 2 and results["command"].startswith("summarise eval summarise")
    assert set(results["ratios"]) == {"lead", "lexrank", "textrank"}
    ours = [json.loads(line) for line in predictions.read_text().splitlines()]
    lead = [json.loads(line) for line in (tmp_path / "pred.lead.jsonl").read_text().splitlines()]
    assert [p["id"] for p in ours] == ["storm", "vote"]
    assert all(len(p["summary"].split()) <= 30 for p in ours + lead)
    # the printed figures are the scores of the written predictions
    cases = load_summary_cases(summary_data)
    expected = sum(rouge(p["summary"], c.references)["rouge1_f"] for p, c in zip(lead, cases)) / 2
    assert results["systems"]["lead"]["rouge1_f"] == pytest.approx(expected)
    # Lead-k on these documents starts with the first sentence of each document
    assert lead[0]["summary"].startswith(STORIES["storm"][0])


def test_eval_summarise_citations_with_a_fake_judge(config_path, summary_data):
    cases = load_summary_cases(summary_data)
    system = SystemBuilder(200).system(str(config_path))

    def run(yes: float) -> dict:
        judge = Judge(Verifier(FakeModel(yes=lambda s, u: yes), threshold=0.5))
        return evaluate_summaries(cases, {"ours": system}, main="ours", judge=judge, progress=False)

    agreeing = run(0.9)["systems"]["ours"]
    assert agreeing["citation_recall"] == agreeing["citation_precision"] == agreeing["verified_pct"] == 100.0
    refusing = run(0.1)
    ours = refusing["systems"]["ours"]
    # extractive sentences are verbatim in their first citation: still supported; every other
    # citation alone is refused while the anchor still supports: ALCE calls it over-citation
    assert ours["citation_recall"] == 100.0
    rows = refusing["per_cluster"]["ours"]
    expected = sum(100.0 * r["sentences"] / r["citations"] for r in rows) / len(rows)
    assert ours["citation_precision"] == pytest.approx(expected)
    assert any(r["citations"] > r["sentences"] for r in rows)  # so the check above can fail


def test_the_evaluated_pipeline_reads_each_documents_headline_and_outlet(tmp_path, config_path):
    documents = [{"doc_id": f"P{k}", "text": article("storm", k), "headline": f"Storm report {k}",
                  "outlet": f"Outlet {k}"} for k in range(3)]
    path = tmp_path / "titled.jsonl"
    path.write_text(json.dumps({"id": "storm", "documents": documents, "reference": STORIES["storm"][0]}) + "\n")
    [case] = load_summary_cases(path)
    briefing = Pipeline(load_config(str(config_path)), progress=False).run(case.documents, cluster=False)
    assert [(a.id, a.title, a.source) for a in briefing.articles] == [
        (f"P{k}", f"Storm report {k}", f"Outlet {k}") for k in range(3)]


def test_eval_summarise_bad_data_is_a_clear_error(tmp_path, config_path, capsys):
    data = tmp_path / "bad.jsonl"
    data.write_text('{"id": "a", "documents": [{"text": "x"}], "reference": "r"}\n{"id": "b", "documents": []}\n')
    code = main(["eval", "summarise", str(data), "--config", str(config_path), "--systems", "lead",
                 "--judge", "none", "--quiet"])
    assert code == 2
    assert "bad.jsonl:2: cluster 'b' has no documents" in capsys.readouterr().err
    code = main(["eval", "summarise", str(data), "--config", str(config_path), "--systems", "lead",
                 "--judge", "none", "--quiet", "--skip-bad"])
    captured = capsys.readouterr()
    assert code == 0 and "warning: skipped" in captured.err and "1 clusters" in captured.out


def test_eval_cluster_command(tmp_path, config_path, cluster_data, capsys):
    out, predictions = tmp_path / "c.json", tmp_path / "events.jsonl"
    code = main(["eval", "cluster", str(cluster_data), "--config", str(config_path), "--thresholds", "0.45,0.0",
                 "--json", str(out), "--predictions", str(predictions), "--plot", str(tmp_path / "c.png"),
                 "--quiet"])
    assert code == 0
    assert (tmp_path / "c.png").read_bytes()[:4] == b"\x89PNG"
    results = json.loads(out.read_text())
    systems = results["systems"]
    # two stories of three documents each: the stories share no words, their documents most
    assert systems["pipeline (similarity 0.45)"]["bcubed_f1"] == pytest.approx(1.0)
    # by hand: singletons B3 P 1, R 1/3; all in one P 1/2, R 1; pairwise all-in-one P 6/15
    assert (systems["singletons"]["bcubed_p"], systems["singletons"]["bcubed_r"]) == pytest.approx((1, 1 / 3))
    assert (systems["all in one"]["bcubed_p"], systems["all in one"]["bcubed_r"]) == pytest.approx((0.5, 1))
    assert systems["all in one"]["pairwise_p"] == pytest.approx(6 / 15)
    assert systems["pipeline (similarity 0)"]["n_clusters"] == 1  # a cut at 0 joins everything
    rows = [json.loads(line) for line in predictions.read_text().splitlines()]
    assert len(rows) == 6 and len({r["event"] for r in rows}) == 2
    assert results["documents_per_second"] > 0 and results["peak_rss_mb"] > 0
    assert "| singletons |" in capsys.readouterr().out


def test_bench_command(tmp_path, config_path, cluster_data, capsys):
    out, plot = tmp_path / "b.json", tmp_path / "growth.png"
    code = main(["bench", "--config", str(config_path), "--seeds", str(SEEDS), "--pool", str(cluster_data),
                 "--sizes", "2,6", "--json", str(out), "--plot", str(plot), "--quiet"])
    assert code == 0
    results = json.loads(out.read_text())
    assert results["seeds"]["articles"] == 5 and results["seeds"]["events"] >= 1
    assert {"ingest", "segment", "embed", "cluster", "rank", "fuse_verify", "render"} <= set(results["seeds"]["stages"])
    assert set(results["growth"]) == {"2", "6"} and results["growth"]["6"]["articles"] == 6
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "end to end" in capsys.readouterr().out


def test_bench_states_its_units_in_the_mean_raw_rate_and_says_when_the_machine_moved():
    def rate(unit_s):
        return {"unit": "1000 prompt + 100 generated tokens", "unit_s": unit_s}

    run = {"end_to_end_s": 40.0, "model_usage": {
        "prompt_tokens_evaluated": 2000, "prompt_tokens": 6000, "generated_tokens": 300, "chat_calls": 9,
        "judge_calls": 3, "perplexity_calls": 2, "model_share_of_wall": 0.98}}
    steady = bracketed_rate(rate(19.0), rate(21.0))
    assert steady["unit_s"] == pytest.approx(20.0) and steady["unit_spread"] == pytest.approx(21 / 19 - 1)
    line = model_line("seeds", run, steady)
    assert "= 2.00 units" in line and "19.0 s before and 21.0 s after" in line and "not comparable" not in line
    # two measurements a fifth apart, as one bench run's were on 2026-12-07 (18.4 s before, 15.3 s after)
    assert "not comparable" in model_line("seeds", run, bracketed_rate(rate(18.4), rate(15.3)))


def test_bench_rejects_bad_sizes(config_path, capsys):
    assert main(["bench", "--config", str(config_path), "--sizes", "ten", "--quiet"]) == 2
    assert "--sizes must be whole numbers" in capsys.readouterr().err


def test_eval_summarise_scores_a_predictions_file(tmp_path, summary_data, capsys):
    predictions = tmp_path / "theirs.jsonl"
    predictions.write_text('{"id": "storm", "summary": "A storm hit the coast of Normandy on Monday."}\n'
                           '{"id": "vote", "summary": "The council approved a budget."}\n')
    out = tmp_path / "r.json"
    code = main(["eval", "summarise", str(summary_data), "--config", str(predictions), "--systems", "lead",
                 "--judge", "none", "--max-words", "4", "--json", str(out), "--quiet"])
    assert code == 0
    theirs = json.loads(out.read_text())["per_cluster"]["theirs"]
    # cut to 4 words: "A storm hit the" against the storm reference
    assert theirs[0]["rouge1_f"] == pytest.approx(rouge("A storm hit the", [" ".join(STORIES["storm"][:2])])["rouge1_f"])
    predictions.write_text('{"id": "storm", "summary": "x"}\n')
    assert main(["eval", "summarise", str(summary_data), "--config", str(predictions), "--systems", "lead",
                 "--judge", "none", "--quiet"]) == 2
    assert "no summary for cluster 'vote'" in capsys.readouterr().err


@pytest.mark.models
def test_eval_summarise_with_the_real_embedder(tmp_path, summary_data):
    """The long config end to end (packaged MiniLM, extractive): every cluster summarised
    from its own documents, scored above zero."""
    out = tmp_path / "r.json"
    assert main(["eval", "summarise", str(summary_data), "--config", "long", "--systems", "lead",
                 "--judge", "none", "--json", str(out), "--quiet"]) == 0
    rows = json.loads(out.read_text())["per_cluster"]["long"]
    assert [r["id"] for r in rows] == ["storm", "vote"]
    assert all(r["rouge1_f"] > 0 and r["sentences"] >= 1 for r in rows)


def test_eval_cluster_on_larger_stories_with_a_vector_cache(tmp_path, config_path, cluster_data, capsys):
    lone = {"doc_id": "lone-0", "gold_event": "lone", "text": article("storm", 2)}  # a story of one document
    data = tmp_path / "with_lone.jsonl"
    data.write_text(cluster_data.read_text() + json.dumps(lone) + "\n")
    cache = tmp_path / "vectors"
    runs = []
    for _ in range(2):
        out = tmp_path / f"run{len(runs)}.json"
        code = main(["eval", "cluster", str(data), "--config", str(config_path), "--min-gold-size", "2",
                     "--vector-cache", str(cache), "--json", str(out), "--quiet"])
        assert code == 0
        runs.append(json.loads(out.read_text()))
    assert runs[0]["documents"] == 6 and runs[0]["gold_events"] == 2  # the one-document story is left out
    assert len(list(cache.glob("part-*.npz"))) == 1  # the second run embedded nothing new
    assert runs[1]["systems"] == runs[0]["systems"]
    assert main(["eval", "cluster", str(data), "--config", str(config_path), "--min-gold-size", "0"]) != 0
