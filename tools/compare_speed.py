"""Before/after driver for the speed work (issue 11): a config on the seeds, twice in one process
(first and warm), with the language model's work counted the same way for code that has
`LlamaCppModel.usage` and for code that predates it, and the raw rate (1,000 prompt + 100
generated tokens) measured before and after in the same process.

    cd CHECKOUT && PYTHONPATH=. python tools/compare_speed.py default ../shared/seeds > out.json
"""
import json, sys, time, resource
from summarise import Pipeline, load_config, render
from summarise.models import make_language_model
from summarise.stages.embed import make_embedder

config = load_config(sys.argv[1] if len(sys.argv) > 1 else "default")
out = {"config": config.name}
embedder = make_embedder(config.embed, config.n_threads); embedder.embed(["warm up"])
model = make_language_model(config.model, config.n_threads, config.seed)
llm = model.llm
counts = {"prompt_tokens": 0, "evaluated": 0, "generated": 0, "chat": 0, "judge": 0, "perplexity": 0, "seconds": 0.0}

if not hasattr(model, "usage"):  # the old code: count around its methods
    def kept(tokens):
        held = llm.input_ids[: llm.n_tokens]
        return min(llm.longest_token_prefix(held, tokens), len(tokens) - 1)
    chat, yes, ppl = model.chat, model.yes_probability, model.perplexity
    def c(system, user, max_tokens):
        t = model._prompt(system, user); counts["chat"] += 1; counts["prompt_tokens"] += len(t); counts["evaluated"] += len(t) - kept(t)
        s = time.perf_counter(); r = chat(system, user, max_tokens); counts["seconds"] += time.perf_counter() - s
        counts["generated"] += len(llm.tokenize(r.encode(), add_bos=False, special=False)) + 1; return r
    def y(system, user):
        t = model._prompt(system, user); counts["judge"] += 1; counts["prompt_tokens"] += len(t); counts["evaluated"] += len(t)
        s = time.perf_counter(); r = yes(system, user); counts["seconds"] += time.perf_counter() - s; return r
    def p(text, max_tokens=256):
        t = llm.tokenize(text.encode(), add_bos=False, special=False)[:max_tokens]; counts["perplexity"] += 1
        counts["prompt_tokens"] += len(t); counts["evaluated"] += len(t)
        s = time.perf_counter(); r = ppl(text, max_tokens); counts["seconds"] += time.perf_counter() - s; return r
    model.chat, model.yes_probability, model.perplexity = c, y, p
    snapshot = lambda: dict(counts)
else:
    u = model.usage
    snapshot = lambda: {"prompt_tokens": u.prompt_tokens, "evaluated": u.prompt_tokens_evaluated, "generated": u.generated_tokens,
                        "chat": u.chat_calls, "judge": u.judge_calls, "perplexity": u.perplexity_calls, "seconds": u.seconds}

def rate():
    words = ("The council met on Tuesday to discuss the budget for the coming year and the roads, schools and parks it pays for. ")
    toks = []
    while len(toks) < 1000: toks += llm.tokenize(words.encode(), add_bos=False, special=False)
    llm.reset(); s = time.perf_counter(); llm.eval(toks[:1000]); prompt_s = time.perf_counter() - s; llm.reset()
    r = llm.create_completion("Write a long, plain paragraph about how a city council approves its yearly budget.", max_tokens=100, temperature=0.0)
    llm.reset(); s = time.perf_counter()
    r = llm.create_completion("Write a long, plain paragraph about how a city council approves its yearly budget.", max_tokens=100, temperature=0.0)
    total = time.perf_counter() - s; n = r["usage"]["completion_tokens"]; llm.reset()
    # generation rate: total minus a prompt of ~20 tokens at the prompt rate
    gen_s = total - r["usage"]["prompt_tokens"] * prompt_s / 1000
    return {"prompt_s_per_1000": prompt_s, "generated_per_s": n / gen_s, "unit_s": prompt_s + 100 * gen_s / n}

out["rate_before"] = rate()
for run in ("first", "warm"):
    before = snapshot(); start = time.perf_counter()
    briefing = Pipeline(config, embedder=embedder, language_model=model, progress=False).run([sys.argv[2]])
    wall = time.perf_counter() - start
    after = snapshot()
    out[run] = {"wall_s": wall, **{k: after[k] - before[k] for k in after},
                "sentences": [(s.method, s.text) for e in briefing.events for s in e.sentences],
                "events": len(briefing.events), "spun": [a.input[-30:] for a in briefing.articles if a.spun]}
out["rate_after"] = rate()
unit = (out["rate_before"]["unit_s"] + out["rate_after"]["unit_s"]) / 2
for run in ("first", "warm"):
    out[run]["units"] = out[run]["wall_s"] / unit
out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
out["json"] = render(briefing, "json")
print(json.dumps(out, indent=1))
