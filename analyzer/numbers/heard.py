"""A word list read for numbers once: its digit runs, the readings in them, the digits left over
beside a reading, and the words that ask for a call.

The number pass, the reconciliation of both passes and the doubts all ask about the same word
lists; `hear` reads each once (cached by the words themselves, which are immutable), so they all
see one result.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..transcript import Word
from .digits import Digit, Run, digit_runs
from .readings import Reading, is_cue, leftovers, readings_of


@dataclass(frozen=True)
class Heard:
    """What one word list says about phone numbers."""

    runs: tuple[Run, ...]  # every run of digits, in order (read-only: shared by everyone who asks)
    readings: tuple[Reading, ...]  # the readings of phone numbers in those runs
    leftovers: tuple[tuple[Digit, ...], ...]  # digits of a glued run no reading took, where a reading may hide
    cues: tuple[int, ...]  # the words that announce a number ("call me at", "my cell"), by index

    @property
    def text(self) -> str:
        """The runs' digits, space between runs."""
        return " ".join(r.text for r in self.runs)


@lru_cache(maxsize=64)
def hear(words: tuple[Word, ...]) -> Heard:
    runs = digit_runs(words)
    return Heard(
        runs=tuple(runs),
        readings=tuple(readings_of(runs)),
        leftovers=tuple(tuple(left) for left in leftovers(runs)),
        cues=tuple(i for i, w in enumerate(words) if is_cue(w.text)),
    )
