"""Everything numeric about a message (DESIGN section 3); units are in the names.

Works from the words alone (so every rule is testable from text) and, given the Clip, refines
the speech span, pauses and each number's span against the signal energy.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any

import numpy as np

from ..audio.clip import SAMPLE_RATE_HZ, Clip
from ..audio.voice import (
    LOST_SPEECH_S,
    WORD_SLACK_S,
    frame_energy,
    gaps,
    speech_spans,
    stretches,
    unheard,
    voiced_spans,
)
from ..confidence import POLICY
from ..numbers.digits import said_words
from ..transcript import Transcript, Word
from . import numbers as phone_numbers
from .clauses import Clause, Labeller
from .delivery import Delivery, delivery
from .line import PhoneLine
from .numbers import PhoneNumber, UnclearNumber

PAUSE_MIN_S = 0.5
# Articulation rate leaves out every silence this long, not just the pauses reported.
ARTICULATION_GAP_S = 0.25


@dataclass(frozen=True)
class Pause:
    start: float
    end: float
    duration_s: float


def _scalar(*, span: tuple[str | None, str] | None = None) -> dict[str, Any]:
    """A number a `threshold` rule (or a phrase rule's `unless`) may name; `span`: the measurements
    that bound the stretch of the recording it is about (none: the whole message)."""
    return {"scalar": True, "span": span}


def _items(*numbers: str) -> dict[str, Any]:
    """A list an `each` rule may name, with the fields of its items that rule may test."""
    return {"items": numbers}


SPOKEN = ("speech_start_s", "speech_end_s")


@dataclass(frozen=True)
class Measurements:
    """What the rules may test is marked here (_scalar, _items) and nowhere else: the checks and
    the pack's validation read it from these fields (SCALARS, SPANS, LISTS)."""

    duration_s: float = field(metadata=_scalar())
    speech_start_s: float = field(metadata=_scalar())
    speech_end_s: float = field(metadata=_scalar())
    spoken_length_s: float = field(metadata=_scalar(span=SPOKEN))
    leading_silence_s: float = field(metadata=_scalar(span=(None, "speech_start_s")))
    trailing_silence_s: float = field(metadata=_scalar(span=("speech_end_s", "duration_s")))
    word_count: int = field(metadata=_scalar())
    speaking_rate_wpm: float = field(metadata=_scalar(span=SPOKEN))
    articulation_rate_wpm: float = field(metadata=_scalar(span=SPOKEN))
    pauses: tuple[Pause, ...] = field(metadata=_items("duration_s"))
    longest_pause_s: float = field(metadata=_scalar())
    phone_numbers: tuple[PhoneNumber, ...] = field(metadata=_items("digits_per_s", "digit_count"))
    phone_number_count: int = field(metadata=_scalar())
    distinct_numbers: int = field(metadata=_scalar())
    callback_number: str | None  # the number said most often (the last said, on a tie)
    callback_repeats: int | None = field(metadata=_scalar())  # None when no number was said
    number_end_gap_s: float | None = field(metadata=_scalar())  # speech after the last reading of the callback number
    pitch_median_hz: float | None = field(metadata=_scalar())
    pitch_variation_st: float | None = field(metadata=_scalar())
    loudness_dbfs: float | None = field(metadata=_scalar())
    # The ask for a call back answered by speech no reading could be made out of (no number read at all).
    unclear_number: UnclearNumber | None = None
    # The recording through a phone line and transcribed again, when asked for (--phone-line, or the
    # pack's `phone_line`): what the prospect would read, and each reading of the number there.
    phone_line: PhoneLine | None = None
    # What could not be confirmed: (measurement, why). A rule on a doubted measurement is not an error.
    doubts: tuple[tuple[str, str], ...] = ()
    # How far a measurement could be off where the transcriber was unsure: (measurement, low, high,
    # why). A rule whose limit lies inside the range cannot confirm its verdict.
    ranges: tuple[tuple[str, float, float, str], ...] = ()
    # The message in clauses, each scored for what the content rules look for (clauses.py).
    clauses: tuple[Clause, ...] = ()
    # The opening, scored for whom it names, for the rules that read it so (introduction.py).
    introduction: tuple[Clause, ...] = ()

    def doubt(self, name: str) -> str:
        return next((why for measure, why in self.doubts if measure == name), "")

    def range_of(self, name: str) -> tuple[float, float, str] | None:
        return next(((low, high, why) for measure, low, high, why in self.ranges if measure == name), None)


# The vocabulary of the rules, from the fields above: the scalars, the stretch each is about, the lists.
SCALARS: tuple[str, ...] = tuple(f.name for f in fields(Measurements) if f.metadata.get("scalar"))
SPANS: dict[str, tuple[str | None, str]] = {f.name: f.metadata["span"] for f in fields(Measurements)
                                            if f.metadata.get("span")}
LISTS: dict[str, tuple[str, ...]] = {f.name: f.metadata["items"] for f in fields(Measurements) if "items" in f.metadata}
# What a rule's `unless` may name: a scalar, when above zero, or a finding of the measure stage, when made.
UNLESS: tuple[str, ...] = (*SCALARS, "unclear_number")


def measure(transcript: Transcript, clip: Clip | None = None, *, duration_s: float | None = None,
            labeller: Labeller = Labeller()) -> Measurements:
    """`labeller`: the content rules' meanings the clauses are scored for (none: clauses unscored)."""
    return understood(measure_signal(transcript, clip, duration_s=duration_s), transcript, labeller)


def _said_count(words: tuple[Word, ...], numbers: tuple[PhoneNumber, ...], unclear: UnclearNumber | None) -> int:
    """The words said, as a script counts them: Whisper writes "816" for three spoken words, so a phone
    number's digits count one word each, and "40%" for two ("forty percent"); where a number was said
    but none could be made out, what was heard there is a word each ("$25." for a number is no amount)."""
    in_numbers = {k for n in numbers for k in range(n.first_word, n.last_word + 1)}
    return sum(n.digit_count for n in numbers) + sum(
        1 if unclear and unclear.start <= w.start < unclear.end else said_words(w.text)
        for k, w in enumerate(words) if k not in in_numbers)


def spoken_words(transcript: Transcript, speech_end_s: float) -> tuple[Word, ...]:
    """The words the measurements count. Words that start after the voice has ended are the
    transcriber's, not the speaker's: a decode that loops piles them up at the end ("-0 -0 -0"),
    often with no length at all."""
    return tuple(w for w in transcript.words if w.start < speech_end_s)


def understood(measures: Measurements, transcript: Transcript, labeller: Labeller, *,
               vectors: np.ndarray | None = None) -> Measurements:
    """The signal's measurements with what the message says: its clauses and its opening, scored for
    the pack's content rules. Apart from measure_signal, which needs no pack, so that grading keeps a
    recording's signal measurements and a new pack re-reads only this (grade/cache.py). `vectors`:
    the clauses' sentence vectors (clause_vectors), when kept."""
    words = spoken_words(transcript, measures.speech_end_s)
    return replace(measures, clauses=labeller.read(words, _number_words(measures), vectors=vectors),
                   introduction=labeller.introduce(words))


def clause_vectors(measures: Measurements, transcript: Transcript, labeller: Labeller) -> np.ndarray | None:
    """The sentence vectors understood() scores the clauses by: the costly part of reading them, and
    the same whatever the pack (None: the pack reads no clauses)."""
    return labeller.vectors(spoken_words(transcript, measures.speech_end_s), _number_words(measures))


def _number_words(measures: Measurements) -> tuple[tuple[int, int], ...]:
    return tuple((n.first_word, n.last_word) for n in measures.phone_numbers)


def measure_signal(transcript: Transcript, clip: Clip | None = None, *,
                   duration_s: float | None = None) -> Measurements:
    """Every measurement the signal and the words give, the clauses and the opening left unread (and
    the phone line's, which the pipeline adds when asked for: measure/line.py)."""
    words = transcript.words
    if not words:
        raise ValueError("measure() needs at least one word")
    energy = frame_energy(clip.samples, SAMPLE_RATE_HZ) if clip is not None else None
    duration = clip.duration_s if clip is not None else (duration_s or words[-1].end)
    # The second pass's words are speech too: a reading the first pass dropped is no pause.
    heard = tuple(sorted(words + tuple(w for r in transcript.regions for w in r.words), key=lambda w: w.start))
    voiced = voiced_spans(energy) if energy is not None else []
    if energy is not None:
        spans = _speech_spans(voiced, heard) or _word_spans(words)
    else:
        spans = _word_spans(words)
    start, end = float(spans[0][0]), float(spans[-1][1])
    words = spoken_words(transcript, round(end, 2))  # as understood() reads them from speech_end_s
    spoken = max(end - start, 1e-6)
    pause_gaps = gaps(_pause_spans(spans, clip, start, end), min_s=PAUSE_MIN_S)
    silent_s = sum(b - a for a, b in gaps(spans, min_s=ARTICULATION_GAP_S))
    numbers = phone_numbers.find(words, transcript.regions, spans if energy is not None else None)
    lost = unheard(voiced, [(w.start, w.end) for w in heard])
    doubts = phone_numbers.doubts(numbers, words, transcript.regions, lost)
    unclear = phone_numbers.unclear(numbers, words, transcript.regions, lost)
    callback, repeats, end_gap = phone_numbers.callback(numbers, end)
    word_count = _said_count(words, numbers, unclear)
    voice = (
        delivery(clip.samples, SAMPLE_RATE_HZ, energy, (start, end))
        if clip is not None and energy is not None
        else Delivery(None, None, None)
    )
    pauses = tuple(Pause(round(a, 2), round(b, 2), round(b - a, 2)) for a, b in pause_gaps)
    speaking = word_count * 60 / spoken
    articulating = word_count * 60 / max(spoken - silent_s, 1e-6)
    unsure = sum(w.probability < POLICY.unsure_word for w in words)  # each may be split off or made up
    ranges: tuple[tuple[str, float, float, str], ...] = ()
    if unsure:
        why = f"{unsure} of the {word_count} words were heard unsure, and may be split or made up"
        share = (word_count - unsure) / word_count
        ranges = (("speaking_rate_wpm", round(speaking * share, 1), round(speaking, 1), why),
                  ("articulation_rate_wpm", round(articulating * share, 1), round(articulating, 1), why))
    return Measurements(
        duration_s=round(duration, 2),
        speech_start_s=round(start, 2),
        speech_end_s=round(end, 2),
        spoken_length_s=round(spoken, 2),
        leading_silence_s=round(start, 2),
        trailing_silence_s=round(max(0.0, duration - end), 2),
        word_count=word_count,
        speaking_rate_wpm=round(speaking, 1),
        articulation_rate_wpm=round(articulating, 1),
        pauses=pauses,
        longest_pause_s=max((p.duration_s for p in pauses), default=0.0),
        phone_numbers=numbers,
        phone_number_count=len(numbers),
        distinct_numbers=len({n.number for n in numbers}),
        callback_number=callback,
        callback_repeats=repeats,
        number_end_gap_s=end_gap,
        pitch_median_hz=voice.pitch_median_hz,
        pitch_variation_st=voice.pitch_variation_st,
        loudness_dbfs=voice.loudness_dbfs,
        unclear_number=unclear,
        doubts=doubts,
        ranges=ranges,
    )


def _pause_spans(spans: list[tuple[float, float]], clip: Clip | None, start: float,
                 end: float) -> list[tuple[float, float]]:
    """Speech as pauses read it: the voiced spans, and between the message's first and last word
    what the speech model hears as speech too. Energy alone widened every gap under noise (quiet
    word edges under a threshold near the speech's level): on the evaluation corpus's noisy
    recordings 98 of 125 pauses lay over script gaps under 0.45 s; with the model, 10 of 16."""
    if clip is None:
        return spans
    heard = speech_spans(clip.samples, SAMPLE_RATE_HZ)
    model = [(max(a, start), min(b, end)) for a, b in heard if b > start and a < end]
    return stretches(sorted(spans + model), gap_s=0.0)  # overlapping spans as one


def _word_spans(words: tuple[Word, ...]) -> list[tuple[float, float]]:
    """Speech spans from word times alone: words closer than a pause merge."""
    spans: list[list[float]] = []
    for w in words:
        if spans and w.start - spans[-1][1] < ARTICULATION_GAP_S:
            spans[-1][1] = max(spans[-1][1], w.end)
        else:
            spans.append([w.start, max(w.end, w.start)])
    return [(a, b) for a, b in spans]


def _speech_spans(voiced: list[tuple[float, float]], words: tuple[Word, ...]) -> list[tuple[float, float]]:
    """Voiced spans that belong to words: noise, clicks and breaths away from every word drop out.
    A long voiced stretch with no words stays: speech the transcriber lost is no pause."""
    kept = []
    k = 0
    for a, b in voiced:
        while k < len(words) and words[k].end + WORD_SLACK_S < a:
            k += 1
        if k < len(words) and words[k].start - WORD_SLACK_S <= b:
            kept.append((a, b))
    lost = [s for s in stretches(voiced) if s[1] - s[0] >= LOST_SPEECH_S]
    return sorted(set(kept) | {(a, b) for a, b in voiced if any(x <= a and b <= y for x, y in lost)})
