"""Speech engines: each turns a Clip into a Transcript."""

from __future__ import annotations

from typing import Protocol

from ..clip import Clip
from ..errors import UsageError
from ..transcript import Transcript

ENGINES = ("faster-whisper",)


class Engine(Protocol):
    def transcribe(self, clip: Clip) -> Transcript: ...


def load_engine(name: str = "faster-whisper", model: str | None = None, *, threads: int = 0) -> Engine:
    if name == "faster-whisper":
        from .faster_whisper import FasterWhisperEngine

        return FasterWhisperEngine(model, threads=threads)
    raise UsageError(f"Unknown engine {name!r}; choose one of: {', '.join(ENGINES)}.")
