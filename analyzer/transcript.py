"""The vocabulary every stage shares: timed words, the transcript, the number's re-heard regions.

It sits at the bottom of the stack (tests/test_layers.py): engines write it, numbers/ reads it,
measure/ and checks/ judge it, report/ carries it.
"""

from __future__ import annotations

from dataclasses import dataclass

# What Whisper writes around a word: spaces, punctuation, quotes, brackets ("(816)"), dashes ("-916").
EDGE_PUNCT = " \t\"'“”‘’,;:!?.()[]-"


@dataclass(frozen=True)
class Word:
    text: str  # as the engine wrote it, stripped of the leading space Whisper keeps
    start: float
    end: float
    probability: float = 1.0


@dataclass(frozen=True)
class EngineInfo:
    name: str  # "faster-whisper"
    model: str  # "tiny.en" or a directory
    settings: tuple[tuple[str, object], ...] = ()


@dataclass(frozen=True)
class Region:
    """A stretch where a number is said, transcribed a second time, digit by digit."""

    start: float
    end: float
    words: tuple[Word, ...]


@dataclass(frozen=True)
class Transcript:
    words: tuple[Word, ...]
    language: str
    engine: EngineInfo
    regions: tuple[Region, ...] = ()  # the digit-focused second pass (number_pass.py)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def bare(text: str) -> str:
    """A word as the rules compare it: lower case, without what Whisper writes around it."""
    return text.strip(EDGE_PUNCT).lower()
