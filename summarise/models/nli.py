"""A natural-language-inference classifier as the verifier's judge (`[verify] judge = "nli"`).

Any Hugging Face sequence-classification model name or local path whose labels name an entailment
class (for example `cross-encoder/nli-deberta-v3-base`): a second reader of each sentence against
its evidence, other than the language model that wrote it. The packaged model both writes and
judges otherwise, and its judge passes most sentences that recombine two passages
(docs/review_fused_sentences.md); none of these classifiers is packaged for offline machines, so
this judge is for users who have one. Calibrate its threshold with `summarise eval verifier`.
"""
from __future__ import annotations

from summarise.models.files import ModelFileError

MAX_TOKENS = 512  # premise and hypothesis together; a longer premise is cut (the hypothesis is short)


class NliJudge:
    def __init__(self, model: str, n_threads: int = 0, max_tokens: int = MAX_TOKENS):
        import torch
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        if n_threads:
            torch.set_num_threads(n_threads)
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(model)
            self.model = AutoModelForSequenceClassification.from_pretrained(model).eval()
        except (OSError, ValueError) as exc:
            raise ModelFileError(f"cannot load the NLI judge {model!r} ([verify] nli_model): {exc}") from None
        self.entailment = entailment_index(self.model.config.id2label, model)
        self.max_tokens = max_tokens

    @classmethod
    def from_settings(cls, settings, n_threads: int = 2) -> NliJudge:
        return cls(settings.nli_model, n_threads=n_threads)

    def entailment_probability(self, premise: str, hypothesis: str) -> float:
        import torch

        inputs = self.tokenizer(premise, hypothesis, return_tensors="pt", truncation="only_first",
                                max_length=self.max_tokens)
        with torch.inference_mode():
            logits = self.model(**inputs).logits[0].float()
        return float(torch.softmax(logits, dim=-1)[self.entailment])


def entailment_index(id2label: dict, model: str = "") -> int:
    """The output that means "entailment" ("ENTAILMENT", "entailment", "entail"), from the model's
    own labels: NLI models order their classes differently."""
    found = [int(i) for i, name in id2label.items() if str(name).lower().startswith("entail")]
    if len(found) != 1:
        raise ModelFileError(f"the NLI judge {model!r} has no single entailment label among its labels "
                             f"{sorted(id2label.values())}: give a model trained for natural language inference")
    return found[0]
