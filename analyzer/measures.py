"""Everything numeric about a message (DESIGN section 3); units are in the names.

Works from the words alone (so every rule is testable from text) and, given the Clip, refines
the speech span, pauses and each number's span against the signal energy.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import phone
from .digits import digit_runs
from .clip import SAMPLE_RATE_HZ, Clip
from .delivery import Delivery, delivery
from .signal import frame_energy, gaps, voiced_spans
from .transcript import Region, Transcript, Word

PAUSE_MIN_S = 0.5
# Articulation rate leaves out every silence this long, not just the pauses reported.
ARTICULATION_GAP_S = 0.25
# Word start times absorb the silence before them; voiced islands this close to a word are its.
WORD_SLACK_S = 0.2
# Below this span, or above this rate, word times are too coarse to time the digits.
MIN_NUMBER_SPAN_S = 0.3
MAX_PLAUSIBLE_DIGITS_PER_S = 10.0
# Digits heard with less mean confidence than this may not be the digits said.
LOW_PROBABILITY = 0.4
# How far a number's edge may move from its word times onto the voice, and how far into the
# neighbouring word's time its island may reach.
SNAP_LIMIT_S = 0.8
NEIGHBOUR_SLACK_S = 0.15


@dataclass(frozen=True)
class Pause:
    start: float
    end: float
    duration_s: float


@dataclass(frozen=True)
class PhoneNumber:
    """One spoken occurrence of a phone number."""

    digits: str
    extension: str
    text: str  # the words it came from
    start: float
    end: float
    digit_count: int  # digits said: a 9-digit reading counts 10 (a dropped doubled digit)
    digits_per_s: float | None  # digit_count / span; None when word times are too coarse
    number: int  # which distinct number: occurrences of the same number share it
    first_word: int
    last_word: int
    loop: bool = False  # the transcriber repeated it in a loop: counted once, not timed
    note: str = ""  # why there is no rate


@dataclass(frozen=True)
class Measurements:
    duration_s: float
    speech_start_s: float
    speech_end_s: float
    spoken_length_s: float
    leading_silence_s: float
    trailing_silence_s: float
    word_count: int
    speaking_rate_wpm: float
    articulation_rate_wpm: float
    pauses: tuple[Pause, ...]
    longest_pause_s: float
    phone_numbers: tuple[PhoneNumber, ...]
    phone_number_count: int
    distinct_numbers: int
    callback_number: str | None  # the number said most often (the last said, on a tie)
    callback_repeats: int | None  # None when no number was said
    number_end_gap_s: float | None  # speech after the last reading of the callback number
    pitch_median_hz: float | None
    pitch_variation_st: float | None
    loudness_dbfs: float | None
    # What could not be confirmed: (measurement, why). A rule on a doubted measurement is not an error.
    doubts: tuple[tuple[str, str], ...] = ()

    def doubt(self, name: str) -> str:
        return next((why for measure, why in self.doubts if measure == name), "")


def measure(transcript: Transcript, clip: Clip | None = None, *, duration_s: float | None = None) -> Measurements:
    words = transcript.words
    if not words:
        raise ValueError("measure() needs at least one word")
    energy = frame_energy(clip.samples, SAMPLE_RATE_HZ) if clip is not None else None
    duration = clip.duration_s if clip is not None else (duration_s or words[-1].end)
    # The second pass's words are speech too: a reading the first pass dropped is no pause.
    heard = tuple(sorted(words + tuple(w for r in transcript.regions for w in r.words), key=lambda w: w.start))
    if energy is not None:
        spans = _speech_spans(voiced_spans(energy), heard) or _word_spans(words)
    else:
        spans = _word_spans(words)
    start, end = float(spans[0][0]), float(spans[-1][1])
    # Words that start after the voice has ended are the transcriber's, not the speaker's: a
    # decode that loops piles them up at the end ("-0 -0 -0"), often with no length at all.
    words = tuple(w for w in words if w.start < end)
    spoken = max(end - start, 1e-6)
    pause_gaps = gaps(spans, min_s=PAUSE_MIN_S)
    silent_s = sum(b - a for a, b in gaps(spans, min_s=ARTICULATION_GAP_S))
    numbers, doubts = _phone_numbers(words, transcript.regions, spans if energy is not None else None)
    callback, repeats, end_gap = _callback(numbers, end)
    # Whisper writes "816" for three spoken words: a number's digits count one word each.
    word_count = len(words) + sum(n.digit_count - (n.last_word - n.first_word + 1) for n in numbers)
    voice = (
        delivery(clip.samples, SAMPLE_RATE_HZ, energy, (start, end))
        if clip is not None and energy is not None
        else Delivery(None, None, None)
    )
    pauses = tuple(Pause(round(a, 2), round(b, 2), round(b - a, 2)) for a, b in pause_gaps)
    return Measurements(
        duration_s=round(duration, 2),
        speech_start_s=round(start, 2),
        speech_end_s=round(end, 2),
        spoken_length_s=round(spoken, 2),
        leading_silence_s=round(start, 2),
        trailing_silence_s=round(max(0.0, duration - end), 2),
        word_count=word_count,
        speaking_rate_wpm=round(word_count * 60 / spoken, 1),
        articulation_rate_wpm=round(word_count * 60 / max(spoken - silent_s, 1e-6), 1),
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
        doubts=doubts,
    )


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
    """Voiced spans that belong to words: noise, clicks and breaths away from every word drop out."""
    kept = []
    k = 0
    for a, b in voiced:
        while k < len(words) and words[k].end + WORD_SLACK_S < a:
            k += 1
        if k < len(words) and words[k].start - WORD_SLACK_S <= b:
            kept.append((a, b))
    return kept


def _phone_numbers(words: tuple[Word, ...], regions: tuple[Region, ...],
                   voiced: list[tuple[float, float]] | None) -> tuple[tuple[PhoneNumber, ...], tuple[tuple[str, str], ...]]:
    """Readings from both passes, reconciled: in each region the pass that heard more readings
    (the second, digit by digit, on a tie); where the passes disagree on how often the callback
    number was said, or heard digits but no whole number, that is a doubt, not a verdict."""
    first = [(r, words) for r in phone.find_readings(words)]
    chosen = list(first)
    doubts: list[tuple[str, str]] = []
    for region in regions:
        inside = [x for x in chosen if region.start <= x[0].start < region.end]
        second = [(r, region.words) for r in phone.find_readings(region.words)]
        if second and len(second) >= len(inside):
            chosen = sorted([x for x in chosen if all(x is not y for y in inside)] + second, key=lambda x: x[0].start)
        a, b = _repeats([r for r, _ in first]), _repeats([r for r, _ in chosen])
        if a != b and min(a, b) < 2:
            doubts.append(("callback_repeats", f"the two transcription passes heard the number {a} and {b} time(s)"))
    if not chosen:
        fragments = [r.text for ws in (words, *(r.words for r in regions)) for r in digit_runs(ws)
                     if len(r.digits) >= phone.MIN_FRAGMENT_DIGITS]
        if fragments:
            doubts.append(("phone_number_count", f"digits were heard ({', '.join(fragments[:3])}) but no whole number"))
    readings = [r for r, _ in chosen]
    ids = phone.group(readings)
    low = [r for (r, ws) in chosen if _mean_probability(ws, r) < LOW_PROBABILITY]
    if low and _repeats(readings) < 2:
        doubts.append(("callback_repeats", "the transcriber was unsure of the number's digits"))
    out = []
    for (reading, source), number in zip(chosen, ids):
        start, end = reading.start, reading.end
        if voiced:
            start, end = _snap_to_voice(voiced, source, reading.first_word, reading.last_word)
            end = max(end, start)
        rate, note = None, ""
        count = _spoken_digit_count(reading.digits)
        if reading.loop:
            note = "the transcriber repeated this number in a loop; counted once, not timed"
        elif end - start < MIN_NUMBER_SPAN_S or count / (end - start) > MAX_PLAUSIBLE_DIGITS_PER_S:
            note = "word times are too coarse to time these digits"
        else:
            rate = round(count / (end - start), 2)
        first_word, last_word = (reading.first_word, reading.last_word) if source is words else _overlapping(words, start, end)
        out.append(
            PhoneNumber(
                digits=reading.digits,
                extension=reading.extension,
                text=" ".join(w.text for w in source[reading.first_word : reading.last_word + 1]),
                start=round(start, 2),
                end=round(end, 2),
                digit_count=count,
                digits_per_s=rate,
                number=number,
                first_word=first_word,
                last_word=last_word,
                loop=reading.loop,
                note=note,
            )
        )
    return tuple(out), tuple(doubts)


def _repeats(readings: list[phone.Reading]) -> int:
    ids = phone.group(readings)
    return max((ids.count(k) for k in set(ids)), default=0)


def _mean_probability(words: tuple[Word, ...], reading: phone.Reading) -> float:
    span = words[reading.first_word : reading.last_word + 1]
    return sum(w.probability for w in span) / max(1, len(span))


def _overlapping(words: tuple[Word, ...], start: float, end: float) -> tuple[int, int]:
    """The first pass's words over a span the second pass found (for marking the transcript)."""
    inside = [i for i, w in enumerate(words) if w.start < end and w.end > start]
    if inside:
        return inside[0], inside[-1]
    nearest = min(range(len(words)), key=lambda i: abs(words[i].start - start))
    return nearest, nearest


def _snap_to_voice(voiced: list[tuple[float, float]], words: tuple[Word, ...], first: int, last: int) -> tuple[float, float]:
    """A number's span from the voice itself.

    Word times absorb the silence before a word, end early, or run into the next word, which
    undercounted fast readings' digit rates. Each edge moves to the edge of the voiced island
    it falls in; an island that belongs to the neighbouring word is passed over, and where
    the island holds most of the neighbour too (speech runs on without a gap), the word time stays.
    """
    previous = words[first - 1] if first > 0 else None
    following = words[last + 1] if last + 1 < len(words) else None
    return _snap_start(voiced, words[first], previous), _snap_end(voiced, words[last], following)


def _snap_start(voiced: list[tuple[float, float]], head: Word, previous: Word | None) -> float:
    k = next((i for i, (a, b) in enumerate(voiced) if b >= head.start), None)
    if k is None:
        return head.start
    a, b = voiced[k]
    if previous and a <= head.start and b <= previous.end + NEIGHBOUR_SLACK_S:  # the previous word's island
        k += 1
        if k == len(voiced):
            return head.start
        a, b = voiced[k]
    if a >= head.end or abs(head.start - a) > SNAP_LIMIT_S:
        return head.start
    if previous and previous.end - a > a - previous.start:  # it holds most of the previous word
        return head.start
    return a


def _snap_end(voiced: list[tuple[float, float]], tail: Word, following: Word | None) -> float:
    k = next((i for i in range(len(voiced) - 1, -1, -1) if voiced[i][0] <= tail.end), None)
    if k is None:
        return tail.end
    a, b = voiced[k]
    if following and b >= tail.end and a >= following.start - NEIGHBOUR_SLACK_S:  # the next word's island
        k -= 1
        if k < 0:
            return tail.end
        a, b = voiced[k]
    if b <= tail.start or abs(b - tail.end) > SNAP_LIMIT_S:
        return tail.end
    if following and b - following.start > following.end - b:  # it holds most of the next word
        return tail.end
    return b


def _spoken_digit_count(digits: str) -> int:
    """Digits said, where the transcript shows fewer: tiny.en often drops one of a doubled digit,
    and a North American number of 9 digits is a 10-digit one missing one."""
    return 10 if len(digits) == 9 else len(digits)


def _callback(numbers: tuple[PhoneNumber, ...], speech_end: float) -> tuple[str | None, int | None, float | None]:
    if not numbers:
        return None, None, None
    counts: dict[int, int] = {}
    last_end: dict[int, float] = {}
    for n in numbers:
        counts[n.number] = counts.get(n.number, 0) + 1
        last_end[n.number] = n.end
    best = max(counts, key=lambda k: (counts[k], last_end[k]))
    digits = phone.consensus([n.digits for n in numbers if n.number == best and not n.loop] or
                             [n.digits for n in numbers if n.number == best])
    return digits, counts[best], round(max(0.0, speech_end - last_end[best]), 2)
