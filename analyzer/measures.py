"""Everything numeric about a message (DESIGN section 3); units are in the names.

Works from the words alone (so every rule is testable from text) and, given the Clip, refines
the speech span, pauses and each number's span against the signal energy.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from . import phone
from .digits import EXTENSION_WORDS, digit_runs
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
# First-pass words heard at least this surely are words, whatever a second pass writes there.
SURE_PROBABILITY = 0.7
# Voiced this long with no word of either pass: speech the transcriber lost, not a pause.
LOST_SPEECH_S = 0.5
# Two readings this close (edit distance) are more likely one number misheard than two numbers.
SIMILAR_DIGITS = 4
# The words this long after an ask ("call me at") should hold a reading; heard with less mean
# confidence than this, they may be one garbled.
ASK_WINDOW_S = 5.0
UNCLEAR_PROBABILITY = 0.6
# Digits this close to a reading, making no whole number themselves, may be a reading garbled.
FRAGMENT_NEAR_S = 2.0
# A reading heard as this many words or more (digit by digit) is timed by its pace where the
# rate over its span (the definition: digits / span) differs from the pace by more than this.
PACED_MIN_WORDS = 5
PACE_AGREES = 0.05
# Digit words shorter than this (the median of a reading) were not aligned to the audio at all.
COLLAPSED_WORD_S = 0.04
# A reading's edge word longer than this many typical digits (plus slack) swallowed its neighbour.
EDGE_STRETCH = 2.0
EDGE_SLACK_S = 0.1
# How far a number's edge may move from its word times onto the voice, and how far into the
# neighbouring word's time its island may reach.
SNAP_LIMIT_S = 0.8
NEIGHBOUR_SLACK_S = 0.15
# Whisper's words start up to this long after the voice does.
WORD_LAG_S = 0.15


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
    probability: float = 1.0  # the transcriber's mean confidence in its digits


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
    voiced = voiced_spans(energy) if energy is not None else []
    if energy is not None:
        spans = _speech_spans(voiced, heard) or _word_spans(words)
    else:
        spans = _word_spans(words)
    start, end = float(spans[0][0]), float(spans[-1][1])
    # Words that start after the voice has ended are the transcriber's, not the speaker's: a
    # decode that loops piles them up at the end ("-0 -0 -0"), often with no length at all.
    words = tuple(w for w in words if w.start < end)
    spoken = max(end - start, 1e-6)
    pause_gaps = gaps(spans, min_s=PAUSE_MIN_S)
    silent_s = sum(b - a for a, b in gaps(spans, min_s=ARTICULATION_GAP_S))
    numbers, first_pass = _phone_numbers(words, transcript.regions, spans if energy is not None else None)
    doubts = _number_doubts(numbers, first_pass, words, transcript.regions, _unheard(voiced, heard))
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
    """Voiced spans that belong to words: noise, clicks and breaths away from every word drop out.
    A long voiced stretch with no words stays: speech the transcriber lost is no pause."""
    kept = []
    k = 0
    for a, b in voiced:
        while k < len(words) and words[k].end + WORD_SLACK_S < a:
            k += 1
        if k < len(words) and words[k].start - WORD_SLACK_S <= b:
            kept.append((a, b))
    lost = [s for s in _stretches(voiced) if s[1] - s[0] >= LOST_SPEECH_S]
    return sorted(set(kept) | {(a, b) for a, b in voiced if any(x <= a and b <= y for x, y in lost)})


def _stretches(voiced: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Voiced islands closer than a syllable gap joined: digits read one by one are one stretch."""
    out: list[tuple[float, float]] = []
    for a, b in voiced:
        if out and a - out[-1][1] < ARTICULATION_GAP_S:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _unheard(voiced: list[tuple[float, float]], words: tuple[Word, ...]) -> list[tuple[float, float]]:
    """Voiced stretches of LOST_SPEECH_S or more that no word of either pass covers."""
    out = []
    for a, b in _stretches(voiced):
        covered = sum(max(0.0, min(b, w.end + WORD_SLACK_S) - max(a, w.start - WORD_SLACK_S)) for w in words)
        if b - a - covered >= LOST_SPEECH_S:
            out.append((round(a, 2), round(b, 2)))
    return out


def _phone_numbers(words: tuple[Word, ...], regions: tuple[Region, ...],
                   voiced: list[tuple[float, float]] | None) -> tuple[tuple[PhoneNumber, ...], list[phone.Reading]]:
    """Readings from both passes, reconciled: in each region the pass that heard more readings,
    or on a tie the one that gave their digits more words of their own (finer times; the second
    pass where both did as well). Returns the numbers and the first pass's readings."""
    first = [(r, words) for r in phone.find_readings(words)]
    chosen = list(first)
    for region in regions:
        inside = [x for x in chosen if region.start <= x[0].start < region.end]
        second = [(r, region.words) for r in phone.find_readings(region.words)
                  if not _collapsed(region.words[r.first_word : r.last_word + 1]) and not _contradicted(r, words)]
        if second and (len(second), _words_per_reading(second)) >= (len(inside), _words_per_reading(inside)):
            chosen = sorted([x for x in chosen if all(x is not y for y in inside)] + second, key=lambda x: x[0].start)
    ids = phone.group([r for r, _ in chosen])
    agreed = {k: phone.consensus([r.digits for (r, _), i in zip(chosen, ids) if i == k]) for k in set(ids)}
    out = []
    for (reading, source), number in zip(chosen, ids):
        head, tail = _digit_edges(source[reading.first_word : reading.last_word + 1])
        previous = source[reading.first_word - 1] if reading.first_word > 0 else None
        following = source[reading.last_word + 1] if reading.last_word + 1 < len(source) else None
        start, end = head.start, tail.end
        if voiced:
            start, end = _snap_start(voiced, head, previous), _snap_end(voiced, tail, following)
            end = max(end, start)
        rate, note = None, ""
        count = _spoken_digit_count(reading.digits, agreed[number])
        span = source[reading.first_word : reading.last_word + 1]
        paced = _paced_rate(span, count)
        if paced is not None:  # the edges cannot be further from the inner digits than the pace allows
            period = (span[-1].start - span[1].start) / (len(span) - 2)
            start, end = max(start, span[1].start - period), min(end, span[-1].start + period)
        if reading.loop:
            note = "the transcriber repeated this number in a loop; counted once, not timed"
        elif _collapsed(span):
            note = "the transcriber gave these digits no time of their own; not timed"
        elif paced is not None and paced <= MAX_PLAUSIBLE_DIGITS_PER_S and not (
                end - start >= MIN_NUMBER_SPAN_S and abs(count / (end - start) / paced - 1) <= PACE_AGREES):
            rate = round(paced, 2)  # the span's edges disagree with the pace of the digits inside it
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
                probability=round(_mean_probability(source, reading), 3),
            )
        )
    return tuple(out), [r for r, _ in first]


def _contradicted(reading: phone.Reading, words: tuple[Word, ...]) -> bool:
    """A second-pass reading where the first pass confidently heard ordinary words: the prompt
    made the decoder write digits over speech that had none ("400 customers across the region")."""
    span = max(reading.end - reading.start, 1e-6)
    sure = sum(max(0.0, min(reading.end, w.end) - max(reading.start, w.start)) for w in words
               if w.probability >= SURE_PROBABILITY and not any(c.isdigit() for c in w.text))
    return sure / span > 0.5


def _words_per_reading(readings: list[tuple[phone.Reading, tuple[Word, ...]]]) -> float:
    return sum(r.last_word - r.first_word + 1 for r, _ in readings) / max(1, len(readings))


def _number_doubts(numbers: tuple[PhoneNumber, ...], first_pass: list[phone.Reading], words: tuple[Word, ...],
                   regions: tuple[Region, ...], unheard: list[tuple[float, float]]) -> tuple[tuple[str, str], ...]:
    """Why a verdict of "no number" or "said once" could be the transcriber's fault, not the rep's.

    Each doubt is evidence that a reading was said but not heard whole: the two passes disagree;
    a reading's digits were heard with low confidence; another reading differs from the callback
    number by a few digits only (one number misheard, not two numbers); digits were heard after
    the ask or beside a reading that make no whole number; speech near the number has no words.
    """
    doubts: list[tuple[str, str]] = []
    repeats = max(Counter(n.number for n in numbers).values(), default=0)
    if repeats >= 2:
        return ()
    key = "callback_repeats" if numbers else "phone_number_count"
    if regions and numbers:
        heard_first = _repeats(first_pass)
        if heard_first != repeats:
            doubts.append((key, f"the two transcription passes heard the number {heard_first} and {repeats} time(s)"))
        for region in regions:
            once = sum(region.start <= r.start < region.end for r in first_pass)
            again = len(phone.find_readings(region.words))
            if again and once != again:
                doubts.append((key, f"the two transcription passes heard {once} and {again} reading(s)"))
    if any(n.probability < LOW_PROBABILITY for n in numbers):
        doubts.append((key, "the transcriber was unsure of the number's digits"))
    callback = _callback(numbers, 0.0)[0]
    for n in numbers:
        distance = phone.distance(phone.national(n.digits), phone.national(callback or ""))
        if callback and 0 < distance <= SIMILAR_DIGITS and n.digits != callback:
            doubts.append((key, f"{n.digits} and {callback} differ in {distance} digit(s): one number misheard?"))
            break
    spans = [(n.start, n.end) for n in numbers]
    ask = next((w.start for w in words if phone.is_cue(w.text)), None)
    for source in (words, *(r.words for r in regions)):
        fragment = next((run for run in digit_runs(source) if _stray(run, source, spans, ask)), None)
        if fragment:
            doubts.append((key, f"digits were heard at {fragment.digits[0].start:.1f} s ({fragment.text}) "
                                "that make no whole number"))
            break
    after = ask if ask is not None else (spans[0][0] if spans else None)
    lost = [(a, b) for a, b in unheard if after is not None and b > after]
    if lost:
        doubts.append((key, f"speech at {lost[0][0]:.1f}-{lost[0][1]:.1f} s has no words: a reading may be lost"))
    if any(n.loop or (n.digits_per_s is None and n.note) for n in numbers):
        doubts.append((key, "the transcriber lost the timing of a reading or repeated it in a loop"))
    for cue in (w for w in words if phone.is_cue(w.text)):
        after_cue = [w for w in words if cue.end <= w.start < cue.end + ASK_WINDOW_S]
        answered = any(cue.start <= x < cue.end + ASK_WINDOW_S for x, _ in spans)
        if after_cue and not answered and sum(w.probability for w in after_cue) / len(after_cue) < UNCLEAR_PROBABILITY:
            heard = " ".join(w.text for w in after_cue[:6])
            doubts.append((key, f"after \"{cue.text}\" at {cue.start:.1f} s the words were unclear (\"{heard}\"): "
                                "a reading may have been garbled"))
            break
    return tuple(dict.fromkeys(doubts))


def _stray(run, words: tuple[Word, ...], spans: list[tuple[float, float]], ask: float | None) -> bool:
    """Digits that overlap no reading, said after the ask or close to a reading: perhaps a reading
    garbled. Not an extension ("extension 204"), and not a short number like "10 hours"."""
    a, b = run.digits[0].start, run.digits[-1].end
    first = run.digits[0].word
    if len(run.digits) < phone.MIN_FRAGMENT_DIGITS or (first > 0 and words[first - 1].text.strip(" ,.").lower()
                                                        in EXTENSION_WORDS):
        return False
    if any(a < y + 0.2 and b > x - 0.2 for x, y in spans):
        return False  # the reading itself, as the other pass heard it
    near = any(a < y + FRAGMENT_NEAR_S and b > x - FRAGMENT_NEAR_S for x, y in spans)
    return near or (ask is not None and a > ask)


def _repeats(readings: list[phone.Reading]) -> int:
    return max(Counter(phone.group(readings)).values(), default=0)


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


def _paced_rate(span: tuple[Word, ...], count: int) -> float | None:
    """Digits per second from the onsets of the inner digits, when each digit has its own word.

    The edge words are the least reliable times Whisper gives (the first absorbs the silence or
    the word before it, the last runs on), while the onsets between them keep the pace: so the
    pace is taken from the second digit's onset to the last one's, and scaled from words heard
    to the digits said (a digit the transcriber dropped leaves a longer interval, not a faster one).
    """
    if len(span) < PACED_MIN_WORDS or count > len(span) + 2:
        return None
    inner = span[-1].start - span[1].start
    if inner <= 0:
        return None
    return (len(span) - 2) / inner * count / len(span)


def _collapsed(span: tuple[Word, ...]) -> bool:
    """Most digits squeezed into no time: Whisper's alignment gave up (often on a hallucination)."""
    return len(span) >= 3 and sorted(w.end - w.start for w in span)[len(span) // 2] < COLLAPSED_WORD_S


def _digit_edges(span: tuple[Word, ...]) -> tuple[Word, Word]:
    """The first and last digit's words, each cut to a digit's length where it is much longer.

    Whisper stretches the first word of a reading back over the silence or the word before it
    ("at" and "9" heard as one long "9"), and the last one on over what follows. A digit lasts
    about as long as its neighbours; an edge word more than twice the median is cut to it.
    """
    head, tail = span[0], span[-1]
    if len(span) < 4:
        return head, tail
    durations = sorted(w.end - w.start for w in span[1:-1])
    typical = durations[len(durations) // 2]
    limit = EDGE_STRETCH * typical + EDGE_SLACK_S
    if head.end - head.start > limit:
        head = Word(head.text, head.end - typical, head.end, head.probability)
    if tail.end - tail.start > limit:
        tail = Word(tail.text, tail.start, tail.start + typical, tail.probability)
    return head, tail


def _snap_start(voiced: list[tuple[float, float]], head: Word, previous: Word | None) -> float:
    """A reading's start moved from its first word's time onto the voice.

    Word times absorb the silence before a word, end early, or run into the next word, which
    undercounted fast readings' digit rates. The edge moves to the start of the voiced island it
    falls in; an island that belongs to the neighbouring word is passed over, and where the
    island holds most of the neighbour too (speech runs on without a gap), the word time stays.
    Whisper also starts a word late: a voiced island that ends just before the word, after the
    word before it, is the first digit itself.
    """
    after = previous.end if previous else 0.0
    lagged = [a for a, b in voiced if a >= after and head.start - WORD_LAG_S <= b <= head.start]
    if lagged:
        return lagged[-1]
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


def _spoken_digit_count(digits: str, agreed: str) -> int:
    """Digits said, where the transcript shows fewer or more: a reading of a number whose readings
    agree on another length was heard with digits dropped or doubled; and a North American number
    of 9 digits is a 10-digit one missing one."""
    if len(phone.national(digits)) != len(phone.national(agreed)):
        return len(agreed)
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
