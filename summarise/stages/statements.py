"""Statement checks: does a claim state its facts the way the evidence does?

A rewrite that keeps every word of the sources can still say something they do not: it drops a
hedge ("at least 17" -> "17"), states a prediction or plan as done ("is expected to appear" ->
"appeared"), states as fact what the sources attribute to someone ("..., its backers say"),
drops or adds a negation, ties a number to another subject than the sources do ("X won in
1992, Y won in 1995" -> "X won in 1995"), swaps who does what by a change of voice ("Putin
accused ..." -> "Putin is accused ..."), gives someone's things to another ("her parents" -> "his
parents"), adds an expectation or a cause no source has, or credits words to a source whose
passages do not hold them. Each check here is a cheap, general rule about how English marks these
things, not a list of cases; each returns short notes, [] when it passes.
The judge model still decides everything these rules do not see.

Also here, as text rules both rank and verify use: `dangling_pronoun` (a sentence that cannot be
read alone: rank anchors no fact on it, the verifier rejects it) and `plain`, the normal form in
which quotes and wording are compared.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from summarise.stages.cluster_graph import STOP_WORDS

NUMBER = r"\d+(?:[.,]\d+)*"
_NUMBER_WORDS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
                 "eight": "8", "nine": "9", "ten": "10", "dozen": "12"}
# a hedge right before a number: "at least 17", "about $4,500"
_HEDGE_BEFORE = re.compile(r"\b(?:at least|at most|about|around|approximately|roughly|nearly|almost|more than|over|up to|"
                           r"some|as many as|as much as|fewer than|less than|under|an estimated|estimated|close to|"
                           r"upwards of|as early as|as late as|as little as|as few as|just over|just under|perhaps|"
                           r"possibly|maybe)\s+[$\u00a3\u20ac]?\s?$", re.IGNORECASE)
# a plan, forecast, wish or possibility, and the verb it governs
_MODAL = re.compile(r"\b(?:expected|expects?|plans?|planned|planning|likely|aims?|aiming|intends?|intended|hopes?|hoping|"
                    r"going|scheduled|proposed|proposes|wants?|seeks?|seeking|promised|vowed|threatened|"
                    r"(?:is|are|was|were|looks?|seems?)\s+set)\s+to\s+(?:be\s+|have\s+)?(\w+)"
                    r"|\b(?:will|would|could|may|might|should|can|shall)\s+(?:be\s+|have\s+)?(?:been\s+)?(\w+)"
                    r"|\w'll\s+(\w+)", re.IGNORECASE)
_CLAIM_MODAL = re.compile(r"\b(?:will|would|could|may|might|should|can|cannot|shall|expect\w*|plan\w*|set to|likely|"
                          r"aim\w*|intend\w*|hope\w*|hoping|going to|scheduled|propos\w*|want\w*|seek\w*|promis\w*|"
                          r"vow\w*|threat\w*|possibl\w*|potential\w*|if|unless|future|upcoming|next)\b|\w'll\b",
                          re.IGNORECASE)
# a reporting frame: who says so ("wrote", "states", "report" are left out: a letter, a country, a document)
_ATTRIBUTION = re.compile(r"\b(?:said|says|say|saying|told|tells|according to|reportedly|allegedly|apparently|"
                          r"claimed|claims|insist(?:s|ed)?|argued|argues|stated|added|testified|quoted|"
                          r"contends?|contended|maintains|estimated|estimates|believes|thinks|deny|denies|denied|"
                          r"suggests?|suggested|(?:accusations?|allegations?|claims?|charges?)\s+(?:\w+\s+){0,5}?that)\b",
                          re.IGNORECASE)
# a claim that says who accuses keeps the attribution; in the evidence "accused" may only describe
# someone ("Gianforte, who was accused of ...") while the rest of the sentence is stated as fact
_CLAIM_ACCUSES = re.compile(r"\b(?:accus|alleg)(?:e|es|ed|ing)\b", re.IGNORECASE)
# "she wrote", "replied", "tweeted" say whose words a claim gives, unless a framed passage only
# reports that writing: "X wrote a letter ..., officials say"; "asked" as a question ("she asked"),
# not as a request ("asked a judge to make her pay up")
_CLAIM_WROTE = re.compile(r"\b(?:wrote|writes|tweeted|posted|replied|responded|answered|mused|explained|noted|"
                          r"announced)\b|\basked\b(?!\s+(?:[\w.'-]+\s+){0,4}?(?:to|for)\b)", re.IGNORECASE)
# a hedged description: "the alleged gunman", "a suspected militant"; after a determiner (or at the
# start), since after a name the word is a verb: "Putin accused Western nations of ..."
_HEDGED_NOUN = re.compile(r"(?:^|\b(?:the|a|an|this|that|his|her|its|their)\s+)"
                          r"(?:alleged|suspected|accused|apparent|presumed|purported|reported|possible|"
                          r"probable|would-be)\s+([A-Za-z][\w-]+)", re.IGNORECASE)
_NEGATION = re.compile(r"\b(?:not|never|no|without|cannot|neither|nor|none|nobody|nothing)\b|n't\b", re.IGNORECASE)
_NEGATIVE_WORDS = re.compile(r"\b(?:unable|fail\w*|refus\w*|lack\w*|declin\w*|reject\w*|den(?:y|ies|ied)|absent)\b",
                             re.IGNORECASE)  # negative in meaning: "unable to cross" is "could not cross"
_NEGATED = re.compile(r"(?:\b(?:not|never|no|without|cannot|neither|nor)\b|n't)((?:\s+\w+){1,4})", re.IGNORECASE)
# words between a negation or a modal and the word it governs; they say nothing about which fact it is
_FILLER = {"be", "been", "being", "have", "has", "had", "yet", "a", "an", "the", "any", "to", "do", "does", "did",
           "ever", "so", "as", "one", "longer", "more", "immediately", "also", "even", "only", "just", "all",
           "its", "his", "her", "their", "our", "my", "your", "this", "that", "these", "those", "it", "get", "got",
           "not", "still", "now", "then", "soon", "later", "further", "again", "ever", "enough", "really"}
_CLAUSE = re.compile(r",(?!\d)|[;:()\u2014\u2013]|\s-\s|\b(?:and|but|while|whereas|whilst)\b")
_NAME = re.compile(r"\b[A-Z][\w\-'\u2019]*")
_NOT_NAMES = {"The", "A", "An", "In", "On", "At", "By", "For", "From", "Of", "To", "With", "And", "But", "Or", "He", "She",
              "It", "They", "We", "I", "His", "Her", "Its", "Their", "This", "That", "These", "Those", "After", "Before",
              "When", "While", "As", "If", "Also", "Some", "Most", "Many", "Mr", "Mrs", "Ms", "Dr", "There", "Here",
              "Since", "During", "Under", "Over", "About", "Without", "According", "Earlier", "Later", "Then"}
# a count in digits or words: "17", "two dozen"
_COUNT = re.compile(rf"{NUMBER}|\b(?:{'|'.join(_NUMBER_WORDS)})\b", re.IGNORECASE)
# a statement only thought likely, said to hold only at times or only in the main: "seem to have
# been covered", "probably died", "Sometimes I lost hope" (not "he had lost hope"), "pretty much
# without complaint" (not "without complaint")
_LIKELIHOOD = re.compile(r"\b(?:seems?|seemed|appears?|appeared)\s+to\b|\b(?:probably|perhaps|sometimes|occasionally|"
                         # a perception: "Kinect is seen as Microsoft's answer to the Wii"
                         r"(?:is|are|was|were|been|being)\s+(?:widely\s+|largely\s+|often\s+)?"
                         r"(?:seen|viewed|regarded|perceived)\s+as|"
                         r"at times|pretty much|more or less|largely|mostly|virtually|practically|arguably)\b",
                         re.IGNORECASE)
_UNIT = re.compile(rf"({NUMBER}|\b(?:{'|'.join(_NUMBER_WORDS)})\b)\s+([a-z][a-z\-]+)", re.IGNORECASE)


@dataclass(frozen=True)
class StatementCheck:
    note: str  # every problem it reports starts with this
    find: Callable[[str, list[str]], list[str]]

    def __call__(self, claim: str, evidence: list[str]) -> list[str]:
        return [f"{self.note}: {detail}" for detail in self.find(claim, evidence)]


# the past forms of common irregular verbs: "came" is "come" stated as done
_IRREGULAR = {"came": "come", "went": "go", "won": "win", "took": "take", "made": "make", "got": "get", "gave": "give",
              "left": "leave", "met": "meet", "held": "hold", "began": "begin", "begun": "begin", "brought": "bring",
              "sent": "send", "told": "tell", "found": "find", "saw": "see", "seen": "see", "ran": "run",
              "rose": "rise", "fell": "fall", "paid": "pay", "lost": "lose", "sold": "sell", "built": "build",
              "led": "lead", "became": "become", "struck": "strike", "spent": "spend", "kept": "keep",
              "stood": "stand", "fled": "flee", "shot": "shoot", "drove": "drive", "wrote": "write",
              "written": "write", "taken": "take", "given": "give", "chose": "choose", "chosen": "choose",
              "sought": "seek", "bought": "buy", "caught": "catch", "fought": "fight", "taught": "teach",
              "threw": "throw", "thrown": "throw", "grew": "grow", "grown": "grow", "knew": "know",
              "known": "know", "broke": "break", "broken": "break", "spoke": "speak", "spoken": "speak"}


def stem(word: str) -> str:
    """A crude stem: enough to see that "arrested" and "arrest", "came" and "come" are one verb."""
    word = word.lower().replace("\u2019", "'")
    word = _IRREGULAR.get(word, word)
    for suffix in ("ing", "ed", "es", "s", "e", "d"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[:-len(suffix)]
    return word


def _number(text: str) -> str:
    return _NUMBER_WORDS.get(text.lower(), text.replace(",", ""))


def _numbers(text: str) -> list[str]:
    return [_number(n) for n in re.findall(NUMBER, text)]


def _governed(match_groups: tuple) -> str | None:
    """The first content word a negation or modal governs."""
    words = [w for g in match_groups if g for w in g.split()]
    return next((w for w in words if w.lower() not in _FILLER and len(w) >= 3), None)


def _hedged(text: str, start: int) -> bool:
    return bool(_HEDGE_BEFORE.search(text[max(0, start - 30):start]))


def dropped_hedges(claim: str, evidence: list[str]) -> list[str]:
    """A number the evidence only ever hedges ("at least 17", "as many as two dozen") that the claim
    states flat; or a statement every passage only thinks likely or says happens only at times
    ("seem to have been covered", "Sometimes I lost hope") that the claim states flat."""
    hedged, flat, bare = set(), set(), set()
    for e in evidence:
        for m in _COUNT.finditer(e):
            number, counted = _count(e, m)
            (hedged if _hedged(e, m.start()) else flat).update({number, counted} - {None})
            if counted is None and not _hedged(e, m.start()):
                bare.add(number)
    notes = [f"{m.group()} is hedged in the evidence" for m in _COUNT.finditer(claim)
             if not _hedged(claim, m.start()) and _hedged_only(*_count(claim, m), hedged - flat, bare)]
    return notes + _dropped_likelihood(claim, evidence)


def _count(text: str, match: re.Match) -> tuple[str, tuple[str, str] | None]:
    """A count's number, and the number with the word it counts when one follows ("two dozen")."""
    number = _number(match.group())
    following = re.match(r"[\s-]*([A-Za-z]+)", text[match.end():])
    if not following or following.group(1).lower() in STOP_WORDS:
        return number, None
    return number, (number, stem(following.group(1)))


def _hedged_only(number: str, counted: tuple[str, str] | None, only_hedged: set, bare: set) -> bool:
    # "two dozen people" is hedged though "two hours" elsewhere is not; a bare flat 17 ("rose to
    # 17 on Monday") states any 17
    return number in only_hedged or (counted in only_hedged and number not in bare)


def _dropped_likelihood(claim: str, evidence: list[str]) -> list[str]:
    # only words no passage states outside a hedge, and the claim uses what a hedge governs (up to
    # the end of its clause): "the man, who appeared to be drunk, was arrested" -> "the man was
    # arrested" is fine; a second passage that never mentions the hedged words does not unhedge them
    if not evidence or _LIKELIHOOD.search(claim):
        return []
    governed, flat = set(), set()
    for e in evidence:
        last = 0
        for m in _LIKELIHOOD.finditer(e):
            end = _CLAUSE.search(e, m.end())
            flat |= _content_stems(e[last:m.start()])
            last = end.start() if end else len(e)
            governed |= _content_stems(e[m.end():last])
        flat |= _content_stems(e[last:])
    governed -= flat
    hedge = next((m.group() for e in evidence for m in _LIKELIHOOD.finditer(e)), "")
    words = re.findall(r"[A-Za-z][\w-]*", claim)
    if _CLAIM_MODAL.search(" ".join(w for w in words if stem(w) not in governed)):
        return []  # the claim keeps a modality of its own ("may have been"); "lost hope" is what is hedged
    used = [w for w in words if stem(w) in governed and w.lower() not in STOP_WORDS]
    return [f"the evidence hedges it ('{hedge}'), the claim states '{used[0]}' without the hedge"] if used else []


def dropped_modality(claim: str, evidence: list[str]) -> list[str]:
    """A plan, forecast or possibility in the evidence ("expected to appear", "would open") that the
    claim states as done: the claim has the governed verb and no modal, plan or condition at all
    (the governed verb itself does not count as one: "expected to propose" -> "proposed")."""
    governed = {stem(w) for e in evidence for m in _MODAL.finditer(e) if (w := _governed(m.groups()))}
    governed |= _only_under_modals(evidence)
    words = {stem(w): w for w in re.findall(r"[A-Za-z']+", claim)}
    stated = sorted(governed & set(words))
    others = " ".join(w for s, w in words.items() if s not in governed)
    if not stated or _CLAIM_MODAL.search(others):
        return []
    return [f"'{words[s]}' is a plan, forecast or possibility in the evidence" for s in stated]


# an expectation or plan a claim may add: "is expected to return"
_PLANNED = re.compile(r"\b(?:expected|expects?|plans?|planned|planning|scheduled|set|aims?|aiming|intends?|intended|"
                      r"going|poised|likely)\s+to\s+(?:be\s+|have\s+)?\w+", re.IGNORECASE)


# "as predicted": the claim says someone foresaw it; the stem the evidence must have to say so too
_AS_FORESEEN = re.compile(r"\bas (?:had been |was |were |is )?(predicted|expected|planned|anticipated|forecast|"
                          r"feared|promised|hoped|intended|scheduled)\b", re.IGNORECASE)
_FORESEEN_STEM = {"predicted": "predict", "expected": "expect", "planned": "plan", "anticipated": "anticipat",
                  "forecast": "forecast", "feared": "fear", "promised": "promis", "hoped": "hop",
                  "intended": "intend", "scheduled": "schedul"}


def added_forecast(claim: str, evidence: list[str]) -> list[str]:
    """The claim says something is expected or planned where no passage has a plan, forecast or
    possibility at all: "Leave it to Serena Williams to come back to tennis in style" ->
    "Serena Williams is expected to return to tennis in style" (done, in the evidence); or says it
    happened "as predicted" where no passage says anyone predicted it ("The probe will eventually
    orbit within 3.7 million miles of the sun" -> "..., as predicted")."""
    words = " ".join(evidence).lower()
    notes = [f"'{m.group()}'" for m in _AS_FORESEEN.finditer(claim)
             if not re.search(rf"\b{_FORESEEN_STEM[m.group(1).lower()]}", words)]
    if any(_MODAL.search(e) or _CLAIM_MODAL.search(e) for e in evidence):
        return notes
    return notes + [f"'{m.group()}'" for m in _PLANNED.finditer(claim)]


# a cause the claim asserts, and the wider ways a passage can give one ("prompted", "since", "why")
_CLAIMED_CAUSE = re.compile(r"\b(?:because|as a result|(?:has |have |had )?led to|leads? to|leading to|"
                            r"result(?:s|ed|ing)? in|due to|owing to|thanks to|caus(?:es|ed|ing)|therefore|"
                            r"consequently|hence)\b", re.IGNORECASE)
_GIVEN_CAUSE = re.compile(r"\b(?:because|result\w*|led|leads?|leading|due|owing|thanks|caus\w*|therefore|"
                          r"consequently|hence|since|why|reason\w*|prompt\w*|trigger\w*|spark\w*|driv\w*|drove|"
                          r"forc\w*|blam\w*|so that)\b", re.IGNORECASE)


# "..., as he is already notorious": "as" with a stative verb gives a reason ("as he was leaving" is a time)
_AS_CAUSE = re.compile(r",\s+as\s+(?:he|she|it|they|we|I)\s+(?:is|are|was|were|has|have|had)\b(?!\s+\w+ing\b)",
                       re.IGNORECASE)


def added_cause(claim: str, evidence: list[str]) -> list[str]:
    """The claim links two facts as cause and effect where no passage gives a cause at all: fusion
    joining "Seattle's soda tax is particularly burdensome" and "people are not drinking the
    Kool-Aid" into "..., as it has led to people not drinking the Kool-Aid", or an aside into a
    reason ("..., as he is already notorious") that the passages do not word that way."""
    if any(_GIVEN_CAUSE.search(e) for e in evidence):
        return []
    source = plain(" ".join(evidence)).lower()
    reasons = [m.group().lstrip(", ") for m in _AS_CAUSE.finditer(plain(claim))]
    return ([f"'{m.group()}'" for m in _CLAIMED_CAUSE.finditer(claim)]
            + [f"'{reason}'" for reason in reasons if reason.lower() not in source])


def _content_stems(text: str) -> set[str]:
    return {stem(w) for w in re.findall(r"[A-Za-z][\w-]*", text) if w.lower() not in STOP_WORDS and len(w) >= 3}


def _only_under_modals(evidence: list[str]) -> set[str]:
    """Content words the evidence uses only inside a plan or possibility, up to the end of its
    clause ("could result in a ticket", "will be used to provide security"): a claim that states
    them with no modal at all states the possibility as done."""
    inside, outside = set(), set()
    for e in evidence:
        last = 0
        for m in _MODAL.finditer(e):
            outside |= _content_stems(e[last:m.start()])
            end = _CLAUSE.search(e, m.end())
            last = end.start() if end else len(e)
            governed_from = min(m.start(g) for g in range(1, 4) if m.group(g))  # not the modal itself
            inside |= _content_stems(e[governed_from:last])
        outside |= _content_stems(e[last:])
    return inside - outside


def all_attributed(evidence: list[str]) -> bool:
    """Every passage is someone's account: a reporting frame ("said", "according to") or a quote."""
    return bool(evidence) and all(_ATTRIBUTION.search(e) or _someones_words(e) for e in evidence)


# "she said", "they told": a frame whose speaker only a pronoun gives
_PRONOUN_SPEAKER = re.compile(r"\b(?:he|she|they|it|we|I)\s+(?:said|says|told|tells|added|insisted|argued|stated)\b"
                              r"|\b(?:said|says|told|added)\s+(?:he|she|they)\b", re.IGNORECASE)


# a frame that says someone spoke, as opposed to "allegedly", "claims to have", "believes"
_SPEECH_FRAME = re.compile(r"\b(?:said|says|told|tells|according to)\b", re.IGNORECASE)


def names_its_speaker(passage: str) -> bool:
    """A frame that names who spoke: "..., police said", not "..., she said" nor "allegedly"
    (told to keep "who said it", the model gave "allegedly" a speaker and "claims" an addressee)."""
    return _SPEECH_FRAME.search(passage) is not None and _PRONOUN_SPEAKER.search(passage) is None


# a clause someone reports: "X announced Thursday that <...>", "X reported, citing ..., <...>",
# "according to X, <...>"; and "<...>, X said on Monday." ("announced" and "reported" count here,
# where a clause follows them, though not in _ATTRIBUTION, where "a report" or "an announcement" would)
_REPORTING = (r"(?:said|says|told|tells|announced|announces|reported|reports|claimed|claims|alleged|alleges|"
              r"insisted|insists|argued|argues|stated|testified|believes|thinks|estimated|estimates|suggested|"
              r"suggests|contended|contends|maintained|maintains|added|warned|warns|predicted|predicts)")
_REPORTS = re.compile(rf"\b{_REPORTING}\b", re.IGNORECASE)  # in a claim: it says who says so
_REPORT_BEFORE = re.compile(rf"\b{_REPORTING}\b(?:\s+(?!that\b)[^\s.;]+){{0,6}}?\s+that\s+"
                            rf"|\b{_REPORTING}\s*,\s*citing[^,]*,\s*|\baccording to [^,]{{1,60}},\s*", re.IGNORECASE)
_REPORT_AFTER = re.compile(rf",\s*(?:[^,]{{0,60}}?\s)?{_REPORTING}(?!\s+of\b)(?:\s+[^\s,]+){{0,4}}$|,?\s*according to [^,]{{1,60}}$",
                           re.IGNORECASE)
# content words of a claim that only someone's report gives: at least 3, and 30% of its content
# (verifier_pairs.jsonl: 2 of the unsupported pairs the other checks pass, 1 supported pair, "Ferrellgas
# announced that it has contributed $5,000", beside a passage that states the donation)
MIN_REPORTED = 3
MIN_REPORTED_SHARE = 0.3


def reported_only(evidence: list[str]) -> set[str]:
    """Content stems the evidence gives only inside a clause it reports someone saying."""
    inside, outside = set(), set()
    for passage in evidence:
        text = plain(passage).strip().rstrip(".\"' ")
        before, after = _REPORT_BEFORE.search(text), _REPORT_AFTER.search(text)
        if before:
            own, reported = text[:before.start()], text[before.end():]
        elif after:
            own, reported = text[after.end():], text[:after.start()]
        else:
            own, reported = text, ""
        outside |= _content_stems(own)
        inside |= _content_stems(reported)
    return inside - outside


def dropped_attribution(claim: str, evidence: list[str]) -> list[str]:
    """Every passage attributes what it says to someone ("said", "according to") and the claim
    states it as fact, attributed to no one; or much of the claim comes only from a clause the
    evidence reports someone saying ("soldiers announced that they had seized control" -> "seizing
    control"), though another passage states the rest; or the claim drops the hedge of a
    description the evidence hedges ("the alleged gunman" -> "the gunman")."""
    notes, attributed = [], _keeps_attribution(claim, evidence)
    if all_attributed(evidence) and not attributed:
        frame = _ATTRIBUTION.search(evidence[0])
        notes.append(f"the evidence attributes it ({frame.group() if frame else 'a quote'}), the claim states it as fact")
    elif not attributed and not _REPORTS.search(claim):
        content = _content_stems(claim)
        reported = content & reported_only(evidence)
        if len(reported) >= max(MIN_REPORTED, MIN_REPORTED_SHARE * len(content)):
            words = dict.fromkeys(w for w in re.findall(r"[A-Za-z][\w-]*", claim) if stem(w) in reported)
            notes.append(f"the evidence only reports someone saying it ({', '.join(list(words)[:4])}), "
                         "the claim states it as fact")
    if not _HEDGED_NOUN.search(claim) and not _ATTRIBUTION.search(claim):
        claim_words = {stem(w) for w in re.findall(r"[A-Za-z][\w-]*", claim)}
        hedged = {m.group(1) for e in evidence for m in _HEDGED_NOUN.finditer(e)
                  if m.group(1).lower() not in _FILLER | {"of", "to", "by", "in"}}
        notes += [f"the evidence hedges '{w}'" for w in sorted(hedged) if stem(w) in claim_words]
    return notes


# who a claim says says so: "according to the Associated Press", "CNN reported", "NASA said"
# (one space between the capitalised words: with the space optional, "[A-Z][\w]*" could split a
# word of capitals in exponentially many ways, and an all-capitals sentence would never finish)
_CAPITALISED = r"[A-Z][\w.&'-]*(?:\s[A-Z][\w.&'-]*)*"
_SPEAKER = re.compile(rf"\baccording to (?:the )?({_CAPITALISED})"
                      rf"|({_CAPITALISED}?)\s(?:said|says|reported|reports|told|tells|announced)\b")
MIN_SPEAKER_COVER = 0.4  # the supported pairs' lowest is 0.53 (two clauses, each attributed in its own)


# what may follow an attribution that closes its sentence: ", CNN reported Tuesday."
_CLOSING = re.compile(r"^[^,;:]{0,30}$")
# of the clause an attribution closes: on the labelled set the supported from 0.43 (an outlet's own
# words for the charges another passage states), the unsupported at 0.0
MIN_CLOSED_CLAUSE_COVER = 0.34


def _speakers(claim: str) -> list[tuple[list[str], str]]:
    """Each source the claim credits, with the clause its attribution closes ("" if it closes none)."""
    names = []
    for match in _SPEAKER.finditer(claim):
        words = [w.strip(".,;:") for w in (match.group(1) or match.group(2)).split() if w not in _NOT_NAMES]
        # ", CNN reported." closes the clause before it, as does "..., according to NTI, which ..."
        closes = (_CLOSING.match(claim[match.end():]) if match.group(2) is not None
                  else claim[:match.start()].rstrip().endswith(","))
        clauses = [c for c in _CLAUSE.split(claim[:match.start()]) if c and len(_content_stems(c)) >= 2] if closes else []
        if words:
            names.append((words, clauses[-1].strip() if clauses else ""))
    return names


def misattributed(claim: str, evidence: list[str]) -> list[str]:
    """The claim credits a source the evidence names, but the passages naming it hold little of
    what the claim says: one outlet's words given to another ("..., according to the Associated
    Press", where AP's only passage is a photo caption); or an attribution that closes the
    sentence covers a clause its source does not state ("... after meeting Orban, where the two
    leaders reaffirmed their alliance, CNN reported", where CNN reported only the meeting); or a
    speaker says nothing in the evidence (`unheard_speakers`)."""
    content, notes = _content_stems(claim), []
    for words, clause in _speakers(claim):
        naming = [e for e in evidence if all(re.search(rf"\b{re.escape(w)}\b", e) for w in words)]
        rest = content - {stem(w) for w in words}
        if not naming or not rest:
            continue  # a name no passage gives is the older checks' to reject
        stated = set().union(*map(_content_stems, naming))
        if len(rest & stated) / len(rest) < MIN_SPEAKER_COVER:
            notes.append(f"'{' '.join(words)}' says {len(rest & stated)} of its {len(rest)} content words")
        closed = _content_stems(clause) - {stem(w) for w in words}
        if closed and len(closed & stated) / len(closed) < MIN_CLOSED_CLAUSE_COVER:
            notes.append(f"'{' '.join(words)}' does not state '{clause}'")
    return notes + unheard_speakers(claim, evidence)


# where a speaker stands in the evidence: before (back to a quotation mark) or after a verb of
# saying, writing or finding ("said Suleiman", "CTV News has learned", "researchers ... found")
_SPEAKING = re.compile(rf"\b(?:{_REPORTING}|say|saying|tell|telling|states|adding|noted|noting|explained|wrote|writes|"
                       r"written|tweeted|posted|averred|declared|announcing|reporting|confirmed|confirms|claim|claiming|"
                       r"spoke|speaking|talked|asked|answered|replied|responded|think|acknowledged|admitted|denied|"
                       r"described|called|urged|recalled|according to|statement|interview|quoted|cited|found|finds|"
                       r"learned|showed|shows)\b", re.IGNORECASE)
# the verbs a speaker may follow: '"...," said the prosecutor', "according to Metro News"
_SPEAKER_AFTER = re.compile(r"\b(?:said|says|wrote|writes|added|asked|explained|noted|according to|reported by|said by|"
                            r"(?:allegations|accusations|claims|statements?) (?:from|by))\s+(?=[A-Za-z])", re.IGNORECASE)
_TRANSCRIPT_SPEAKER = re.compile(r"^\s*[A-Z][A-Z.' -]+(?=:)")  # "JON STEWART: ..."
# "Police were told ...": the subject of a passive verb of saying heard it, and said nothing
_LISTENER = re.compile(r"\b(?:is|are|was|were|been|being|be|get|gets|got)\s+$", re.IGNORECASE)
SPEAKER_WINDOW = (14, 8)  # words before and after a verb of saying where its speaker may stand
# who a claim says spoke: "<speaker> said" (_REPORTS; any name, unlike _SPEAKER), "according to
# <speaker>", "as reported by <speaker>"; the words back to a clause boundary, at most five
_CLAIM_CREDIT = re.compile(r"\b(?:according to|reported by|said by)\s+", re.IGNORECASE)
_SPEAKER_BOUNDARY = re.compile(r'["(),;:\u2014]|\s-\s|\b(?:that|and|but|while|after|before|because|when|if)\b',
                               re.IGNORECASE)
_NO_SPEAKER = {"he", "she", "they", "it", "we", "i", "you", "who", "which", "that", "this", "those", "these", "one",
               "someone", "some", "others", "has", "have", "had", "also", "previously", "reportedly",
               "is", "are", "was", "were", "be", "been", "being"}  # and "X was alleged to": X did not speak
_WORD = re.compile(r"[A-Za-z][\w'-]*")


def _claimed_speakers(claim: str) -> list[list[str]]:
    """The words naming each speaker a claim gives, pronouns left out."""
    text, found = plain(claim), []
    for match in _REPORTS.finditer(text):
        words = _WORD.findall(_SPEAKER_BOUNDARY.split(text[:match.start()])[-1])[-5:]
        if words and words[-1].lower() not in _NO_SPEAKER and not words[-1].endswith("'s"):  # "his campaign's claims"
            found.append(words)
    for match in _CLAIM_CREDIT.finditer(text):
        words = _WORD.findall(_SPEAKER_BOUNDARY.split(text[match.end():])[0])[:5]
        if words and words[0].lower() not in _NO_SPEAKER:
            found.append(words)
    return found


def _speaking_stems(evidence: list[str]) -> set[str]:
    """Stems of the words that stand where a speaker stands in the evidence."""
    before, after = SPEAKER_WINDOW
    heard: list[str] = []
    for passage in map(plain, evidence):
        heard += _WORD.findall(" ".join(_TRANSCRIPT_SPEAKER.findall(passage)))
        for match in _SPEAKING.finditer(passage):
            if not _LISTENER.search(passage[:match.start()]):
                heard += _WORD.findall(passage[:match.start()].split('"')[-1])[-before:]
        for match in _SPEAKER_AFTER.finditer(passage):
            heard += _WORD.findall(re.split(r'[",;:(]', passage[match.end():])[0])[:after]
    return {stem(w) for w in heard}


def unheard_speakers(claim: str, evidence: list[str]) -> list[str]:
    """Speakers the claim gives who say nothing in the evidence: "Tom said ...", where an insider
    told a magazine what Tom has been thinking; "as reported by Maxim Shemetov / Reuters", a photo
    credit; "An anonymous hacker said they had ...", where the hacker did it and said nothing."""
    speaking = _speaking_stems(evidence)
    notes = []
    for words in _claimed_speakers(claim):
        named = {stem(w) for w in words if w.lower() not in STOP_WORDS | _NO_SPEAKER and len(w) > 1}
        if named and not named & speaking:
            notes.append(f"'{' '.join(words)}' says nothing in the evidence")
    return notes


_POSSESSIVE = re.compile(r"\b(his|her)\s+([a-z][\w\-]*)", re.IGNORECASE)


def changed_owner(claim: str, evidence: list[str]) -> list[str]:
    """"his parents" where the evidence has only "her parents": fusion lost track of whose they
    are (the girl's parents declined to press charges, not the actor's)."""
    source, notes = plain(" ".join(evidence)).lower(), []
    for match in _POSSESSIVE.finditer(plain(claim)):
        owner, thing = match.group(1).lower(), re.escape(match.group(2).lower())
        other = "her" if owner == "his" else "his"
        if re.search(rf"\b{other}\s+{thing}\b", source) and not re.search(rf"\b{owner}\s+{thing}\b", source):
            notes.append(f"'{owner} {match.group(2)}': the evidence has '{other} {match.group(2)}'")
    return notes


def _keeps_attribution(claim: str, evidence: list[str]) -> bool:
    """The claim says who says so: a reporting frame, an accusation, or a word such as "wrote" that
    is not merely what a framed passage reports."""
    if _own_frame(claim, evidence) or _CLAIM_ACCUSES.search(claim):
        return True
    reported = {w.lower() for e in evidence if _ATTRIBUTION.search(e) for w in _CLAIM_WROTE.findall(e)}
    return any(w.lower() not in reported for w in _CLAIM_WROTE.findall(claim))


def _own_frame(claim: str, evidence: list[str]) -> bool:
    """A reporting frame of the claim's own, not one it copied from inside a quotation: in
    '"Kanye is the greatest ..., he's told us many times," Piatt told Mashable', "he's told us" is
    Piatt's words, so "Kanye is the greatest ..., he has told us many times" attributes nothing."""
    quoted = [q.lower() for e in evidence for q in re.findall(r'"([^"]+)"', plain(e))]
    wording = plain(claim).lower()
    for frame in _ATTRIBUTION.finditer(wording):
        words = " ".join(wording[frame.start():].split()[:3])
        if not any(words in q for q in quoted):
            return True
    return False


def _negated(text: str) -> set[str]:
    return {stem(w) for m in _NEGATED.finditer(text) if (w := _governed(m.groups()))}


def flipped_negation(claim: str, evidence: list[str]) -> list[str]:
    """A negation the claim drops (evidence "not arrested", claim "arrested") or adds."""
    claim_words = {stem(w) for w in re.findall(r"[A-Za-z']+", claim)}
    evidence_words = {stem(w) for e in evidence for w in re.findall(r"[A-Za-z']+", e)}
    notes = []
    if not _NEGATION.search(claim):
        notes += [f"drops the negation of '{w}'" for w in sorted(set().union(*map(_negated, evidence)) & claim_words)]
    if not any(_NEGATION.search(e) or _NEGATIVE_WORDS.search(e) for e in evidence):
        notes += [f"adds a negation of '{w}'" for w in sorted(_negated(claim) & evidence_words)]
    return notes


def _items(clause: str) -> set[str]:
    names = {n.rstrip("'\u2019s") for n in _NAME.findall(clause) if n not in _NOT_NAMES}
    return {n for n in names if len(n) > 1} | set(_numbers(clause))


def _kind(item: str) -> str:
    if not item[0].isdigit():
        return "name"
    return "year" if len(item) == 4 and item.isdigit() and 1800 <= int(item) <= 2100 else "number"


def moved_numbers(claim: str, evidence: list[str]) -> list[str]:
    """A number the claim ties, in one clause, to a subject (a name, or a number of another kind)
    that the evidence ties to a different number of the same kind, while the evidence ties this
    number to none of the claim clause's other items ("New Zealand Endeavour trumped the locals in
    1992, Sayonara won in 1995" read as "New Zealand Endeavour won in 1995")."""
    clauses = [_items(c) for e in evidence for c in _CLAUSE.split(e)]
    known = set().union(*clauses) if clauses else set()
    notes = []
    for claim_clause in _CLAUSE.split(claim):
        items = _items(claim_clause) & known
        for number in sorted(n for n in items if _kind(n) != "name"):
            with_number = [c for c in clauses if number in c]
            # a count may go with several of a clause's items; a year dates one fact, so a year
            # must go with each item the evidence dates otherwise ("Tony Awards for 'Applause' in
            # 1970 and 'Woman of the Year' in 1981" is no Tony for 'Woman of the Year' in 1970)
            if (set().union(*with_number) - {number}) & items and _kind(number) != "year":
                continue  # the claim keeps something the evidence ties to this number
            for partner in sorted(i for i in items if _kind(i) != _kind(number)):
                if any(partner in c for c in with_number):
                    continue
                rivals = {n for c in clauses if partner in c for n in c if n != number and _kind(n) == _kind(number)}
                if rivals and not rivals & items:  # the claim dropped what the evidence ties to the partner
                    notes.append(f"{number} goes with {partner}, which the evidence gives {', '.join(sorted(rivals))}")
                    break
    return notes + _moved_units(claim, evidence)


def _moved_units(claim: str, evidence: list[str]) -> list[str]:
    """A number given for another item than in the evidence ("213,000 visitors" -> "213,000 athletes"
    where the evidence has "2,000 athletes")."""
    pairs = {(_number(n), stem(w)) for e in evidence for n, w in _UNIT.findall(e)}
    notes = []
    for n, w in _UNIT.findall(claim):
        number, unit = _number(n), stem(w)
        if (number, unit) in pairs:
            continue
        others = sorted(m for m, u in pairs if u == unit and m != number)
        if others and any(m == number for m, _ in pairs):
            notes.append(f"{n} {w}: the evidence gives {others[0]} {w}")
    return notes


# who does what: "Putin accused ..." (active) against "Putin is accused ..." (passive). The word before
# the verb is the subject's head; a pronoun or function word says nothing about who it is.
_PARTICIPLE = r"(?:[a-z]+ed|" + "|".join(w for w in _IRREGULAR if w.endswith(("n", "t", "d", "ght"))) + ")"
# (inside a lookahead, so that matches may overlap: "officials says" after "and officials")
_PASSIVE = re.compile(rf"(?=\b([A-Za-z][\w\-]*)\s+(?:is|are|was|were|be|been|being|(?:has|have|had)\s+been|gets?|got)\s+"
                      rf"(?:[a-z]+ly\s+)?({_PARTICIPLE})\b|\b([A-Za-z][\w\-]*)\s+({_PARTICIPLE})\s+by\b)")
_ACTIVE = re.compile(rf"(?=\b([A-Za-z][\w\-]*)\s+(?:(?:has|have|had)\s+)?(?:[a-z]+ly\s+)?"
                     rf"({_PARTICIPLE}|{'|'.join(_IRREGULAR)}|[a-z]+s)\s+([\w$]+))")
_NOT_SUBJECTS = STOP_WORDS | {"who", "which", "that", "has", "have", "had", "was", "were", "is", "are", "be", "been",
                              "being", "get", "gets", "got", "also", "not", "never", "reportedly", "allegedly"}


# an active verb has an object: "Putin accused Western nations", not "sales expected Tuesday" or
# "Putin accused of ...", which are passives with their "is" left out
_OBJECT_OPENINGS = {"the", "a", "an", "his", "her", "their", "its", "our", "my", "your", "him", "them", "us", "me",
                    "this", "that", "these", "those", "some", "several", "many", "all", "both", "each", "every",
                    "more", "dozens", "hundreds", "thousands", "millions", *_NUMBER_WORDS}


def _roles(text: str, pattern: re.Pattern) -> set[tuple[str, str]]:
    pairs = set()
    for match in pattern.finditer(text):
        subject, verb, *after = [g for g in match.groups() if g]
        if subject.lower() in _NOT_SUBJECTS or verb.endswith("ly"):
            continue
        if after and not _opens_object(after[0]):
            continue
        pairs.add((subject.lower(), stem(verb)))
    return pairs


def _opens_object(word: str) -> bool:
    """A determiner, an object pronoun, a name or a number; a bare lowercase word is as often an
    adverb or a preposition ("released online", "implants outside"), so it does not count."""
    named = (word[0].isupper() or word[0].isdigit()) and word.lower() not in _TIME_WORDS
    return word.lower() in _OBJECT_OPENINGS or named


def swapped_roles(claim: str, evidence: list[str]) -> list[str]:
    """Someone the claim has done to what the evidence has them do, or the reverse: evidence
    "Putin accused Western nations of ..." read as "Putin is accused of ..."."""
    claim_passive, claim_active = _roles(claim, _PASSIVE), _roles(claim, _ACTIVE)
    evidence_passive = set().union(*(_roles(e, _PASSIVE) for e in evidence))
    evidence_active = set().union(*(_roles(e, _ACTIVE) for e in evidence))
    notes = [f"'{who}' is the one who does '{verb}' in the evidence, not the one it is done to"
             for who, verb in sorted((claim_passive & evidence_active) - evidence_passive)]
    notes += [f"'{who}' is the one '{verb}' is done to in the evidence, not the one who does it"
              for who, verb in sorted((claim_active & evidence_passive) - evidence_active - claim_passive)]
    return notes


_FIRST_PERSON = re.compile(r"\b(?:I(?:'m|'ve|'ll|'d)?|[Mm]e|[Mm]y|[Mm]ine|[Mm]yself|[Ww]e|us|[Oo]ur|[Oo]urs|[Oo]urselves)\b")
_ROMAN_I_BEFORE = re.compile(r"\b(?:War|Phase|Title|Class|Stage|Type|Part|Chapter|Division|Grade|Level|Category|"
                             r"Section|Round|Act|Book|Volume|Henry|George|Elizabeth|Charles|James|Edward|William)\s+$")


def plain(text: str) -> str:
    """Straight quotes and apostrophes, single spaces: how verbatim is compared."""
    text = text.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", text)


# a transcript's speaker: "JON STEWART: Ben walked into a buzz saw."
_SPEAKER_LABEL = re.compile(r"^\s*[A-Z][A-Z.'\-]+(?:\s+[A-Z][A-Z.'\-]+){0,3}\s*:\s")


def _someones_words(passage: str) -> bool:
    """A passage that is a quote (opens a quotation, or closes one opened before it), a speaker's
    own words ("I ...") or a transcript's line ("JON STEWART: ...")."""
    text = plain(passage)
    return (text.lstrip().startswith('"') or text.count('"') % 2 == 1 or first_person(passage) is not None
            or _SPEAKER_LABEL.match(text) is not None)


def first_person(text: str) -> str | None:
    """'I', 'we', 'our' ... outside quotation marks: a speaker's words stated in no one's voice
    ("I quit drugs ...", "Part of our work ..."), as a quote split from its "she said" reads."""
    return _first_person_in(_outside_quotes(text), _FIRST_PERSON)


_SPEAKER_PRONOUN = re.compile(r"\b(?:I|[Ww]e)\b")


def reported_first_person(text: str) -> str | None:
    """'I' or 'we' outside quotation marks after a reporting verb: a quote made indirect speech that
    kept its speaker's pronoun ("Lord said ... there are constant threats as we head into midterm
    elections"), where the reader cannot tell who "we" are."""
    outside = _outside_quotes(text)
    frame = _REPORTS.search(outside)
    return _first_person_in(outside[frame.end():], _SPEAKER_PRONOUN) if frame else None


def _outside_quotes(text: str) -> str:
    text = plain(text)
    if text.count('"') % 2 and not text.lstrip().startswith('"'):
        text = '"' + text  # the sentence closes a quote that an earlier one opened
    return re.sub(r'"[^"]*(?:"|$)', " ", text)


def _first_person_in(outside: str, pronouns: re.Pattern) -> str | None:
    for match in pronouns.finditer(outside):
        if match.group() == "I" and _ROMAN_I_BEFORE.search(outside[:match.start()]):
            continue  # "World War I", "Phase I"
        return match.group()
    return None


_WHOLE_QUOTE = re.compile(r'\s*"[^"]+[.!?]"\s*')


def whole_quote(text: str) -> bool:
    """The sentence is one quotation and nothing else, so it names no one saying it: a quote split
    from its "she said" by the sentence splitter ("\u201cHe designed this rifle to defend his country
    ...\u201d"). "\u201c...,\u201d the minister said" names its speaker."""
    return _WHOLE_QUOTE.fullmatch(plain(text)) is not None


STATEMENT_CHECKS = (
    StatementCheck("drops a hedge", dropped_hedges),
    StatementCheck("states a plan or forecast as fact", dropped_modality),
    StatementCheck("adds a plan or forecast the evidence does not have", added_forecast),
    StatementCheck("drops the attribution", dropped_attribution),
    StatementCheck("negation differs from the evidence", flipped_negation),
    StatementCheck("adds a cause the evidence does not give", added_cause),
    StatementCheck("ties a number to another subject", moved_numbers),
    StatementCheck("swaps who does what", swapped_roles),
    StatementCheck("changes whose it is", changed_owner),
    StatementCheck("credits the wrong source", misattributed),
)


# an opening phrase that can hold no antecedent: "On Monday,", "Late last year,", "However,"
_TIME_WORDS = set("""on in at by of since after before during until late early earlier later last next this that
the a meanwhile however separately instead previously also still yet now then today yesterday morning afternoon
evening night day week weekend month year years months weeks days ago monday tuesday wednesday thursday friday
saturday sunday january february march april may june july august september october november december""".split())
_PRONOUN_OPENING = re.compile(r"^(?:(?P<intro>[^,\"]{1,40}),\s+)?(?P<pronoun>he|she|they|it|his|her|their|its|this|"
                              r"that|these|those)\b(?P<rest>.*)$", re.IGNORECASE | re.DOTALL)
# "It is unclear whether ...", "It took ten hours to ...": an "it" that stands for what follows
# (the clause it stands for comes within a few words: "It is riddled with ... up to" is no expletive)
_EXPLETIVE_IT = re.compile(r"^(?:'s|\s+(?:is|was|has been|had been|(?:will|would|could|may|might)(?: have)? be(?:en)?|"
                           r"remains|remained|seems|seemed|appears|appeared|takes|took))\b(?:\s+\S+){0,6}?\s+"
                           r"(?:that|to|whether|if|how|why|when|what|who)\b", re.IGNORECASE)
# "This is ...", "These include ...": the demonstrative stands alone, not before its noun ("This week")
_DEMONSTRATIVE_SUBJECT = re.compile(r"^\s+(?:is|was|are|were|has|have|had|will|would|could|can|may|might|should|must|"
                                    r"does|did|came|meant|followed|led|marked|prompted|include|included|made)\b")
# "This" before a word in -s is its verb ("This complicates ..."), unless a singular noun ("This crisis")
_THIS_VERB = re.compile(r"^\s+[a-z]+s(?<!ss)(?<!us)(?<!is)(?<!ics)(?<!ews)(?<!ies)\b")

# "These cases coincided ...", "These crawls are ...": which ones, the sentence before said
# ("These days" is a time; "This crisis" and "Those killed" can name what they mean)
_THESE_NOUN = re.compile(r"^\s+(?!(?:days|weeks|months|years)\b)\w", re.IGNORECASE)

# where a fused sentence joins a second source's version of what it already said
_JOIN = re.compile(r",?\s+and\s+|;\s+")
REPEAT_NEW_WORDS = 2  # at most this many content words new in the part after the join


def repeats_itself(text: str) -> bool:
    """Does the sentence say one thing twice: a part after an "and" or a semicolon with 4 or more
    content words, at most two of them (and at most 40%) and no number new ("Sylvester escaped
    from Karoo National Park in South Africa, and officials said it broke out of a national park
    in South Africa")? "An anomaly is 10 percent likely, and a failure 1 percent" states two things."""
    for join in _JOIN.finditer(text):
        head, tail = text[:join.start()], text[join.end():]
        after = _content_stems(tail)
        new_numbers = set(re.findall(r"\d+", tail)) - set(re.findall(r"\d+", head))
        new = after - _content_stems(head)
        if len(after) >= 4 and len(new) <= min(REPEAT_NEW_WORDS, 0.4 * len(after)) and not new_numbers:
            return True
    return False


def dangling_pronoun(text: str) -> str | None:
    """The pronoun a sentence opens with (or opens its main clause with, after a time phrase) when
    nothing before it in the sentence can be what it refers to: "He said ...", "On Monday, they
    ...", "This means ...". Read alone in a briefing, such a sentence says nothing about whom."""
    match = _PRONOUN_OPENING.match(plain(text).strip())
    if not match:
        return None
    intro, pronoun, rest = match.group("intro"), match.group("pronoun"), match.group("rest")
    if intro and not all(w.lower() in _TIME_WORDS or w[0].isdigit() for w in intro.split()):
        return None  # the opening phrase may name who it is ("After police arrived, they ...")
    if pronoun.lower() == "it" and _EXPLETIVE_IT.match(rest):
        return None
    if pronoun.lower() in ("this", "that", "these", "those") and not (
            _DEMONSTRATIVE_SUBJECT.match(rest) or pronoun.lower() in ("this", "that") and _THIS_VERB.match(rest)
            or pronoun.lower() == "these" and _THESE_NOUN.match(rest)):
        return None  # a demonstrative before its noun ("This week", "Those killed"), or "That he won ..."
    return pronoun
