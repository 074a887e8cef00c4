"""How the voice sounds: pitch movement (a monotone loses the listener) and loudness.

Pitch comes from YIN (de Cheveigné & Kawahara, 2002), written here over numpy: librosa.yin
gives the same answer (tests/test_delivery.py compares them), but importing librosa cost
about 1.4 s in every new process, most of a short message's whole analysis.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..audio.voice import Energy

FMIN_HZ = 65.0
FMAX_HZ = 400.0
FRAME = 1024  # at 16 kHz, 64 ms: more than two periods of the lowest pitch
HOP = 160  # 10 ms, the same hop as audio/voice.py
THRESHOLD = 0.1  # YIN's absolute threshold on the normalised difference
CHUNK_FRAMES = 512  # frames per FFT batch (about 40 MB of working arrays), so long recordings stay within memory
PITCH_STRIDE = 4


@dataclass(frozen=True)
class Delivery:
    pitch_median_hz: float | None
    pitch_variation_st: float | None  # standard deviation in semitones around the median
    loudness_dbfs: float | None  # mean level of voiced frames


def delivery(samples: np.ndarray, rate_hz: int, energy: Energy, span: tuple[float, float]) -> Delivery:
    voiced = energy.voiced
    lo, hi = (int(t / energy.hop_s) for t in span)
    frames = np.zeros_like(voiced)
    frames[lo : hi + 1] = voiced[lo : hi + 1]
    if frames.sum() < 10:
        return Delivery(None, None, None)
    loudness = round(float(np.mean(energy.db[frames])), 1)
    # Pitch statistics need no 10 ms resolution: every 4th voiced frame keeps YIN cheap on long files.
    f0 = yin(samples, rate_hz, only=np.flatnonzero(frames)[::PITCH_STRIDE])
    # YIN answers at its bounds where there is no clear period: not a pitch.
    f0 = f0[(f0 > FMIN_HZ * 1.05) & (f0 < FMAX_HZ * 0.95)]
    if len(f0) < 10:
        return Delivery(None, None, loudness)
    median = float(np.median(f0))
    semitones = 12 * np.log2(f0 / median)
    return Delivery(round(median, 1), round(float(np.std(semitones)), 2), loudness)


def yin(samples: np.ndarray, rate_hz: int, *, fmin: float = FMIN_HZ, fmax: float = FMAX_HZ,
        frame: int = FRAME, hop: int = HOP, threshold: float = THRESHOLD, only: np.ndarray | None = None) -> np.ndarray:
    """Fundamental frequency per frame (frames start at 0, every `hop` samples; no centring),
    or for the frames numbered in `only` (the voiced ones: the rest need no pitch)."""
    tau_min = max(1, int(np.floor(rate_hz / fmax)))
    tau_max = min(frame - 1, int(np.ceil(rate_hz / fmin)))
    window = frame - tau_max  # the difference function integrates over this many samples
    if len(samples) < frame:
        return np.zeros(0)
    # a view: frames are copied (and widened to float64) one batch at a time; a 20-minute clip's
    # voiced frames copied at once took 250 MB
    frames = np.lib.stride_tricks.sliding_window_view(samples, frame)[::hop]
    chosen = np.arange(len(frames)) if only is None else only[only < len(frames)]
    out = np.empty(len(chosen))
    for k in range(0, len(chosen), CHUNK_FRAMES):
        batch = frames[chosen[k : k + CHUNK_FRAMES]].astype(np.float64)
        out[k : k + CHUNK_FRAMES] = _yin_frames(batch, rate_hz, window, tau_min, tau_max, threshold)
    return out


def _yin_frames(x: np.ndarray, rate_hz: int, window: int, tau_min: int, tau_max: int, threshold: float) -> np.ndarray:
    n_fft = 1 << int(np.ceil(np.log2(x.shape[1] + window)))
    spectrum = np.fft.rfft(x, n_fft, axis=1)
    head = np.fft.rfft(x[:, :window], n_fft, axis=1)
    acf = np.fft.irfft(np.conj(head) * spectrum, n_fft, axis=1)[:, : tau_max + 1]
    squares = np.cumsum(np.pad(x**2, ((0, 0), (1, 0))), axis=1)
    energy_tau = squares[:, window : window + tau_max + 1] - squares[:, : tau_max + 1]
    diff = squares[:, window : window + 1] + energy_tau - 2 * acf
    diff[:, 0] = 0
    cumulative = np.cumsum(diff[:, 1:], axis=1)
    taus = np.arange(1, tau_max + 1)
    cmnd = np.ones_like(diff)
    cmnd[:, 1:] = diff[:, 1:] * taus / np.maximum(cumulative, 1e-12)
    band = cmnd[:, tau_min : tau_max + 1]
    # the first dip under the threshold that is a local minimum, else the global minimum
    is_min = np.zeros_like(band, dtype=bool)
    is_min[:, 1:-1] = (band[:, 1:-1] <= band[:, :-2]) & (band[:, 1:-1] < band[:, 2:])
    below = is_min & (band < threshold)
    first = np.where(below.any(axis=1), below.argmax(axis=1), band.argmin(axis=1))
    tau = first + tau_min
    # parabolic interpolation around the chosen lag
    left = cmnd[np.arange(len(tau)), np.clip(tau - 1, 0, tau_max)]
    mid = cmnd[np.arange(len(tau)), tau]
    right = cmnd[np.arange(len(tau)), np.clip(tau + 1, 0, tau_max)]
    denom = left - 2 * mid + right
    shift = np.where(np.abs(denom) > 1e-12, 0.5 * (left - right) / np.where(denom == 0, 1, denom), 0.0)
    return rate_hz / (tau + np.clip(shift, -1, 1))
