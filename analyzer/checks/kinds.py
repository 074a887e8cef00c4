"""The generic check types a rule pack configures (Vale-style): a rule is data, a check is code.

Each check type is a frozen dataclass whose fields are the keys a rule may set for it; the
pack loader validates a rule's keys against those fields. A check sees only the transcript
and the measurements, never audio, the transcriber or a model: a rule with `like` and `unlike`
sentences reads how the measure stage scored each clause for it (Measurements.clauses).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import ClassVar

from ..confidence import POLICY
from ..measure.clauses import Clause, Score
from ..measure.measurements import LISTS, SCALARS, SPANS, UNLESS, Measurements
from ..measure.numbers import PhoneNumber, callback_number
from ..numbers.readings import WHOLE_NUMBER_DIGITS, differences, grouped, national, one_dropped, ordinal, times
from ..transcript import Transcript
from .text import Match, TextIndex, pattern_searchable, searchable

WINDOWS = ("message", "opening", "opener", "closing")
READS = ("clauses", "introduction")


@dataclass(frozen=True)
class Context:
    transcript: Transcript
    measures: Measurements
    expected_number: str | None = None

    @cached_property
    def expected_digits(self) -> str:
        """The rep's own number, digits only ("" when not known)."""
        return re.sub(r"\D", "", self.expected_number or "")

    @cached_property
    def index(self) -> TextIndex:
        return TextIndex(self.transcript.words)

    @cached_property
    def said(self) -> dict:
        """What each phrase check found here, kept: a rule's hits and its evidence read it once."""
        return {}


@dataclass(frozen=True)
class Hit:
    """One place a check fired: the values its message may show, and where."""

    values: dict
    start: float | None = None
    end: float | None = None
    words: tuple[tuple[int, int], ...] = ()
    doubt: str = ""  # why the measurement behind it could not be confirmed, if it could not
    worse: bool = False  # past the limit by the rule's `escalate_by` or more: one severity higher


@dataclass(frozen=True)
class Threshold:
    """A scalar measurement below `min` or above `max`. Skipped when the measurement is absent.

    With `escalate_by`, a value that far past the limit or farther is one severity worse (a
    46 s message against a 30 s limit and escalate_by = 10 is an error, not a warning).

    `unless` names a measurement that, when made, is another rule's verdict on the same thing (no
    number read, where one was said but could not be made out: `unless = "unclear_number"`)."""

    kind: ClassVar[str] = "threshold"
    # times: a count in words ("once", "twice", "3 times"), for a measure that counts
    placeholders: ClassVar[tuple[str, ...]] = ("value", "times", "min", "max", "escalate_by")
    measure: str
    min: float | None = None
    max: float | None = None
    escalate_by: float | None = None
    unless: str = ""

    def validate(self) -> str | None:
        if bad := _bad_unless(self.unless):
            return bad
        if self.measure not in SCALARS:
            return f"measure: {self.measure!r} is not one of {', '.join(SCALARS)}"
        if self.min is None and self.max is None:
            return "min/max: set at least one of them"
        if self.escalate_by is not None and self.escalate_by <= 0:
            return f"escalate_by: {self.escalate_by!r} must be above 0 (how far past the limit is one severity worse)"
        return None

    def hits(self, ctx: Context) -> list[Hit]:
        value = getattr(ctx.measures, self.measure)
        if value is None or not _outside(value, self.min, self.max) or _made(ctx, self.unless):
            return []
        start_key, end_key = SPANS.get(self.measure, (None, None))
        start = getattr(ctx.measures, start_key) if start_key else (0.0 if end_key else None)
        end = getattr(ctx.measures, end_key) if end_key else None
        values = {"value": value, "times": times(value) if isinstance(value, int) else f"{value:g} times",
                  "min": self.min, "max": self.max, "escalate_by": self.escalate_by}
        worse = _far(value, self.min, self.max, self.escalate_by)
        return [Hit(values, start, end, doubt=self._doubt(ctx), worse=worse)]

    def _doubt(self, ctx: Context) -> str:
        """Why the verdict could be the transcriber's: a doubted measurement, or a limit within
        the range the measurement could really have."""
        doubt = ctx.measures.doubt(self.measure)
        band = ctx.measures.range_of(self.measure)
        if doubt or band is None:
            return doubt
        low, high, why = band
        if _outside(low, self.min, self.max) and _outside(high, self.min, self.max):
            return ""
        return f"{why}: it could be {low:g} to {high:g}"


@dataclass(frozen=True)
class Each:
    """Every item of a list measurement (pauses, phone_numbers) whose `field` is out of bounds."""

    kind: ClassVar[str] = "each"
    placeholders: ClassVar[tuple[str, ...]] = ("value", "min", "max", "start", "end", "text", "digits")
    measure: str
    field: str
    min: float | None = None
    max: float | None = None

    def validate(self) -> str | None:
        if self.measure not in LISTS:
            return f"measure: {self.measure!r} is not one of {', '.join(LISTS)}"
        if self.field not in LISTS[self.measure]:
            return f"field: {self.field!r} is not one of {', '.join(LISTS[self.measure])}"
        if self.min is None and self.max is None:
            return "min/max: set at least one of them"
        return None

    def hits(self, ctx: Context) -> list[Hit]:
        out = []
        for item in getattr(ctx.measures, self.measure):
            value = getattr(item, self.field)
            if value is None or not _outside(value, self.min, self.max):
                continue
            words = ((item.first_word, item.last_word),) if hasattr(item, "first_word") else ()
            values = {
                "value": value, "min": self.min, "max": self.max, "start": item.start, "end": item.end,
                "text": getattr(item, "text", ""), "digits": getattr(item, "digits", ""),
            }
            out.append(Hit(values, item.start, item.end, words))
        return out


@dataclass(frozen=True)
class _Said:
    """Options shared by the phrase checks: what to look for, and where in the message.

    Phrases (plain words) and patterns (regular expressions) are cheap, sure evidence. `like`
    sentences say the thing in other words and `unlike` ones come close but do not ("we can really
    help your business grow" is no concrete gain): the measure stage fits them and scores every
    clause (measure/clauses.py); a clause of the window scored `like_min` or more says it, and one
    within `unsure_band` below that may say it, which a check says it could not confirm.
    """

    phrases: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    # A phrase or pattern found just after one of these, in its clause, is not counted: "are you still
    # following up with every lead" is about the listener, not a caller following up.
    not_after: tuple[str, ...] = ()
    within: str = "message"
    opening_sentences: int = 2
    opening_s: float = 8.0
    closing_s: float = 10.0
    like: tuple[str, ...] = ()
    unlike: tuple[str, ...] = ()
    like_min: float = 0.5
    unsure_band: float = 0.15
    # What `like` and `unlike` are: clauses, read for what they say, or whole openings ("Hi Dale,
    # Renee Castillo with Bluegate Freight."), read for whom they name (measure/introduction.py).
    reads: str = "clauses"
    # Set by the pack, never pack keys: whose clause scores to read (the rule's name), and the other
    # content rules' `like` sentences, which this rule learns from as ones that do not say its thing.
    meaning: str = ""
    others_like: tuple[str, ...] = ()

    @property
    def may_min(self) -> float:
        """The lowest score that may say it: `unsure_band` under `like_min`."""
        return self.like_min - self.unsure_band

    @cached_property
    def compiled(self) -> re.Pattern:
        alternatives = [r"\b" + r"\s+".join(map(re.escape, searchable(p).split())) + r"\b" for p in self.phrases]
        alternatives += [pattern_searchable(p) for p in self.patterns]
        return re.compile("|".join(f"(?:{a})" for a in alternatives) or r"(?!)", re.IGNORECASE)

    def validate(self) -> str | None:
        if not self.phrases and not self.patterns and not self.like:
            return "phrases/patterns: give at least one (or `like` and `unlike` sentences)"
        if self.within not in WINDOWS:
            return f"within: {self.within!r} is not one of {', '.join(WINDOWS)}"
        if bool(self.like) != bool(self.unlike):
            return f"{'like' if self.unlike else 'unlike'}: give both `like` and `unlike` sentences, or neither"
        if self.like and (len(self.like) < 2 or len(self.unlike) < 2):
            return f"{'like' if len(self.like) < 2 else 'unlike'}: give at least 2 sentences (a rule learns from them)"
        if self.reads not in READS:
            return f"reads: {self.reads!r} is not one of {', '.join(READS)}"
        if not 0 < self.like_min < 1:
            return f"like_min: {self.like_min!r} is not between 0 and 1"
        if not 0 <= self.unsure_band < self.like_min:
            return f"unsure_band: {self.unsure_band!r} must be at least 0 and below like_min"
        return _bad_regex("patterns", self.patterns) or _bad_regex("not_after", self.not_after)

    @cached_property
    def compiled_not_after(self) -> re.Pattern | None:
        if not self.not_after:
            return None
        return re.compile("|".join(f"(?:{pattern_searchable(p)})" for p in self.not_after), re.IGNORECASE)

    def window(self, ctx: Context) -> range | None:
        """The words this check reads (None: the whole message). For the opener, the phrases are
        searched from the start up to the end of the opening line (a trainer's "hope you're well"
        is found in the greeting), and the opening line alone is read for its meaning."""
        if self.within == "opening":
            window = ctx.index.opening(sentences=self.opening_sentences, seconds=self.opening_s)
            if self.reads == "introduction" and ctx.measures.introduction:  # and the opening it judged
                return range(0, max(window.stop, ctx.measures.introduction[0].last_word + 1))
            return window
        if self.within == "opener":
            return range(0, self.opening_line(ctx).stop)
        if self.within == "closing":
            return ctx.index.closing(seconds=self.closing_s)
        return None

    def opening_line(self, ctx: Context) -> range:
        """The words of the opening line: the first clause after the greeting and the introduction."""
        clauses = [(c.first_word, c.last_word) for c in ctx.measures.clauses]
        return ctx.index.opener(clauses, seconds=self.opening_s)

    def matches(self, ctx: Context) -> list[Match]:
        if self not in ctx.said:
            ctx.said[self] = self._find(ctx)
        return ctx.said[self]

    def scored(self, ctx: Context) -> list[tuple[Clause, Score]]:
        """The window's clauses with this rule's score, as the measure stage gave them."""
        if not self.like:
            return []
        if self.reads == "introduction":  # the opening, as the measure stage cut it
            return [(c, s) for c in ctx.measures.introduction if (s := c.score(self.meaning)) is not None]
        window = self.opening_line(ctx) if self.within == "opener" else self.window(ctx)
        out = []
        for clause in ctx.measures.clauses:
            score = clause.score(self.meaning)
            if score is not None and (window is None or (clause.first_word in window and clause.last_word in window)):
                out.append((clause, score))
        return out

    def maybe(self, ctx: Context) -> tuple[Clause, Score] | None:
        """The clause likeliest to say it among those that only may (within the band under like_min)."""
        near = [(c, s) for c, s in self.scored(ctx) if self.may_min <= s.score < self.like_min]
        return max(near, key=lambda cs: cs[1].score, default=None)

    def _find(self, ctx: Context) -> list[Match]:
        index = ctx.index
        window = self.window(ctx)
        found = index.search(self.compiled, window) if (self.phrases or self.patterns) else []
        for phrase in self.phrases:  # said with a word split, merged or misheard by a letter or two
            found += [m for m in index.near(phrase, window) if not _overlaps(m, found)]
        if self.compiled_not_after is not None:
            found = [m for m in found if not self.compiled_not_after.search(index.before_in_clause(m.first_word))]
        found += [Match(c.first_word, c.last_word, index.heard(c.first_word, c.last_word), s.score)
                  for c, s in self.scored(ctx) if s.score >= self.like_min and not _overlaps(c, found)]
        return sorted(found, key=lambda m: m.first_word)


def _overlaps(m, found: list[Match]) -> bool:
    return any(m.first_word <= f.last_word and f.first_word <= m.last_word for f in found)


@dataclass(frozen=True)
class Phrases(_Said):
    """Phrases (plain words) or patterns (regular expressions) said in a window of the message.

    Fires once per match, or, with `min_count` above 1, once when they add up to that many.
    """

    kind: ClassVar[str] = "phrases"
    placeholders: ClassVar[tuple[str, ...]] = ("phrase", "count", "start", "end")
    min_count: int = 1

    def hits(self, ctx: Context) -> list[Hit]:
        matches = self.matches(ctx)
        if not matches and self.min_count == 1 and (maybe := self.maybe(ctx)):
            clause, score = maybe
            heard = ctx.index.heard(clause.first_word, clause.last_word)
            why = f"\"{heard}\" scored {score.score:.2f}, under the {self.like_min:g} that decides"
            values = {"phrase": heard, "count": 1, "start": clause.start, "end": clause.end}
            return [Hit(values, clause.start, clause.end, ((clause.first_word, clause.last_word),), doubt=why)]
        if len(matches) < self.min_count:
            return []
        words = ctx.transcript.words
        spans = [(m, words[m.first_word].start, words[m.last_word].end) for m in matches]
        if self.min_count > 1:
            phrase = ", ".join(dict.fromkeys(m.text for m in matches))
            start, end = spans[0][1], spans[-1][2]
            values = {"phrase": phrase, "count": len(matches), "start": start, "end": end}
            return [Hit(values, start, end, tuple((m.first_word, m.last_word) for m in matches))]
        return [
            Hit({"phrase": m.text, "count": len(matches), "start": s, "end": e}, s, e, ((m.first_word, m.last_word),))
            for m, s, e in spans
        ]


@dataclass(frozen=True)
class MissingPhrases(_Said):
    """None of the phrases or patterns is said in the window: a missing thing is a rule too.

    `unless` names a measurement that, when above zero (or made), says it another way (a phone
    number left is itself the ask to call back: `unless = "phone_number_count"`).

    `unsure` patterns are what the thing looks like said but misheard ("and a fish are calling
    from Blue Harbor" for "Hannah Fischer calling from Blue Harbor"). Where one matches words the
    transcriber was unsure of (probability under `unsure_below`; only the words of a group named
    `unsure` when the pattern has one), absence is a guess: the finding says what could not be
    confirmed, at info.

    A clause that only may say it (scored within `unsure_band` under `like_min`) makes absence
    a guess too. So does, for a rule that reads the introduction and sets `unsure_reach`, an
    opening whose unsure words, read as names, would reach that score (Score.could_reach): a name
    misheard as a plain word where no pattern foresaw it ("This is seen from Whittaker").
    """

    kind: ClassVar[str] = "missing-phrases"
    placeholders: ClassVar[tuple[str, ...]] = ()
    unless: str = ""
    unsure: tuple[str, ...] = ()
    unsure_below: float = POLICY.unsure_phrase
    unsure_reach: float | None = None

    def validate(self) -> str | None:
        if bad := _bad_unless(self.unless):
            return bad
        if not 0 < self.unsure_below <= 1:
            return f"unsure_below: {self.unsure_below!r} is not a probability between 0 and 1"
        if bad := _bad_regex("unsure", self.unsure) or super().validate():
            return bad
        if self.unsure_reach is not None and not (self.reads == "introduction" and 0 < self.unsure_reach <= 1):
            return (f"unsure_reach: {self.unsure_reach!r} must be a score between 0 and 1, in a rule with "
                    'reads = "introduction" (what its unsure words could reach is read from the opening)')
        return None

    @cached_property
    def unsure_compiled(self) -> tuple[re.Pattern, ...]:
        # apart: each may name a group `unsure`
        return tuple(re.compile(pattern_searchable(p), re.IGNORECASE) for p in self.unsure)

    def hits(self, ctx: Context) -> list[Hit]:
        if _made(ctx, self.unless) or self.matches(ctx):
            return []
        window = self.window(ctx)
        matched = [(m.first_word, m.last_word) for p in self.unsure_compiled
                   for m in ctx.index.unsure(p, self.unsure_below, window)]
        heard = [min(matched)] if matched else []  # the first match: patterns overlap, one is enough
        if self.reads == "introduction" and not heard:
            heard = self._unsure_in_opening(ctx)
        if heard and self._misheard_could_say_it(ctx):
            words = ctx.transcript.words
            said = " and ".join(f"\"{ctx.index.heard(first, last)}\"" for first, last in heard)
            why = f"heard {said} at {words[heard[0][0]].start:.1f} s, not clearly"
            return [Hit({}, words[heard[0][0]].start, words[heard[-1][1]].end, tuple(heard), doubt=why)]
        maybe = self.maybe(ctx)
        if maybe:
            clause, score = maybe
            said = ctx.index.heard(clause.first_word, clause.last_word)
            why = f"\"{said}\" may say it (scored {score.score:.2f}, under the {self.like_min:g} that decides)"
            return [Hit({}, clause.start, clause.end, ((clause.first_word, clause.last_word),), doubt=why)]
        return [Hit({})]

    def _unsure_in_opening(self, ctx: Context) -> list[tuple[int, int]]:
        """The opening's words heard unsure that, read as names, would surely name both
        (Score.could_reach at `unsure_reach` or over; Score.read_as_names), though no `unsure`
        pattern matched: "This is seen from Whittaker." ("Sean"), "this is denies in the billing
        office at North Star Waste" ("Denise"); words side by side as one span. None where the
        rule sets no `unsure_reach`."""
        if self.unsure_reach is None:
            return []
        words = ctx.transcript.words
        read = sorted({i for _, score in self.scored(ctx)
                       if score.could_reach is not None and score.could_reach >= self.unsure_reach
                       for i in score.read_as_names if words[i].probability < self.unsure_below})
        spans: list[tuple[int, int]] = []
        for i in read:
            if spans and spans[-1][1] == i - 1:
                spans[-1] = (spans[-1][0], i)
            else:
                spans.append((i, i))
        return spans

    def _misheard_could_say_it(self, ctx: Context) -> bool:
        """Whether words heard unsure could be what says it. For a rule that reads the introduction,
        only where the opening, its unsure words read as names, reaches what may say it (`may_min`,
        as `maybe` reads a score; Score.could_reach): "This is Gina Lombardi." with the surname
        unsure names no company however it is heard."""
        if self.reads != "introduction":
            return True
        scored = self.scored(ctx)
        return not scored or any(s.could_reach is None or s.could_reach >= self.may_min for _, s in scored)


@dataclass(frozen=True)
class NumberMismatch:
    """A spoken number that is not the rep's own (the Context's, pipeline.Analyzer says from where).

    Dropping one of a doubled digit is the transcriber's habit, not the rep's, and is let pass.
    """

    kind: ClassVar[str] = "number-mismatch"
    placeholders: ClassVar[tuple[str, ...]] = ("digits", "expected", "differs", "text", "start", "end")

    def validate(self) -> str | None:
        return None

    def hits(self, ctx: Context) -> list[Hit]:
        expected = ctx.expected_digits
        if not expected:
            return []
        out = []
        for n in ctx.measures.phone_numbers:
            if n.loop or _matches_own(n.digits, expected):
                continue
            values = {"digits": grouped(n.digits), "expected": grouped(expected),
                      "differs": differences(n.digits, expected), "text": n.text, "start": n.start, "end": n.end}
            out.append(Hit(values, n.start, n.end, ((n.first_word, n.last_word),)))
        return out


@dataclass(frozen=True)
class ReadingsDiffer:
    """Two readings of the callback number that differ in a digit: the prospect hears two numbers and
    cannot know which one to call. Each later reading of the number said most often is compared with
    its first, digit for digit (whole readings of one length only, 10 digits or 7 after any country
    code: a digit dropped from a doubled pair, or a glued run split a digit off, is the
    transcriber's). Where a differing digit was heard unsure (POLICY.sure_digit), the difference may
    be the transcriber's: a note. Skipped when the rep's own number is known: wrong-number then says
    which reading is wrong.
    """

    kind: ClassVar[str] = "readings-differ"
    placeholders: ClassVar[tuple[str, ...]] = ("digits", "then", "differs", "start", "end")

    def validate(self) -> str | None:
        return None

    def hits(self, ctx: Context) -> list[Hit]:
        found = callback_number([n for n in ctx.measures.phone_numbers if not n.loop])
        if ctx.expected_digits or found is None or len(found[1]) < 2:
            return []
        first, *later = found[1]
        out = []
        for again in later:
            a, b = national(first.digits), national(again.digits)
            # readings of a whole number only: a glued run split off by a digit ("...854076", "...854071")
            # is the transcriber's, and so is a digit dropped from a doubled pair
            whole = len(a) == len(b) and len(a) in WHOLE_NUMBER_DIGITS
            apart = [i for i, (x, y) in enumerate(zip(a, b)) if x != y] if whole else []
            if not apart:
                continue
            unsure = [i for i in apart if min(_digit_probability(first, i), _digit_probability(again, i))
                      < POLICY.sure_digit]
            values = {"digits": grouped(first.digits), "then": grouped(again.digits), "start": first.start,
                      "end": again.end, "differs": " and ".join(f"the {ordinal(i + 1)} digit: {a[i]}, then {b[i]}"
                                                                for i in apart)}
            doubt = (f"the transcriber was unsure of the {ordinal(unsure[0] + 1)} digit in one of the readings"
                     if unsure else "")
            out.append(Hit(values, first.start, again.end,
                           ((first.first_word, first.last_word), (again.first_word, again.last_word)), doubt=doubt))
        return out


@dataclass(frozen=True)
class NumberUnclear:
    """The rep asked for a call back and said something there, but no reading of a number could be
    made out of it (measure/numbers.unclear): digits that make no number, unclear words, a word
    heard very unsure right after the ask, or voice the transcriber gave no words. A prospect's
    phone, transcribing the message, would not make it out either."""

    kind: ClassVar[str] = "number-unclear"
    placeholders: ClassVar[tuple[str, ...]] = ("ask", "heard", "why", "start", "end")

    def validate(self) -> str | None:
        return None

    def hits(self, ctx: Context) -> list[Hit]:
        found = ctx.measures.unclear_number
        if found is None:
            return []
        values = {"ask": found.ask, "heard": found.heard, "why": found.why, "start": found.start, "end": found.end}
        inside = [i for i, w in enumerate(ctx.transcript.words) if w.start < found.end and w.end > found.start]
        return [Hit(values, found.start, found.end, ((inside[0], inside[-1]),) if inside else ())]


@dataclass(frozen=True)
class LineLost:
    """A reading of the callback number that does not come out of the phone line intact: the line's
    transcript (measure/line.py) lost or changed a digit of it, and a closer listening to the line's
    version could not find it either. Where the closer listening found it (or, with none, the line's
    transcriber was unsure of what it heard in place of those digits), it is a note. A reading the
    recording's own analysis did not confirm (heard the same twice, or surely) is no yardstick and is
    left to the number rules.
    Skipped (no finding, no failure) when the recording was not heard through a line."""

    kind: ClassVar[str] = "line-lost"
    placeholders: ClassVar[tuple[str, ...]] = ("digits", "heard", "differs", "line", "start", "end")

    def validate(self) -> str | None:
        return None

    def hits(self, ctx: Context) -> list[Hit]:
        line = ctx.measures.phone_line
        if line is None:
            return []
        out = []
        for r in line.readings:
            if r.survives or not r.checked:
                continue
            values = {"digits": grouped(r.digits), "heard": r.heard or "nothing", "differs": r.differs,
                      "line": line.what, "start": r.start, "end": r.end}
            doubt = "" if r.sure else (
                f"listened to again, digit by digit, the line's version gave {grouped(r.again)}: a phone may read it"
                if r.again else "the line's transcriber was unsure of what it heard in place of those digits")
            out.append(Hit(values, r.start, r.end, ((r.first_word, r.last_word),), doubt=doubt))
        return out


def _digit_probability(number: PhoneNumber, i: int) -> float:
    """How sure the transcriber was of the i-th national digit of a reading (1.0 when not known)."""
    offset = len(number.digits) - len(national(number.digits))
    probabilities = number.digit_probabilities
    return probabilities[i + offset] if i + offset < len(probabilities) else 1.0


Check = Threshold | Each | Phrases | MissingPhrases | NumberMismatch | ReadingsDiffer | NumberUnclear | LineLost
CHECKS: dict[str, type[Check]] = {c.kind: c for c in (Threshold, Each, Phrases, MissingPhrases, NumberMismatch,
                                                      ReadingsDiffer, NumberUnclear, LineLost)}


def _bad_regex(key: str, patterns: tuple[str, ...]) -> str | None:
    """Why the first pattern that is no regular expression is not one, for the pack's sentence; each
    is checked as it will be searched (its number words as digits, text.pattern_searchable), so a
    pack that loads never fails on a recording."""
    for p in patterns:
        try:
            re.compile(p)
        except re.error as exc:
            return f"{key}: {p!r} is not a valid regular expression ({exc})"
        searched = pattern_searchable(p)
        try:
            re.compile(searched)
        except re.error as exc:
            return (f"{key}: {p!r} is searched with its number words as digits, as {searched!r}, which is not a "
                    f"valid regular expression ({exc}); rename the group or escape the word")
    return None


def _bad_unless(name: str) -> str | None:
    if name and name not in UNLESS:
        return f"unless: {name!r} is not one of {', '.join(UNLESS)}"
    return None


def _made(ctx: Context, unless: str) -> bool:
    """The measurement a rule's `unless` names says the thing another way: above zero, or made."""
    if not unless:
        return False
    value = getattr(ctx.measures, unless)
    return value is not None and (not isinstance(value, int | float) or value > 0)


def _outside(value: float, low: float | None, high: float | None) -> bool:
    return (low is not None and value < low) or (high is not None and value > high)


def _far(value: float, low: float | None, high: float | None, by: float | None) -> bool:
    """At least `by` past the limit it breaks."""
    if by is None:
        return False
    return (low is not None and value <= low - by) or (high is not None and value >= high + by)


def _matches_own(spoken: str, expected: str) -> bool:
    spoken, expected = national(spoken), national(expected)
    if spoken == expected or (len(spoken) == 7 and expected.endswith(spoken)):
        return True
    return one_dropped(expected, spoken, doubled=True)
