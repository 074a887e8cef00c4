"""The JSON contract, written out (docs/report.schema.json), checked against real output: a field
that disappears or is renamed fails here, and so does a measurement nobody documented."""

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from analyzer.measure.measurements import Measurements
from analyzer.measure.numbers import PhoneNumber

from conftest import SAMPLES

SCHEMA = json.loads((Path(__file__).resolve().parent.parent / "docs" / "report.schema.json").read_text())


def test_real_output_keeps_the_written_contract(tmp_path):
    not_audio = tmp_path / "notes.wav"
    not_audio.write_text("call Dana back on Monday\n")
    files = [SAMPLES / "good_espeak_us.wav", SAMPLES / "once_fast_festival.ogg", not_audio]
    run = subprocess.run([sys.executable, "-m", "analyzer", "analyze", *map(str, files), "--format", "json"],
                         capture_output=True, text=True)
    assert run.returncode == 2, run.stderr  # a file could not be used
    doc = json.loads(run.stdout)
    jsonschema.validate(doc, SCHEMA)
    good, fast, bad = doc["files"]
    assert "error" not in good and fast["measures"]["phone_numbers"]
    assert bad["error_kind"] == "input" and str(not_audio) in bad["error"]


def test_every_measurement_is_in_the_contract():
    for kind, name in ((Measurements, "measures"), (PhoneNumber, "phone_number")):
        written = SCHEMA["$defs"][name]
        assert {f.name for f in dataclasses.fields(kind)} == set(written["properties"]) == set(written["required"])


def test_the_contract_refuses_a_renamed_field():
    doc = {"schema_version": 1, "pack": "default", "files": [{"file": "a.wav", "message": "x", "error_kind": "input"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, SCHEMA)
