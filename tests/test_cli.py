"""The `voicemail` program as a user runs it: JSON contract, terminal report, exit codes, rules."""

import json
import os
import re
import subprocess
import sys
import time

import pytest

from conftest import SAMPLES

GOOD = SAMPLES / "good_espeak_us.wav"
FAST_ONCE = SAMPLES / "once_fast_festival.ogg"


def voicemail(*args, **kw):
    return subprocess.run([sys.executable, "-m", "analyzer", *map(str, args)], capture_output=True, text=True,
                          env=kw.get("env"))


@pytest.fixture(scope="module")
def json_run():
    return voicemail("analyze", GOOD, FAST_ONCE, "--format", "json")


def test_json_contract(json_run):
    assert json_run.returncode == 1  # once_fast breaks error-level rules
    doc = json.loads(json_run.stdout)
    assert doc["schema_version"] == 1
    good, fast = doc["files"]
    assert good["file"] == str(GOOD)
    assert good["audio"]["duration_s"] == pytest.approx(25.38, abs=0.05)
    assert good["engine"]["name"] == "faster-whisper" and good["engine"]["model"] == "tiny.en"
    # the words the generator spoke, most of them heard (never the exact words one CPU's kernels give)
    script = json.loads(GOOD.with_name("good_espeak_us.expected.json").read_text())["generator"]["script"]
    said = {w.strip(",.'").lower() for line in script for w in line.split()}
    heard = {w.strip(",.'").lower() for w in good["transcript"]["text"].split()}
    assert len(said & heard) >= 0.6 * len(said)
    word = good["transcript"]["words"][0]
    assert set(word) == {"text", "start", "end", "probability"}
    measures = good["measures"]
    for key in ("duration_s", "speech_start_s", "speech_end_s", "spoken_length_s", "leading_silence_s",
                "trailing_silence_s", "word_count", "speaking_rate_wpm", "articulation_rate_wpm", "pauses",
                "longest_pause_s", "phone_numbers"):
        assert key in measures, key
    number = measures["phone_numbers"][0]
    assert number["digits"] == "8169166141" and number["digit_count"] == 10
    assert {"start", "end", "digits_per_s", "text"} <= set(number)
    assert good["findings"] == [] and good["score"] == 100
    # why each content rule kept quiet: the words that satisfied it, inside the stretch it read
    evidence = {e["name"]: e for e in good["evidence"]}
    for name in ("no-name-or-company", "no-benefit-claim", "no-call-to-action"):
        kept = evidence[name]
        assert not kept["fired"] and kept["found"], name
        for said in kept["found"]:
            assert kept["start"] <= said["start"] <= said["end"] <= kept["end"]
            first, last = said["words"]
            assert said["text"] == " ".join(w["text"] for w in good["transcript"]["words"][first : last + 1])
    assert not evidence["self-focused-opener"]["fired"] and evidence["self-focused-opener"]["found"] == []
    names = {f["name"] for f in fast["findings"]}
    assert names == {"number-not-repeated", "number-too-fast"}
    finding = next(f for f in fast["findings"] if f["name"] == "number-too-fast")
    assert set(finding) >= {"code", "name", "severity", "message", "hint", "start", "end"}
    assert finding["severity"] == "warning" and finding["start"] < finding["end"]
    assert fast["score"] == 100 - 25 - 10


def test_a_run_that_exits_1_says_why_on_stderr(json_run):
    assert json_run.returncode == 1
    assert json_run.stderr == ("exit 1: 1 finding at error or above in 1 recording (number-not-repeated); --fail-on "
                               "sets the level, --fail-on never always exits 0.\n")


def test_a_file_that_cannot_be_used_is_a_sentence_on_stderr(tmp_path):
    notes = tmp_path / "notes.wav"
    notes.write_text("call me back")
    for fmt in ("terminal", "json"):
        run = voicemail("analyze", notes, "--format", fmt)
        assert run.returncode == 2 and "Traceback" not in run.stderr
        lines = run.stderr.splitlines()
        assert lines[0].startswith(f"error: {notes} could not be read as audio") and len(lines) == 2
        assert lines[1] == "exit 2: 1 recording could not be analysed (listed above)."
        if fmt == "terminal":
            assert run.stdout == ""  # results only
        else:  # the JSON document still carries it, for tools
            assert "could not be read as audio" in json.loads(run.stdout)["files"][0]["error"]


def test_terminal_report_shows_score_marked_findings_hints_and_measures():
    run = voicemail("analyze", FAST_ONCE)
    assert run.returncode == 1
    out = run.stdout
    assert "score 65/100" in out and "2 findings" in out and "(s)" not in out
    assert "said once; say it twice" in out
    assert "number-too-fast (VM103)" in out and "number-not-repeated (VM102)" in out
    assert "→ You know your number" in out
    # when the number was said: the generator's start, within the expectation's tolerance
    truth = json.loads(FAST_ONCE.with_name("once_fast_festival.expected.json").read_text())["truth"]["numbers"][0]
    shown = [float(m) for m in re.findall(r"number at 0:(\d+\.\d)", out)]
    assert shown and abs(shown[0] - truth["start"]) <= 0.5, (shown, truth["start"])
    assert "speaking rate" in out and "digits/s" in out
    # the number as people write it, once, in the transcript too (not " 816" "-916" "-614" "-1"):
    # the good message says 816-916-6141 twice, so four times with the measurements
    good = voicemail("analyze", GOOD).stdout
    assert "-916 -" not in good and good.count("816-916-6141") == 4, good


def test_fail_on_levels():
    assert voicemail("analyze", FAST_ONCE, "--fail-on", "never").returncode == 0
    assert voicemail("analyze", GOOD, "--fail-on", "info").returncode == 0
    assert voicemail("analyze", SAMPLES / "dead_air_espeak.ogg", "--fail-on", "info").returncode == 1
    assert voicemail("analyze", SAMPLES / "dead_air_espeak.ogg").returncode == 0  # only info findings


def test_number_option_catches_a_wrong_digit():
    run = voicemail("analyze", SAMPLES / "wrong_digit_espeak.ogg", "--number", "816 916 6141", "--format", "json")
    [f] = [f for f in json.loads(run.stdout)["files"][0]["findings"] if f["name"] == "wrong-number"]
    assert "816-916-6147, is not your number, 816-916-6141: the 10th digit, 7 for 1" in f["message"]
    assert "number-readings-differ" not in {f["name"] for f in json.loads(run.stdout)["files"][0]["findings"]}
    # without the rep's number, the two readings still differ: the prospect cannot know which to call
    run = voicemail("analyze", SAMPLES / "wrong_digit_espeak.ogg", "--format", "json")
    findings = {f["name"]: f for f in json.loads(run.stdout)["files"][0]["findings"]}
    assert "wrong-number" not in findings
    differ = findings["number-readings-differ"]
    assert differ["severity"] == "warning" and not differ["doubt"]
    assert "816-916-6141, then as 816-916-6147: the 10th digit: 1, then 7" in differ["message"]


@pytest.mark.parametrize("command", ["analyze", "grade"])
@pytest.mark.parametrize("number", ["abc", "12345"])
def test_a_number_that_is_no_number_is_refused_in_one_sentence(command, number, tmp_path):
    run = voicemail(command, GOOD, "--number", number, *(["--out", tmp_path / "out"] if command == "grade" else []))
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr == (f"error: --number: {number!r} is not a callback number; write 10 digits with the area code, "
                          "as in 816-916-6141 (spaces, dashes, dots, brackets and a leading 1 or +1 are fine).\n")
    assert not (tmp_path / "out").exists()


def test_pack_option_and_bad_pack(tmp_path):
    run = voicemail("analyze", SAMPLES / "no_number_espeak_gb.flac", "--pack", "email-callback", "--format", "json")
    assert run.returncode == 0  # a shipped pack by name: the number rules are off
    findings = json.loads(run.stdout)["files"][0]["findings"]
    assert {f["name"] for f in findings if not f["doubt"]} == {"no-call-to-action"}
    # under some CPU kernels tiny.en splits words ("clean it like you're in" for "clinics like
    # yours"): 162 wpm measured over the 170 limit may show, but only as a note
    assert all(f["severity"] == "info" and f["doubt"] for f in findings if f["name"] != "no-call-to-action")
    strict = tmp_path / "strict.toml"
    strict.write_text('[pack]\nextends = "length-15-25"\n[rules.message-too-long]\nmax = 20.0\n')
    run = voicemail("analyze", GOOD, "--pack", strict, "--format", "json")
    [f] = json.loads(run.stdout)["files"][0]["findings"]
    assert f["name"] == "message-too-long" and "(limit 20 s)" in f["message"]
    bad = tmp_path / "team.toml"
    bad.write_text('[pack]\nextends = "default"\n[rules.message-too-long]\nmaxx = 20\n')
    run = voicemail("analyze", GOOD, "--pack", bad)
    assert run.returncode == 2
    assert run.stderr.strip().startswith(f"error: {bad}: rule 'message-too-long': key 'maxx'")
    assert "Traceback" not in run.stderr and run.stdout == ""


def test_unknown_model_is_a_sentence_not_a_traceback(tmp_path):
    run = voicemail("analyze", GOOD, "--model", tmp_path)
    assert run.returncode == 2
    assert "has no model.bin" in run.stderr and "Traceback" not in run.stderr


def test_rules_lists_the_pack_and_checks_it():
    run = voicemail("rules")
    assert run.returncode == 0
    for name in ("no-callback-number", "number-too-fast", "self-focused-opener", "VM202"):
        assert name in run.stdout
    assert "monotone-delivery" not in run.stdout
    everything = voicemail("rules", "--all").stdout
    assert "monotone-delivery  info  (off)" in everything


@pytest.mark.parametrize("command", ["", "analyze", "grade", "regress", "practice", "rules"])
def test_help_shows_what_to_type_not_python_types(command):
    run = voicemail(*([command] if command else []), "--help", env={**os.environ, "COLUMNS": "200"})
    assert run.returncode == 0, run.stderr
    for noise in ("<bool>", "list[", "{", "[default: 0]", "(s)"):
        assert noise not in run.stdout, (noise, run.stdout)
    usage = {"analyze": "[OPTIONS] FILE...", "grade": "[OPTIONS] PATH...", "regress": "[OPTIONS] CORPUS"}
    assert f"Usage: voicemail {command} {usage.get(command, '')}".rstrip() in " ".join(run.stdout.split())
    if command == "grade":
        assert "--audio <embed|link|none>" in " ".join(run.stdout.split())
        assert "one per core" in run.stdout
    if command == "practice":
        assert "a free one" in run.stdout


def test_help_is_quick_to_import():
    # heavy libraries are imported when a command needs them, not at start-up
    heavy = "('av', 'faster_whisper', 'ctranslate2', 'librosa')"
    code = f"import sys, analyzer.cli; print(sorted(m for m in {heavy} if m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "[]"


@pytest.mark.parametrize("isa", ["NOT_AN_ISA"])
def test_a_forced_isa_the_cpu_cannot_run_gets_its_own_sentence(isa):
    import os

    run = voicemail("analyze", GOOD, env={**os.environ, "CT2_FORCE_CPU_ISA": isa})
    assert run.returncode == 2
    assert f"CT2_FORCE_CPU_ISA={isa}" in run.stderr + run.stdout
    assert "is not on this machine" not in run.stderr + run.stdout
    assert "Traceback" not in run.stderr


def test_the_transcript_does_not_depend_on_how_many_threads_numpy_s_blas_is_given():
    """A Ray worker runs OpenBLAS on one thread (OMP_NUM_THREADS=1); on one thread and on two the
    log-mel features differed in their last bits, and once_fast's number was read at 8.45 digits a
    second instead of 7.48 (analyzer/blas.py)."""
    import os

    runs = [voicemail("analyze", FAST_ONCE, "--format", "json", env={**os.environ, **threads})
            for threads in ({"OMP_NUM_THREADS": "1"}, {"OPENBLAS_NUM_THREADS": "1"}, {"OPENBLAS_NUM_THREADS": "2"})]
    files = [json.loads(run.stdout)["files"][0] for run in runs]
    assert all(f["transcript"] == files[0]["transcript"] for f in files)
    assert all(f["measures"]["phone_numbers"] == files[0]["measures"]["phone_numbers"] for f in files)


def test_select_and_ignore_choose_the_rules():
    # the truth of once_fast: number-not-repeated and number-too-fast fire; VM103 ignored, VM102 stays
    run = voicemail("analyze", FAST_ONCE, "--select", "VM1,VM2", "--ignore", "VM103", "--format", "json")
    findings = json.loads(run.stdout)["files"][0]["findings"]
    assert {f["code"] for f in findings if not f["doubt"]} == {"VM102"}
    assert all(f["code"].startswith(("VM1", "VM2")) and f["code"] != "VM103" for f in findings)
    run = voicemail("analyze", FAST_ONCE, "--select", "VM9")
    assert run.returncode == 2 and "'VM9' is no rule's name, code or code prefix" in run.stderr


def _readme_block(after: str, index: int = 0) -> str:
    readme = (SAMPLES.parent / "README.md").read_text()
    return readme.split(after, 1)[1].split("```toml\n")[index + 1].split("```", 1)[0]


def test_the_readmes_trainer_passes_its_own_cases(tmp_path):
    pack, cases = tmp_path / "team.toml", tmp_path / "opener-cases.toml"
    pack.write_text(_readme_block("### A trainer's pack"))
    cases.write_text(_readme_block("### A trainer's pack", 1))
    run = voicemail("rules", "--pack", pack, "--test", cases)
    assert run.returncode == 0 and "2 passed, 0 failed" in run.stdout, run.stdout + run.stderr
    run = voicemail("rules", "--test", cases)  # the default pack does not know the team's opener
    assert run.returncode == 1 and "FAIL self-focused-opener [fail]" in run.stdout and "did not fire" in run.stdout
    # the project's own cases, shipped with the package, through the same runner
    shipped = sorted((SAMPLES.parent / "rules" / "cases").glob("*.toml"))
    run = voicemail("rules", *[arg for path in shipped for arg in ("--test", path)])
    assert run.returncode == 0 and " 0 failed" in run.stdout, run.stdout[-2000:]
    bad = tmp_path / "bad.toml"
    bad.write_text('rule = "no-such-rule"\n[[fail]]\nabout = "x"\nscript = "Hi"\n')
    run = voicemail("rules", "--test", bad)
    assert run.returncode == 2 and "has no rule 'no-such-rule'" in run.stderr and "Traceback" not in run.stderr


def test_rules_fill_every_placeholder_and_explain_every_rule(tmp_path):
    run = voicemail("rules", "--all")
    assert run.returncode == 0 and "{" not in run.stdout
    assert "Keep it under 30 seconds" in run.stdout and "take at least 12 seconds" in run.stdout
    pack = tmp_path / "team.toml"
    pack.write_text('[pack]\nextends = "length-15-25"\nnumber = "(816) 916-6141"\n[rules.synergy]\ncode = "VM901"\n'
                    'check = "phrases"\nphrases = ["synergy"]\nseverity = "info"\nmessage = "Said synergy."\n'
                    'hint = "Say what you mean."\n')
    run = voicemail("rules", "--pack", pack)
    assert run.returncode == 0 and "{" not in run.stdout and "Keep it under 25 seconds" in run.stdout
    lines = run.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("VM901"))
    assert lines[header + 1] == "  Said synergy."  # no description: the message says what it flags
    explained = voicemail("rules", "--pack", pack, "--explain", "VM901").stdout.splitlines()
    assert explained[1] == "Said synergy."
    run = voicemail("rules", "--pack", pack, "--explain", "wrong-number")
    said = " ".join(run.stdout.split())
    assert "the rep's own number: (816) 916-6141; the practice page's script card, else --number, else `number` " \
           "under [pack]" in said
    assert "the rep's own number: not in this pack" in " ".join(voicemail("rules", "--explain", "VM105").stdout.split())


def test_explain_states_this_packs_limits():
    default = voicemail("rules", "--explain", "VM301")
    short = voicemail("rules", "--explain", "message-too-long", "--pack", "length-15-25")
    assert default.returncode == 0 and short.returncode == 0
    assert "over 30 s" in default.stdout and "max = 30" in default.stdout and "under 30 seconds" in default.stdout
    assert "over 25 s" in short.stdout and "max = 25" in short.stdout and "under 25 seconds" in short.stdout
    for part in ("Fires on", "Keeps quiet on", "Change it in a pack", "[rules.message-too-long]",
                 "Christine Harrington"):
        assert part in default.stdout, part
    assert "guidance 00" not in voicemail("rules").stdout  # sources by title, not by file number
    run = voicemail("rules", "--explain", "VM999")
    assert run.returncode == 2 and "No rule of pack default is called 'VM999'" in run.stderr


def test_a_pipe_gets_its_sentence_at_once(tmp_path):
    fifo = tmp_path / "message.wav"
    os.mkfifo(fifo)  # nobody ever writes to it: opening it to read would wait for ever
    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "analyzer", "analyze", str(fifo), "--format", "json"],
                         capture_output=True, text=True, timeout=60)
    took = time.perf_counter() - start
    [report] = json.loads(run.stdout)["files"]
    assert run.returncode == 2 and report["error_kind"] == "input"
    assert took < 5, took  # no waiting for a writer (it hung for ever; 0.65 s here, start-up included)
    assert report["error"] == (f"{fifo} is not a regular file (a pipe, socket or device); save the recording to a "
                               "file and pass that.")


def test_a_trainers_like_sentence_changes_a_verdict_on_a_real_recording(tmp_path):
    """A team that points prospects to email counts the promise of one as the ask: the trainer adds
    the sentence, as the generator spoke it, with "like+", and `analyze` on the recording agrees."""
    recording = SAMPLES / "no_number_espeak_gb.flac"
    script = json.loads(recording.with_name("no_number_espeak_gb.expected.json").read_text())["generator"]["script"]
    promise = next(line for line in script if "email" in line)
    pack = tmp_path / "email-team.toml"
    pack.write_text(f'[pack]\nextends = "default"\n[rules.no-call-to-action]\n"like+" = [{json.dumps(promise)}]\n')

    def findings_and_evidence(*extra):
        run = voicemail("analyze", recording, "--format", "json", "--fail-on", "never", *extra)
        assert run.returncode == 0, run.stderr
        report = json.loads(run.stdout)["files"][0]
        return ({f["name"] for f in report["findings"] if not f["doubt"]},
                {e["name"]: e for e in report["evidence"]}["no-call-to-action"])

    before, _ = findings_and_evidence()
    after, evidence = findings_and_evidence("--pack", pack)
    assert "no-call-to-action" in before and "no-call-to-action" not in after
    # the clause that decided, and how surely
    assert any(said["score"] is not None and "email" in said["text"].lower() for said in evidence["found"])
