"""Any Hugging Face model name or local path through transformers, causal or seq2seq (a path
ending in .gguf is loaded through transformers' GGUF support). Greedy decoding."""
from __future__ import annotations

from summarise.models.base import NO, YES, two_way
from summarise.models.files import packaged_gguf_path


class TransformersModel:
    def __init__(self, model: str = "", n_threads: int = 0):
        import torch
        from transformers import AutoConfig, AutoModelForCausalLM, AutoModelForSeq2SeqLM, AutoTokenizer

        if n_threads:
            torch.set_num_threads(n_threads)
        name = model or str(packaged_gguf_path())
        kwargs = {}
        if name.endswith(".gguf"):  # "repo-or-folder/file.gguf"
            name, _, gguf_file = name.rpartition("/")
            kwargs["gguf_file"] = gguf_file
        config = AutoConfig.from_pretrained(name, **kwargs)
        self.seq2seq = bool(config.is_encoder_decoder)
        model_class = AutoModelForSeq2SeqLM if self.seq2seq else AutoModelForCausalLM
        self.tokenizer = AutoTokenizer.from_pretrained(name, **kwargs)
        self.model = model_class.from_pretrained(name, torch_dtype=torch.float32, **kwargs).eval()
        self._yes = self.tokenizer.encode(YES, add_special_tokens=False)[0]
        self._no = self.tokenizer.encode(NO, add_special_tokens=False)[0]

    @classmethod
    def from_settings(cls, settings, n_threads: int = 2, seed: int = 0) -> "TransformersModel":
        return cls(settings.name, n_threads=n_threads)

    def _encode(self, system: str, user: str):
        if getattr(self.tokenizer, "chat_template", None) and not self.seq2seq:
            messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
            text = self.tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
            return self.tokenizer(text, return_tensors="pt", add_special_tokens=False)
        return self.tokenizer(f"{system}\n\n{user}", return_tensors="pt", truncation=True)

    def chat(self, system: str, user: str, max_tokens: int) -> str:
        import torch

        inputs = self._encode(system, user)
        with torch.inference_mode():
            output = self.model.generate(**inputs, max_new_tokens=max_tokens, do_sample=False)
        new = output[0] if self.seq2seq else output[0, inputs["input_ids"].shape[1]:]
        return self.tokenizer.decode(new, skip_special_tokens=True).strip()

    def yes_probability(self, system: str, user: str) -> float:
        import torch

        inputs = self._encode(system, user)
        with torch.inference_mode():
            if self.seq2seq:
                start = torch.tensor([[self.model.config.decoder_start_token_id]])
                logits = self.model(**inputs, decoder_input_ids=start).logits[0, -1]
            else:
                logits = self.model(**inputs).logits[0, -1]
        return two_way(float(logits[self._yes]), float(logits[self._no]))

    def perplexity(self, text: str, max_tokens: int = 256) -> float:
        import torch

        if self.seq2seq:
            raise ValueError("perplexity needs a causal language model; set spin_detector = 'none'")
        ids = self.tokenizer(text, return_tensors="pt", truncation=True, max_length=max_tokens)["input_ids"]
        if ids.shape[1] < 2:
            return float("nan")
        with torch.inference_mode():
            loss = self.model(input_ids=ids, labels=ids).loss
        return float(torch.exp(loss))
