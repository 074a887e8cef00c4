"""The transcript as a person should read it: a phone number shown once, grouped, not the
transcriber's pieces (" 816" "-916" "-614" "-1" reads "816-916-6141")."""

from __future__ import annotations

from ..numbers.readings import grouped

_END = ".,;:?!"


def shown(texts: list[str], readings: list[tuple[int, int, str, str]]) -> list[str]:
    """Each word's text as shown; `readings`: (first word, last word, digits, extension) of each
    phone number read. A reading's first word shows the number, its other words are left empty
    (a renderer skips them), so the words keep their places for marks and times."""
    out = list(texts)
    for first, last, digits, extension in readings:
        if not 0 <= first <= last < len(out):
            continue
        tail = out[last][-1] if out[last] and out[last][-1] in _END else ""
        out[first] = grouped(digits) + (f" ext. {extension}" if extension else "") + tail
        for i in range(first + 1, last + 1):
            out[i] = ""
    return out
