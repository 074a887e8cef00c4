"""What the prospect will read: each reading of the callback number as the phone line's transcript
has it (audio/line.py makes the line's version of the recording, the engine transcribes it once, as
a phone's visual voicemail would), digit for digit against the reading the recording's own analysis
heard.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..confidence import POLICY
from ..numbers.heard import hear
from ..numbers.readings import national, ordinal
from ..transcript import Transcript, Word
from .numbers import PhoneNumber, callback_number

# The line's digits this close to a reading's span are where the prospect reads it (the line's
# transcriber times words a little differently); its words are quoted, and judged sure or not, where
# their middle is this close.
SLACK_S = 0.4
WORD_SLACK_S = 0.15


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
    sure: bool  # the line's transcriber was sure of those words: a digit lost there is lost for certain
    checked: bool  # the reading itself was heard surely; an unsure one is no yardstick (no verdict)


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
    readings = tuple(_compared(n, line.words) for n in (found[1] if found else ()))
    return PhoneLine(codec, what, line.text, line.words, readings)


def _compared(reading: PhoneNumber, words: tuple[Word, ...]) -> LineReading:
    low, high = reading.start - SLACK_S, reading.end + SLACK_S
    over = [w for w in words if reading.start - WORD_SLACK_S <= (w.start + w.end) / 2 <= reading.end + WORD_SLACK_S]
    digits = "".join(d.char for run in hear(words).runs for d in run.digits if d.end > low and d.start < high)
    said = national(reading.digits)
    survives = said in digits
    differs = "" if survives else _differs(said, national(digits))
    # One of a doubled digit dropped is the transcriber's habit (measure/numbers.py lets it pass on the
    # recording too): a phone's transcriber may keep it, so it is no certainty.
    habit = any(said[i] == said[i + 1] and said[:i] + said[i + 1:] in digits for i in range(len(said) - 1))
    sure = bool(over) and min(w.probability for w in over) >= POLICY.sure_digit and not habit
    checked = bool(reading.digit_probabilities) and min(reading.digit_probabilities) >= POLICY.sure_digit
    return LineReading(reading.digits, reading.start, reading.end, reading.first_word, reading.last_word,
                       " ".join(w.text for w in over), digits, survives, differs, sure, checked)


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
