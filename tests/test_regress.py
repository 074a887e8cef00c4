"""`voicemail regress`: drift in a copy of the corpus is caught, shown, written as JUnit, re-blessed."""

import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from conftest import SAMPLES

PICK = ["good_espeak_us", "once_fast_festival", "no_number_espeak_gb"]


def voicemail(*args):
    return subprocess.run([sys.executable, "-m", "analyzer", *map(str, args)], capture_output=True, text=True,
                          env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"})


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in PICK:
        for path in SAMPLES.glob(f"{name}.*"):
            shutil.copy(path, folder / path.name)
    return folder


def edit(path, change):
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data, indent=2) + "\n")


def test_clean_corpus_passes(corpus):
    run = voicemail("regress", corpus)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "ok: 3 recordings" in run.stdout and "no drift" in run.stdout
    # progress on stderr, a line a recording in a log (CI), so a long run never looks hung
    assert run.stderr.splitlines() == [f"analysed {i} of 3: {name}" for i, name in enumerate(
        ["good_espeak_us.wav", "no_number_espeak_gb.flac", "once_fast_festival.ogg"], 1)]


def test_workers_give_the_same_verdicts_and_each_recording_its_number(corpus):
    for path in SAMPLES.glob("wrong_digit_espeak.*"):  # its expectation gives the rep's number: wrong-number fires
        shutil.copy(path, corpus / path.name)
    run = voicemail("regress", corpus, "--workers", "2")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "ok: 4 recordings" in run.stdout and "no drift" in run.stdout
    lines = [line.split(": ") for line in run.stderr.splitlines()]
    assert [count for count, _ in lines] == [f"analysed {i} of 4" for i in range(1, 5)]  # in the order they finish
    assert sorted(name for _, name in lines) == ["good_espeak_us.wav", "no_number_espeak_gb.flac",
                                                 "once_fast_festival.ogg", "wrong_digit_espeak.ogg"]


def test_flipped_rule_and_moved_measurement_are_drift(corpus, tmp_path):
    expected = corpus / "once_fast_festival.expected.json"
    edit(expected, lambda d: d["rules"].remove("number-too-fast"))
    edit(corpus / "good_espeak_us.expected.json",
         lambda d: d["measures"]["spoken_length_s"].update(value=d["measures"]["spoken_length_s"]["value"] + 2.0))
    junit = tmp_path / "out" / "junit.xml"
    junit.parent.mkdir()
    run = voicemail("regress", corpus, "--junit", junit)
    assert run.returncode == 1
    out = run.stdout
    assert "once_fast_festival.ogg" in out and "rule:number-too-fast" in out and "does not fire" in out
    assert "good_espeak_us.wav" in out and "measure:spoken_length_s" in out and "26.679 ± 0.35" in out
    assert "drift: 2 of" in out and "in 2 of 3 recordings" in out

    suite = ET.parse(junit).getroot()
    failed = [(c.get("classname"), c.get("name")) for c in suite.iter("testcase") if c.find("failure") is not None]
    assert sorted(failed) == [("good_espeak_us.wav", "measure:spoken_length_s"),
                              ("once_fast_festival.ogg", "rule:number-too-fast")]
    assert int(suite.get("tests")) > 50 and suite.get("failures") == "2"
    # the same (recording, rule) pairs every run: a stable test per pair
    names = [(c.get("classname"), c.get("name")) for c in suite.iter("testcase")]
    assert len(names) == len(set(names))


def test_update_rewrites_exactly_what_changed(corpus):
    good = corpus / "good_espeak_us.expected.json"
    fast = corpus / "once_fast_festival.expected.json"
    original_good, original_fast = json.loads(good.read_text()), json.loads(fast.read_text())
    edit(fast, lambda d: d["rules"].remove("number-too-fast"))
    edit(good, lambda d: d["measures"]["spoken_length_s"].update(value=40.0))
    edit(good, lambda d: d["measures"]["phone_numbers"][1]["digits_per_s"].update(value=9.0))
    untouched = (corpus / "no_number_espeak_gb.expected.json").read_bytes()

    run = voicemail("regress", corpus, "--update")
    assert run.returncode == 0
    assert "rule:number-too-fast" in run.stdout and "measure:spoken_length_s" in run.stdout
    assert "measure:phone_numbers[1].digits_per_s" in run.stdout
    assert "3 changes written" in run.stdout

    assert json.loads(fast.read_text()) == original_fast  # the rule is back, nothing else moved
    now = json.loads(good.read_text())
    rate, original_rate = now["measures"]["phone_numbers"][1]["digits_per_s"], \
        original_good["measures"]["phone_numbers"][1]["digits_per_s"]
    assert rate["value"] == pytest.approx(original_rate["value"], rel=0.15)  # the reading's rate as measured now
    rate.update(original_rate)  # its tolerance follows the value
    measured = now["measures"].pop("spoken_length_s")
    expected = original_good["measures"].pop("spoken_length_s")
    assert now == original_good
    assert measured["tolerance"] == expected["tolerance"]
    assert measured["value"] == pytest.approx(expected["value"], abs=0.1)  # as measured now
    assert (corpus / "no_number_espeak_gb.expected.json").read_bytes() == untouched
    assert voicemail("regress", corpus).returncode == 0


def test_without_update_expectations_are_never_touched(corpus):
    edit(corpus / "good_espeak_us.expected.json", lambda d: d["rules"].append("message-too-long"))
    before = {p.name: p.read_bytes() for p in corpus.iterdir()}
    assert voicemail("regress", corpus).returncode == 1
    assert {p.name: p.read_bytes() for p in corpus.iterdir()} == before


def test_bad_recording_is_reported_and_the_rest_still_checked(corpus, tmp_path):
    (corpus / "broken.wav").write_text("not audio at all")
    shutil.copy(corpus / "good_espeak_us.expected.json", corpus / "broken.expected.json")
    edit(corpus / "broken.expected.json", lambda d: d.update(recording="broken.wav"))
    junit = tmp_path / "j.xml"
    run = voicemail("regress", corpus, "--junit", junit)
    assert run.returncode == 1
    assert "broken.wav" in run.stdout and "could not be read as audio" in run.stdout
    assert "1 of" in run.stdout and "in 1 of 4 recordings" in run.stdout
    suite = ET.parse(junit).getroot()
    assert suite.get("errors") == "1" and suite.get("failures") == "0"
    checked = {c.get("classname") for c in suite.iter("testcase")}
    assert checked == {"broken.wav", "good_espeak_us.wav", "once_fast_festival.ogg", "no_number_espeak_gb.flac"}


def test_recording_without_expectations_is_reported_then_blessed(corpus):
    shutil.copy(SAMPLES / "telephone_mulaw.wav", corpus / "new_rep.wav")
    run = voicemail("regress", corpus)
    assert run.returncode == 1
    assert "new_rep.wav: no expectations" in run.stdout
    run = voicemail("regress", corpus, "--update")
    assert "created new_rep.expected.json" in run.stdout
    created = json.loads((corpus / "new_rep.expected.json").read_text())
    assert created["recording"] == "new_rep.wav" and created["rules"] == []
    assert created["measures"]["phone_number_count"]["value"] == 2
    assert voicemail("regress", corpus).returncode == 0


def test_unusable_corpus_exits_2(tmp_path):
    run = voicemail("regress", tmp_path / "nope")
    assert run.returncode == 2 and "is not a folder" in run.stderr and "Traceback" not in run.stderr
    run = voicemail("regress", tmp_path)
    assert run.returncode == 2 and "holds no recordings" in run.stderr
    (tmp_path / "x.expected.json").write_text("{not json")
    run = voicemail("regress", tmp_path)
    assert run.returncode == 2 and "is not a readable expectation file" in run.stderr


def test_pack_option_changes_what_is_expected(corpus, tmp_path):
    pack = tmp_path / "strict.toml"
    pack.write_text('[pack]\nextends = "default"\n[rules.message-too-long]\nmax = 20.0\n')
    run = voicemail("regress", corpus, "--pack", pack)
    assert run.returncode == 1
    assert "good_espeak_us.wav" in run.stdout and "rule:message-too-long" in run.stdout


def test_a_selection_checks_only_the_rules_it_keeps(corpus, tmp_path):
    # once_fast must fire number-not-repeated and number-too-fast; with VM103 ignored, only the rest is compared
    junit = tmp_path / "regress.xml"
    run = voicemail("regress", corpus, "--select", "VM1", "--ignore", "number-too-fast", "--junit", junit)
    assert run.returncode == 0, run.stdout
    rules = {c.get("name") for c in ET.parse(junit).getroot().iter("testcase") if c.get("name").startswith("rule:")}
    assert rules == {"rule:no-callback-number", "rule:number-not-repeated", "rule:number-not-at-end",
                     "rule:wrong-number", "rule:number-readings-differ", "rule:number-unclear",
                     "rule:number-lost-on-phone-line"}


def test_update_never_passes_a_corpus_that_lost_a_recording(corpus):
    (corpus / "good_espeak_us.wav").unlink()  # its expectation stays
    run = voicemail("regress", corpus, "--update")
    assert run.returncode == 1, run.stdout
    assert "could not be analysed" in run.stdout and "--drop-missing" in run.stdout
    assert (corpus / "good_espeak_us.expected.json").exists()
    run = voicemail("regress", corpus, "--update", "--drop-missing")  # told to drop it: it goes, and says so
    assert run.returncode == 0, run.stdout
    assert "deleted good_espeak_us.expected.json" in run.stdout
    assert not (corpus / "good_espeak_us.expected.json").exists()
    assert voicemail("regress", corpus).returncode == 0
