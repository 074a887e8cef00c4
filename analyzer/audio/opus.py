"""A small Opus/WebM copy of a recording for the HTML report's player (about 2 KB a second at
16 kbit/s, plenty for a voice), so a report of a whole team stays small enough to email."""

from __future__ import annotations

import io
from fractions import Fraction

import numpy as np

from .clip import SAMPLE_RATE_HZ, Clip

BIT_RATE = 16_000
PIECE_S = 20.0


def webm_opus(clip: Clip) -> bytes:
    import av

    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format="webm") as out:
        stream = out.add_stream("libopus", rate=48_000)
        stream.bit_rate = BIT_RATE
        stream.layout = "mono"
        step = int(PIECE_S * SAMPLE_RATE_HZ)  # in pieces: one frame of a 20-minute clip, resampled, took 230 MB
        for start in range(0, len(clip.samples), step):
            piece = np.ascontiguousarray(clip.samples[start : start + step], dtype=np.float32)
            frame = av.AudioFrame.from_ndarray(piece.reshape(1, -1), format="flt", layout="mono")
            frame.sample_rate = SAMPLE_RATE_HZ
            frame.pts = start
            frame.time_base = Fraction(1, SAMPLE_RATE_HZ)
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return buffer.getvalue()
