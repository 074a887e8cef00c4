"""What each clause of the message says: the words cut into clauses, and for each content rule that
gives example sentences, how likely each clause says that rule's thing (a benefit, a self-focused
opener, an ask).

What decides is fitted from the rule's own examples (`like`: sentences that say it, `unlike`:
sentences that do not): a logistic regression over the sentence vectors (sentences.py), fitted when
the pack's rules are first read, in float64 by Newton's method, so the same examples give the same
weights on every machine. A clause (nearly) word for word one of the examples takes that example's
label: a trainer who adds the sentence a verdict was wrong on (`like+`) changes that verdict.

The rules read these scores as measurements (Measurements.clauses); they never run the model.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..blas import one_blas_thread
from ..numbers.digits import NUMBER_WORD_VALUES, ONES, TEENS
from ..storage import keep_in_cache, user_cache_dir
from ..transcript import Word

# A stretch ends at one of these marks (tiny.en runs sentences together with commas).
CLAUSE_MARKS = (",", ";", "-", "—", "–", ".", "?", "!", ":")
SENTENCE_MARKS = (".", "?", "!")
# A person's titles, said before their name ("Ms. Tran", "Miss Dawson", "Prof. Lee"), and the
# abbreviations whose full stop ends no clause or sentence: the titles written short, "St." and "Mt.".
PERSON_TITLES = ("mr", "mrs", "ms", "miss", "dr", "prof")
ABBREVIATIONS = ("mr", "mrs", "ms", "dr", "prof", "st", "mt")
_WRITTEN_SHORT = {f"{a}." for a in ABBREVIATIONS}
INITIAL = re.compile(r"[A-Z]\.")  # a name's initial: one capital letter and its full stop
LONG_SENTENCE = 18  # words: a longer sentence is read in its comma-separated stretches
MIN_CLAUSE_WORDS = 3  # a shorter stretch ("Hi Dana,") is read with the one after it
# The regression's L2 weight (on the sum of the examples' losses, each class weighed to half).
RIDGE = 0.1
NEWTON_STEPS = 30
BIAS_SCALE = 10.0  # fit_wide's bias dimension
# A clause this near an example (cosine of their vectors) is that example said again: its label decides.
SAME_SENTENCE = 0.92
SCORE_DIGITS = 3  # scores are rounded so that a kernel's last bits never show in a report
# Why the caller says they are calling says nothing of whom the clause is about: "I'm calling because
# I saw you're hiring" is about the listener, "I'm calling because we just launched" about the caller.
# The clause is read without this preface (examples and clauses alike), so its content decides.
_PREFACE = re.compile(
    r"^\W*((and|so|um|uh|well|yeah|okay|ok|now)\W+)*"
    r"(((i'm|i am|im|i was|we're|we are|i|we)\s+)?(just\s+|really\s+)?"
    r"(calling|reaching out|ringing|writing|getting in touch|wanted to reach out|wanted to call|want to reach out)"
    r"(\s+to you|\s+you)?(\s+today)?\s+(because|since|as)"
    r"|(the\s+)?(main\s+|quick\s+)?(reason|purpose)\s+(for|of|behind)\s+(my|this|the)\s+(call|calling|message|voicemail)"
    r"(\s+today)?(\s+is)?(\s+that|\s+because)?"
    r"|(the\s+)?reason\s+(i'm|i am|im|i was|we're)\s+(calling|reaching out)(\s+today)?(\s+is)?(\s+that|\s+because)?"
    r")\W+", re.I)


# An aside said between commas is no clause of its own: "we help offices like yours, you know, cut
# losses by half" is one clause, read whole, unless what follows the aside has its own subject.
_ASIDE = re.compile(r"^\W*((you know|i mean|you see)\W*)+$", re.I)
_OWN_SUBJECT = re.compile(r"^\W*(i|i'm|i've|i'll|i'd|we|we're|we've|we'll|you|you're|you've|you'll|they|they're|"
                          r"he|he's|she|she's|it|it's|this|that|that's|there|there's|our|my|your)\b", re.I)


# A greeting and whom it is to, said before what the clause says: "Hi Professor Lindgren, your
# department's grant ..." says what "Your department's grant ..." says.
_GREETING = re.compile(
    r"^\W*(hi|hey|hello|good (morning|afternoon|evening|day)|morning|afternoon|evening|dear)\b(\s+there)?[\s,!.]*"
    r"((mr|mrs|ms|miss|dr|prof|professor|pastor)\.?\s+)?((?-i:[A-Z])[\w'-]*\s*){0,2}[,.!]\s*", re.I)


@dataclass(frozen=True)
class Meaning:
    """A content rule's examples: what is fitted for it."""

    name: str  # the rule's name
    like: tuple[str, ...]
    unlike: tuple[str, ...]
    # What the examples are: clauses, read for what they say (this module), or openings, read for whom
    # they name (introduction.py).
    reads: str = "clauses"


@dataclass(frozen=True)
class Score:
    """How likely one clause says one rule's thing, and the example it is nearest to."""

    rule: str
    score: float  # 0..1
    nearest: str  # the nearest example sentence
    nearest_is_like: bool
    similarity: float  # cosine to it
    # An opening's (introduction.py): the highest score it reaches with the words the transcriber was
    # unsure of read as names instead; where none of them is where the caller is named (the listener's
    # name in the greeting, a word further on), only a company heard in small letters is read with
    # capitals; None where it heard every word surely.
    could_reach: float | None = None
    # ... and the words (their indices in the transcript) whose reading as names raised it there.
    read_as_names: tuple[int, ...] = ()


@dataclass(frozen=True)
class Clause:
    first_word: int
    last_word: int
    start: float
    end: float
    text: str
    scores: tuple[Score, ...] = ()

    def score(self, rule: str) -> Score | None:
        return next((s for s in self.scores if s.rule == rule), None)


# A phone number is read as one word, written as this: its digits say nothing of what the clause
# means, and read one by one ("six one four one.") they make clauses of their own.
NUMBER_TEXT = "402-730-5108"


def _ends_clause(text: str) -> bool:
    """A comma, dash, colon or sentence mark ends a clause; a title's or an initial's full stop does not
    ("trying to reach Ms. Renata Kowalczyk,")."""
    return text.rstrip("\"')”").endswith(CLAUSE_MARKS) and not _names_stop(text)


def _names_stop(text: str) -> bool:
    """Whether a word's full stop is a title's ("Mrs.") or a name's initial's ("M.")."""
    return text.lower() in _WRITTEN_SHORT or bool(INITIAL.fullmatch(text))


def _tokens(words: tuple[Word, ...], numbers: tuple[tuple[int, int], ...]) -> list[tuple[int, int, str]]:
    """(first word, last word, text): each word, or a phone number's words as one."""
    starts = {a: b for a, b in numbers}
    out, i = [], 0
    while i < len(words):
        if i in starts and starts[i] >= i:
            last = starts[i]
            tail = words[last].text.strip()
            mark = tail[len(tail.rstrip(".,;:?!-")):]
            out.append((i, last, NUMBER_TEXT + mark))
            i = last + 1
        else:
            out.append((i, i, words[i].text.strip()))
            i += 1
    return out


def split(words: tuple[Word, ...], numbers: tuple[tuple[int, int], ...] = ()) -> list[tuple[int, int, str]]:
    """The clauses as (first word, last word, text): the sentences, and a sentence of more than
    LONG_SENTENCE words (tiny.en runs sentences together with commas) cut at its commas, dashes and
    semicolons into stretches, one of under three words joined to the next ("Hi Dana," to what
    follows), the last one to the one before; a phone number counts as one word."""
    out: list[list[tuple[int, int, str]]] = []
    for sentence in _stretches(_tokens(words, numbers), _ends_sentence):
        out += [sentence] if _count(sentence) <= LONG_SENTENCE else _cut(sentence)
    return [(s[0][0], s[-1][1], " ".join(t[2] for t in s if t[2])) for s in out]


def _ends_sentence(text: str) -> bool:
    """A full stop, question or exclamation mark ends a sentence; a title's ("Mrs. Whitfield") or an
    initial's ("Gerald M. Oni") does not."""
    return text.rstrip("\"')”").endswith(SENTENCE_MARKS) and not _names_stop(text)


def _count(tokens: list[tuple[int, int, str]]) -> int:
    return sum(1 for t in tokens if any(c.isalnum() for c in t[2]))


def _stretches(tokens: list[tuple[int, int, str]], ends) -> list[list[tuple[int, int, str]]]:
    """The tokens cut after each one whose text `ends` a stretch (and after the last)."""
    out: list[list[tuple[int, int, str]]] = []
    current: list[tuple[int, int, str]] = []
    for k, token in enumerate(tokens):
        current.append(token)
        if ends(token[2]) or k == len(tokens) - 1:
            out.append(current)
            current = []
    return out


def _cut(sentence: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
    out: list[list[tuple[int, int, str]]] = []
    carry: list[tuple[int, int, str]] = []
    aside = False  # the last clause ends in an aside ("you know,") that what follows goes on from
    for stretch in _stretches(sentence, _ends_clause):
        text = " ".join(t[2] for t in stretch)
        is_aside = bool(_ASIDE.match(text))
        if out and not carry and (is_aside or (aside and not _OWN_SUBJECT.match(text))):
            out[-1] = out[-1] + stretch
            aside = is_aside
            continue
        aside = False
        stretch = carry + stretch
        carry = []
        if _count(stretch) < MIN_CLAUSE_WORDS:
            carry = stretch
            continue
        out.append(stretch)
    if carry:
        if out:
            out[-1] = out[-1] + carry
        else:
            out.append(carry)
    return out


class Classifier:
    """One rule's examples fitted: a logistic regression over sentence vectors, and the examples
    themselves for a clause that is one of them said again."""

    def __init__(self, meaning: Meaning):
        from . import sentences

        self.meaning = meaning
        self.examples = meaning.like + meaning.unlike
        self.labels = np.array([1.0] * len(meaning.like) + [0.0] * len(meaning.unlike))
        self.vectors = sentences.views_kept(tuple(map(content, self.examples))).astype(np.float64)
        self.weights = _fitted(self.vectors, self.examples, self.labels)

    def scores(self, vectors: np.ndarray, cued: np.ndarray) -> list[Score]:
        """Each clause's score, from its vector and its cues (`shapes` of its text)."""
        x = vectors.astype(np.float64)
        p = sigmoid(np.hstack([x, cued]) @ self.weights[:-1] + self.weights[-1])
        similarity = x @ self.vectors.T
        out = []
        for row, prob in zip(similarity, p):
            k = int(np.argmax(row))
            is_like = bool(self.labels[k])
            if row[k] >= SAME_SENTENCE:  # said as an example: its label decides
                prob = max(prob, 0.99) if is_like else min(prob, 0.01)
            out.append(Score(self.meaning.name, round(float(prob), SCORE_DIGITS), self.examples[k], is_like,
                             round(float(row[k]), SCORE_DIGITS)))
        return out


# What a clause's words show of its shape, beside its vector (what it is about): a quantity, a change or
# comparison, a credential, whom it is about, something the caller did or will do, an ask. Cheap, sure
# cues; how much each counts for a rule is fitted from the rule's examples with the rest.
_CUES = tuple(re.compile(p, re.I) for p in (
    r"\d|\b(half|double|doubled|twice|triple|tripled|a third|a quarter|percent|dozen|hundred|thousand|million)\b",
    r"\b(cut|cuts|cutting|reduc\w*|sav\w*|lower\w*|increas\w*|boost\w*|grow\w*|gain\w*|recover\w*|drop\w*|"
    r"faster|sooner|quicker|fewer|less|more|instead of|down from|up from|from \S+ to|rather than|under|"
    r"doubl\w*|tripl\w*|shav\w*|trim\w*|eliminat\w*|avoid\w*|stop losing|back in|pay(ing)? less)\b",
    r"\b(years|been around|in business|since (19|20)\d\d|clients|customers|merchants|trusted|featured|award\w*|"
    r"certified|cleared|licensed|warranty|we have|we've got|our team of|database|recruiters|locations)\b",
    r"\b(you|your|you're|you've|yours)\b",
    r"\b(i|i'm|i've|me|my|we|we're|we've|our|us)\b",
    r"\b(sent|left|mailed|emailed|dropped off|last week|last time|spoke|met)\b|"
    r"(^\W*|\b(i|i'm|i am|we|we're|we are|just|was|were|to)\s+)(following up|follow up|circl\w* back|check\w* in|"
    r"touch\w* base)\b",
    r"\b(i'll|i will|we'll|we will|i'm going to|i can|i'd love|i would love|happy to)\b",
    r"^\W*(please\s+)?(call|text|reply|book|grab|hit|give|ring|shoot|reach|email|send|let me know|visit)\b|"
    r"\b(call me|text me|reply (to|back|with)|hit reply|just reply|book a|grab a|hit me back|"
    r"give me a (call|ring|shout)|reach me|get back to me)\b",
    r"\b(keep|keeps|kept|creeping|losing|eating|costing|struggl\w*|short-staffed|behind|missing|rising|spik\w*)\b",
))
# Who does what the clause says, read from how it begins once the preface of why the caller calls is
# left out (`content`): the caller ("we provide payroll software", "I'd love 15 minutes") or the listener
# ("your lease ends June 15", "you may be losing jobs", "is your team still doing quotes by hand?").
_SUBJECTS = tuple(re.compile(p, re.I) for p in (
    r"^\W*((so|and|but|well|um|uh|now|also)\W+)*(i|i'm|i've|i'd|i'll|i was|we|we're|we've|we'd|we'll|our|my|me)\b",
    r"^\W*((so|and|but|well|um|uh|now|if|since|as|when)\W+)*(you|you're|you've|your|yours)\b"
    # a question about the listener: "quick question, is your team still following up on every lead?"
    r"|^\W*((so|and|but|well|um|uh|now|quick question|question|one question)\W+)*"
    r"(is|are|do|does|did|have|has|how|what|when|who)\s+(you|your)\b",
))
CUE_WEIGHT = 0.5  # a cue's size beside the vector's (a unit vector): what the fit starts from


def shapes(texts: tuple[str, ...] | list[str]) -> np.ndarray:
    """Each text's cues, a row of 0 or CUE_WEIGHT per cue: its words' shapes, then whose subject it has."""
    rows = [[bool(c.search(numerals(t))) for c in _CUES] + [bool(c.search(content(t))) for c in _SUBJECTS]
            for t in texts]
    return CUE_WEIGHT * np.array(rows, dtype=float).reshape(len(texts), len(_CUES) + len(_SUBJECTS))


def content(text: str) -> str:
    """What a clause or an example says, its greeting ("Hi Professor Lindgren,") and its preface of why
    the caller calls left out (the whole of it when nothing else is said), its quantities in digits
    (`numerals`)."""
    rest = _PREFACE.sub("", _GREETING.sub("", text, count=1), count=1)
    return numerals(rest if len(rest.split()) >= 2 else text)


# A quantity said in words reads as one written in digits: tiny.en writes what a voice says either way
# ("close in four", "almost two weeks", "on day one"), and most examples are written with digits. "one"
# is a quantity only before a unit or after "day" ("in one day", "day one"); "one of our advisors",
# "the one you sent" keep the word; so does a number word before a pronoun or an article, tiny.en's
# "four" or "two" for "for" or "to" ("a new rep four your area"). "oh" is no zero here.
_NUMBER_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_NUMBER_RUN = re.compile(
    r"\b(?:%s)(?:(?:[ -]|\s+and\s+)(?:%s))*\b" % (("|".join([*NUMBER_WORD_VALUES, *_NUMBER_SCALES]),) * 2), re.I)
_UNITS = re.compile(r"\W*(day|days|week|weeks|month|months|year|years|hour|hours|minute|minutes|percent|dollar|"
                    r"dollars|quarter|shift|visit|trip|call|phone call)\b", re.I)
_NOT_COUNTED = re.compile(r"\W*(you|your|you're|yours|the|a|an|our|my|me|us|them|this|that|it|him|her)\b", re.I)


def numerals(text: str) -> str:
    """The text with its number words as digits: "two weeks" -> "2 weeks", "twenty-five" -> "25",
    "two hundred and fifty" -> "250"; a run of single digits ("six one four") stays one number per word."""
    def counted(match: re.Match, words: list[str]) -> bool:
        if _NOT_COUNTED.match(text, match.end()):
            return False
        if words == ["one"]:
            return bool(_UNITS.match(text, match.end())) or text[: match.start()].lower().rstrip().endswith("day")
        return True

    def value(match: re.Match) -> str:
        words = re.split(r"[ -]+", match.group(0).lower())
        if not counted(match, words):
            return match.group(0)
        out: list[str] = []
        total = current = 0
        last = ""
        for w in words:
            if w == "and":
                if last not in _NUMBER_SCALES:  # "two and three weeks": two numbers; "a hundred and fifty": one
                    out += [str(total + current), "and"]
                    total = current = 0
                    last = ""
                continue
            if w in _NUMBER_SCALES:
                if _NUMBER_SCALES[w] == 100:
                    current = max(current, 1) * 100
                else:
                    total += max(current, 1) * _NUMBER_SCALES[w]
                    current = 0
            elif w in ONES and (last in ONES or last in TEENS):  # "six one": two numbers, not seven
                out.append(str(total + current))
                total, current = 0, NUMBER_WORD_VALUES[w]
            else:
                current += NUMBER_WORD_VALUES[w]
            last = w
        return " ".join([*out, str(total + current)])

    return _NUMBER_RUN.sub(value, text)


def _fitted(vectors: np.ndarray, examples: tuple[str, ...], labels: np.ndarray) -> np.ndarray:
    """The regression's weights for these examples, kept in the user cache by what decides them (the
    sentences, their labels, the cues, the fit's settings and the sentence model): fitting a pack's
    thousands of examples takes seconds, reading the weights back a millisecond."""
    from . import sentences

    recipe = json.dumps([sentences.model_key(), RIDGE, NEWTON_STEPS, CUE_WEIGHT, [c.pattern for c in _CUES + _SUBJECTS],
                         list(examples), labels.tolist()])

    def fitted() -> np.ndarray:
        with one_blas_thread():
            return fit(np.hstack([vectors, shapes(examples)]), labels)

    return kept_weights(recipe, "", vectors.shape[1] + len(_CUES) + len(_SUBJECTS) + 1, fitted)


def kept_weights(recipe: str, prefix: str, size: int, fitted: Callable[[], np.ndarray]) -> np.ndarray:
    """Weights kept in the user cache under the hash of what decides them (`recipe`): read back when
    there and of the right `size`, else `fitted()` and kept."""
    path = user_cache_dir() / "classifiers" / f"{prefix}{hashlib.sha256(recipe.encode()).hexdigest()[:24]}.npy"
    try:
        weights = np.load(path)
        if weights.shape == (size,):
            return weights
    except (OSError, ValueError):
        pass
    weights = fitted()
    buffer = io.BytesIO()
    np.save(buffer, weights)
    keep_in_cache(path, buffer.getvalue())
    return weights


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))


def _balanced(y: np.ndarray) -> np.ndarray:
    """Each example's weight in the loss: each class weighs half the total."""
    n = len(y)
    positives = max(float(y.sum()), 1.0)
    negatives = max(n - float(y.sum()), 1.0)
    return np.where(y > 0, n / (2 * positives), n / (2 * negatives))


def fit(x: np.ndarray, y: np.ndarray, *, ridge: float = RIDGE) -> np.ndarray:
    """L2-regularised logistic regression with each class weighed to half the total, by Newton's
    method: weights (one per dimension) and the bias last."""
    n = len(y)
    weight = _balanced(y)
    design = np.hstack([x, np.ones((n, 1))])
    penalty = np.full(design.shape[1], ridge)
    penalty[-1] = 0.0  # the bias is not held back
    w = np.zeros(design.shape[1])
    for _ in range(NEWTON_STEPS):
        p = sigmoid(design @ w)
        gradient = design.T @ (weight * (p - y)) + penalty * w
        hessian = (design * (weight * p * (1 - p))[:, None]).T @ design + np.diag(penalty) + 1e-9 * np.eye(len(w))
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def fit_wide(x: np.ndarray, y: np.ndarray, *, ridge: float) -> np.ndarray:
    """The same regression for more dimensions than examples (a vocabulary of thousands of word
    n-grams, a few hundred examples), by Newton's method on the examples' weights (w = Xᵀa: the
    weights stay a sum of the examples), each step an examples-by-examples solve instead of a
    dimensions-by-dimensions one. The bias is a dimension of BIAS_SCALE, held back like the rest,
    so a hundredth as much as a weight."""
    n = len(y)
    weight = _balanced(y)
    design = np.hstack([x, np.full((n, 1), BIAS_SCALE)])
    kernel = design @ design.T
    a = np.zeros(n)
    for _ in range(NEWTON_STEPS):
        p = sigmoid(kernel @ a)
        curvature = weight * p * (1 - p)
        step = np.linalg.solve(curvature[:, None] * kernel + ridge * np.eye(n), weight * (p - y) + ridge * a)
        a -= step
        if np.abs(step).max() < 1e-10:
            break
    w = design.T @ a
    w[-1] *= BIAS_SCALE  # the bias as fit() gives it (a weight on a dimension of ones)
    return w


@lru_cache(maxsize=64)
def classifier(meaning: Meaning) -> Classifier:
    return Classifier(meaning)


@dataclass(frozen=True)
class Labeller:
    """The pack's content rules' meanings; reads a message's clauses, and its opening, once for all of them."""

    meanings: tuple[Meaning, ...] = ()

    @property
    def of_clauses(self) -> tuple[Meaning, ...]:
        return tuple(m for m in self.meanings if m.reads == "clauses")

    @property
    def of_openings(self) -> tuple[Meaning, ...]:
        return tuple(m for m in self.meanings if m.reads == "introduction")

    def fit(self) -> None:
        from . import introduction

        for m in self.of_clauses:
            classifier(m)
        for m in self.of_openings:
            introduction.classifier(m)

    def vectors(self, words: tuple[Word, ...], numbers: tuple[tuple[int, int], ...] = ()) -> np.ndarray | None:
        """The sentence vectors of the clauses (sentences.views), which read() scores: what the words
        say, whatever the pack (grading keeps them with a recording's analysis); None when no meaning
        reads clauses."""
        return self._views(split(words, numbers))

    def _views(self, spans: list[tuple[int, int, str]]) -> np.ndarray | None:
        if not self.of_clauses or not spans:
            return None
        from . import sentences

        return sentences.views([content(t) for _, _, t in spans])

    def read(self, words: tuple[Word, ...], numbers: tuple[tuple[int, int], ...] = (), *,
             vectors: np.ndarray | None = None) -> tuple[Clause, ...]:
        """The clauses of the words, each scored for every meaning that reads clauses; `numbers`: the
        phone numbers' (first word, last word); `vectors`: the clauses' vectors, when kept."""
        spans = split(words, numbers)
        per_rule: list[list[Score]] = []
        if self.of_clauses and spans:
            from . import sentences

            if vectors is None or vectors.shape != (len(spans), 2 * sentences.WIDTH):
                vectors = self._views(spans)
            assert vectors is not None
            cued = shapes([t for _, _, t in spans])
            with one_blas_thread():
                per_rule = [classifier(m).scores(vectors, cued) for m in self.of_clauses]
        return tuple(
            Clause(a, b, round(words[a].start, 2), round(words[b].end, 2), t, tuple(s[i] for s in per_rule))
            for i, (a, b, t) in enumerate(spans)
        )

    def introduce(self, words: tuple[Word, ...]) -> tuple[Clause, ...]:
        """The opening, scored for every meaning that reads openings (introduction.py)."""
        from . import introduction

        return introduction.read(words, self.of_openings)
