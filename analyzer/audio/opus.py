"""A small Opus/WebM copy of a recording for the HTML report's player (about 2 KB a second at
16 kbit/s, plenty for a voice), so a report of a whole team stays small enough to email."""

from __future__ import annotations

import io

import numpy as np

from .clip import SAMPLE_RATE_HZ, Clip

BIT_RATE = 16_000


def webm_opus(clip: Clip) -> bytes:
    import av

    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format="webm") as out:
        stream = out.add_stream("libopus", rate=48_000)
        stream.bit_rate = BIT_RATE
        stream.layout = "mono"
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(clip.samples).reshape(1, -1), format="flt",
                                           layout="mono")
        frame.sample_rate = SAMPLE_RATE_HZ
        for packet in stream.encode(frame):
            out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return buffer.getvalue()
