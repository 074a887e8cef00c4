"""What the prospect will read: each reading of the callback number as the phone line's transcript
has it (audio/line.py makes the line's version of the recording, the engine transcribes it once, as
a phone's visual voicemail would), digit for digit against the reading the recording's own analysis
heard.

A reading that transcript lost may be our transcriber's weakness on narrowband speech, not the
line's: tiny.en reads a phone line worse than a prospect's phone does. So the pipeline listens to
the line's version of that reading once more, digit by digit (the number pass's way: its prompt, no
VAD; the words are the line transcript's `regions`). Only a reading that closer listening cannot
find either is lost for certain; one it finds is a doubt (benchmarks/RESULTS.md has what this does
against Whisper base reading the line).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from ..audio.voice import stretches
from ..confidence import POLICY
from ..numbers.digits import Digit
from ..numbers.heard import hear
from ..numbers.readings import WHOLE_NUMBER_DIGITS, national, one_dropped, ordinal
from ..transcript import Transcript, Word
from .numbers import PhoneNumber, callback_number

# The line's digits this close to a reading's span are where the prospect reads it (the line's
# transcriber times words a little differently); its words are quoted, and judged sure or not, where
# their middle is this close.
SLACK_S = 0.4
WORD_SLACK_S = 0.15
# The closer listening hears a lost reading with this much of the line's version either side.
AGAIN_MARGIN_S = 0.5


@dataclass(frozen=True)
class LineReading:
    """One reading of the callback number, and what the line's transcript made of it."""

    digits: str  # what the rep said, as the recording's own analysis heard it
    start: float
    end: float
    first_word: int  # the reading's words in the recording's transcript
    last_word: int
    heard: str  # the line transcript's words over the reading
    line_digits: str  # the digits in them
    survives: bool  # the reading is in them, digit for digit
    differs: str  # where they depart from the reading ("" when it survives)
    sure: bool  # lost for certain: a closer listening to the line could not find it either
    checked: bool  # the reading is a yardstick: heard the same twice, or surely (else no verdict on it)
    again: str = ""  # the digits the closer listening heard there ("" when there was none)


@dataclass(frozen=True)
class PhoneLine:
    """The recording as it comes out of a phone line, and the callback number's readings there."""

    codec: str  # audio/line.py's CODECS: "amr-nb", "g711"
    what: str  # in words: "a mobile call (AMR-NB, 12.2 kbit/s)"
    text: str  # the line's transcript: what the prospect would read
    words: tuple[Word, ...]
    readings: tuple[LineReading, ...]


def through_line(numbers: Sequence[PhoneNumber], codec: str, what: str, line: Transcript) -> PhoneLine:
    found = callback_number([n for n in numbers if not n.loop])
    said = found[1] if found else []
    readings = tuple(_compared(n, line, _confirmed(n, said)) for n in said)
    return PhoneLine(codec, what, line.text, line.words, readings)


def listen_again(line: PhoneLine, voiced: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The stretches of the line's version to listen to once more: the readings its transcript lost,
    each from the start of the stretch of voice (`voiced`: the line's voiced spans) it starts in to the
    end of the one it ends in, with AGAIN_MARGIN_S either side. Word times move by a word from one CPU's
    kernels to another's (816-916-6141 started at 20.19 s or 20.46 s), the voice does not: a window cut
    at the word times heard the reading as 816-916-6141 under one and as 816-16-141 under another."""
    voice = stretches(voiced)
    return [(max(0.0, _voice_at(voice, r.start, 0) - AGAIN_MARGIN_S), _voice_at(voice, r.end, 1) + AGAIN_MARGIN_S)
            for r in line.readings if r.checked and not r.survives]


def _voice_at(voice: list[tuple[float, float]], t: float, edge: int) -> float:
    """The start (edge 0) or end (1) of the stretch of voice about time t; t itself in a silence."""
    return next((span[edge] for span in voice if span[0] - WORD_SLACK_S <= t <= span[1] + WORD_SLACK_S), t)


def _confirmed(reading: PhoneNumber, said: Sequence[PhoneNumber]) -> bool:
    """The reading is a yardstick: a whole number (7 digits, or 10 after any country code: one with a
    digit too few is one the transcriber dropped a doubled digit of), heard again in another reading
    (the same, or with one digit dropped: 720-279-3172 heard 722-793-172) or every digit heard surely."""
    whole = national(reading.digits)
    if len(whole) not in WHOLE_NUMBER_DIGITS:
        return False
    again = any(n is not reading and (national(n.digits) == whole or one_dropped(whole, national(n.digits)))
                for n in said)
    sure = bool(reading.digit_probabilities) and min(reading.digit_probabilities) >= POLICY.sure_digit
    return again or sure


def _compared(reading: PhoneNumber, line: Transcript, checked: bool) -> LineReading:
    over = _over(line.words, reading)
    digits = _digits(line.words, reading)
    heard = "".join(d.char for d in digits)
    said = national(reading.digits)
    survives = said in heard
    differs = "" if survives else _differs(said, national(heard))
    closer = [r for r in line.regions if r.start <= reading.start and reading.end <= r.end]
    again = "".join(d.char for r in closer for d in _digits(r.words, reading))
    if survives:
        sure = True
    elif closer:  # what the closer listening found decides
        sure = said not in again
    else:  # none (a script's line, in the rule cases): how sure the transcriber was of what it got wrong
        sure = _surely_wrong(said, digits, over)
    return LineReading(reading.digits, reading.start, reading.end, reading.first_word, reading.last_word,
                       " ".join(w.text for w in over), heard, survives, differs, sure, checked, again)


def _over(words: tuple[Word, ...], reading: PhoneNumber) -> list[Word]:
    """The line transcript's words over a reading: quoted, and judged sure or not."""
    return [w for w in words if reading.start - WORD_SLACK_S <= (w.start + w.end) / 2 <= reading.end + WORD_SLACK_S]


def _digits(words: tuple[Word, ...], reading: PhoneNumber) -> list[Digit]:
    low, high = reading.start - SLACK_S, reading.end + SLACK_S
    return [d for run in hear(words).runs for d in run.digits if d.end > low and d.start < high]


def _surely_wrong(said: str, digits: list[Digit], over: list[Word]) -> bool:
    """The line's transcriber was sure of what it got wrong: the digits it wrote in place of the
    reading's or beyond them, and, where it left a digit out, the words it wrote in its place (or,
    if none, the digits either side)."""
    if not digits:
        return bool(over) and min(w.probability for w in over) >= POLICY.sure_digit
    heard = "".join(d.char for d in digits)
    doubts: list[float] = []
    for op, _, _, j1, j2 in SequenceMatcher(None, said, heard, autojunk=False).get_opcodes():
        if op in ("replace", "insert"):
            doubts += [digits[j].probability for j in range(j1, j2)]
        elif op == "delete":
            after = digits[j1].start if j1 < len(digits) else float("inf")
            before = digits[j1 - 1].end if j1 else float("-inf")
            instead = [w.probability for w in over if before <= w.start and w.end <= after and not _has_digit(w)]
            doubts += instead or [digits[j].probability for j in (j1 - 1, j1) if 0 <= j < len(digits)]
    return min(doubts or [d.probability for d in digits]) >= POLICY.sure_digit


def _has_digit(word: Word) -> bool:
    return any(c.isdigit() for c in word.text)


def _differs(said: str, heard: str) -> str:
    """Where the line's digits depart from the reading, in words."""
    if not heard:
        return "no digit of it is left"
    if len(heard) == len(said):
        apart = [(i, a, b) for i, (a, b) in enumerate(zip(said, heard)) if a != b]
        if len(apart) > 2:
            return f"{len(apart)} digits are changed"
        return " and ".join(f"the {ordinal(i + 1)} digit, {a}, reads {b}" for i, a, b in apart)
    return f"{len(heard)} digits are left of {len(said)}" if len(heard) < len(said) else \
        f"it reads {len(heard)} digits for {len(said)}"
