"""The transcript as text the rules can search: normalised words, sentences, time windows."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from .transcript import Word

_KEEP = re.compile(r"[^a-z0-9'%$]+")
_SENTENCE_END = (".", "?", "!")


def normalise(text: str) -> str:
    """Lower case, punctuation to spaces; keeps apostrophes, digits, % and $."""
    return _KEEP.sub(" ", text.lower().replace("’", "'")).strip()


@dataclass(frozen=True)
class Match:
    first_word: int
    last_word: int
    text: str


@dataclass(frozen=True)
class TextIndex:
    words: tuple[Word, ...]

    @cached_property
    def _joined(self) -> tuple[str, list[int]]:
        """One normalised string, and for each of its characters the word it came from."""
        parts, owners = [], []
        for i, w in enumerate(self.words):
            token = normalise(w.text)
            if not token:
                continue
            if parts:
                parts.append(" ")
                owners.append(i)
            parts.append(token)
            owners.extend([i] * len(token))
        return "".join(parts), owners

    def search(self, pattern: re.Pattern, words: range | None = None) -> list[Match]:
        """Every match of a pattern, optionally only those lying in a range of word indices."""
        text, owners = self._joined
        out = []
        for m in pattern.finditer(text):
            if m.end() == m.start():
                continue
            first, last = owners[m.start()], owners[m.end() - 1]
            if words is None or (first in words and last in words):
                out.append(Match(first, last, m.group(0)))
        return out

    def sentence_ends(self) -> list[int]:
        """Index of the last word of each sentence."""
        ends = [i for i, w in enumerate(self.words) if w.text.rstrip("\"')”").endswith(_SENTENCE_END)]
        if not ends or ends[-1] != len(self.words) - 1:
            ends.append(len(self.words) - 1)
        return ends

    def opening(self, *, sentences: int, seconds: float) -> range:
        """Words of the first sentences or the first seconds of speech, whichever reaches further."""
        if not self.words:
            return range(0)
        ends = self.sentence_ends()
        by_sentence = ends[min(sentences, len(ends)) - 1] + 1
        limit = self.words[0].start + seconds
        by_time = sum(1 for w in self.words if w.start < limit)
        return range(0, max(by_sentence, by_time))

    def closing(self, *, seconds: float) -> range:
        if not self.words:
            return range(0)
        limit = self.words[-1].end - seconds
        first = next((i for i, w in enumerate(self.words) if w.end > limit), 0)
        return range(first, len(self.words))
