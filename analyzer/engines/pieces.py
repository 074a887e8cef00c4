"""Long recordings are transcribed in pieces of two minutes, cut in silences, so that memory
stays flat however long the file is (a 12-minute file in one go took about 750 MiB more). The
features faster-whisper computes for a piece take about 1 MB a second of it: 2-minute pieces
held a 20-minute file's peak 63 MiB below 3-minute ones."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..audio.clip import SAMPLE_RATE_HZ
from ..audio.voice import frame_energy
from ..transcript import EngineInfo, Transcript, Word
from . import level, level_gain

# One piece decoded by an engine: (its samples, where it starts in seconds) -> (words, language heard).
Decode = Callable[[np.ndarray, float], tuple[list[Word], str | None]]

PIECE_S = 120.0
# Where to look for a silence before each cut, and how long a silence to find.
SEARCH_S = 20.0
QUIET_S = 0.3


def cut_points(samples: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) sample ranges covering the clip, each at most PIECE_S long, cut at the quietest moment."""
    total = len(samples)
    piece = int(PIECE_S * SAMPLE_RATE_HZ)
    if total <= piece:
        return [(0, total)]
    energy = frame_energy(samples, SAMPLE_RATE_HZ)
    width = max(1, int(QUIET_S / energy.hop_s))
    smooth = np.convolve(energy.db, np.ones(width) / width, mode="same")
    cuts, start = [], 0
    while total - start > piece:
        hi = int((start + piece) / SAMPLE_RATE_HZ / energy.hop_s)
        lo = max(int(start / SAMPLE_RATE_HZ / energy.hop_s) + 1, hi - int(SEARCH_S / energy.hop_s))
        quietest = lo + int(np.argmin(smooth[lo:hi]))
        cut = int(energy.time(quietest) * SAMPLE_RATE_HZ)
        cuts.append((start, cut))
        start = cut
    cuts.append((start, total))
    return cuts


def transcribe_in_pieces(samples: np.ndarray, decode: Decode, info: EngineInfo) -> Transcript:
    """The samples transcribed piece by piece (cut_points), each levelled as the whole clip is
    (a levelled copy of the whole clip would be one more copy in memory), words timed in the
    whole clip: the loop every engine shares."""
    words: list[Word] = []
    language = "en"
    gain = level_gain(samples) if len(samples) else 1.0
    for start, end in cut_points(samples):
        heard, said_in = decode(level(samples[start:end], gain), start / SAMPLE_RATE_HZ)
        words += heard
        language = said_in or language
    return Transcript(words=tuple(words), language=language, engine=info)
