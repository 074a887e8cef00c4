"""What a speech engine hands on: timed words."""

from __future__ import annotations

from dataclasses import dataclass


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
    regions: tuple[Region, ...] = ()  # the digit-focused second pass (engines/number_pass.py)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)
