"""Digits however Whisper writes them or people say them, each with its word and its time.

tiny.en writes a phone number in shifting shapes ("816-916-6141", "(816) 916-6141", "8, 1, 6",
"4.0.2.7", "4027305108", " 816" "-916" "-6141.") and sometimes in words ("eight one six", "oh",
"double five", "triple seven", "sixty-one forty-one"). This module turns words into runs of
digits; phone.py decides which runs are phone numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..engines.transcript import Word

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
# A word classified: its kind, and a value whose type follows the kind ("numeral": its digits as
# text, "ones": an int, "word": None, ...).
Piece = tuple[str, Any]
SCALES = {"hundred": "00", "thousand": "000"}
EXTENSION_WORDS = {"extension", "ext", "x"}
# "oh" and "o" are zero only beside other digits ("Oh, hi Jordan" is no digit).
AMBIGUOUS_ZERO = {"oh", "o"}
# "two" heard as "to" or "too": a digit only between two digits ("4 9 to 7 3 5", never "9 to 5" alone).
AMBIGUOUS_TWO = {"to", "too"}
# "one more time" and "one more, ..." between readings are words, not the digit 1.
NOT_A_DIGIT_BEFORE = {"more"}

_NUMERAL = re.compile(r"\d+(?:[-./() ]*\d+)*")
_NUMERAL_WITH_O = re.compile(r"(?=[\do.-]*\d)[\do][\do.-]*")
_EDGE_PUNCT = " \t\"'“”‘’,;:!?.()[]-"


@dataclass(frozen=True)
class Digit:
    char: str
    word: int  # index of the word it came from
    start: float
    end: float


@dataclass
class Run:
    """Consecutive digits with nothing but number words or numerals between them."""

    digits: list[Digit] = field(default_factory=list)
    extension: list[Digit] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(d.char for d in self.digits)


def digit_runs(words: tuple[Word, ...] | list[Word]) -> list[Run]:
    pieces = [_classify(w.text) for w in words]
    pieces = _resolve_ambiguous(pieces)
    runs: list[Run] = []
    current: Run | None = None
    in_extension = False
    pending_repeat = 1
    pending_tens: tuple[int, int] | None = None  # (value, word index)

    def emit(chars: str, i: int) -> None:
        nonlocal current
        if current is None:
            current = Run()
        target = current.extension if in_extension else current.digits
        target.extend(_spread(chars, i, words[i]))

    def flush_tens() -> None:
        nonlocal pending_tens
        if pending_tens is not None:
            value, j = pending_tens
            pending_tens = None
            emit(str(value), j)

    for i, piece in enumerate(pieces):
        kind, value = piece
        if kind == "numeral":
            flush_tens()
            emit(value[0] * pending_repeat + value[1:], i)  # "double 512" -> 5512
            pending_repeat = 1
        elif kind == "ones":
            if pending_tens is not None and value != 0:
                tens, _j = pending_tens
                pending_tens = None
                emit(str(tens + value), i)  # "sixty one" -> 61
            else:
                flush_tens()
                emit(str(value) * pending_repeat, i)
            pending_repeat = 1
        elif kind == "teens":
            flush_tens()
            emit(str(value), i)
        elif kind == "tens":
            flush_tens()
            pending_tens = (value, i)
        elif kind == "compound":  # "sixty-one", written as one word
            flush_tens()
            emit(value, i)
        elif kind == "scale" and current is not None and _last_word(current, in_extension) == i - 1:
            flush_tens()
            emit(value, i)
        elif kind == "repeat":
            flush_tens()
            pending_repeat = value
        elif kind == "extension" and current is not None and current.digits:
            flush_tens()
            in_extension = True
        elif kind == "punct":
            continue
        else:
            flush_tens()
            if current is not None:
                runs.append(current)
            current, in_extension, pending_repeat = None, False, 1
    flush_tens()
    if current is not None:
        runs.append(current)
    return [r for r in runs if r.digits]


def _classify(text: str) -> Piece:
    raw = text.strip()
    token = raw.strip(_EDGE_PUNCT).lower()
    if not token:
        return ("punct", None)
    if "$" in raw or "%" in raw:
        return ("word", None)  # money and percentages are never phone digits
    if _NUMERAL.fullmatch(token):
        return ("numeral", re.sub(r"\D", "", token))
    if _NUMERAL_WITH_O.fullmatch(token):  # "73o": the letter o for a spoken "oh"
        return ("numeral", re.sub(r"\D", "", token.replace("o", "0")))
    if token in AMBIGUOUS_ZERO:
        return ("maybe-zero", 0)
    if token in AMBIGUOUS_TWO:
        return ("maybe-two", 2)
    if token in ONES:
        return ("ones", ONES[token])
    if token in TEENS:
        return ("teens", TEENS[token])
    if token in TENS:
        return ("tens", TENS[token])
    if token in REPEATS:
        return ("repeat", REPEATS[token])
    if token in SCALES:
        return ("scale", SCALES[token])
    if token.rstrip(".") in EXTENSION_WORDS:
        return ("extension", None)
    if token in NOT_A_DIGIT_BEFORE:
        return (token, None)
    parts = token.split("-")
    if len(parts) == 2 and parts[0] in TENS and parts[1] in ONES and ONES[parts[1]]:
        return ("compound", str(TENS[parts[0]] + ONES[parts[1]]))
    if all(p in ONES for p in parts):  # "eight-one-six"
        return ("numeral", "".join(str(ONES[p]) for p in parts))
    return ("word", None)


def _resolve_ambiguous(pieces: list[Piece]) -> list[Piece]:
    numeric = {"numeral", "ones", "teens", "tens", "compound"}
    out = list(pieces)
    for i, (kind, value) in enumerate(pieces):
        if (kind, value) in (("ones", 1), ("numeral", "1")) and i + 1 < len(pieces) and pieces[i + 1] == ("more", None):
            out[i] = ("word", None)
            continue
        if kind not in ("maybe-zero", "maybe-two"):
            continue
        before = pieces[i - 1][0] if i > 0 else None
        after = pieces[i + 1][0] if i + 1 < len(pieces) else None
        digit = before in numeric or after in numeric if kind == "maybe-zero" else (
            before in numeric and after in numeric and _run_length(pieces, i) >= 4)
        out[i] = ("ones", value) if digit else ("word", None)
    return out


def _run_length(pieces: list[Piece], i: int) -> int:
    """Digits in the numerals around piece i: "to" is a two inside a phone number, not in "9 to 5"."""
    total = 0
    for step in (-1, 1):
        k = i + step
        while 0 <= k < len(pieces) and pieces[k][0] in ("numeral", "ones", "punct", "maybe-zero"):
            total += len(pieces[k][1]) if pieces[k][0] == "numeral" else (pieces[k][0] != "punct")
            k += step
    return total


def _spread(chars: str, index: int, word: Word) -> list[Digit]:
    """Give each digit of a word an equal share of the word's time."""
    n = len(chars)
    step = (word.end - word.start) / n
    return [Digit(c, index, word.start + k * step, word.start + (k + 1) * step) for k, c in enumerate(chars)]


def _last_word(run: Run, in_extension: bool) -> int:
    digits = run.extension if in_extension else run.digits
    return digits[-1].word if digits else -2
