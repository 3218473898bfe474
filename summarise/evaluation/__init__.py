"""Evaluation and benchmarks (the `eval` extra): scores on data sets in the formats of the shared
evaluation data, beside peer systems, and per-stage time and memory. Not needed to brief.

    data.py        reading summarisation and clustering sets
    metrics.py     ROUGE, LongBench ROUGE-L, ALCE citation precision/recall, B-cubed, pairwise F1
    peers.py       Lead, LexRank and TextRank (sumy) under the same word budget
    systems.py     the systems compared: pipelines under any config, peers, saved predictions
    scoring.py     evaluate_summaries and evaluate_clustering
    bench.py       per-stage seconds and peak memory through the pipeline's on_stage hook
    plots.py       PNG plots of results
    provenance.py  date, machine and command written beside every figure
"""
