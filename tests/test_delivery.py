"""Pitch (our numpy YIN) against librosa.yin and against known signals."""

import numpy as np
import pytest

from analyzer.measure.delivery import yin

SR = 16000


def glide(seconds=3.0, f_mid=150.0, depth=30.0):
    t = np.arange(int(seconds * SR)) / SR
    f = f_mid + depth * np.sin(2 * np.pi * 0.5 * t)
    phase = 2 * np.pi * np.cumsum(f) / SR
    return (np.sin(phase) + 0.4 * np.sin(2 * phase) + 0.2 * np.sin(3 * phase)).astype(np.float32), f


def test_yin_follows_a_known_glide():
    x, f = glide()
    f0 = yin(x, SR)
    truth = f[np.arange(len(f0)) * 160 + 512]  # the centre of each 1024-sample frame
    assert np.max(np.abs(f0 - truth) / truth) < 0.01


def test_yin_agrees_with_librosa():
    librosa = pytest.importorskip("librosa")
    x, _ = glide(f_mid=210.0, depth=60.0)
    ours = yin(x, SR)
    theirs = librosa.yin(x, fmin=65, fmax=400, sr=SR, frame_length=1024, hop_length=160, center=False)
    assert len(ours) == len(theirs)
    assert np.median(np.abs(ours - theirs) / theirs) < 0.005


def test_yin_on_selected_frames_equals_the_same_frames_of_all():
    x, _ = glide()
    frames = np.array([3, 50, 51, 200])
    assert np.allclose(yin(x, SR, only=frames), yin(x, SR)[frames])
