"""The JSON contract, written out (docs/report.schema.json), checked against real output: a field
that disappears or is renamed fails here, and so does a measurement nobody documented."""

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from analyzer.measure.line import LineReading, PhoneLine
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


def test_the_phone_line_is_in_the_contract_and_its_verdict_follows_its_readings():
    """--phone-line adds the line's transcript and each reading there; the rule's finding is there exactly
    where a reading heard surely did not come through (whatever the words this CPU's kernels gave)."""
    run = subprocess.run([sys.executable, "-m", "analyzer", "analyze", str(SAMPLES / "good_espeak_us.wav"),
                          "--phone-line", "--format", "json", "--fail-on", "never"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    doc = json.loads(run.stdout)
    jsonschema.validate(doc, SCHEMA)
    f = doc["files"][0]
    line = f["measures"]["phone_line"]
    assert line["codec"] == "amr-nb" and line["text"] and line["words"]
    assert [r["digits"] for r in line["readings"]] == ["8169166141", "8169166141"]  # the script's, said twice
    lost = [r for r in line["readings"] if r["checked"] and not r["survives"]]
    found = [x for x in f["findings"] if x["name"] == "number-lost-on-phone-line"]
    assert [(x["start"], x["severity"]) for x in found] == [
        (r["start"], "error" if r["sure"] else "info") for r in lost]


def test_every_measurement_is_in_the_contract():
    for kind, name in ((Measurements, "measures"), (PhoneNumber, "phone_number"), (PhoneLine, "phone_line"),
                       (LineReading, "line_reading")):
        written = SCHEMA["$defs"][name]
        assert {f.name for f in dataclasses.fields(kind)} == set(written["properties"]) == set(written["required"])


def test_the_contract_refuses_a_renamed_field():
    doc = {"schema_version": 1, "pack": "default", "files": [{"file": "a.wav", "message": "x", "error_kind": "input"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, SCHEMA)
