"""PNG plots of evaluation results, from the JSON that `eval summarise|cluster --json` writes.

    python -m summarise.evaluation.plots RESULTS.json OUT.png
"""
from __future__ import annotations

import json
import sys
from pathlib import Path


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_summary_results(results: dict, path: Path) -> None:
    """Grouped bars: ROUGE-1/2/L F1 and LongBench ROUGE-L per system, with the published marks."""
    plt = _pyplot()
    systems = list(results["systems"])
    keys = [("rouge1_f", "ROUGE-1 F"), ("rouge2_f", "ROUGE-2 F"), ("rougeL_f", "ROUGE-L F"),
            ("longbench_rougeL", "LongBench ROUGE-L")]
    fig, ax = plt.subplots(figsize=(10, 5))
    width = 0.8 / len(systems)
    for n, name in enumerate(systems):
        values = [results["systems"][name][k] for k, _ in keys]
        bars = ax.bar([i + n * width for i in range(len(keys))], values, width, label=name)
        ax.bar_label(bars, fmt="%.1f", fontsize=7)
    marks = [(0, 42.0, "PRIMERA 0-shot R-1"), (1, 13.6, "PRIMERA 0-shot R-2"), (3, 27.9, "best LongBench LLM")]
    for i, value, label in marks:
        ax.hlines(value, i - 0.1, i + 0.9, colors="black", linestyles="dashed", linewidth=1)
        ax.text(i + 0.9, value - 1.8, label, ha="right", fontsize=7, color="dimgray")
    ax.set_xticks([i + 0.4 - width / 2 for i in range(len(keys))], [label for _, label in keys])
    ax.set_ylabel("score (x100)")
    ax.set_title(f"{results['clusters']} clusters of {Path(results.get('data', '')).name}"
                 + (f", cut to {results['max_words']} words" if results.get("max_words") else ""))
    ax.legend(fontsize=8, ncol=len(systems), loc="upper center", bbox_to_anchor=(0.5, -0.1))
    fig.tight_layout()
    _save(fig, path, plt)


def plot_cluster_results(results: dict, path: Path) -> None:
    """B-cubed P/R/F1 and pairwise F1 against the similarity threshold, baselines as lines."""
    plt = _pyplot()
    sweep = sorted((float(name.split()[-1].rstrip(")")), scores) for name, scores in results["systems"].items()
                   if name.startswith("pipeline"))
    fig, ax = plt.subplots(figsize=(7, 4.2))
    xs = [x for x, _ in sweep]
    for key, label in (("bcubed_p", "B-cubed P"), ("bcubed_r", "B-cubed R"), ("bcubed_f1", "B-cubed F1"),
                       ("pairwise_f1", "pairwise F1")):
        ax.plot(xs, [100 * s[key] for _, s in sweep], marker="o", label=label)
    for name, style in (("singletons", ":"), ("all in one", "-.")):
        ax.axhline(100 * results["systems"][name]["bcubed_f1"], color="grey", linestyle=style,
                   label=f"{name} B-cubed F1")
    ax.set(xlabel="cut ([cluster] link_similarity; similarity for average_link, edge_similarity for communities)",
           ylabel="score (x100)",
           title=f"{results['documents']} documents, {results['gold_events']} gold events")
    ax.legend(fontsize=8)
    fig.tight_layout()
    _save(fig, path, plt)


def _save(fig, path: Path, plt) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_results(results: dict, path: Path) -> None:
    if "gold_events" in results:
        plot_cluster_results(results, path)
    else:
        plot_summary_results(results, path)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python -m summarise.evaluation.plots RESULTS.json OUT.png")
    plot_results(json.loads(Path(sys.argv[1]).read_text()), Path(sys.argv[2]))
