"""Try coverage-ranking variants on Multi-News (how docs/benchmarks.md's "Coverage ranking" table
was made): each variant runs the `long` config's pipeline once on the first N clusters and prints
R-1/R-2 F and recall of the whole summary (about 230 words) and of its first 100 words.

    python tools/coverage_experiments.py DATA.jsonl 200 "mmr:method=mmr" "cov:method=coverage,coverage_prior=3"

A variant is "label:key=value,...": keys are [rank] fields, or x_ keys that replace coverage.py's
pieces: x_units=both|bigram|unigram, x_trim=0 (keep datelines), and, any of them given, concept
weights recomputed as sum over outlets of a position weight (x_pos=sqrt|none|lin|log) times
outlets**(x_dfpow - 1), x_single (factor for one-outlet concepts), x_mindf (fewest outlets); x_shared=1: the ILP
also never picks two sentences that cite one same sentence of a third outlet.
MiniLM vectors are cached in EMB_CACHE (default /tmp/coverage_emb.pkl): the first run embeds.
"""
import os, pickle, statistics, sys, time
sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent.parent))
import torch; torch.set_num_threads(1)
import numpy as np
from summarise.config import load_config
from summarise.pipeline import Pipeline
from summarise.stages.embed import make_embedder
from summarise.evaluation.data import load_summary_cases
from summarise.evaluation.scoring import pipeline_system, score_output

CACHE = os.environ.get("EMB_CACHE", "/tmp/coverage_emb.pkl")
store = pickle.load(open(CACHE, "rb")) if os.path.exists(CACHE) else {}
n0 = len(store)
class DiskCached:
    inner = None
    def embed(self, texts):
        missing = list(dict.fromkeys(t for t in texts if t not in store))
        if missing:
            if DiskCached.inner is None:
                DiskCached.inner = make_embedder(load_config("long").embed, 1)
            for t, v in zip(missing, DiskCached.inner.embed(missing)): store[t] = v
        if not texts: return np.zeros((0, 1), dtype=np.float32)
        return np.stack([store[t] for t in texts])

from summarise.stages import coverage as cov
from collections import defaultdict
ORIG = (cov.concepts, cov.concept_weights, cov.without_dateline, cov.anchor_candidates, cov._ilp_then_greedy,
        cov._repeating_pairs)
def apply_patches(p):
    (cov.concepts, cov.concept_weights, cov.without_dateline, cov.anchor_candidates, cov._ilp_then_greedy,
     cov._repeating_pairs) = ORIG
    if p.get("x_shared"):  # x_shared=1: the ILP never picks two sentences that cite one same sentence
        def shared_member_pairs(fits, similarity, members):
            pairs = set(ORIG[5](fits, similarity, members))
            pairs.update((a, b) for a in range(len(fits)) for b in range(a + 1, len(fits))
                         if set(members[fits[a]]) & set(members[fits[b]]))
            return sorted(pairs)
        cov._repeating_pairs = shared_member_pairs
    if "x_minwords" in p:  # x_minwords=N: shorter sentences never anchor a fact
        cov.anchor_candidates = lambda ss, a, st: [i for i in ORIG[3](ss, a, st) if len(ss[i].text.split()) >= p["x_minwords"]]
    if p.get("x_rest") == "greedy":  # the ILP solves the lead only; greedy picks the rest
        def lead_only(candidates, units, weights, words, prior, similarity, members, budget, settings):
            lead = cov.best_concept_set(candidates, units, weights, words, settings.coverage_lead_words, similarity,
                                        members, [], prior, settings.coverage_prior_bonus)
            chosen = cov._in_greedy_order(lead, units, weights, words, prior, [])[:budget]
            return cov._greedy_coverage(candidates, units, weights, words, prior, similarity, members, budget,
                                        settings.budget_words, settings.coverage_cost_exponent, chosen=chosen)
        cov._ilp_then_greedy = lead_only
    if p.get("x_trim", 1) == 0:
        cov.without_dateline = lambda s: s
    units = p.get("x_units", "both")
    if units != "both":
        def concepts(text):
            u = ORIG[0](text)
            return {x for x in u if (" " in x) == (units == "bigram")}
        cov.concepts = concepts
    pos = p.get("x_pos", "sqrt"); mindf = p.get("x_mindf", 1); dfpow = p.get("x_dfpow", 1.0); single = p.get("x_single", 1.0)
    if {"x_pos", "x_mindf", "x_dfpow", "x_single"} & set(p):
        def concept_weights(sentences, origin, units):
            first = {}
            for s, o, su in zip(sentences, origin, units):
                for u in su:
                    k = (u, o)
                    if k not in first or s.index < first[k]: first[k] = s.index
            w = defaultdict(float); df = defaultdict(int)
            for (u, _), i in first.items():
                w[u] += {"sqrt": 1/np.sqrt(1+i), "none": 1.0, "lin": 1/(1+i), "log": 1/np.log2(2+i)}[pos]
                df[u] += 1
            n = len(set(origin))  # x_mindf=-1: ICSISumm's rule, 3 outlets of 7+, 2 of 4+, else 1
            least = mindf if mindf >= 0 else (3 if n >= 7 else 2 if n >= 4 else 1)
            return {u: (v * (df[u] ** (dfpow - 1))) * (single if df[u] == 1 else 1.0) for u, v in w.items() if df[u] >= least}
        cov.concept_weights = concept_weights
def parse(v):
    for t in (int, float):
        try: return t(v)
        except ValueError: pass
    return v
def variant(spec):
    """"label:key=value,..." -> (label, [rank] overrides, x_ patches)"""
    name, _, rest = spec.partition(":")
    kw = {k: parse(v) for k, v in (p.split("=") for p in rest.split(",") if p)}
    return name, kw, {k: kw.pop(k) for k in list(kw) if k.startswith("x_")}
def save_cache():
    if len(store) != n0:
        pickle.dump(store, open(CACHE + ".tmp", "wb")); os.replace(CACHE + ".tmp", CACHE)
def main(argv):
    N = int(argv[2])
    MANY_DOCS = int(os.environ.get("MANY_DOCS", 4))
    cases = load_summary_cases(argv[1], limit=N)
    base = load_config(os.environ.get("CFG", "long"))
    for spec in argv[3:]:
        name, kw, patch = variant(spec)
        apply_patches(patch)
        cfg = base.override(rank=kw)
        system = pipeline_system(Pipeline(cfg, embedder=DiskCached(), progress=False))
        t = time.time()
        outs = [system(c) for c in cases]
        res = {}
        many = [k for k, c in enumerate(cases) if len(c.documents) >= MANY_DOCS]  # the DUC-like proxy
        for mw in (None, 100):
            rows = [score_output(o, c, mw, None, 60) for o, c in zip(outs, cases)]
            res[mw or 230] = [round(statistics.mean(r[k] for r in rows), 2) for k in ("rouge1_f", "rouge2_f", "rouge1_r", "rouge2_r", "words")]
            res[f"many{mw}"] = [round(statistics.mean(rows[k][key] for k in many), 2) for key in ("rouge1_r", "rouge2_r")]
        print(f"{spec:60s} 230w R1/R2 F {res[230][0]} {res[230][1]} (R {res[230][2]} {res[230][3]}, {res[230][4]}w) | 100w R1/R2 F {res[100][0]} {res[100][1]} (R {res[100][2]} {res[100][3]})"
              f" | {len(many)} clusters of {MANY_DOCS}+ docs, 100w R1/R2 R {res['many100'][0]} {res['many100'][1]}  [{time.time()-t:.0f}s]", flush=True)
        if os.environ.get("SAVE_PRED"):
            import json
            with open(f"{os.environ['SAVE_PRED']}.{name}.jsonl", "w") as f:
                for o, c in zip(outs, cases): f.write(json.dumps({"id": c.id, "summary": o.summary}) + "\n")
    save_cache()
if __name__ == "__main__":
    main(sys.argv)
