"""Digits however Whisper writes them or people say them, each with its word and its time.

tiny.en writes a phone number in shifting shapes ("816-916-6141", "(816) 916-6141", "8, 1, 6",
"4.0.2.7", "4027305108", " 816" "-916" "-6141.") and sometimes in words ("eight one six", "oh",
"double five", "triple seven", "sixty-one forty-one"). This module turns words into runs of
digits; readings.py decides which runs are phone numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum, auto
from typing import NamedTuple

from ..transcript import Word, bare

ONES = {
    "zero": 0, "oh": 0, "o": 0, "one": 1, "two": 2, "three": 3, "four": 4,
    "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
}
TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
REPEATS = {"double": 2, "triple": 3}
SCALES = {"hundred": "00", "thousand": "000"}
EXTENSION_WORDS = {"extension", "ext", "x"}
# "oh" and "o" are zero only beside other digits ("Oh, hi Jordan" is no digit).
AMBIGUOUS_ZERO = {"oh", "o"}
# The number words that are numbers in any sentence, a phone number's or not ("oh" is a zero only in one).
NUMBER_WORD_VALUES = {word: value for word, value in (ONES | TEENS | TENS).items() if word not in AMBIGUOUS_ZERO}
# "two" heard as "to" or "too": a digit only between two digits ("4 9 to 7 3 5", never "9 to 5" alone).
AMBIGUOUS_TWO = {"to", "too"}
# "one more time" and "one more, ..." between readings are words, not the digit 1.
NOT_A_DIGIT_BEFORE = {"more"}

_NUMERAL = re.compile(r"\d+(?:[-./() ]*\d+)*")
# An amount's thousands as the tokenizer splits them ("8 ,000 projects", "$1 ,200 a month").
_THOUSANDS = re.compile(r",\d{3}[.,;:!?]?")
# A clock time as Whisper writes it ("10.15", "10 .15"), or words after one ("3 30 pm").
_CLOCK = re.compile(r"(1[0-2]|0?[1-9])\.[0-5]\d")
CLOCK_WORDS = {"am", "pm", "oclock"}
_NUMERAL_WITH_O = re.compile(r"(?=[\do.-]*\d)[\do][\do.-]*")


class Kind(Enum):
    """What a word is to a number."""

    NUMERAL = auto()  # digits as written: "816", "916-6141", "73o"
    ONES = auto()  # "seven", "oh" beside digits
    TEENS = auto()  # "fourteen"
    TENS = auto()  # "sixty", waiting for its ones
    COMPOUND = auto()  # "sixty-one" as one word
    SCALE = auto()  # "hundred" right after a digit
    REPEAT = auto()  # "double", "triple"
    EXTENSION = auto()  # "extension", "ext", "x"
    MAYBE_ZERO = auto()  # "oh": a zero only beside digits
    MAYBE_TWO = auto()  # "to": a two only inside a number
    MORE = auto()  # "more": "one more time" makes the one a word
    PUNCT = auto()  # nothing but punctuation
    WORD = auto()  # anything else: ends a run


class Piece(NamedTuple):
    """A word classified: its kind, and its digits as text ("" where the kind has none)."""

    kind: Kind
    digits: str = ""


_WORD = Piece(Kind.WORD)
_SPOKEN = {Kind.NUMERAL, Kind.ONES, Kind.TEENS, Kind.TENS, Kind.COMPOUND}


@dataclass(frozen=True)
class Digit:
    char: str
    word: int  # index of the word it came from
    start: float
    end: float
    probability: float = 1.0  # how sure the transcriber was of its word


@dataclass
class Run:
    """Consecutive digits with nothing but number words or numerals between them."""

    digits: list[Digit] = field(default_factory=list)
    extension: list[Digit] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(d.char for d in self.digits)


def digit_runs(words: tuple[Word, ...] | list[Word]) -> list[Run]:
    """The runs of digits in the words, in order (numbers/heard.py reads a word list once)."""
    reader = _RunReader(words)
    for i, piece in enumerate(_resolve_ambiguous([classify(w.text) for w in words])):
        reader.read(i, piece)
    return reader.finish()


class _RunReader:
    """Reads classified words left to right: digits join the current run; "sixty" waits for its
    ones ("sixty one" -> 61); "double" for its digit; "extension" turns to the run's extension;
    any other word ends the run."""

    def __init__(self, words: tuple[Word, ...] | list[Word]):
        self.words = words
        self.runs: list[Run] = []
        self.current: Run | None = None
        self.in_extension = False
        self.repeat = 1
        self.tens: tuple[int, int] | None = None  # (value, word index)

    def read(self, i: int, piece: Piece) -> None:
        kind, digits = piece
        if kind is Kind.PUNCT:
            return
        if kind is Kind.ONES and self.tens is not None and digits != "0":
            tens, _ = self.tens
            self.tens = None
            self._emit(str(tens + int(digits)), i)  # "sixty one" -> 61
            self.repeat = 1
            return
        if kind is Kind.SCALE and not self._follows(i):
            kind = Kind.WORD
        if kind is Kind.EXTENSION and (self.current is None or not self.current.digits):
            kind = Kind.WORD
        self._flush_tens()
        if kind is Kind.NUMERAL:
            self._emit(digits[0] * self.repeat + digits[1:], i)  # "double 512" -> 5512
            self.repeat = 1
        elif kind is Kind.ONES:
            self._emit(digits * self.repeat, i)
            self.repeat = 1
        elif kind in (Kind.TEENS, Kind.COMPOUND, Kind.SCALE):
            self._emit(digits, i)
        elif kind is Kind.TENS:
            self.tens = (int(digits), i)
        elif kind is Kind.REPEAT:
            self.repeat = int(digits)
        elif kind is Kind.EXTENSION:
            self.in_extension = True
        else:
            self._end_run()

    def finish(self) -> list[Run]:
        self._flush_tens()
        self._end_run()
        return [r for r in self.runs if r.digits]

    def _emit(self, chars: str, i: int) -> None:
        if self.current is None:
            self.current = Run()
        target = self.current.extension if self.in_extension else self.current.digits
        target.extend(_spread(chars, i, self.words[i]))

    def _flush_tens(self) -> None:
        if self.tens is not None:
            value, j = self.tens
            self.tens = None
            self._emit(str(value), j)

    def _end_run(self) -> None:
        if self.current is not None:
            self.runs.append(self.current)
        self.current, self.in_extension, self.repeat = None, False, 1

    def _follows(self, i: int) -> bool:
        """A scale word ("hundred") counts only right after a digit of the current run."""
        if self.current is None:
            return False
        digits = self.current.extension if self.in_extension else self.current.digits
        return bool(digits) and digits[-1].word == i - 1


def is_amount(run: Run, words: tuple[Word, ...] | list[Word]) -> bool:
    """Digits with an amount's thousands in them ("8 ,000", "$1 ,200"): no phone digits, though
    they are read as a run (the number pass still looks there: a number may follow the amount)."""
    return any(_THOUSANDS.fullmatch(words[d.word].text.strip()) for d in run.digits)


def is_time(run: Run, words: tuple[Word, ...] | list[Word]) -> bool:
    """A clock time ("calling at 10 .15 as promised", "call me after 3 30 pm"): at most four
    digits, written as hours and minutes ("10.15", not "6.64") or followed by "am", "pm" or "o'clock"."""
    if len(run.digits) > 4:
        return False
    first, last = run.digits[0].word, run.digits[-1].word
    written = "".join(w.text.strip(" ,;:!?") for w in words[first : last + 1])
    following = re.sub(r"[^a-z]", "", words[last + 1].text.lower()) if last + 1 < len(words) else ""
    return bool(_CLOCK.fullmatch(written.rstrip("."))) or following in CLOCK_WORDS


def classify(text: str) -> Piece:
    """One word, as a number reader sees it."""
    token = bare(text)
    if not token:
        return Piece(Kind.PUNCT)
    if "$" in text or "%" in text:
        return _WORD  # money and percentages are never phone digits
    if _NUMERAL.fullmatch(token):
        return Piece(Kind.NUMERAL, re.sub(r"\D", "", token))
    if _NUMERAL_WITH_O.fullmatch(token):  # "73o": the letter o for a spoken "oh"
        return Piece(Kind.NUMERAL, re.sub(r"\D", "", token.replace("o", "0")))
    if token in AMBIGUOUS_ZERO:
        return Piece(Kind.MAYBE_ZERO, "0")
    if token in AMBIGUOUS_TWO:
        return Piece(Kind.MAYBE_TWO, "2")
    if token in ONES:
        return Piece(Kind.ONES, str(ONES[token]))
    if token in TEENS:
        return Piece(Kind.TEENS, str(TEENS[token]))
    if token in TENS:
        return Piece(Kind.TENS, str(TENS[token]))
    if token in REPEATS:
        return Piece(Kind.REPEAT, str(REPEATS[token]))
    if token in SCALES:
        return Piece(Kind.SCALE, SCALES[token])
    if token.rstrip(".") in EXTENSION_WORDS:
        return Piece(Kind.EXTENSION)
    if token in NOT_A_DIGIT_BEFORE:
        return Piece(Kind.MORE)
    parts = token.split("-")
    if len(parts) == 2 and parts[0] in TENS and parts[1] in ONES and ONES[parts[1]]:
        return Piece(Kind.COMPOUND, str(TENS[parts[0]] + ONES[parts[1]]))
    if all(p in ONES for p in parts):  # "eight-one-six"
        return Piece(Kind.NUMERAL, "".join(str(ONES[p]) for p in parts))
    return _WORD


def _resolve_ambiguous(pieces: list[Piece]) -> list[Piece]:
    out = list(pieces)
    for i, piece in enumerate(pieces):
        if piece in ((Kind.ONES, "1"), (Kind.NUMERAL, "1")) and i + 1 < len(pieces) and pieces[i + 1].kind is Kind.MORE:
            out[i] = _WORD
            continue
        if piece.kind not in (Kind.MAYBE_ZERO, Kind.MAYBE_TWO):
            continue
        before = pieces[i - 1].kind if i > 0 else None
        after = pieces[i + 1].kind if i + 1 < len(pieces) else None
        digit = before in _SPOKEN or after in _SPOKEN if piece.kind is Kind.MAYBE_ZERO else (
            before in _SPOKEN and after in _SPOKEN and _run_length(pieces, i) >= 4)
        out[i] = Piece(Kind.ONES, piece.digits) if digit else _WORD
    return out


def _run_length(pieces: list[Piece], i: int) -> int:
    """Digits in the numerals around piece i: "to" is a two inside a phone number, not in "9 to 5"."""
    total = 0
    for step in (-1, 1):
        k = i + step
        while 0 <= k < len(pieces) and pieces[k].kind in (Kind.NUMERAL, Kind.ONES, Kind.PUNCT, Kind.MAYBE_ZERO):
            kind = pieces[k].kind
            total += len(pieces[k].digits) if kind is Kind.NUMERAL else (kind is not Kind.PUNCT)
            k += step
    return total


def _spread(chars: str, index: int, word: Word) -> list[Digit]:
    """Give each digit of a word an equal share of the word's time."""
    n = len(chars)
    step = (word.end - word.start) / n
    return [Digit(c, index, word.start + k * step, word.start + (k + 1) * step, word.probability)
            for k, c in enumerate(chars)]


# A written amount: "40%", "$500", "1,200", "2.5", "10th", "5k".
_AMOUNT = re.compile(r"(\$)?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(%|st|nd|rd|th|k|m)?")
_SCALES = (10**9, 10**6, 1000, 100)  # a billion, a million, a thousand, a hundred: a word each


def said_words(text: str) -> int:
    """How many words a written word is said in: one, or an amount's ("40%": forty percent, 2;
    "$1,200": one thousand two hundred dollars, 5). Tens and ones are one word, as written ("forty-two")."""
    m = _AMOUNT.fullmatch(text.strip(" ,;:!?\"'").rstrip("."))
    if not m:
        return 1
    money, whole, decimals, suffix = m.groups()
    count = _said(int(whole.replace(",", "")))
    if decimals:
        count += len(decimals)  # "point" and each digit after it
    return count + bool(money) + (suffix in ("%", "k", "m"))


def _said(n: int) -> int:
    for scale in _SCALES:
        if n >= scale:
            return _said(n // scale) + 1 + (_said(n % scale) if n % scale else 0)
    return 1
