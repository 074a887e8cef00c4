"""The digit-focused second pass: the stretch where the callback number is said, transcribed again.

tiny.en's first pass, tuned for running speech, garbles numbers in ways that change the
verdict: a word between two readings heard as digits, a digit pair heard as words ("set in"),
a whole quiet reading dropped. Transcribed again on its own, levelled, without the VAD and
with a prompt that reads a number digit by digit, the same stretch comes back with every digit
as its own word and its own time. Both passes are kept; measure/numbers.py reconciles their readings.

A pipeline step between transcription and measurement (pipeline.py): it reads where the number is
from numbers/ and asks the engine (engines.Engine.transcribe_region) to hear that stretch again.
"""

from __future__ import annotations

import dataclasses

from .audio.clip import SAMPLE_RATE_HZ, Clip
from .audio.voice import frame_energy, unheard, voiced_spans
from .confidence import POLICY
from .engines import WINDOW_S, Engine
from .numbers.heard import hear
from .numbers.readings import MIN_FRAGMENT_DIGITS, NUMBER_LIKE_DIGITS, most_repeated
from .transcript import Region, Transcript, Word

# A number read digit by digit steers the decoder to write digits one by one. Its groups cannot
# start a North American area code or exchange (never 0 or 1), so a group of it in the second
# pass that the first pass did not hear is the prompt echoed, not the rep's number.
PROMPT = "Call me at 1 0 9, 1 0 8, 1 0 7 6. Again, 1 0 9, 1 0 8, 1 0 7 6."
PROMPT_GROUPS = ("109", "108", "1076")
BEFORE_S = 1.0  # the region starts this long before the first digit heard
CUE_BEFORE_S = 8.0  # or at the ask ("call me at") this close before it
AFTER_S = 1.0  # and ends this long after the last speech
MAX_WINDOWS = 1.5  # a number said first, then a long pitch: the region stops after 45 s
# Voice no word of either pass covers (signal.unheard) is transcribed again with this much either
# side, at most MAX_RECOVERIES times.
LOST_MARGIN_S = 0.3
MAX_RECOVERIES = 2


def refine(engine: Engine, clip: Clip, transcript: Transcript) -> Transcript:
    """The transcript with its number region transcribed again."""
    voiced = voiced_spans(frame_energy(clip.samples, SAMPLE_RATE_HZ))
    if settled(transcript.words, voiced):
        return transcript
    span = region(transcript.words, voiced, clip.duration_s)
    if span is None:
        return transcript
    start, end = span
    words = engine.transcribe_region(clip, start, end, PROMPT)
    if echoes_prompt(transcript.words, words):
        words = ()
    words = _recover(engine, clip, voiced, transcript.words, tuple(words), start, end)
    return dataclasses.replace(transcript, regions=(Region(round(start, 3), round(end, 3), words),))


def _recover(engine: Engine, clip: Clip, voiced: list[tuple[float, float]], first: tuple[Word, ...],
             words: tuple[Word, ...], start: float, end: float) -> tuple[Word, ...]:
    """Voice in the region that neither pass gave words (a quiet or fast reading the decoder
    skipped) is transcribed again on its own, and its words join the region's."""
    heard = [(w.start, w.end) for w in first + words]
    lost = unheard([(a, b) for a, b in voiced if start <= a and b <= end], heard)
    for a, b in lost[:MAX_RECOVERIES]:
        more = engine.transcribe_region(clip, max(start, a - LOST_MARGIN_S), min(end, b + LOST_MARGIN_S), PROMPT)
        fresh = [w for w in more if a - LOST_MARGIN_S <= w.start and w.end <= b + LOST_MARGIN_S
                 and not any(w.start < y and w.end > x for x, y in heard)]
        if fresh and not echoes_prompt(first, tuple(fresh)):
            words = tuple(sorted(words + tuple(fresh), key=lambda w: w.start))
    return words


def settled(words: tuple[Word, ...], voiced: list[tuple[float, float]]) -> bool:
    """The first pass already heard the number twice, surely, and nothing else that looks like
    digits or lost speech after the ask: a second pass would only cost time (a second on 2 cores)."""
    heard = hear(words)
    readings = heard.readings
    if most_repeated(readings) < 2:
        return False
    for r in readings:
        span = words[r.first_word : r.last_word + 1]
        if sum(w.probability for w in span) / len(span) < POLICY.settled_reading:
            return False
    inside = [(r.start, r.end) for r in readings]
    if any(len(run.digits) >= MIN_FRAGMENT_DIGITS and not any(run.digits[0].start < b and run.digits[-1].end > a
                                                               for a, b in inside) for run in heard.runs):
        return False  # digits outside the readings: a reading may be garbled
    first = min(a for a, _ in inside)
    return not [s for s in unheard(voiced, [(w.start, w.end) for w in words]) if s[1] > first]


def echoes_prompt(first: tuple[Word, ...], second: tuple[Word, ...]) -> bool:
    heard, again = hear(first).text, hear(second).text
    return any(digits in again and digits not in heard for digits in PROMPT_GROUPS)


def region(words: tuple[Word, ...], voiced: list[tuple[float, float]], duration_s: float) -> tuple[float, float] | None:
    """From just before the first number-like run of digits (or the last ask, when none was heard)
    to the end of the voice, at most 45 s."""
    heard = hear(words)
    runs = [r for r in heard.runs if len(r.digits) >= NUMBER_LIKE_DIGITS]
    cues = [words[i] for i in heard.cues]
    if runs:
        first = runs[0].digits[0].start
        # the ask just before the first digits heard: a first reading reeled off may be all lost
        ask = [w.start - BEFORE_S / 2 for w in cues if first - CUE_BEFORE_S <= w.start < first]
        start = min([first - BEFORE_S, *ask])
    elif cues:
        start = cues[-1].start - BEFORE_S / 2
    else:
        return None
    last_voice = voiced[-1][1] if voiced else words[-1].end
    end = min(duration_s, max(words[-1].end, last_voice) + AFTER_S)
    start = max(0.0, start)
    end = min(end, start + MAX_WINDOWS * WINDOW_S)
    return (start, end) if end - start > 1.0 else None
