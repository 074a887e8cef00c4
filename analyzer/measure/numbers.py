"""Phone numbers as measured: every reading with its span and digit rate, the callback number,
and what a verdict on them could not confirm.

What was said comes from numbers/ (both transcription passes read and reconciled there); this
module times it: each reading's span moves from the word times onto the voice (the signal's voiced
islands), and says where the readings are in doubt.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ..confidence import POLICY
from ..numbers import readings
from ..numbers.digits import EXTENSION_WORDS, Run, is_amount, is_time
from ..numbers.heard import hear
from ..numbers.reconcile import collapsed, reconcile
from ..transcript import Region, Word, bare

# Below this span, or above this rate, word times are too coarse to time the digits.
MIN_NUMBER_SPAN_S = 0.3
MAX_PLAUSIBLE_DIGITS_PER_S = 10.0
# Two readings this close (edit distance) are more likely one number misheard than two numbers.
SIMILAR_DIGITS = 4
# The words this long after an ask ("call me at") should hold a reading (POLICY.unclear_ask).
ASK_WINDOW_S = 5.0
# Unclear words shorter than this cannot hide a reading (7 digits at 7 a second): a "Thanks." heard
# unsure after "the number that came up on your phone." leaves the absence of a number certain.
HIDDEN_READING_S = 1.0
# The words of an ask itself ("give me a call back at", "my direct line is"); of the words after them, the
# first ANSWER_WORDS are where the number is said.
ASK_WORDS = {"me", "us", "back", "at", "on", "is", "a", "call", "give", "reach", "my", "our", "number", "direct",
             "line", "cell", "phone", "mobile", "that's", "it's", "again", "please", "you", "can"}
ANSWER_WORDS = 3
# The word after a cue that makes it an ask for a call back at a number.
ASK_SHAPE = {"me", "us", "back", "at", "on", "is"}
# An unclear number is quoted by this many words, from its ask on.
HEARD_WORDS = 10
# The same word this many times in a row is the decoder looping.
LOOP_WORDS = 6
# Digits this close to a reading, making no whole number themselves, may be a reading garbled.
FRAGMENT_NEAR_S = 2.0
# A reading heard as this many words or more (digit by digit) is timed by its pace where the
# rate over its span (the definition: digits / span) differs from the pace by more than this.
PACED_MIN_WORDS = 5
PACE_AGREES = 0.05
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
    digit_probabilities: tuple[float, ...] = ()  # and in each digit (its word's probability)


@dataclass(frozen=True)
class UnclearNumber:
    """Where the rep asked for a call back and spoke, but no reading of a number could be made out."""

    ask: str  # the word that asked ("call", "reach", "number")
    heard: str  # what the transcriber made of it and the words after it
    start: float  # the stretch after the ask
    end: float
    why: str  # what says a number was spoken there: digits that make none, unclear words, voice with no words


def find(words: tuple[Word, ...], regions: tuple[Region, ...],
         voiced: list[tuple[float, float]] | None) -> tuple[PhoneNumber, ...]:
    """The readings of both passes, reconciled (numbers/reconcile.py), each timed: its span moved
    from the word times onto the voice, and its digit rate."""
    out = []
    for chosen in reconcile(words, regions):
        reading, source, number, agreed = chosen.reading, chosen.source, chosen.number, chosen.agreed
        span = source[reading.first_word : reading.last_word + 1]
        head, tail = _digit_edges(span)
        previous = source[reading.first_word - 1] if reading.first_word > 0 else None
        following = source[reading.last_word + 1] if reading.last_word + 1 < len(source) else None
        start, end = head.start, tail.end
        if voiced:
            start, end = _snap_start(voiced, head, previous), _snap_end(voiced, tail, following)
            end = max(end, start)
        rate, note = None, ""
        count = _spoken_digit_count(reading.digits, agreed)
        paced = _paced_rate(span, count)
        if paced is not None:  # the edges cannot be further from the inner digits than the pace allows
            period = (span[-1].start - span[1].start) / (len(span) - 2)
            start, end = max(start, span[1].start - period), min(end, span[-1].start + period)
        if reading.loop:
            note = "the transcriber repeated this number in a loop; counted once, not timed"
        elif collapsed(span):
            note = "the transcriber gave these digits no time of their own; not timed"
        elif paced is not None and paced <= MAX_PLAUSIBLE_DIGITS_PER_S and not (
                end - start >= MIN_NUMBER_SPAN_S and abs(count / (end - start) / paced - 1) <= PACE_AGREES):
            rate = round(paced, 2)  # the span's edges disagree with the pace of the digits inside it
        elif end - start < MIN_NUMBER_SPAN_S or count / (end - start) > MAX_PLAUSIBLE_DIGITS_PER_S:
            note = "word times are too coarse to time these digits"
        else:
            rate = round(count / (end - start), 2)
        if source is words:
            first_word, last_word = reading.first_word, reading.last_word
        else:
            first_word, last_word = _overlapping(words, start, end)
        out.append(
            PhoneNumber(
                digits=reading.digits,
                extension=reading.extension,
                text=" ".join(w.text for w in span),
                start=round(start, 2),
                end=round(end, 2),
                digit_count=count,
                digits_per_s=rate,
                number=number,
                first_word=first_word,
                last_word=last_word,
                loop=reading.loop,
                note=note,
                probability=round(sum(w.probability for w in span) / len(span), 3),
                digit_probabilities=tuple(round(p, 3) for p in reading.probabilities),
            )
        )
    return tuple(out)


def unclear(numbers: tuple[PhoneNumber, ...], words: tuple[Word, ...], regions: tuple[Region, ...],
            unheard: list[tuple[float, float]]) -> UnclearNumber | None:
    """The first ask ("call me at") after which speech was heard but no reading made out: digits
    that make no whole number; words the transcriber was unsure of, over long enough to hold a
    reading (HIDDEN_READING_S); a word heard very unsure where the number should be, right after
    the ask ("call me back at $25.", a number reeled off in a blur); or that long a voice it gave
    no words. None once any reading was made out, and where the words after every ask are clear
    ("call me back at the number on your screen"): the absence of a number is then certain. A
    prospect's phone, transcribing the message, would not make such a number out either."""
    if numbers:
        return None
    sources = (words, *(r.words for r in regions))
    times = _times(sources)
    for cue in asks(words):
        a, b = cue.end, cue.end + ASK_WINDOW_S
        after = _after(cue, words)
        heard = " ".join(w.text.strip() for w in [cue, *after][:HEARD_WORDS])
        run = next((run for source in sources for run in hear(source).runs
                    if a <= run.digits[0].start < b and _stray(run, source, [], a, times)), None)
        if run is not None:
            why = f"the digits heard ({run.text.strip()}) make no whole number"
            return UnclearNumber(cue.text.strip(), heard, round(a, 2), round(run.digits[-1].end, 2), why)
        if _unclear_words(after):
            why = "the transcriber was unsure of the words"
            return UnclearNumber(cue.text.strip(), heard, round(a, 2), round(after[-1].end, 2), why)
        answer = [w for w in after if bare(w.text) not in ASK_WORDS][:ANSWER_WORDS]
        unsure = next((w for w in answer if w.probability < POLICY.unsure_word), None)
        if unsure is not None:  # a number reeled off in a blur: "call me back at $25." (0.12)
            why = f"\"{unsure.text.strip()}\" was heard unsure where the number should be"
            return UnclearNumber(cue.text.strip(), heard, round(a, 2), round(unsure.end, 2), why)
        lost = [(x, y) for x, y in unheard if a <= x < b]
        if sum(y - x for x, y in lost) >= HIDDEN_READING_S:
            why = f"the voice at {lost[0][0]:.1f}-{lost[-1][1]:.1f} s has no words"
            return UnclearNumber(cue.text.strip(), heard, round(lost[0][0], 2), round(lost[-1][1], 2), why)
    return None


def asks(words: tuple[Word, ...]) -> list[Word]:
    """The words that ask for a call back at a number: a cue followed by the shape of an ask ("call
    me", "reach us", "call back", "line is", "number at"). Not an extension's aside, not the rep's
    "calling" or "call from" (a garbled "calling from"), not "I'll call you at 2 15"."""
    texts = [bare(w.text) for w in words]
    return [words[i] for i in hear(words).cues
            if texts[i] not in EXTENSION_WORDS | {"calling"} and i + 1 < len(words) and texts[i + 1] in ASK_SHAPE]


def doubts(numbers: tuple[PhoneNumber, ...], words: tuple[Word, ...], regions: tuple[Region, ...],
           unheard: list[tuple[float, float]]) -> tuple[tuple[str, str], ...]:
    """Why a verdict of "no number" or "said once" could be the transcriber's fault, not the rep's.

    Each doubt is evidence that a reading was said but not heard whole: the two passes disagree;
    a reading's digits were heard with low confidence; another reading differs from the callback
    number by a few digits only (one number misheard, not two numbers); digits were heard after
    the ask or beside a reading, or five anywhere, that make no whole number; speech after the ask
    has no words; a reading was looped or left untimed; the second pass looped over words; the
    words right after the ask were unclear.
    """
    found: list[tuple[str, str]] = []
    repeats = max(Counter(n.number for n in numbers).values(), default=0)
    if repeats >= 2:
        return ()
    key = "callback_repeats" if numbers else "phone_number_count"
    first_pass = hear(words).readings
    if regions and numbers:
        heard_first = readings.most_repeated(first_pass)
        if heard_first != repeats:
            found.append((key, f"the two transcription passes heard the number {readings.times(heard_first)} and "
                                f"{readings.times(repeats)}"))
        for region in regions:
            heard = hear(region.words).readings
            once = sum(region.start <= r.start < region.end for r in first_pass)
            again = len(heard)
            if again and once != again:
                heard_again = readings.counted(again, "reading")
                found.append((key, f"the two transcription passes heard {once} and {heard_again}"))
    if any(n.probability < POLICY.unsure_digits for n in numbers):
        found.append((key, "the transcriber was unsure of the number's digits"))
    said = callback(numbers, 0.0)[0]
    for n in numbers:
        apart = readings.distance(readings.national(n.digits), readings.national(said or ""))
        if said and 0 < apart <= SIMILAR_DIGITS and n.digits != said:
            found.append((key, f"{n.digits} and {said} differ in {readings.counted(apart, 'digit')}: "
                               "one number misheard?"))
            break
    spans = [(n.start, n.end) for n in numbers]
    sources = (words, *(r.words for r in regions))
    times = _times(sources)
    cues = [words[i] for i in hear(words).cues]
    ask = cues[0].start if cues else None
    for source in sources:
        fragment = next((run for run in hear(source).runs if _stray(run, source, spans, ask, times)), None)
        if fragment:
            found.append((key, f"digits were heard at {fragment.digits[0].start:.1f} s ({fragment.text}) "
                                "that make no whole number"))
            break
    for source in sources:
        left = next(iter(hear(source).leftovers), None)
        if left:
            found.append((key, f"digits heard at {left[0].start:.1f} s ({''.join(d.char for d in left)}) were left "
                                "over beside a reading: another reading may be hidden in them"))
            break
    after = ask if ask is not None else (spans[0][0] if spans else None)
    lost = [(a, b) for a, b in unheard if after is not None and b > after]
    if after is None:  # nothing asked, nothing read: the transcriber may have dropped the rest of the message
        lost = [(a, b) for a, b in unheard if b - a >= HIDDEN_READING_S]
    if lost:
        found.append((key, f"speech at {lost[0][0]:.1f}-{lost[0][1]:.1f} s has no words: a reading may be lost"))
    if any(n.loop or (n.digits_per_s is None and n.note) for n in numbers):
        found.append((key, "the transcriber lost the timing of a reading or repeated it in a loop"))
    looped = next((r for r in regions if _word_loop(r.words)), None)
    if looped:
        found.append((key, f"the second pass repeated one word over and over between {looped.start:.1f} and "
                           f"{looped.end:.1f} s, where a reading may be"))
    for cue in (w for w in cues if bare(w.text) not in EXTENSION_WORDS):
        after_cue = _after(cue, words)
        answered = any(cue.start <= x < cue.end + ASK_WINDOW_S for x, _ in spans)
        if not answered and _unclear_words(after_cue):
            unclear = " ".join(w.text for w in after_cue[:6])
            found.append((key, f"after \"{cue.text}\" at {cue.start:.1f} s the words were unclear (\"{unclear}\"): "
                                "a reading may have been garbled"))
            break
    if numbers and after is not None:  # "again" is evidence of a reading missed only beside one heard
        repeat = readings.repeat_cue(words, after)
        if repeat is not None:
            found.append((key, f"\"{repeat.text.strip(' ,.')}\" at {repeat.start:.1f} s announces the number "
                                "once more: a reading may not have been heard"))
    return tuple(dict.fromkeys(found))


def _after(cue: Word, words: tuple[Word, ...]) -> list[Word]:
    """The words an ask is answered by: those starting within ASK_WINDOW_S after it."""
    return [w for w in words if cue.end <= w.start < cue.end + ASK_WINDOW_S]


def _unclear_words(after: list[Word]) -> bool:
    """Words the transcriber was unsure of (POLICY.unclear_ask), over long enough to hide a reading."""
    room = after[-1].end - after[0].start if after else 0.0
    return room >= HIDDEN_READING_S and sum(w.probability for w in after) / len(after) < POLICY.unclear_ask


def _times(sources: tuple[tuple[Word, ...], ...]) -> list[tuple[float, float]]:
    """Where either pass heard a clock time ("2 .15"): the other pass's "2 15" there is no garbled reading."""
    return [(run.digits[0].start, run.digits[-1].end) for source in sources for run in hear(source).runs
            if is_time(run, source)]


def _stray(run: Run, words: tuple[Word, ...], spans: list[tuple[float, float]], ask: float | None,
           times: list[tuple[float, float]]) -> bool:
    """Digits that overlap no reading, said after the ask or close to a reading, or long enough to be
    part of a phone number wherever they are: perhaps a reading garbled. Not an extension
    ("extension 204"), not an amount ("8 ,000 projects"), not a time ("at 10 .15"), and not a short
    number like "10 hours"."""
    a, b = run.digits[0].start, run.digits[-1].end
    first = run.digits[0].word
    if len(run.digits) < readings.MIN_FRAGMENT_DIGITS or is_amount(run, words) or is_time(run, words) or (
            first > 0 and bare(words[first - 1].text) in EXTENSION_WORDS):
        return False
    if any(a < y + 0.2 and b > x - 0.2 for x, y in spans + times):
        return False  # the reading itself (or a time), as the other pass heard it
    near = any(a < y + FRAGMENT_NEAR_S and b > x - FRAGMENT_NEAR_S for x, y in spans)
    return near or (ask is not None and a > ask) or len(run.digits) >= readings.NUMBER_LIKE_DIGITS


def _word_loop(words: tuple[Word, ...]) -> bool:
    """The same word LOOP_WORDS times in a row: the decoder looped ("blip, blip, blip, ...")."""
    texts = [bare(w.text) for w in words]
    return any(len(set(texts[i : i + LOOP_WORDS])) == 1 for i in range(len(texts) - LOOP_WORDS + 1))


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
    if len(readings.national(digits)) != len(readings.national(agreed)):
        return len(agreed)
    return 10 if len(digits) == 9 else len(digits)


def callback_number(numbers: Sequence[PhoneNumber]) -> tuple[int, list[PhoneNumber]] | None:
    """Which distinct number is the callback number, and its readings: the one said most often, on a
    tie the one said last (None when no number was said)."""
    if not numbers:
        return None
    said: dict[int, list[PhoneNumber]] = {}
    for n in numbers:
        said.setdefault(n.number, []).append(n)
    best = max(said, key=lambda k: (len(said[k]), said[k][-1].end))
    return best, said[best]


def callback(numbers: tuple[PhoneNumber, ...], speech_end: float) -> tuple[str | None, int | None, float | None]:
    found = callback_number(numbers)
    if found is None:
        return None, None, None
    _, said = found
    digits = readings.consensus([n.digits for n in said if not n.loop] or [n.digits for n in said])
    return digits, len(said), round(max(0.0, speech_end - said[-1].end), 2)
