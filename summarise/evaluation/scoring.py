"""Score summaries and clusterings on evaluation sets, beside peer systems.

`evaluate_summaries` runs every system on the same clusters (each cluster one event: the
pipeline runs with cluster=False) and scores ROUGE, LongBench ROUGE-L, ALCE citation
precision/recall with the pipeline's judge, the share of verified sentences, neutrality and
speed. `evaluate_clustering` clusters a pool of documents and scores it against gold events,
beside the singleton and all-in-one baselines. Both return plain dicts (the --json output).
"""
from __future__ import annotations

import resource
import time
from dataclasses import asdict, dataclass, field
from statistics import mean
from typing import Callable

from tqdm.auto import tqdm

from summarise.config import Config
from summarise.pipeline import Pipeline
from summarise.stages.cluster import LEAD_SENTENCES
from summarise.evaluation.data import ClusterDoc, SummaryCase
from summarise.evaluation.metrics import (citation_scores, cluster_scores, longbench_rouge_l, mean_subjectivity, rouge,
                      truncate_words)
from summarise.evaluation.peers import PEERS
from summarise.stages.segment import split_spans
from summarise.stages.verify import Verifier, hard_problems, stated_verbatim

SUMMARY_METRICS = ("rouge1_f", "rouge2_f", "rougeL_f", "rouge1_r", "rouge2_r", "rougeL_r", "longbench_rougeL")


@dataclass
class Output:
    """One system's summary of one cluster, with each sentence's cited evidence when it has any."""

    summary: str
    sentences: list[tuple[str, list[str]]] = field(default_factory=list)
    cited: bool = False  # does this system cite sources at all?


System = Callable[[SummaryCase], Output]


def peer_system(name: str, budget_words: int) -> System:
    summarise_documents = PEERS[name]

    def run(case: SummaryCase) -> Output:
        text = summarise_documents([d["text"] for d in case.documents], budget_words)
        return Output(text, [(text[a:b], []) for a, b in split_spans(text)])

    return run


def pipeline_system(pipeline) -> System:
    """The pipeline on one cluster as one event; the summary is the briefing's sentences in order."""

    def run(case: SummaryCase) -> Output:
        briefing = pipeline.run(case.documents, cluster=False)
        sentences = [(s.text, [c.evidence for c in s.citations]) for e in briefing.events for s in e.sentences]
        return Output(" ".join(text for text, _ in sentences), sentences, cited=True)

    return run


class Judge:
    """ALCE's entailment test through the pipeline's yes/no judge (`Verifier.support`).

    A claim that occurs verbatim in its evidence is supported without asking (an extractive
    sentence is its own evidence); other answers are cached, so each pair is judged once."""

    def __init__(self, verifier: Verifier):
        self.verifier = verifier
        self.calls = 0
        self._cache: dict[tuple[str, tuple[str, ...]], bool] = {}

    def __call__(self, claim: str, evidence: list[str]) -> bool:
        key = (claim, tuple(evidence))
        if key not in self._cache:
            if stated_verbatim(claim, evidence):
                self._cache[key] = True
            else:
                self.calls += 1
                self._cache[key] = self.verifier.support(claim, evidence) >= self.verifier.threshold
        return self._cache[key]


def score_output(output: Output, case: SummaryCase, max_words: int | None, judge: Judge | None,
                 max_sentence_words: int) -> dict:
    summary = truncate_words(output.summary, max_words)
    row = {"id": case.id, "words": len(summary.split()), **rouge(summary, case.references),
           "longbench_rougeL": longbench_rouge_l(summary, case.references),
           "subjectivity": mean_subjectivity([text for text, _ in output.sentences])}
    if output.cited:
        row["sentences"] = len(output.sentences)
        row["hard_checks_passed"] = sum(not hard_problems(t, e, max_sentence_words, standalone=False)
                                        for t, e in output.sentences if e)
        if judge is not None:
            citations = citation_scores(output.sentences, judge)
            row.update(citation_recall=citations.recall, citation_precision=citations.precision,
                       citations=citations.citations,
                       verified=sum(bool(e) and judge(t, e)
                                    and not hard_problems(t, e, max_sentence_words, standalone=False)
                                    for t, e in output.sentences))
    return row


def source_subjectivity(case: SummaryCase) -> float:
    return mean_subjectivity([d["text"][a:b] for d in case.documents for a, b in split_spans(d["text"])])


def evaluate_summaries(cases: list[SummaryCase], systems: dict[str, System], *, main: str,
                       max_words: int | None = None, judge: Judge | None = None, max_sentence_words: int = 60,
                       progress: bool | None = None, predictions: dict[str, list[dict]] | None = None) -> dict:
    """Every system on every case; returns {"systems": {name: summary}, "per_cluster": ...}."""
    rows: dict[str, list[dict]] = {name: [] for name in systems}
    disable = None if progress is None else not progress
    bar = tqdm(total=len(cases) * len(systems), desc="eval summarise", unit="run", disable=disable)
    for name, system in systems.items():
        bar.set_postfix_str(name)
        for case in cases:
            start = time.perf_counter()
            output = system(case)
            seconds = time.perf_counter() - start
            row = score_output(output, case, max_words, judge, max_sentence_words)
            row["seconds"] = seconds
            rows[name].append(row)
            if predictions is not None:
                predictions.setdefault(name, []).append({"id": case.id, "summary": truncate_words(output.summary, max_words)})
            bar.update()
    bar.close()
    sources = mean(source_subjectivity(c) for c in cases)
    summary = {name: aggregate(system_rows) for name, system_rows in rows.items()}
    return {"clusters": len(cases), "max_words": max_words, "main": main, "source_subjectivity": sources,
            "judge_calls": judge.calls if judge else 0, "systems": summary,
            "ratios": ratios(summary, main), "per_cluster": rows}


def aggregate(rows: list[dict]) -> dict:
    out = {key: mean(r[key] for r in rows) for key in (*SUMMARY_METRICS, "subjectivity", "words", "seconds")}
    if "sentences" in rows[0]:
        sentences = sum(r["sentences"] for r in rows)
        out["sentences"] = sentences
        out["hard_checks_passed_pct"] = 100.0 * sum(r["hard_checks_passed"] for r in rows) / max(sentences, 1)
        if "citation_recall" in rows[0]:
            # ALCE averages per example
            out["citation_recall"] = mean(r["citation_recall"] for r in rows)
            out["citation_precision"] = mean(r["citation_precision"] for r in rows)
            out["verified_pct"] = 100.0 * sum(r["verified"] for r in rows) / max(sentences, 1)
    return out


def ratios(summary: dict[str, dict], main: str) -> dict[str, dict[str, float]]:
    """main system's score divided by each other system's, per ROUGE measure."""
    if main not in summary:
        return {}
    ours = summary[main]
    return {name: {key: ours[key] / theirs[key] if theirs[key] else float("nan")
                   for key in ("rouge1_f", "rouge2_f", "rougeL_f", "longbench_rougeL")}
            for name, theirs in summary.items() if name != main}


# -- clustering ----------------------------------------------------------------------------

def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def cluster_documents(docs: list[ClusterDoc], config: Config, embedder, progress: bool | None = None,
                      thresholds: list[float] | None = None) -> tuple[dict[float, list[str]], dict]:
    """Predicted event per document for each threshold (the config's first), plus timings: the
    pipeline's own steps, reading each article's lead only (all that clustering uses).

    Documents the ingest rejects (too short, not text) become events of their own and are
    counted, so every document gets a prediction."""
    config = config.override(ingest={"max_articles": max(config.ingest.max_articles, len(docs))})
    pipeline = Pipeline(config, embedder=embedder, progress=progress)
    clusterer = pipeline.clusterer
    lead = getattr(clusterer, "lead", LEAD_SENTENCES)  # embed no more sentences than clustering reads
    prepared = pipeline.prepare([{"doc_id": d.doc_id, "text": d.text} for d in docs], lead=lead)
    if thresholds and hasattr(clusterer, "sweep"):  # one merge tree, cut at every threshold
        with pipeline.timed("cluster"):
            events = clusterer.sweep(prepared.articles, prepared.vectors, thresholds)
    else:
        events = {getattr(clusterer, "similarity", config.cluster.similarity): pipeline.cluster(prepared)}
    predictions = {}
    for threshold, groups in events.items():
        labels = {prepared.articles[i].id: f"e{n}" for n, members in enumerate(groups) for i in members}
        predictions[threshold] = [labels.get(d.doc_id, f"rejected:{d.doc_id}") for d in docs]
    t = pipeline.timings
    timings = {"ingest_segment_s": t.get("ingest", 0.0) + t.get("segment", 0.0), "embed_s": t.get("embed", 0.0),
               "linkage_s": t.get("cluster", 0.0), "rejected_documents": len(docs) - len(prepared.articles)}
    return predictions, timings


def evaluate_clustering(docs: list[ClusterDoc], config: Config, embedder, progress: bool | None = None,
                        thresholds: list[float] | None = None) -> dict:
    start = time.perf_counter()
    predictions, timings = cluster_documents(docs, config, embedder, progress, thresholds)
    seconds = time.perf_counter() - start
    gold = [d.gold_event for d in docs]
    systems = {f"pipeline (similarity {t:g})": asdict(cluster_scores(p, gold)) for t, p in predictions.items()}
    systems["singletons"] = asdict(cluster_scores([d.doc_id for d in docs], gold))
    systems["all in one"] = asdict(cluster_scores(["all"] * len(docs), gold))
    return {"documents": len(docs), "gold_events": len(set(gold)), "config": config.name,
            "cluster_method": config.cluster.method, "cluster_similarity": config.cluster.similarity,
            "link_similarity": config.cluster.link_similarity, "background_rank": config.cluster.background_rank,
            "edge_similarity": config.cluster.edge_similarity, "community_penalty": config.cluster.community_penalty,
            "consensus_link_similarity": config.cluster.consensus_link_similarity,
            "index_from": config.cluster.index_from, "seconds": seconds,
            "documents_per_second": len(docs) / seconds if seconds else float("nan"),
            "peak_rss_mb": peak_rss_mb(), **timings, "systems": systems,
            "predictions": {t: p for t, p in predictions.items()}}


