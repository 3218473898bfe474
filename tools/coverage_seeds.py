"""The seeds' briefing under coverage-ranking variants: each sentence with its words and the
outlets it cites (a spun copy not counted), to see which facts a variant keeps.

    python tools/coverage_seeds.py "ilp:method=coverage,coverage_solver=ilp" "greedy:method=coverage"

Variants are written as for tools/coverage_experiments.py (its x_ patches work here too); the
`fast` config with the real MiniLM (vectors cached in EMB_CACHE, default
/tmp/coverage_seeds_emb.pkl) and, as in tests/test_rank_coverage.py, the spin check marking the
machine-rewritten copy (002) without loading a language model.
"""
import os
import sys
from pathlib import Path

os.environ.setdefault("EMB_CACHE", "/tmp/coverage_seeds_emb.pkl")
sys.path.insert(0, str(Path(__file__).resolve().parent))
import coverage_experiments as harness  # noqa: E402  (after EMB_CACHE is set)
from summarise import FakeModel, Pipeline, load_config  # noqa: E402

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def perplexity(text: str) -> float:
    return 60.0 if "attainable invasion" in text else 12.0  # 002's machine rewrite, as the test's


def main(specs: list[str]) -> None:
    for spec in specs:
        _, overrides, patch = harness.variant(spec)
        harness.apply_patches(patch)
        pipeline = Pipeline(load_config("fast").override(rank=overrides), embedder=harness.DiskCached(),
                            language_model=FakeModel(perplexity=perplexity), progress=False)
        briefing = pipeline.run([SEEDS], cluster=False)
        spun = {a.id for a in briefing.articles if a.spun}
        source = {a.id: a.source[:3] for a in briefing.articles}
        print("==", spec)
        for sentence in briefing.events[0].sentences:
            cited = sorted(source[c.article_id] for c in sentence.citations if c.article_id not in spun)
            print(f"  [{len(sentence.text.split())}w; {len(cited)} outlets: {' '.join(cited)}] {sentence.text[:140]}")
    harness.save_cache()


if __name__ == "__main__":
    main(sys.argv[1:])
