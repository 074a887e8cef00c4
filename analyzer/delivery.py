"""How the voice sounds: pitch movement (a monotone loses the listener) and loudness.

librosa.yin is the fast estimator (0.05 s on 30 s of audio; pyin took 1.2 s). librosa is
imported here only, on first use, so start-up stays quick.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .signal import Energy

FMIN_HZ = 65.0
FMAX_HZ = 400.0
FRAME = 1024  # at 16 kHz, 64 ms: two periods of the lowest pitch
HOP = 160  # 10 ms, the same hop as signal.py


@dataclass(frozen=True)
class Delivery:
    pitch_median_hz: float | None
    pitch_variation_st: float | None  # standard deviation in semitones around the median
    loudness_dbfs: float | None  # mean level of voiced frames


def delivery(samples: np.ndarray, rate_hz: int, energy: Energy, span: tuple[float, float]) -> Delivery:
    voiced = energy.voiced
    lo, hi = (int(t / energy.hop_s) for t in span)
    in_span = np.zeros_like(voiced)
    in_span[lo : hi + 1] = True
    frames = voiced & in_span
    if frames.sum() < 10:
        return Delivery(None, None, None)
    loudness = float(np.mean(energy.db[frames]))

    import librosa

    f0 = librosa.yin(
        samples, fmin=FMIN_HZ, fmax=FMAX_HZ, sr=rate_hz, frame_length=FRAME, hop_length=HOP, center=False
    )
    # yin frames start at 0 with our hop; align the shorter of the two.
    n = min(len(f0), len(frames))
    f0 = f0[:n][frames[:n]]
    # yin answers at its bounds where there is no clear period: not a pitch.
    f0 = f0[(f0 > FMIN_HZ * 1.05) & (f0 < FMAX_HZ * 0.95)]
    if len(f0) < 10:
        return Delivery(None, None, round(loudness, 1))
    median = float(np.median(f0))
    semitones = 12 * np.log2(f0 / median)
    return Delivery(round(median, 1), round(float(np.std(semitones)), 2), round(loudness, 1))


def warm_up() -> None:
    """librosa compiles on its first call in a fresh environment (about 15 s): do it at set-up."""
    import librosa

    tone = np.sin(2 * np.pi * 150 * np.arange(16000) / 16000).astype(np.float32)
    librosa.yin(tone, fmin=FMIN_HZ, fmax=FMAX_HZ, sr=16000, frame_length=FRAME, hop_length=HOP, center=False)
