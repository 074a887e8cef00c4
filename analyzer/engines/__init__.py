"""Speech engines: each turns a Clip into the same Transcript."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from ..audio.clip import Clip
from ..errors import UsageError
from ..transcript import Transcript, Word

ENGINES = ("faster-whisper", "openai-whisper")
SEED = 1234  # Whisper falls back to sampling when a decode fails; a fixed seed keeps runs identical
# Speech, digits read one by one included, needs under 6 tokens a second; a decode that loops
# runs on to Whisper's 448-token limit, several times over with the fallbacks.
TOKENS_PER_S = 6
WINDOW_S = 30
# The level every engine hears: quiet phones (-20 dBFS peak) lost whole readings to the VAD and
# the decoder. The 99.9th percentile, not the peak, so one click or a clipped burst cannot set it.
LEVEL_TARGET = 0.5
LEVEL_MAX_GAIN = 30.0


@dataclass(frozen=True)
class Decoding:
    """How the engines decode. The defaults are the product's; PARITY compares the engines."""

    # Greedy decoding (beam 1) dropped the whole second reading of the number in many test files.
    beam_size: int = 5
    compute_type: str = "int8"  # faster-whisper; openai-whisper runs float32 on the CPU
    vad: bool = True  # faster-whisper's Silero VAD: silences over 2 s dropped before decoding
    fallback: bool = True  # re-decode at higher temperatures when a decode loops or fails
    cap_tokens: bool = True  # stop a looping decode at TOKENS_PER_S
    # Each 30 s window decoded with the words of the one before as its prompt (Whisper's default).
    follow: bool = True

    def max_tokens(self, duration_s: float) -> int | None:
        return int(TOKENS_PER_S * min(duration_s, WINDOW_S)) + 30 if self.cap_tokens else None

    @property
    def temperatures(self) -> tuple[float, ...]:
        return (0.0, 0.2, 0.4, 0.6, 0.8, 1.0) if self.fallback else (0.0,)

    @property
    def region_temperatures(self) -> tuple[float, ...]:
        """The number pass falls back less far: a high temperature over digits writes random digits."""
        return self.temperatures[:3]


# The same computation on both engines: greedy, float32, no VAD (openai-whisper has none), no fallback.
PARITY = Decoding(beam_size=1, compute_type="float32", vad=False, fallback=False, cap_tokens=True)
# How the phone line's version is transcribed (pipeline.py, --phone-line): once, greedy, no fallback, as a
# phone's visual voicemail reads a message. Beam 5 with its fallbacks looped on the narrowband digits of a
# 25 s sample ("816 -816 -816 ...", 7.0 s against 1.7 s greedy, the message itself taking 1.7 s). In
# float32: with int8, that sample's line read "816, 916, 614, 1" under AVX512 and "816, I won 6" under
# GENERIC, AVX and AVX2 (and another recording differed too); in float32 both read the same under all four.
# Each window without the one before as its prompt: with it, greedy decoding carried a misread digit
# on into a loop ("1, 2, 1, 2, ..." to the token cap, in two windows: 7.2 s against 2.7 s on the sample).
LINE = Decoding(beam_size=1, fallback=False, compute_type="float32", follow=False)


def level(samples: np.ndarray, gain: float | None = None) -> np.ndarray:
    """Samples scaled so that speech peaks near LEVEL_TARGET, whatever the recording's gain
    (`gain`: the one level_gain found for the whole clip that these samples are a piece of)."""
    if len(samples) == 0:
        return samples
    return np.multiply(samples, level_gain(samples) if gain is None else gain, dtype=np.float32)


def level_gain(samples: np.ndarray) -> float:
    top = float(np.percentile(np.abs(samples), 99.9, overwrite_input=True))  # abs is a copy already
    return min(LEVEL_MAX_GAIN, LEVEL_TARGET / max(top, 1e-6))


class Engine(Protocol):
    """What the pipeline asks of a speech engine."""

    def transcribe(self, clip: Clip) -> Transcript:
        """The whole clip, transcribed with word times (the first pass)."""
        ...

    def transcribe_region(self, clip: Clip, start_s: float, end_s: float, prompt: str) -> tuple[Word, ...]:
        """The clip's stretch from start_s to end_s heard again on its own, levelled, without the VAD,
        the decoder primed with `prompt` (number_pass.py: the digits of a number, one word each);
        word times in the whole clip."""
        ...


def load_engine(name: str = "faster-whisper", model: str | None = None, *, threads: int = 0,
                decoding: Decoding = Decoding()) -> Engine:
    if name == "faster-whisper":
        from .faster_whisper import FasterWhisperEngine

        return FasterWhisperEngine(model, threads=threads, decoding=decoding)
    if name == "openai-whisper":
        from .openai_whisper import OpenAIWhisperEngine

        return OpenAIWhisperEngine(model, threads=threads, decoding=decoding)
    raise UsageError(f"Unknown engine {name!r}; choose one of: {', '.join(ENGINES)}.")
