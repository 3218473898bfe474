"""Config sections, old flat configs, and steps swapped through the config or the constructor."""
import sys
from pathlib import Path

import numpy as np
import pytest

from summarise import Config, ConfigError, Pipeline, load_config
from summarise.config import CONFIG_DIR, to_toml
from summarise.stages.embed import HashingEmbedder

SEEDS = Path(__file__).parent.parent / "seeds"
OFFLINE = {"embed": {"method": "hashing"}, "spin": {"method": "none"}, "fuse": {"method": "extractive"},
           "verify": {"judge": "none"}}


def test_each_stage_owns_its_section():
    config = load_config("long")
    assert (config.fuse.method, config.verify.judge, config.spin.method) == ("extractive", "none", "none")
    assert (config.rank.budget_words, config.rank.corroborate_from) == (220, 0)
    assert config.cluster.similarity == Config().cluster.similarity  # not given: the stage's default


def test_unknown_sections_keys_and_methods_are_named(tmp_path):
    for text, expected in [("[clustr]\nsimilarity = 0.6\n", "unknown keys: clustr"),
                           ("[cluster]\nsimilarity = 0.6\nthreshold = 1\n", r"\[cluster\] has unknown keys: threshold"),
                           ("[cluster]\nmethod = \"kmeans\"\n", "unknown cluster method 'kmeans': use one of average_link"),
                           ("[model]\nbackend = \"gpt\"\n", "unknown model method 'gpt'")]:
        path = tmp_path / "bad.toml"
        path.write_text(text)
        with pytest.raises(ConfigError, match=expected):
            load_config(path)


def test_a_flat_config_of_version_0_1_still_loads_and_says_how_to_convert(tmp_path):
    path = tmp_path / "old.toml"
    path.write_text('name = "fast"\nembedder = "minilm"\ngenerator = "none"\njudge = "none"\n'
                    'spin_detector = "perplexity"\ncluster_similarity = 0.6\nmax_sentence_words = 50\n')
    with pytest.warns(FutureWarning, match=r"write it in sections instead:(.|\n)*\[cluster\]\nsimilarity = 0.6"):
        old = load_config(path)
    assert old == load_config("fast").override(embed={"method": "minilm"}, cluster={"similarity": 0.6},
                                               rank={"max_sentence_words": 50},
                                               verify={"max_sentence_words": 50})


def test_a_flat_generator_name_selects_that_backend(tmp_path):
    path = tmp_path / "old.toml"
    path.write_text('generator = "transformers"\ngenerator_model = "Qwen/Qwen2.5-1.5B-Instruct"\njudge = "generator"\n')
    with pytest.warns(FutureWarning):
        config = load_config(path)
    assert (config.model.backend, config.model.name, config.fuse.method, config.verify.judge) == \
        ("transformers", "Qwen/Qwen2.5-1.5B-Instruct", "model", "model")


def test_shipped_configs_round_trip_through_toml(tmp_path):
    for path in CONFIG_DIR.glob("*.toml"):
        config = load_config(path.stem)
        written = tmp_path / path.name
        written.write_text(to_toml(_as_tables(config)))
        assert load_config(written) == config


def _as_tables(config: Config) -> dict:
    from dataclasses import asdict

    return asdict(config)


CLUSTERER = '''
class EveryArticleAlone:
    """A clustering method added by a user: one file, named in the config."""

    def __init__(self, settings):
        self.settings = settings

    def cluster(self, articles, vectors):
        return [[i] for i in range(len(articles))]
'''


def test_a_new_clustering_method_is_one_file_and_one_config_line(tmp_path, monkeypatch):
    (tmp_path / "my_clusterer.py").write_text(CLUSTERER)
    monkeypatch.syspath_prepend(str(tmp_path))
    config_path = tmp_path / "alone.toml"
    config_path.write_text(to_toml({**OFFLINE, "cluster": {"method": "my_clusterer:EveryArticleAlone"}}))
    briefing = Pipeline(config_path, progress=False).run([SEEDS])
    assert len(briefing.events) == len(briefing.articles) == 5
    sys.modules.pop("my_clusterer", None)


def test_steps_can_be_given_as_objects():
    class OneEvent:
        def cluster(self, articles, vectors):
            return [list(range(len(articles)))]

    class FirstSentenceOfEach:
        def rank(self, sentences, vectors, articles, max_facts=None):
            from summarise.stages.rank import FactGroup

            firsts = [s for s in sentences if s.index == 0][:max_facts]
            return [FactGroup([s], 1.0) for s in firsts]

    config = Config(name="objects").override(**OFFLINE)
    pipeline = Pipeline(config, clusterer=OneEvent(), ranker=FirstSentenceOfEach(), progress=False)
    briefing = pipeline.run([SEEDS])
    assert len(briefing.events) == 1
    firsts = {a.sentences[0].text for a in briefing.articles}
    assert briefing.events[0].sentences and all(s.text in firsts for s in briefing.events[0].sentences)


def test_stage_timings_come_through_one_hook():
    seen = []

    class Recorder:
        def __init__(self, name):
            self.name = name

        def __enter__(self):
            seen.append(self.name)

        def __exit__(self, *exc):
            return False

    config = Config(name="hooked").override(**OFFLINE)
    pipeline = Pipeline(config, embedder=HashingEmbedder(), on_stage=Recorder, progress=False)
    pipeline.run([SEEDS])
    assert [s for s in dict.fromkeys(seen)] == ["ingest", "segment", "embed", "cluster", "spin", "dedup", "rank",
                                                "fuse_verify", "title"]
    assert set(pipeline.timings) == set(seen) and all(t >= 0 for t in pipeline.timings.values())


def test_a_model_that_cannot_judge_is_said_in_each_sentence():
    class ChatOnly:
        capabilities = ()  # e.g. an HTTP server that gives no token probabilities

        def chat(self, system, user, max_tokens):
            return user.split("<source 1>")[1].split("</source 1>")[0]

    config = Config(name="chat-only").override(embed={"method": "hashing"}, spin={"method": "none"})
    briefing = Pipeline(config, language_model=ChatOnly(), progress=False).run([SEEDS])
    sentences = [s for e in briefing.events for s in e.sentences]
    assert sentences and all(any("not judged" in c for c in s.checks) for s in sentences if s.method == "generated")
    assert any(s.method == "generated" for s in sentences)


def test_the_spin_check_needs_a_model_that_scores_perplexity():
    class ChatOnly:
        capabilities = ()

    config = Config(name="x").override(embed={"method": "hashing"}, fuse={"method": "extractive"},
                                       verify={"judge": "none"})
    with pytest.raises(ConfigError, match="cannot score perplexity"):
        Pipeline(config, language_model=ChatOnly(), progress=False).run([SEEDS])


def test_article_vectors_unchanged_by_batched_embedding():
    pipeline = Pipeline(Config(name="x").override(**OFFLINE), progress=False)
    prepared = pipeline.prepare([SEEDS])
    whole = HashingEmbedder().embed([s.text for a in prepared.articles for s in a.sentences])
    batched = pipeline.embed_sentences(prepared.articles, batch=7)
    assert np.allclose(np.concatenate(batched), whole)
