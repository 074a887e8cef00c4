"""No error on a guess: how sure the transcriber must be before a word counts as evidence.

Whisper gives every word a probability. Each stage that turns a word into a verdict, or a verdict
into a doubt, asks this one policy, so the thresholds can be read, compared and tuned in one place
(tests/test_layers.py fails on a word's probability compared with a number anywhere else).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Confidence:
    """Every confidence threshold of the analysis (word probabilities, 0-1)."""

    # A recording whose words average less than this is not transcribable English (English TTS and
    # speech average 0.73 and up; German 0.45, French 0.31): an input error, no verdict (pipeline.py).
    transcribable: float = 0.55
    # A word under this may be one the transcriber split off or made up ("clinics like yours" heard
    # as "clean it like you're in", 0.13 and 0.32): the rates that count words are given as a range
    # (measure/measurements.py). On the sample corpus under the four CTranslate2 kernel sets this
    # moved a 162 wpm message measured at 174 to 157-174, and kept a 189 wpm one over 173.
    unsure_word: float = 0.35
    # A content rule's `unsure` pattern matched on words under this is a misheard phrase, not its
    # absence: the finding is a "Could not confirm" note (the pack's `unsure_below` default).
    unsure_phrase: float = 0.65
    # The first pass's readings, each heard with at least this mean confidence and the number said
    # twice, need no second pass over the number (number_pass.py): it would only cost time.
    settled_reading: float = 0.7
    # A first-pass word heard at least this surely is a word, whatever the second pass writes over it
    # (the digit prompt makes the decoder write digits over "400 customers across the region").
    sure_word: float = 0.7
    # A digit heard at least this surely is the digit said: two readings of the callback number that
    # differ in such digits differ for certain (checks/kinds.py's readings-differ); under it, a note.
    sure_digit: float = 0.7
    # A reading whose digits average under this may not be the digits said: a doubt on "no number"
    # or "said once" (measure/numbers.py).
    unsure_digits: float = 0.4
    # The words after an ask ("call me at") that hold no reading, averaging under this, may be a
    # reading garbled: a doubt too.
    unclear_ask: float = 0.6


POLICY = Confidence()
