"""The rep's own callback number as a person types it. One rule for the three places it is given
(the command line's --number, a pack's `number`, the practice page's script card), so none of them
takes what another refuses."""

from __future__ import annotations

import re

from ..errors import UsageError

# What people type around the digits: "816-916-6141", "(816) 916-6141", "816.916.6141", "+1 816 916 6141".
SEPARATORS = re.compile(r"[\s().+-]")
FORM = ("10 digits with the area code, as in 816-916-6141 (spaces, dashes, dots, brackets "
        "and a leading 1 or +1 are fine)")


class NumberError(UsageError):
    """A callback number that is not one (exit code 2)."""


def own_number(text: str, *, where: str) -> str:
    """The number's 10 digits (a North American number, its area code included: a 7-digit local
    number cannot be told from a wrong one). `where` names the place it was given, for the
    sentence that refuses it."""
    digits = SEPARATORS.sub("", text)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    country = "+" not in text or (text.lstrip().startswith("+1") and text.count("+") == 1)  # + only before 1
    if not (country and digits.isascii() and digits.isdigit() and len(digits) == 10):
        raise NumberError(f"{where}: {text!r} is not a callback number; write {FORM}.")
    return digits
