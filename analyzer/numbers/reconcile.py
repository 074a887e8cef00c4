"""The readings of both transcription passes, reconciled into one list: which pass is believed
where they overlap, which readings are one number, and the digits each number's readings agree on.

The first pass hears the whole message; the second (number_pass.py) hears the number's stretch
again, digit by digit. In each region the pass that heard the number more often alike wins, then
the one that heard more readings, then the one that gave their digits more words of their own
(finer times; the second pass where both did as well). Not how sure the transcriber was: on the
evaluation corpus the first pass was sure (0.84 and up) of digits the second pass heard right.
A second-pass reading is left out where its digits got no time (collapsed) or where the
first pass surely heard ordinary words (contradicted).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..confidence import POLICY
from ..transcript import Region, Word
from .digits import digit_runs
from .heard import hear
from .readings import Reading, consensus, distance, group, most_repeated, national

# Digit words shorter than this (the median of a reading) were not aligned to the audio at all.
COLLAPSED_WORD_S = 0.04


@dataclass(frozen=True)
class Chosen:
    """A reading the reconciliation kept."""

    reading: Reading
    source: tuple[Word, ...]  # the words of the pass it came from (its word indices point there)
    number: int  # which distinct number (in order of first mention): readings of one number share it
    agreed: str  # the digits that number's readings agree on


def reconcile(words: tuple[Word, ...], regions: tuple[Region, ...]) -> tuple[Chosen, ...]:
    chosen = [(r, words) for r in hear(words).readings]
    for region in regions:
        inside = [x for x in chosen if region.start <= x[0].start < region.end]
        second = [(r, region.words) for r in hear(region.words).readings
                  if not collapsed(region.words[r.first_word : r.last_word + 1]) and not _contradicted(r, words)]
        if second and _agreement(second) >= _agreement(inside):
            chosen = sorted([x for x in chosen if all(x is not y for y in inside)] + second, key=lambda x: x[0].start)
    ids = group([r for r, _ in chosen])
    agreed = {k: consensus([r.digits for (r, _), i in zip(chosen, ids) if i == k]) for k in set(ids)}
    return tuple(Chosen(_trim_to(agreed[k], r, source), source, k, agreed[k]) for (r, source), k in zip(chosen, ids))


def collapsed(span: Sequence[Word]) -> bool:
    """Most digits squeezed into no time: Whisper's alignment gave up (often on a hallucination)."""
    return len(span) >= 3 and sorted(w.end - w.start for w in span)[len(span) // 2] < COLLAPSED_WORD_S


def _trim_to(agreed: str, reading: Reading, source: tuple[Word, ...]) -> Reading:
    """A reading longer than the number's other readings agree on, cut by an edge word of one digit
    where that brings it closer to them: a word beside the reading heard as a digit ("... 7 0, 1
    more time" where "one" was not caught as a word), which would stretch the reading's span."""
    while len(national(reading.digits)) > len(national(agreed)) and reading.last_word > reading.first_word:
        apart = distance(national(reading.digits), national(agreed))
        for edge in (reading.last_word, reading.first_word):
            digit = [d.char for run in digit_runs(source[edge : edge + 1]) for d in run.digits]
            if len(digit) != 1:
                continue
            cut = slice(None, -1) if edge == reading.last_word else slice(1, None)
            rest = reading.digits[cut]
            if distance(national(rest), national(agreed)) < apart:
                if edge == reading.last_word:
                    first, last = reading.first_word, edge - 1
                else:
                    first, last = edge + 1, reading.last_word
                reading = replace(reading, digits=rest, first_word=first, last_word=last,
                                  start=source[first].start, end=source[last].end,
                                  probabilities=reading.probabilities[cut])
                break
        else:
            return reading
    return reading


def _contradicted(reading: Reading, words: tuple[Word, ...]) -> bool:
    """A second-pass reading where the first pass surely heard ordinary words: the prompt made the
    decoder write digits over speech that had none ("400 customers across the region")."""
    span = max(reading.end - reading.start, 1e-6)
    sure = sum(max(0.0, min(reading.end, w.end) - max(reading.start, w.start)) for w in words
               if w.probability >= POLICY.sure_word and not any(c.isdigit() for c in w.text))
    return sure / span > 0.5


def _agreement(readings: list[tuple[Reading, tuple[Word, ...]]]) -> tuple[int, int, float]:
    """What makes a pass believed over a region: first, how often it heard the number it heard most
    often (a pass that heard the number twice alike is not overridden by one that heard it once and
    a misreading: "470-220-9134" twice against "470-220-9134" and "70209134"); then how many readings
    it heard; then how many words their digits had (digit by digit gives each digit its own time)."""
    return most_repeated([r for r, _ in readings]), len(readings), _words_per_reading(readings)


def _words_per_reading(readings: list[tuple[Reading, tuple[Word, ...]]]) -> float:
    return sum(r.last_word - r.first_word + 1 for r, _ in readings) / max(1, len(readings))
