"""The spin check's perplexity on the first 128 against the first 256 tokens: the seeds, planted spins
of dev200 articles (a dictionary spinner) and real pairs of outlets of one story (docs/benchmarks.md).

    PYTHONPATH=. .venv/bin/python tools/spin_prefix_length.py
"""
import json
import random
import re
from pathlib import Path

from summarise.inputs.ingest import load_articles
from summarise.models import make_language_model

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval" / "multinews_dev200.jsonl"

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


def spin(text: str) -> str:
    """A crude article spinner: common words swapped for stiffer synonyms."""
    return re.sub(r"\b[a-z]+\b", lambda w: SYN.get(w.group(), w.group()), text)


def main() -> None:
    model = make_language_model()
    seeds = {Path(a.input).name[:3]: a.text for a in load_articles([ROOT / "seeds"]).articles}
    for n in (128, 256):
        print("seeds", n, {name: round(model.perplexity(seeds[name], max_tokens=n), 1) for name in ("000", "002", "003")})
    clusters = [json.loads(line) for line in EVAL.open()]
    for cluster in [c for c in random.Random(3).sample(clusters, 40) if len(_long_reports(c)) >= 2][:8]:
        one, other = _long_reports(cluster)[:2]
        for n in (128, 256):
            mine, spun, theirs = (model.perplexity(t, max_tokens=n) for t in (one, spin(one), other))
            print(cluster["id"][:8], n, "original", round(mine, 1), "spun", round(spun, 1), "ratio", round(spun / mine, 2),
                  "| other outlet", round(theirs, 1), "pair ratio", round(max(mine, theirs) / min(mine, theirs), 2))


def _long_reports(cluster: dict) -> list[str]:
    return [d["text"] for d in cluster["documents"] if not d["likely_boilerplate"] and len(d["text"]) > 1500]


if __name__ == "__main__":
    main()
