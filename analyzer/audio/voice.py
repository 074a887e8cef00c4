"""Where the voice is: RMS energy in short frames, thresholded into voiced spans; and where a
speech model hears speech (Silero VAD), for pauses under noise.

An energy threshold found 98 % of inserted silences of 0.25 s or more with about 10 ms of
boundary error, where gaps between Whisper's words found 24 %; so pauses and the speech span
come from here, cross-checked with word times in measure/measurements.py. Under noise (20 dB SNR
or less) the threshold sits near the speech's own level, so quiet word edges fall under it and
gaps of 0.3-0.4 s widened into pauses of 0.5-1.4 s; speech_spans() closes them.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

FRAME_S = 0.025
HOP_S = 0.010
# Frames this far below the loudest are silence...
RELATIVE_FLOOR_DB = 35.0
# ...and so are frames within this much of the noise floor, for recordings with background noise.
ABOVE_NOISE_DB = 12.0
# Voiced islands shorter than this are clicks, not speech.
MIN_VOICED_S = 0.04
# Frames squared at a time (8 MB of float64 at 16 kHz).
BLOCK_FRAMES = 2500


@dataclass(frozen=True)
class Energy:
    db: np.ndarray  # per frame, dBFS
    hop_s: float
    threshold_db: float

    @property
    def voiced(self) -> np.ndarray:
        return self.db > self.threshold_db

    def time(self, frame: int) -> float:
        """Centre time of a frame."""
        return frame * self.hop_s + FRAME_S / 2


def frame_energy(samples: np.ndarray, rate_hz: int) -> Energy:
    frame = max(1, round(FRAME_S * rate_hz))
    hop = max(1, round(HOP_S * rate_hz))
    if len(samples) < frame:
        samples = np.pad(samples, (0, frame - len(samples)))
    frames = np.lib.stride_tricks.sliding_window_view(samples, frame)[::hop]
    # in blocks of frames: squared in float64 all at once, a 20-minute clip's frames took 384 MB
    rms = np.concatenate([np.sqrt(np.mean(np.square(frames[i : i + BLOCK_FRAMES], dtype=np.float64), axis=1))
                          for i in range(0, len(frames), BLOCK_FRAMES)])
    db = 20 * np.log10(np.maximum(rms, 1e-10))
    loud = float(np.percentile(db, 99.5))
    noise = float(np.percentile(db, 10))
    threshold = max(loud - RELATIVE_FLOOR_DB, noise + ABOVE_NOISE_DB)
    return Energy(db=db, hop_s=hop / rate_hz, threshold_db=threshold)


def voiced_spans(energy: Energy) -> list[tuple[float, float]]:
    """(start, end) in seconds of each run of voiced frames."""
    voiced = energy.voiced.astype(np.int8)
    edges = np.diff(np.concatenate(([0], voiced, [0])))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    # A frame turns voiced when about half of it is voice, so its centre marks the edge.
    half = energy.hop_s / 2
    spans = [
        (max(0.0, float(energy.time(int(s)) - half)), float(energy.time(int(e) - 1) + half))
        for s, e in zip(starts, ends)
    ]
    return [(a, b) for a, b in spans if b - a >= MIN_VOICED_S]


def gaps(spans: list[tuple[float, float]], *, min_s: float) -> list[tuple[float, float]]:
    """Silent gaps of at least min_s between consecutive spans."""
    return [(a_end, b_start) for (_, a_end), (b_start, _) in itertools.pairwise(spans) if b_start - a_end >= min_s]


# Voiced islands closer than this are one stretch of voice (digits read one by one).
STRETCH_GAP_S = 0.25
# Word times absorb the silence around a word; voice this close to a word is its.
WORD_SLACK_S = 0.2
# A stretch of voice this long that no word covers is speech the transcriber lost, not a pause.
LOST_SPEECH_S = 0.5


def stretches(spans: list[tuple[float, float]], *, gap_s: float = STRETCH_GAP_S) -> list[tuple[float, float]]:
    """Spans (in order of start) closer than gap_s joined, overlapping ones too: digits read one by
    one are one stretch of voice."""
    out: list[tuple[float, float]] = []
    for a, b in spans:
        if out and a - out[-1][1] < gap_s:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def unheard(voiced: list[tuple[float, float]], heard: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Stretches of voice with LOST_SPEECH_S or more that no heard span (a word) covers."""
    out = []
    for a, b in stretches(voiced):
        covered = sum(max(0.0, min(b, y + WORD_SLACK_S) - max(a, x - WORD_SLACK_S)) for x, y in heard)
        if b - a - covered >= LOST_SPEECH_S:
            out.append((round(a, 2), round(b, 2)))
    return out


# Silero VAD (shipped with faster-whisper, run by onnxruntime): speech where its probability is 0.5
# or more, in runs of 40 ms or more; silences of 100 ms or more kept apart; no padding (padded, it
# found 1 of the evaluation dev half's 4 clean pauses, unpadded 3).
VAD_THRESHOLD = 0.5
VAD_MIN_SPEECH_MS = 40
VAD_MIN_SILENCE_MS = 100


def speech_spans(samples: np.ndarray, rate_hz: int) -> list[tuple[float, float]]:
    """(start, end) in seconds of each stretch Silero VAD hears as speech (samples at 16 kHz)."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps  # the engine's dependency, loaded already

    options = VadOptions(threshold=VAD_THRESHOLD, min_speech_duration_ms=VAD_MIN_SPEECH_MS,
                         min_silence_duration_ms=VAD_MIN_SILENCE_MS, speech_pad_ms=0)
    return [(c["start"] / rate_hz, c["end"] / rate_hz) for c in get_speech_timestamps(samples, options, rate_hz)]
