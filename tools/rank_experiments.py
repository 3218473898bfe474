"""Try ranking variants on the first N Multi-News clusters (how docs/benchmarks.md's "Ranking
changes" table was made). Each argument is a variant: "sal:wc=..,ws=..,wp=..,subj=.." replaces the
salience weights (centrality, support, position, objectivity; "sal:" alone is the old ranking), and
"cfg:key=value,..." overrides config fields.

    python tools/rank_experiments.py DATA.jsonl 40 "sal:" "sal:wp=0.3,subj=0.2" "cfg:budget_words=250"

DATA.jsonl is a summarisation set (the evaluation data's multinews_dev200.jsonl); cfg keys are
fields of [rank].
"""
import statistics
import sys
sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent.parent))
import numpy as np
from summarise.stages import rank
from summarise.config import load_config
from summarise.pipeline import Pipeline
from summarise.stages.embed import make_embedder
from summarise.evaluation.data import load_summary_cases
from summarise.evaluation.scoring import pipeline_system, score_output

N = int(sys.argv[2]) if len(sys.argv) > 2 else 40
cases = load_summary_cases(sys.argv[1], limit=N)
base = load_config("long")
emb = make_embedder("minilm")
orig = rank._salience

def variant(name, cfg=base, salience=orig):
    rank._salience = salience
    sysf = pipeline_system(Pipeline(cfg, embedder=emb, progress=False))
    rows = [score_output(sysf(c), c, None, None, 60) for c in cases]
    m = {k: round(statistics.mean(r[k] for r in rows), 2) for k in ("rouge1_f","rouge2_f","rougeL_f","longbench_rougeL","subjectivity","words")}
    print(name, m, flush=True)

from summarise.stages.verify import subjectivity
def make_sal(wc=0.4, ws=0.4, wp=0.2, subj=0.0):
    def sal(sentences, similarity, members, n_origins):
        n = len(sentences)
        centrality = (similarity.sum(axis=1) - 1.0) / max(n - 1, 1)
        centrality = centrality / max(float(centrality.max()), 1e-9)
        support = np.array([len(m) for m in members], dtype=np.float64) / max(n_origins - 1, 1)
        position = np.array([1.0 / np.sqrt(1.0 + s.index) for s in sentences])
        context = np.array([0.8 if rank._NEEDS_CONTEXT.match(s.text) else 1.0 for s in sentences])
        objective = np.array([1.0 - subj * subjectivity(s.text) for s in sentences])
        return (wc * centrality + ws * support + wp * position) * context * objective
    return sal

for spec in sys.argv[3:]:
    kind, _, rest = spec.partition(":")
    kw = dict(p.split("=") for p in rest.split(",") if p)
    if kind == "sal":
        variant(spec, salience=make_sal(**{k: float(v) for k, v in kw.items()}))
    elif kind == "cfg":
        cfg = base.override(rank={k: (int(v) if v.isdigit() else float(v)) for k, v in kw.items()})
        variant(spec, cfg=cfg)
