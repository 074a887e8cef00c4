"""The committed corpus is what tools/make_samples.py builds: the generator is deterministic.

The truth (timings, rules) must match exactly. The encoded bytes match exactly too, except where
the encoder itself picks CPU-specific kernels (libopus: SSE, AVX2 and AVX-512 paths round
differently): then the decoded audio must match the committed recording's to within 40 dB.
"""

import importlib.util
import json
import os
import sys

import numpy as np
import pytest

from analyzer.audio.clip import decode
from tools import require_tool

from conftest import ROOT, SAMPLES

spec = importlib.util.spec_from_file_location("make_samples", ROOT / "tools" / "make_samples.py")
make_samples = importlib.util.module_from_spec(spec)
sys.modules["make_samples"] = make_samples  # its dataclasses look themselves up there
spec.loader.exec_module(make_samples)


# Encoders whose output bytes depend on the CPU's instruction set (libopus dispatches at run time).
CPU_DEPENDENT_ENCODERS = {"opus", "webm"}


@pytest.mark.parametrize("spec", make_samples.SPECS, ids=[s.name for s in make_samples.SPECS])
def test_rebuilt_recording_matches_the_committed_one(tmp_path, spec):
    for tool in ("espeak-ng", "flite", "text2wave", "ffmpeg"):
        require_tool(tool)
    built = make_samples.build(spec, tmp_path)
    committed = SAMPLES / built.name
    if built.read_bytes() != committed.read_bytes():
        assert spec.fmt in CPU_DEPENDENT_ENCODERS, f"{built.name}: the bytes differ, and its encoder is exact"
        ours, theirs = decode(built).samples, decode(committed).samples
        assert len(ours) == len(theirs)
        error = np.sqrt(np.mean((ours - theirs) ** 2)) / np.sqrt(np.mean(theirs**2))
        assert 20 * np.log10(max(error, 1e-12)) < -40, f"{built.name}: decoded audio differs by {error:.1%}"
    expected = f"{spec.name}.expected.json"
    assert json.loads((tmp_path / expected).read_text()) == json.loads((SAMPLES / expected).read_text())


def test_every_recording_has_a_spec():
    names = {s.name for s in make_samples.SPECS}
    on_disk = {p.name.split(".")[0] for p in SAMPLES.iterdir()}
    assert on_disk == names


def test_corpus_stays_small():
    assert sum(p.stat().st_size for p in SAMPLES.iterdir()) < 15 * 2**20


# One of each kind of evaluation recording the CI machine must be able to build: a person reading
# the digits (asterisk's recordings), festival's ked and slt voices, GSM, mu-law, noise, a quiet phone.
EVAL_PICKS = ["eval_000", "eval_006", "eval_010", "eval_011", "eval_016", "eval_021"]


def _make_eval():
    spec = importlib.util.spec_from_file_location("make_eval", ROOT / "tools" / "make_eval.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", EVAL_PICKS)
def test_evaluation_truth_is_what_the_generator_builds(tmp_path, name):
    for tool in ("espeak-ng", "flite", "text2wave", "ffmpeg"):
        require_tool(tool)
    make_eval = _make_eval()
    split, spec = next((split, spec) for split, spec in make_eval.specs() if spec.name == name)
    if not make_samples.HUMAN_DIGITS.is_dir():
        message = f"{make_samples.HUMAN_DIGITS} is missing; install asterisk-core-sounds-en-wav"
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)
    built = make_eval.build(spec, tmp_path)
    committed = ROOT / "eval" / split / f"{name}.expected.json"
    assert json.loads((tmp_path / committed.name).read_text()) == json.loads(committed.read_text())
    assert decode(built).duration_s > 5


def test_evaluation_splits_are_disjoint_halves():
    dev = {p.name for p in (ROOT / "eval" / "dev").glob("*.expected.json")}
    test = {p.name for p in (ROOT / "eval" / "test").glob("*.expected.json")}
    assert len(dev) >= 40 and len(test) >= 40 and not dev & test
    for path in (ROOT / "eval" / "test").glob("*.expected.json"):
        data = json.loads(path.read_text())
        assert set(data["rules"]) <= set(data["scope"])
