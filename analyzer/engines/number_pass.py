"""The digit-focused second pass: the stretch where the callback number is said, transcribed again.

tiny.en's first pass, tuned for running speech, garbles numbers in ways that change the
verdict: a word between two readings heard as digits, a digit pair heard as words ("set in"),
a whole quiet reading dropped. Transcribed again on its own, levelled, without the VAD and
with a prompt that reads a number digit by digit, the same stretch comes back with every digit
as its own word and its own time. Both passes are kept; measures.py reconciles their readings.
"""

from __future__ import annotations

import dataclasses

from ..clip import SAMPLE_RATE_HZ, Clip
from ..digits import digit_runs
from ..phone import MIN_FRAGMENT_DIGITS, is_cue
from ..signal import frame_energy, voiced_spans
from ..transcript import Region, Transcript, Word
from . import WINDOW_S

# The prompt's own digits; a second pass that returns exactly them, unheard by the first, is an echo.
PROMPT = "Call me at 2 0 8, 4 7 3, 5 1 6 9. Again, 2 0 8, 4 7 3, 5 1 6 9."
PROMPT_DIGITS = "2084735169"
BEFORE_S = 1.0  # the region starts this long before the first digit heard
CUE_BEFORE_S = 8.0  # or at the ask ("call me at") this close before it
AFTER_S = 1.0  # and ends this long after the last speech
MAX_WINDOWS = 1.5  # a number said first, then a long pitch: the region stops after 45 s


def refine(engine, clip: Clip, transcript: Transcript) -> Transcript:
    """The transcript with its number region transcribed again (engines without the pass: unchanged)."""
    if not hasattr(engine, "transcribe_region"):
        return transcript
    span = region(transcript.words, clip)
    if span is None:
        return transcript
    start, end = span
    words = engine.transcribe_region(clip, start, end, PROMPT)
    heard = "".join(r.text for r in digit_runs(transcript.words))
    if PROMPT_DIGITS in "".join(r.text for r in digit_runs(words)) and PROMPT_DIGITS not in heard:
        words = ()
    return dataclasses.replace(transcript, regions=(Region(round(start, 3), round(end, 3), tuple(words)),))


def region(words: tuple[Word, ...], clip: Clip) -> tuple[float, float] | None:
    """From just before the first digits (or the last cue) to the end of the voice, at most one window."""
    runs = [r for r in digit_runs(words) if len(r.digits) >= MIN_FRAGMENT_DIGITS]
    cues = [w for w in words if is_cue(w.text)]
    if runs:
        first = runs[0].digits[0].start
        # the ask just before the first digits heard: a first reading reeled off may be all lost
        ask = [w.start for w in cues if first - CUE_BEFORE_S <= w.start < first]
        start = min([first - BEFORE_S, *ask])
    elif cues:
        start = cues[-1].start - BEFORE_S / 2
    else:
        return None
    voiced = voiced_spans(frame_energy(clip.samples, SAMPLE_RATE_HZ))
    last_voice = voiced[-1][1] if voiced else words[-1].end
    end = min(clip.duration_s, max(words[-1].end, last_voice) + AFTER_S)
    start = max(0.0, start)
    end = min(end, start + MAX_WINDOWS * WINDOW_S)
    return (start, end) if end - start > 1.0 else None
