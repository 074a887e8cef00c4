"""The committed corpus is exactly what tools/make_samples.py builds: the generator is deterministic."""

import importlib.util
import json
import sys

import pytest

from conftest import ROOT, SAMPLES
from tools import require_tool

spec = importlib.util.spec_from_file_location("make_samples", ROOT / "tools" / "make_samples.py")
make_samples = importlib.util.module_from_spec(spec)
sys.modules["make_samples"] = make_samples  # its dataclasses look themselves up there
spec.loader.exec_module(make_samples)


@pytest.mark.parametrize("spec", make_samples.SPECS, ids=[s.name for s in make_samples.SPECS])
def test_rebuilt_recording_matches_the_committed_one(tmp_path, spec):
    for tool in ("espeak-ng", "flite", "text2wave", "ffmpeg"):
        require_tool(tool)
    built = make_samples.build(spec, tmp_path)
    assert built.read_bytes() == (SAMPLES / built.name).read_bytes()
    expected = f"{spec.name}.expected.json"
    assert json.loads((tmp_path / expected).read_text()) == json.loads((SAMPLES / expected).read_text())


def test_every_recording_has_a_spec():
    names = {s.name for s in make_samples.SPECS}
    on_disk = {p.name.split(".")[0] for p in SAMPLES.iterdir()}
    assert on_disk == names


def test_corpus_stays_small():
    assert sum(p.stat().st_size for p in SAMPLES.iterdir()) < 15 * 2**20
