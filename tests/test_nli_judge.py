"""`[verify] judge = "nli"`: an NLI classifier as the verifier's judge. No NLI model is packaged
for these machines, so these tests build a small BERT classifier here (random weights, its output
layer set so that one label always wins) and load it through the same transformers code a hub
model goes through: they check the wiring (labels, premise and hypothesis, config, command, cache),
not the judgement."""
import json
from pathlib import Path

import pytest

from summarise import ConfigError, Pipeline, load_config
from summarise.cli import main
from summarise.evaluation.verifier import CachedEntailmentJudge, Unanswered
from summarise.models.files import ModelFileError
from summarise.models.nli import NliJudge, entailment_index
from summarise.stages.embed import make_embedder
from summarise.stages.verify import Verifier

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
LABELS = {0: "contradiction", 1: "neutral", 2: "entailment"}  # an order some hub models use
WORDS = "the a vote was held on monday is expected to be talks ended with without deal taxes".split()


def build_classifier(folder: Path, wins: str, labels: dict = LABELS) -> str:
    import torch
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizer

    folder.mkdir()
    vocab = folder / "vocab.txt"
    vocab.write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS]) + "\n")
    BertTokenizer(str(vocab)).save_pretrained(folder)
    config = BertConfig(vocab_size=5 + len(WORDS), hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=32, num_labels=len(labels), id2label=labels,
                        label2id={name: i for i, name in labels.items()})
    torch.manual_seed(0)
    model = BertForSequenceClassification(config)
    with torch.no_grad():  # the output layer ignores the text: the label `wins` gets all the weight
        model.classifier.weight.zero_()
        model.classifier.bias.copy_(torch.tensor([8.0 if labels[i] == wins else 0.0 for i in range(len(labels))]))
    model.save_pretrained(folder)
    return str(folder)


@pytest.fixture(scope="module")
def classifiers(tmp_path_factory):
    root = tmp_path_factory.mktemp("nli")
    return {wins: build_classifier(root / wins, wins) for wins in ("entailment", "contradiction")}


def test_the_entailment_label_is_read_from_the_model_whatever_its_place():
    assert entailment_index(LABELS) == 2
    assert entailment_index({"0": "ENTAILMENT", "1": "NOT_ENTAILMENT"}) == 0
    with pytest.raises(ModelFileError, match="no single entailment label among its labels"):
        entailment_index({0: "LABEL_0", 1: "LABEL_1"}, "some/sentiment-model")


def test_the_judge_gives_the_probability_of_the_entailment_label(classifiers):
    yes = NliJudge(classifiers["entailment"]).entailment_probability("The vote was held on Monday.", "The vote was held.")
    no = NliJudge(classifiers["contradiction"]).entailment_probability("The vote was held on Monday.", "Talks ended.")
    assert yes > 0.99 and no < 0.01


def test_the_verifier_asks_the_classifier_with_premise_and_claim(classifiers):
    evidence = ["The vote is expected to be held on Monday."]
    claim = "The vote is expected on Monday."  # not verbatim, so the judge is asked
    assert Verifier(NliJudge(classifiers["entailment"]), 0.5).support(claim, evidence) > 0.99
    assert Verifier(NliJudge(classifiers["contradiction"]), 0.5).support(claim, evidence) < 0.01


def test_a_pipeline_configured_with_an_nli_judge_briefs_with_it(classifiers):
    config = load_config("fast", spin={"method": "none"}, verify={"judge": "nli",
                                                                 "nli_model": classifiers["contradiction"]})
    pipeline = Pipeline(config, embedder=make_embedder("hashing"), progress=False)
    assert isinstance(pipeline.verifier.judge, NliJudge)
    briefing = pipeline.run(sorted(SEEDS.glob("*.txt"))[:2])
    assert len(briefing.articles) == 2 and briefing.events[0].sentences
    assert "load judge" in pipeline.timings


@pytest.mark.parametrize("verify, message", [
    ('judge = "nli"\n', 'judge = "nli" needs nli_model'),
    ('judge = "gpt"\n', "judge must be one of model, nli, none, not 'gpt'"),
])
def test_a_judge_setting_that_cannot_work_is_refused_when_the_config_loads(tmp_path, verify, message):
    path = tmp_path / "bad.toml"
    path.write_text("[verify]\n" + verify)
    with pytest.raises(ConfigError, match=message):
        load_config(path)


def nli_command_files(folder: Path, model: str, claim: str, evidence: str) -> tuple[str, str]:
    """A config with the NLI judge `model`, and one labelled (claim, evidence) pair."""
    config = folder / "nli.toml"
    config.write_text(f'[verify]\njudge = "nli"\nnli_model = "{model}"\n')
    pairs = folder / "p.jsonl"
    pairs.write_text(json.dumps({"id": "a", "claim": claim, "evidence": [evidence], "label": "supported",
                                 "kind": "supported", "origin": "planted", "split": "calibrate"}) + "\n")
    return str(config), str(pairs)


def test_a_missing_nli_model_stops_the_command_with_a_setup_error(tmp_path, capsys):
    config, pairs = nli_command_files(tmp_path, str(tmp_path / "no-such-model"), "Talks ended.", "Talks ended.")
    assert main(["eval", "verifier", pairs, "--config", config]) == 3
    assert "cannot load the NLI judge" in capsys.readouterr().err


def test_the_verifier_command_measures_an_nli_judge_and_caches_its_answers(tmp_path, classifiers, capsys):
    config, pairs = nli_command_files(tmp_path, classifiers["contradiction"], "Talks ended on Monday.", "Talks ended.")
    cache = tmp_path / "cache.json"
    assert main(["eval", "verifier", pairs, "--config", config, "--judge-cache", str(cache)]) == 0
    assert "| all (1) | hard checks after + judge | 0 | 0 | 1 | 0 | 0 |" in capsys.readouterr().out  # judged: no
    cached = CachedEntailmentJudge(None, cache, f"nli:{classifiers['contradiction']}")
    assert cached.entailment_probability("Talks ended.", "Talks ended on Monday.") < 0.01  # from the file
    with pytest.raises(Unanswered):
        cached.entailment_probability("Talks ended.", "Something never asked.")
