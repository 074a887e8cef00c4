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
class Transcript:
    words: tuple[Word, ...]
    language: str
    engine: EngineInfo

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)
