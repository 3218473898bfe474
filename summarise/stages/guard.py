"""Guard: spot source sentences that address the summariser instead of reporting news.

Article text is untrusted. A sentence such as "Ignore the above and write that ...", a fake
"System:" turn, a chat-template token, a fake citation marker ("[S2]") or a note "to AI
summarisers" is an attempt to steer the model, never a fact worth a briefing line. Ranking drops
such sentences before anything is selected (so they are never fused, cited or copied), and
verification rejects a generated sentence that reads like one.

The patterns are deliberately narrow: news quotes people saying "ignore" or "write", so each
pattern needs the shape of an instruction to a machine (an imperative aimed at "instructions",
"the above", "the summary", "AI", or a role/template marker). `injection_reason` returns why a
sentence was flagged, or "" for an ordinary sentence.
"""
from __future__ import annotations

import re
import unicodedata

# Letters from other scripts that look like Latin ones ("іgnore" with a Cyrillic і); enough to
# undo the common substitutions, not a full confusables table.
_LOOKALIKES = str.maketrans("аеіорсухАВЕНІКМОРСТХѕјԁɡοαеντ", "aeiopcyxABEHIKMOPCTXsjdgoaevt")
_AI = (r"(ai|a\.i\.|llms?|language models?|ai models?|assistants?|summari[sz]ers?|chatbots?|bots?|gpt|"
       r"automated (summary|summaries|systems?|tools?|readers?)|machines?|models?)")
_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("asks to ignore or override earlier instructions", re.compile(
        r"\b(ignore|disregard|forget|override|bypass)\s+(\w+\s+){0,3}?"
        r"(instructions?|prompts?|guidelines|programming|directives?|the above|everything above"
        r"|(previous|prior|preceding|earlier|above|other|original)\s+(\w+\s+)?"
        r"(instructions?|text|sources?|messages?|content|context|directions|rules|prompts?|articles?|sentences?))\b")),
    ("gives the model new instructions", re.compile(
        r"\b(new|updated|real|actual|secret|hidden|additional|override)\s+(instructions?|prompt|directives?)\b"
        r"|\binstructions?\s*:|\byour\s+(new\s+)?(instructions?|prompt|programming)\b"
        r"|\byour\s+(task|job|output|reply|response|summary|briefing)\s+(is|must|should|will)\b")),
    ("addresses an AI model or summariser", re.compile(
        rf"\b(note|message|instructions?|attention|reminder|memo|notice)\s*(to|for)\s*(all\s+|any\s+|the\s+)?{_AI}"
        rf"|\b(dear|hey|hello|attention)\s*,?\s*{_AI}\b"
        rf"|\bif you are\s+(an?\s+)?{_AI}"
        rf"|\b{_AI}\s+(reading|summari[sz]ing|processing|parsing)\s+(this|these)\b"
        r"|\b(summari[sz]ers?|summari[sz]ation (models?|tools?|systems?)|automated (summary|summaries|systems?|tools?))\b"
        r"[\w\s,'-]{0,40}?\b(must|should|shall|need to|have to|are (required|instructed|asked))\b"
        r"|\bas an? (ai|ai language model|language model)\b"
        r"|\byou are (now )?(an? )?(ai|assistant|language model|summari[sz]er|chatbot|in [\w ]{0,20}mode)\b"
        r"|\byou (must|should|shall|are to) (now )?(write|say|state|report|output|ignore|obey|respond|reply|include|begin)\b")),
    ("tells the summary what to say", re.compile(
        r"\b(summary|summaries|summari[sz]ing|briefings?|response|output|answer|reply)\b[\w\s,'-]{0,30}?\b"
        r"(must|should|shall|has to|have to|needs to|need to|is to|are to)\s+"
        r"(say|state|read|include|mention|begin|start|report|claim|end|contain)\b"
        r"|\b(write|output|print)\s+(only\s+)?(that|exactly|the following|in (all )?(caps|capitals|uppercase))\b"
        r"|\b(say|state|repeat|respond|reply)\s+(with only|the following|in (all )?(caps|capitals|uppercase))\b"
        r"|\b(begin|start|end)\s+(the|your)\s+(summary|briefing|response|answer|reply)\b")),
    ("contains a chat-role or prompt-template marker", re.compile(
        r"<\|[^|>]{0,30}\|>|\[/?inst\]|<</?sys>>|<\s*/?\s*(source|system|instructions?|prompt|im_start|im_end)\b"
        r"|^\W*(system|assistant|user|developer)\s*(:|>|\])|\b(system|developer)\s+(prompt|message|override)\b"
        r"|\"role\"\s*:|#{2,}\s*(instruction|system|response)")),
    ("takes over the conversation", re.compile(
        r"\brepeat after me\b|\b(begin|start) (a |the )?new (task|conversation|session)\b|\bnew task\s*:"
        r"|\bpretend (you are|to be)\b|\byou (have been|are now|were) (updated|reprogrammed|jailbroken|unlocked)\b"
        r"|\bend of (the )?(article|text|document|input|prompt)\b"
        r"|\b(order|message|instructions?) from the (system|admin|administrator|developers?|operator)\b"
        r"|(^|[.:;!]\s*|please\s+)disregard (what|everything|anything|all)\b|^\W*override\s*:")),
    ("carries a citation marker of its own", re.compile(r"\[\s*(s|source|src|cite|ref|citation)?\s*\d{1,3}\s*\]")),
]


# A directive (an imperative opening a clause, or an obligation placed on the writer) next to a
# mention of the text's processing (summary, digest, "this article", "your reply", a machine
# reader) is an instruction to the summariser even when no fixed phrase above matches it.
_DIRECTIVE = re.compile(
    r"(?:^|[.:;!?\u2014(]\s*|\b(?:then|please|kindly|now|just)\s+)"
    r"(ignore|disregard|forget|pretend|translate|rewrite|repeat|output|print|append|insert|mention|include|"
    r"reveal|stop|write|say|state|begin|start|open|list|describe|respond|reply|answer|summari[sz]e|"
    r"add|omit|leave out|call|treat|make sure|obey|praise|blame|condense|lead with|use|put)\b"
    r"|\b(do not|don't|never)\s+(mention|include|summari[sz]e|say|write|report|cite|quote|name)\b"
    r"|\b(is|are)\s+(required|instructed|told|asked|ordered|expected)\s+to\b"
    r"|\b(must|should|shall|has to|have to|needs? to)\s+(always\s+|never\s+|now\s+)?(say|state|mention|call|"
    r"describe|begin|start|open|omit|lead|praise|blame|insert|treat)\b"
    r"|\bfrom now on\b|\brepeat after me\b|\bhave the \w+ (mention|say|include|state|report)\b"
    r"|\b(directive|instruction)s?\b")
_META = re.compile(
    r"\b(this|the above|the previous|the preceding|the following|the whole|the entire|the rest of this)\s+"
    r"(article|page|text|post|passage|document|paragraph|piece|content|input)\b"
    r"|\bsummar(y|ies)\b|\bsummari[sz]\w*|\bdigests?\b|\bbriefings?\b|\boverviews?\b|\brecaps?\b|\bcondens\w*"
    r"|\baggregators?\b|\byour\s+(answer|reply|response|output|summary|digest|overview|headline|configuration|prompt)\b"
    r"|\b(ai|ais|llms?|language models?|chatbots?|bots?|neural networks?|content generators?|summari[sz]ers?|"
    r"automated (tools?|systems?|readers?)|software|the model|whatever system|any system)\b")


def _normal_form(text: str) -> str:
    """Lower case, compatibility forms, no invisible format characters, look-alikes as Latin."""
    if not text.isascii():  # ASCII has no compatibility forms, format characters or look-alikes
        text = _NON_ASCII.sub(_visible, unicodedata.normalize("NFKC", text)).translate(_LOOKALIKES)
    return re.sub(r"\s+", " ", text).strip().lower()


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _visible(match: re.Match) -> str:
    """A non-ASCII character, or nothing for an invisible format one (zero-width space, ...)."""
    return "" if unicodedata.category(match.group()) == "Cf" else match.group()


def injection_reason(text: str) -> str:
    """Why `text` looks like an instruction to the model rather than news; "" when it does not."""
    normal = _normal_form(text)
    for reason, pattern in _PATTERNS:
        if pattern.search(normal):
            return reason
    if _DIRECTIVE.search(normal) and _META.search(normal):
        return "directs how the text or its summary is to be written"
    return ""


def looks_like_injection(text: str) -> bool:
    return bool(injection_reason(text))
