"""The spin check's perplexity on the first 128 against the first 256 tokens: the seeds, planted spins
of dev200 articles (a dictionary spinner) and real pairs of outlets of one story (docs/benchmarks.md).

    PYTHONPATH=. .venv/bin/python tools/spin_prefix_length.py
"""
import json
import random
import re
from pathlib import Path

from summarise.models import make_language_model
from summarise.inputs.ingest import load_articles

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval" / "multinews_dev200.jsonl"
m = make_language_model()
SYN = {"said": "stated", "says": "states", "crisis": "disaster", "officials": "authorities", "big": "huge",
       "people": "individuals", "killed": "slain", "attack": "assault", "police": "law enforcement", "help": "assist",
       "show": "display", "shows": "displays", "government": "administration", "president": "head of state",
       "country": "nation", "city": "metropolis", "children": "youngsters", "house": "residence", "home": "abode",
       "car": "automobile", "start": "commence", "started": "commenced", "end": "conclusion", "ended": "concluded",
       "new": "novel", "old": "aged", "large": "sizeable", "small": "diminutive", "many": "numerous", "important": "crucial",
       "week": "weekly period", "month": "calendar month", "year": "twelve months", "told": "informed", "asked": "requested",
       "found": "discovered", "made": "crafted", "make": "craft", "plan": "scheme", "plans": "schemes", "talks": "discussions",
       "meeting": "assembly", "job": "occupation", "jobs": "occupations", "money": "funds", "company": "firm",
       "leader": "chief", "leaders": "chiefs", "group": "collective", "groups": "collectives", "state": "province",
       "world": "globe", "team": "squad", "game": "match", "win": "triumph", "won": "triumphed", "lost": "misplaced",
       "court": "tribunal", "law": "statute", "vote": "ballot", "support": "backing", "against": "versus", "after": "following",
       "before": "prior to", "because": "due to the fact that", "about": "regarding", "also": "additionally", "but": "however",
       "get": "acquire", "got": "acquired", "used": "utilised", "use": "utilise", "need": "require", "needs": "requires",
       "think": "believe", "believe": "think", "going": "heading", "went": "proceeded", "come": "arrive", "came": "arrived"}
def spin(text):
    return re.sub(r"\b[a-z]+\b", lambda w: SYN.get(w.group(), w.group()), text)
def ppl(text, n): return m.perplexity(text, max_tokens=n)
seeds = {a.input.split("/")[-1][:3]: a.text for a in load_articles([ROOT / "seeds"]).articles}
for n in (128, 256):
    print("seeds", n, "002", round(ppl(seeds["002"], n), 1), "003", round(ppl(seeds["003"], n), 1), "000", round(ppl(seeds["000"], n), 1), flush=True)
clusters = [json.loads(l) for l in open(EVAL)]
picked = [c for c in random.Random(3).sample(clusters, 40) if len([d for d in c["documents"] if not d["likely_boilerplate"] and len(d["text"]) > 1500]) >= 2][:8]
for c in picked:
    a, b = [d["text"] for d in c["documents"] if not d["likely_boilerplate"] and len(d["text"]) > 1500][:2]
    for n in (128, 256):
        pa, pb, ps = ppl(a, n), ppl(b, n), ppl(spin(a), n)
        print(c.get("id", "?")[:8], n, "orig", round(pa, 1), "spun", round(ps, 1), "ratio", round(ps / pa, 2),
              "| other outlet", round(pb, 1), "pair ratio", round(max(pa, pb) / min(pa, pb), 2), flush=True)
