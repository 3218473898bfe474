"""Any OpenAI-compatible HTTP server as the language model: vLLM, Ollama, llama.cpp's
`llama-server`, llama-cpp-python's server, or a hosted endpoint. Greedy decoding (temperature 0,
the config's seed), plain `urllib`, one request per call.

It chats. It judges (yes/no) only where the server returns the first token's top logprobs; that
is asked once, on first use, and `capabilities` says the answer, so the pipeline falls back to
the hard checks alone and says so. It never scores perplexity: servers return no logprobs of a
given text, so the spin check needs `[spin] method = "none"`.
"""
from __future__ import annotations

import http.client
import json
import os
import urllib.error
import urllib.request

from summarise.models.base import NO, YES, ChatModel, YesNoJudge, two_way

TOP_LOGPROBS = 20  # the most OpenAI, vLLM and Ollama return
PROBE = ("Answer only Yes or No.", "Is Paris in France? Answer Yes or No.")


class ModelServerError(RuntimeError):
    """The model server cannot be reached, refused a request, or sent a reply that is not an
    OpenAI chat completion. `status` is the HTTP status where there was one."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class OpenAIModel:
    def __init__(self, base_url: str, model: str = "", api_key: str | None = None, timeout: float = 120.0,
                 seed: int = 0):
        if not base_url:
            raise ModelServerError('[model] backend = "openai" needs [model] base_url, e.g. '
                                   '"http://127.0.0.1:8000/v1"')
        self.base_url = base_url.rstrip("/")
        self.model, self.timeout, self.seed = model, timeout, seed
        self._api_key = api_key or None
        self._judges: bool | None = None  # does the server give logprobs? asked on first use

    @classmethod
    def from_settings(cls, settings, n_threads: int = 2, seed: int = 0) -> "OpenAIModel":
        api_key = os.environ.get(settings.api_key_env) if settings.api_key_env else None
        return cls(settings.base_url, settings.name, api_key, settings.timeout, seed)

    def __repr__(self) -> str:  # no key, ever
        return f"OpenAIModel({self.base_url!r}, model={self.model!r})"

    @property
    def capabilities(self) -> tuple[type, ...]:
        if self._judges is None:
            self._judges = self._gives_logprobs()
        return (ChatModel, YesNoJudge) if self._judges else (ChatModel,)

    def chat(self, system: str, user: str, max_tokens: int) -> str:
        message = self._first_choice(self._complete(system, user, max_tokens)).get("message")
        if not isinstance(message, dict):
            raise self._malformed("the choice has no message")
        return (message.get("content") or "").strip()

    def yes_probability(self, system: str, user: str) -> float:
        reply = self._complete(system, user, 1, logprobs=True, top_logprobs=TOP_LOGPROBS)
        top = _first_token_logprobs(self._first_choice(reply))
        if top is None:
            raise ModelServerError(f"the model server at {self._url('chat/completions')} gave no logprobs, so it "
                                   "cannot judge: set [verify] judge = \"none\"")
        return yes_share(top)

    # -- HTTP ------------------------------------------------------------------------------

    def _gives_logprobs(self) -> bool:
        """One short logprobs request; a server that refuses it but answers a plain one cannot judge."""
        try:
            reply = self._complete(*PROBE, 1, logprobs=True, top_logprobs=TOP_LOGPROBS)
        except ModelServerError as exc:
            if exc.status is None:
                raise  # unreachable: no point asking again
            self._complete(*PROBE, 1)  # raises if the server is broken, not only logprob-less
            return False
        return _first_token_logprobs(self._first_choice(reply)) is not None

    def _complete(self, system: str, user: str, max_tokens: int, **extra) -> dict:
        payload = {"messages": [{"role": "system", "content": system}, {"role": "user", "content": user}],
                   "max_tokens": max_tokens, "temperature": 0, "seed": self.seed, **extra}
        if self.model:  # else the server's one model (llama.cpp, vLLM serving a single model)
            payload["model"] = self.model
        return self._post("chat/completions", payload)

    def _url(self, path: str) -> str:
        return f"{self.base_url}/{path}"

    def _post(self, path: str, payload: dict) -> dict:
        url = self._url(path)
        headers = {"Content-Type": "application/json", "Accept": "application/json", "User-Agent": "summarise"}
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        request = urllib.request.Request(url, data=json.dumps(payload).encode(), headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = response.read()
        except urllib.error.HTTPError as exc:
            raise self._http_error(url, exc) from None
        except (OSError, http.client.HTTPException) as exc:
            raise self._unreachable(url, getattr(exc, "reason", exc)) from None
        try:
            reply = json.loads(body)
        except ValueError:
            raise self._malformed(f"not JSON: {body[:200]!r}") from None
        if not isinstance(reply, dict):
            raise self._malformed(f"not a JSON object: {body[:200]!r}")
        return reply

    def _unreachable(self, url: str, reason: object) -> ModelServerError:
        if isinstance(reason, TimeoutError):  # on connect urllib wraps it in URLError, on read it does not
            return ModelServerError(f"the model server at {url} did not answer within {self.timeout:g} s: "
                                    "is it overloaded? raise [model] timeout")
        return ModelServerError(self._scrub(f"cannot reach the model server at {url} ({reason}): is it running, "
                                            "and is [model] base_url right?"))

    def _http_error(self, url: str, exc: urllib.error.HTTPError) -> ModelServerError:
        detail = _server_message(exc.read())
        key = ("check the API key in the environment variable that [model] api_key_env names" if self._api_key
               else "no API key was sent: put it in the environment variable that [model] api_key_env names")
        hint = {401: key, 403: key,
                404: f"check [model] base_url (it usually ends in /v1) and [model] name ({self.model!r})"
                }.get(exc.code, "see the server's log" if exc.code >= 500 else
                      f"check [model] name ({self.model!r}) and the server's log")
        return ModelServerError(self._scrub(f"the model server at {url} answered HTTP {exc.code}: {detail}; {hint}"),
                                status=exc.code)

    def _first_choice(self, reply: dict) -> dict:
        choices = reply.get("choices")
        if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
            raise self._malformed(f"no choices: {json.dumps(reply)[:200]}")
        return choices[0]

    def _malformed(self, what: str) -> ModelServerError:
        return ModelServerError(self._scrub(f"the model server at {self._url('chat/completions')} sent a reply that "
                                            f"is not an OpenAI chat completion ({what}): is [model] base_url an "
                                            "OpenAI-compatible /v1 endpoint?"))

    def _scrub(self, text: str) -> str:
        """Servers may echo a bad key back; it must not reach a log or a terminal."""
        return text.replace(self._api_key, "***") if self._api_key else text


def _first_token_logprobs(choice: dict) -> list[dict] | None:
    """The first generated token's top logprobs, [{"token", "logprob"}...]; None where the server gave none."""
    logprobs = choice.get("logprobs")
    content = logprobs.get("content") if isinstance(logprobs, dict) else None
    if not isinstance(content, list) or not content or not isinstance(content[0], dict):
        return None
    top = content[0].get("top_logprobs") or []
    return [e for e in top if isinstance(e, dict) and isinstance(e.get("token"), str)
            and isinstance(e.get("logprob"), (int, float))] or None


def yes_share(top: list[dict]) -> float:
    """P("Yes") / (P("Yes") + P("No")) from the first token's top logprobs, as base.two_way does from
    logits (the softmax normaliser cancels). Each answer is its likeliest token once whitespace is
    stripped ("Yes", or " Yes" where a tokenizer starts words with a space), case kept: the one token
    the local backends read. An answer missing from the list counts against the claim: Yes as
    impossible, No as likely as the least likely listed token, so the share is the least the list allows."""
    yes = [e["logprob"] for e in top if e["token"].strip() == YES]
    no = [e["logprob"] for e in top if e["token"].strip() == NO]
    if not yes:
        return 0.0
    return two_way(max(yes), max(no) if no else min(e["logprob"] for e in top))


def _server_message(body: bytes) -> str:
    """The error message of an OpenAI-style error body, else the start of the body."""
    try:
        reply = json.loads(body)
        error = reply.get("error") or reply.get("detail")  # OpenAI's shape, else FastAPI's
        message = error.get("message") if isinstance(error, dict) else error
        if message:
            return str(message)[:300]
    except (ValueError, AttributeError):
        pass
    return body[:300].decode("utf-8", "replace").strip() or "(empty body)"
