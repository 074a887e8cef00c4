"""Phone numbers in a transcript: every spoken occurrence, and which ones are the same number.

A run of 7 to 11 digits is a reading. Longer runs are two or more readings glued together
(the transcriber lost the word between them): they are split where the timing shows a pause
or the digits repeat. A run that repeats with no pause at all is a transcription loop and
counts once. Readings of the same number are matched with one digit of slack, since tiny.en
often drops one of a doubled digit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..transcript import Word, bare
from .digits import Digit, Run, digit_runs

MIN_DIGITS = 7
# Words that announce a number, even when none of its digits were heard.
CUE = re.compile(r"^(call|calling|reach|line|number|cell|phone|mobile|extension|dial|ring|text)$")
# Words that announce the number said again ("again", "I'll repeat that", "once more").
REPEAT = re.compile(r"^(again|repeat|repeating|once)$")
THANKS = {"thanks", "you"}
# A run of at least this many digits may be part of a number when it is said near one or after
# the ask ("10 hours" is not); a run of NUMBER_LIKE_DIGITS is part of one wherever it is said
# ("400 customers" and "2024" are not).
MIN_FRAGMENT_DIGITS = 3
NUMBER_LIKE_DIGITS = 5
MAX_DIGITS = 11
LOOP_MIN_DIGITS = 30
# Cost of a reading's length: 10 (area code + local) is the usual, 7 and 11 are complete too.
LENGTH_COST = {7: 0.3, 8: 0.9, 9: 0.6, 10: 0.0, 11: 0.3}
# A stray group of digits that belongs to no reading: a part-reading at an end of the run, or a
# word between two readings heard as digits ("once more" -> "1, 4"); longer strays cost more.
STRAY_COST = 1.0
STRAY_COST_PER_DIGIT = 0.5
MAX_MIDDLE_STRAY = 3
PAUSE_BONUS = 2.0
PAUSE_FULL_S = 0.5


@dataclass(frozen=True)
class Reading:
    """One spoken occurrence of a phone number, as found in the words."""

    digits: str
    extension: str
    first_word: int
    last_word: int
    start: float  # start of the first digit's word
    end: float  # end of the last digit's word
    loop: bool = False  # the transcriber repeated it in a loop; counted once
    probabilities: tuple[float, ...] = ()  # how sure the transcriber was of each digit (its word's probability)


def find_readings(words: tuple[Word, ...] | list[Word]) -> list[Reading]:
    return readings_of(digit_runs(words))


def readings_of(runs: list[Run]) -> list[Reading]:
    """The readings in runs of digits: each run split into the readings it holds."""
    readings: list[Reading] = []
    for run in runs:
        segments = split_run(run.digits)
        for k, (segment, loop) in enumerate(segments):
            extension = run.extension if k == len(segments) - 1 else []
            readings.append(
                Reading(
                    digits="".join(d.char for d in segment),
                    extension="".join(d.char for d in extension),
                    first_word=segment[0].word,
                    last_word=segment[-1].word,
                    start=segment[0].start,
                    end=segment[-1].end,
                    loop=loop,
                    probabilities=tuple(d.probability for d in segment),
                )
            )
    return readings


def leftovers(runs: list[Run]) -> list[list[Digit]]:
    """Digits of a glued run (longer than one reading) that the split gave to no reading, where
    there are NUMBER_LIKE_DIGITS of them or more: a reading may be hidden in them."""
    out = []
    for run in runs:
        if len(run.digits) <= MAX_DIGITS:
            continue
        segments = split_run(run.digits)
        if any(loop for _, loop in segments):
            continue  # a transcription loop stands for one reading; the rest is its repeats
        used = {id(d) for segment, _ in segments for d in segment}
        left = [d for d in run.digits if id(d) not in used]
        if len(left) >= NUMBER_LIKE_DIGITS:
            out.append(left)
    return out


def split_run(digits: list[Digit]) -> list[tuple[list[Digit], bool]]:
    """Split a run into readings; each comes with whether it stands for a transcription loop."""
    n = len(digits)
    if n < MIN_DIGITS:
        return []
    if n <= MAX_DIGITS:
        return [(digits, False)]
    text = "".join(d.char for d in digits)
    loop_period = _loop_period(text, digits)
    if loop_period:
        return [(digits[:loop_period], True)]
    bounds = _best_split(text, tuple(_gap_before(digits, i) for i in range(n)))
    return [(digits[a:b], False) for a, b in bounds if b - a >= MIN_DIGITS]


def is_cue(text: str) -> bool:
    return bool(CUE.match(bare(text)))


def repeat_cue(words: tuple[Word, ...] | list[Word], after: float) -> Word | None:
    """The first word after `after` that announces the number said again: "again" (not "thanks
    again"), "repeat", "once more", "one more time"."""
    texts = [bare(w.text) for w in words]
    for i, (word, text) in enumerate(zip(words, texts)):
        if word.start < after:
            continue
        before, following = texts[i - 1] if i else "", texts[i + 1] if i + 1 < len(texts) else ""
        if (REPEAT.match(text) and before not in THANKS) or (text == "more" and following == "time"):
            return word
    return None


def same_number(a: str, b: str) -> bool:
    """Two readings of one number: equal but for a dropped, doubled or misheard digit; a 10-digit
    reading may differ by two dropped or doubled digits ("zero zero" collapsed in one reading,
    expanded in the other), but two digits swapped for others make another number."""
    a, b = national(a), national(b)
    apart = distance(a, b)
    if apart <= 1 or (apart == 2 and len(a) != len(b) and min(len(a), len(b)) >= 9):
        return True
    # A 7-digit local reading of a 10-digit number.
    short, long_ = sorted((a, b), key=len)
    return len(short) == 7 and len(long_) >= 10 and distance(short, long_[-7:]) <= 1


def group(readings: Sequence[Reading]) -> list[int]:
    """For each reading, the index of the distinct number it belongs to (in order of first mention).

    A reading joins the first number whose every reading so far it matches, so two different
    numbers cannot be chained together through readings halfway between them.
    """
    members: list[list[str]] = []
    ids: list[int] = []
    for reading in readings:
        for k, known in enumerate(members):
            if all(same_number(reading.digits, other) for other in known):
                known.append(reading.digits)
                ids.append(k)
                break
        else:
            members.append([reading.digits])
            ids.append(len(members) - 1)
    return ids


def most_repeated(readings: Sequence[Reading]) -> int:
    """How often the number said most often was said (0 when none was)."""
    ids = group(readings)
    return max((ids.count(k) for k in set(ids)), default=0)


def consensus(readings: list[str]) -> str:
    """The digits the readings of one number agree on: the reading closest to all the others; on a
    tie, the one of a complete length (10 digits, or 7 or 11, before 8 or 9), then the longer."""
    return min(readings, key=lambda r: (sum(distance(national(r), national(o)) for o in readings),
                                        LENGTH_COST.get(len(r), 9.0), -len(r)))


def grouped(digits: str) -> str:
    """A number as people write it: 816-916-6141, 1-816-916-6141, 916-6141."""
    if len(digits) == 10:
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    if len(digits) == 11 and digits.startswith("1"):
        return f"{digits[0]}-{digits[1:4]}-{digits[4:7]}-{digits[7:]}"
    if len(digits) == 7:
        return f"{digits[:3]}-{digits[3:]}"
    return digits


def differences(said: str, own: str) -> str:
    """Where a spoken number departs from the rep's own, in words: "the 10th digit, 7 for 1"."""
    said, own = national(said), national(own)
    if len(said) != len(own):
        return f"{len(said)} digits for {len(own)}"
    apart = [(i, a, b) for i, (a, b) in enumerate(zip(said, own)) if a != b]
    if len(apart) > 2:
        return f"{len(apart)} digits differ"
    return " and ".join(f"the {ordinal(i + 1)} digit, {a} for {b}" for i, a, b in apart)


def counted(n: int, noun: str, plural: str = "") -> str:
    """"1 finding", "2 findings": a count with its noun in the right number."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def times(n: int) -> str:
    """How often, in words: "once", "twice", "3 times"."""
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


# A whole number's digits: a local number, and one with its area code (a country code left out).
WHOLE_NUMBER_DIGITS = (7, 10)


def national(digits: str) -> str:
    """Digits without the North American country code."""
    return digits[1:] if len(digits) == 11 and digits.startswith("1") else digits


def one_dropped(whole: str, other: str, *, doubled: bool = False) -> bool:
    """`other` is `whole` with one digit left out (`doubled`: only one of a doubled digit, "2 2" heard "2")."""
    return len(other) == len(whole) - 1 and any(
        whole[:i] + whole[i + 1 :] == other and (not doubled or whole[i + 1 : i + 2] == whole[i])
        for i in range(len(whole))
    )


def _gap_before(digits: list[Digit], i: int) -> float:
    if i == 0 or digits[i].word == digits[i - 1].word:
        return 0.0
    return max(0.0, digits[i].start - digits[i - 1].end)


def _loop_period(text: str, digits: list[Digit]) -> int | None:
    if len(text) < LOOP_MIN_DIGITS:
        return None
    for period in range(MIN_DIGITS, MAX_DIGITS + 1):
        same = sum(text[k] == text[k + period] for k in range(len(text) - period))
        no_pause = all(_gap_before(digits, i) < 0.15 for i in range(len(digits)))
        if same >= 0.9 * (len(text) - period) and no_pause:
            return period
    return None


def _best_split(text: str, gap_before: tuple[float, ...]) -> list[tuple[int, int]]:
    """Segment text into readings, each compared with the first, rewarding splits at pauses."""
    n = len(text)
    best_cost, best_bounds = float("inf"), [(0, n)]
    for ref_start, ref_len in ((a, k) for a in range(MAX_MIDDLE_STRAY) for k in range(MIN_DIGITS, MAX_DIGITS + 1)):
        ref = text[ref_start : ref_start + ref_len]
        cost = [float("inf")] * (n + 1)
        back = [0] * (n + 1)
        cost[0] = 0.0
        for i in range(1, n + 1):
            for j in range(max(0, i - MAX_DIGITS), i):
                if cost[j] == float("inf"):
                    continue
                length = i - j
                if length >= MIN_DIGITS:
                    step = distance(text[j:i], ref) + LENGTH_COST[length]
                elif j == 0 or i == n or length <= MAX_MIDDLE_STRAY:
                    step = STRAY_COST + STRAY_COST_PER_DIGIT * length
                else:
                    continue
                if j > 0:
                    step -= PAUSE_BONUS * min(gap_before[j], PAUSE_FULL_S) / PAUSE_FULL_S
                if cost[j] + step < cost[i]:
                    cost[i], back[i] = cost[j] + step, j
        if cost[n] < best_cost:
            bounds, i = [], n
            while i > 0:
                bounds.append((back[i], i))
                i = back[i]
            best_cost, best_bounds = cost[n], bounds[::-1]
    return best_bounds


@lru_cache(maxsize=4096)
def distance(a: str, b: str) -> int:
    """Levenshtein distance."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]
