"""`voicemail grade`: a team's folder in, four reports out, cached by content, resumable."""

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analyzer.report.serialize import file_from_dict, file_to_dict
from tools import descendants, require_tool, running

from conftest import SAMPLES

TEAM = {
    "alice": ["good_espeak_us.wav", "follow_up_flite_slt.mp3"],
    "bob": ["once_fast_festival.ogg", "wrong_digit_espeak.ogg", "fast_talker_espeak.wav"],
    "carol": ["noisy_office_flite_rms.webm"],
}


def _analysed(cache: Path) -> list[Path]:
    """The analyses a cache folder keeps (cache.py: one folder per version of the code)."""
    return list(cache.glob("*/analyses/*/*.json"))


def _verdicts(cache: Path) -> list[Path]:
    return list(cache.glob("*/verdicts/*/*.json"))


def voicemail(*args, **kw):
    return subprocess.run([sys.executable, "-m", "analyzer", *map(str, args)], capture_output=True, text=True, **kw)


@pytest.fixture
def team(tmp_path):
    root = tmp_path / "team"
    for rep, names in TEAM.items():
        (root / rep).mkdir(parents=True)
        for name in names:
            shutil.copy(SAMPLES / name, root / rep / name)
    return root


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """One real grading run of the team with 2 workers, and what it wrote."""
    base = tmp_path_factory.mktemp("graded")
    root = base / "team"
    for rep, names in TEAM.items():
        (root / rep).mkdir(parents=True)
        for name in names:
            shutil.copy(SAMPLES / name, root / rep / name)
    out, cache = base / "out", base / "cache"
    run = voicemail("grade", root, "--out", out, "--cache", cache, "--workers", "2", "--fail-on", "never")
    return {"root": root, "out": out, "cache": cache, "run": run}


def test_four_reports_agree_with_per_file_analyses(graded, analyzer):
    run, out, root = graded["run"], graded["out"], graded["root"]
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in out.iterdir()) == ["recordings.csv", "report.html", "report.json", "reps.csv"]
    doc = json.loads((out / "report.json").read_text())
    assert doc["schema_version"] == 1 and doc["kind"] == "grade"
    rows = {row["file"]: row for row in csv.DictReader((out / "recordings.csv").open())}
    assert len(doc["files"]) == len(rows) == 6
    for rep, names in TEAM.items():
        for name in names:
            path = root / rep / name
            single = analyzer.analyze(path)
            [entry] = [f for f in doc["files"] if f["file"] == str(path)]
            assert entry["rep"] == rep
            assert entry["score"] == single.score
            assert {f["name"] for f in entry["findings"]} == {f.name for f in single.findings}
            row = rows[str(path)]
            assert row["rep"] == rep and int(row["score"]) == single.score
            fired = {f.name for f in single.findings}
            for rule in ("number-too-fast", "self-focused-opener", "no-benefit-claim", "speaking-too-fast"):
                assert row[rule] == str(int(rule in fired))
            rates = [n.digits_per_s for n in single.measures.phone_numbers if n.digits_per_s is not None]
            assert float(row["fastest_digits_per_s"]) == max(rates)

    reps = {row["rep"]: row for row in csv.DictReader((out / "reps.csv").open())}
    assert set(reps) == set(TEAM)
    bob = [f for f in doc["files"] if f["rep"] == "bob"]
    assert float(reps["bob"]["mean_score"]) == pytest.approx(sum(f["score"] for f in bob) / 3, abs=0.05)
    assert "number-too-fast (1)" in reps["bob"]["most_frequent_flags"]
    rule_counts = {r["name"]: r["recordings"] for r in doc["rules"]}
    assert rule_counts["self-focused-opener"] == 1 and rule_counts["number-not-repeated"] == 1


def test_second_run_comes_from_the_cache_and_transcribes_nothing(graded, tmp_path):
    # The speed-up itself is a figure benchmarks/grade.py prints ("cached re-run"): a timed ratio
    # here failed CI on a busy machine (10.7 s against 1.09 s). What makes it fast is asserted
    # instead: with the transcriber's engine made impossible to import, the re-run still succeeds.
    blocked = tmp_path / "blocked"
    for module in ("ctranslate2", "faster_whisper", "whisper"):
        (blocked / module).mkdir(parents=True)
        (blocked / module / "__init__.py").write_text(f"raise ImportError('a cached re-run imported {module}')\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(blocked), os.environ.get("PYTHONPATH", "")])}
    run = voicemail("grade", graded["root"], "--out", graded["out"], "--cache", graded["cache"], "--fail-on", "never",
                    env=env)
    assert run.returncode == 0, run.stderr
    assert "(6 from the cache)" in run.stdout
    assert all(f["from_cache"] for f in json.loads((graded["out"] / "report.json").read_text())["files"])


def test_a_changed_pack_or_number_runs_only_the_rules_again(graded, tmp_path):
    pack = tmp_path / "p.toml"
    pack.write_text('[pack]\nextends = "default"\n[rules.message-too-long]\nmax = 20.0\n')
    for change in (("--pack", pack), ("--number", "555-201-7733")):
        out = tmp_path / change[0].strip("-")
        run = voicemail("grade", graded["root"] / "carol", "--out", out, "--cache", graded["cache"],
                        *change, "--fail-on", "never")
        assert "(1 from the cache, the rules run again on 1)" in run.stdout, run.stderr
        [row] = csv.DictReader((out / "recordings.csv").open())
        before = next(r for r in csv.DictReader((graded["out"] / "recordings.csv").open()) if r["rep"] == "carol")
        changed = "message-too-long" if change[0] == "--pack" else "wrong-number"
        assert (before[changed], row[changed]) == ("0", "1")
    fresh = voicemail("grade", graded["root"] / "carol", "--out", tmp_path / "fresh", "--no-cache", "--pack", pack,
                      "--fail-on", "never")
    assert fresh.returncode == 0, fresh.stderr  # the kept analysis and clauses' vectors give what a fresh run gives
    assert (tmp_path / "fresh" / "report.json").read_text() == (tmp_path / "pack" / "report.json").read_text().replace(
        '"from_cache": true', '"from_cache": false')


def test_interrupted_run_resumes_with_only_the_rest(team, tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    # Ctrl-C as at a terminal: a job started with `&` by a script inherits SIGINT ignored, and an
    # ignored signal stays ignored across exec (then Python installs no KeyboardInterrupt handler)
    child = subprocess.Popen([sys.executable, "-m", "analyzer", "grade", str(team), "--out", str(out),
                              "--cache", str(cache), "--workers", "1"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.time() + 120
    while len(_analysed(cache)) < 2 and time.time() < deadline:
        time.sleep(0.05)
    child.send_signal(signal.SIGINT)  # Ctrl-C
    _, err = child.communicate(timeout=60)
    assert child.returncode == 130, err
    assert "run the same command again to resume" in err and "Traceback" not in err
    assert not out.exists()  # no half-written report
    done_before = len(_analysed(cache))
    assert 2 <= done_before < 6

    run = voicemail("grade", team, "--out", out, "--cache", cache, "--workers", "1", "--fail-on", "never")
    assert run.returncode == 0
    assert f"({done_before} from the cache" in run.stdout  # (the rules run again on one stopped between the two)
    files = json.loads((out / "report.json").read_text())["files"]
    assert sum(not f["from_cache"] for f in files) == 6 - done_before


def test_a_cached_error_names_the_file_graded_now(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "notes.wav").write_text("call me maybe")
    (tmp_path / "b" / "todo.wav").write_text("call me maybe")  # the same content, cached as a/notes.wav's
    for folder in ("a", "b"):
        run = voicemail("grade", tmp_path / folder, "--out", tmp_path / f"out-{folder}", "--cache",
                        tmp_path / "cache", "--workers", "1")
        assert run.returncode == 2
    [row] = csv.DictReader((tmp_path / "out-b" / "recordings.csv").open())
    assert row["error"].startswith(str(tmp_path / "b" / "todo.wav")) and "notes.wav" not in row["error"]
    assert "(1 from the cache)" in run.stdout


def test_bad_files_are_listed_and_the_good_one_graded(tmp_path):
    rep = tmp_path / "team" / "dana"
    rep.mkdir(parents=True)
    (rep / "empty.wav").write_bytes(b"")
    (rep / "notes.wav").write_text("call me maybe")
    shutil.copy(SAMPLES / "good_espeak_us.wav", rep / "monday.wav")
    out = tmp_path / "out"
    run = voicemail("grade", tmp_path / "team", "--out", out, "--no-cache")
    assert run.returncode == 2  # some input could not be used
    assert run.stderr.count("error: ") == 2 and "Traceback" not in run.stderr  # one sentence each, on stderr
    assert "exit 2: 2 recordings could not be analysed" in run.stderr  # and it says why
    assert "graded 3 recordings of 1 rep " in run.stdout and "error" not in run.stdout
    rows = {r["file"].rsplit("/", 1)[1]: r for r in csv.DictReader((out / "recordings.csv").open())}
    assert rows["monday.wav"]["score"] == "100" and rows["monday.wav"]["error"] == ""
    assert rows["empty.wav"]["error"].endswith("is empty (0 bytes); record or copy the message again.")
    assert "could not be read as audio" in rows["notes.wav"]["error"]
    reps = list(csv.DictReader((out / "reps.csv").open()))
    assert reps[0]["recordings"] == "3" and reps[0]["graded"] == "1"
    # the page counts 3 recordings and lists all 3: those that could not be analysed too
    chromium = require_tool("chromium")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"], headless=True)
        page = browser.new_page()
        page.goto((out / "report.html").as_uri())
        listed = page.locator("#recordings").inner_text()
        assert all(name in listed for name in ("monday.wav", "empty.wav", "notes.wav")), listed
        assert page.locator("#shown").inner_text() == "3 recordings, 2 of them could not be analysed"
        page.select_option("#rep-filter", "dana")  # the rep's filter keeps them too
        assert page.locator("#shown").inner_text() == "3 of 3 recordings"
        assert page.locator("#recordings .failed:visible").count() == 2
        browser.close()


def test_two_identical_runs_write_byte_identical_reports(graded, tmp_path):
    """Ties among a rep's most frequent flags are broken by name, not by the order of a set (which
    changes with each process's hash seed)."""
    written = []
    for seed in ("1", "2", "3"):
        out = tmp_path / seed
        run = voicemail("grade", graded["root"], "--out", out, "--cache", graded["cache"], "--fail-on", "never",
                        env={**os.environ, "PYTHONHASHSEED": seed})
        assert run.returncode == 0, run.stderr
        written.append((out / "reps.csv").read_bytes())
    assert written[0] == written[1] == written[2] == (graded["out"] / "reps.csv").read_bytes()


def test_flags_that_tie_come_in_name_order():
    from collections import Counter

    from analyzer.grade.team import ranked

    assert ranked(Counter({"number-too-fast": 1, "filler-words": 2, "long-pause": 1, "wrong-number": 2})) == (
        ("filler-words", 2), ("wrong-number", 2), ("long-pause", 1), ("number-too-fast", 1))


def test_same_message_every_time_is_flagged(tmp_path):
    for name in ("mon.wav", "tue.wav"):
        (tmp_path / "team" / "erin").mkdir(parents=True, exist_ok=True)
        shutil.copy(SAMPLES / "good_espeak_us.wav", tmp_path / "team" / "erin" / name)
    (tmp_path / "team" / "fay").mkdir()
    shutil.copy(SAMPLES / "good_espeak_us.wav", tmp_path / "team" / "fay" / "mon.wav")
    shutil.copy(SAMPLES / "wrong_digit_espeak.ogg", tmp_path / "team" / "fay" / "tue.ogg")
    out = tmp_path / "out"
    voicemail("grade", tmp_path / "team", "--out", out, "--no-cache", "--workers", "1")
    reps = {r["rep"]: r for r in json.loads((out / "report.json").read_text())["reps"]}
    assert reps["erin"]["same_message"] == [{"files": ["mon.wav", "tue.wav"], "similarity": 1.0}]
    assert reps["fay"]["same_message"] == []  # similar script, different message


def test_rep_from_a_pattern_on_the_file_name(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    shutil.copy(SAMPLES / "good_espeak_us.wav", folder / "alice_monday.wav")
    shutil.copy(SAMPLES / "once_fast_festival.ogg", folder / "bob_monday.ogg")
    out = tmp_path / "out"
    run = voicemail("grade", folder, "--out", out, "--no-cache", "--rep-pattern", r"^(?P<rep>[a-z]+)_",
                    "--workers", "1", "--fail-on", "never")
    assert run.returncode == 0, run.stderr
    assert [r["rep"] for r in csv.DictReader((out / "reps.csv").open())] == ["alice", "bob"]
    assert "--rep-pattern" not in run.stderr
    # a name the pattern does not match is said, not quietly graded as a rep called "inbox"
    shutil.copy(SAMPLES / "good_espeak_us.wav", folder / "Carol-Monday.wav")
    run = voicemail("grade", folder, "--out", out, "--cache", tmp_path / "cache", "--rep-pattern",
                    r"^(?P<rep>[a-z]+)_", "--workers", "1", "--fail-on", "never")
    assert run.returncode == 0, run.stderr
    said = " ".join(run.stderr.split())
    assert (f"warning: --rep-pattern '^(?P<rep>[a-z]+)_' does not match the name of 1 file of 3 "
            f"({folder / 'Carol-Monday.wav'}), so they are graded under their folder's name (inbox); "
            "fix the pattern or rename them.") in said
    bad = voicemail("grade", folder, "--out", out, "--rep-pattern", "(unclosed")
    assert bad.returncode == 2 and "not a valid regular expression" in bad.stderr


def test_report_opens_in_chromium_and_a_finding_seeks_the_player(graded):
    chromium = require_tool("chromium")
    playwright = pytest.importorskip("playwright.sync_api")
    args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"]
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=args, headless=True)
        page = browser.new_page()
        problems = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("request", lambda r: None if r.url.startswith(("file:", "data:"))
                else problems.append(f"network: {r.url}"))
        page.goto((graded["out"] / "report.html").as_uri())
        assert page.locator("#reps tbody tr").count() == 3
        doc = json.loads((graded["out"] / "report.json").read_text())
        fired = [r["name"] for r in doc["rules"] if r["recordings"]]
        assert page.locator("#chart .bar").count() == len(fired) < 16  # rules that never fired are folded away
        headers = [t.split("\n") for t in page.locator("#grid thead th.rule").all_inner_texts()]
        assert [name for name, _ in headers] == sorted(
            fired, key=lambda n: -next(r["recordings"] for r in doc["rules"] if r["name"] == n))
        assert all(severity in ("error", "warning", "info") for _, severity in headers)  # not by colour alone
        # on a phone: the grid scrolls sideways, says so, and keeps the reps' names in view
        scroller = "document.getElementById('grid-scroll')"
        for width in (390, 1280):
            page.set_viewport_size({"width": width, "height": 800})
            # the page redraws its hint when the grid's box changes size, a frame or two after the resize
            page.wait_for_function(f"(s => document.getElementById('grid-more').hidden === "
                                   f"(s.scrollLeft + s.clientWidth >= s.scrollWidth - 1))({scroller})")
            overflows = page.evaluate(f"{scroller}.scrollWidth > {scroller}.clientWidth")
            assert (overflows or width > 390) and page.locator("#grid-more").is_visible() == overflows, width
            assert max(b["height"] for b in map(lambda h: h.bounding_box(), page.locator("#grid th.rule").all())) < 50
            assert max(r.bounding_box()["height"] for r in page.locator("#reps tbody tr").all()) < 100, width
        page.set_viewport_size({"width": 390, "height": 800})
        page.evaluate(f"{scroller}.scrollLeft = {scroller}.scrollWidth")
        page.wait_for_function("document.getElementById('grid-more').hidden")  # the end: nothing more to the right
        left = page.evaluate(f"{scroller}.getBoundingClientRect().left")
        for name in page.locator("#grid tbody th").all():
            assert abs(name.bounding_box()["x"] - left) < 2 and name.is_visible()
        page.set_viewport_size({"width": 1280, "height": 800})
        # a grid cell leads to that rep's recordings with that rule
        cell = page.locator("#grid tbody tr", has_text="bob").locator("button.cell").first
        rule = cell.get_attribute("aria-label").split(": ", 1)[1].split(" (", 1)[0]  # "bob: RULE (error) in ..."
        cell.click()
        visible = page.locator("details.rec:visible")
        expected = [f for f in doc["files"] if f["rep"] == "bob" and any(
            x["name"] == rule and not x["doubt"] for x in f.get("findings", []))]
        assert visible.count() == len(expected) == int(cell.inner_text()) > 0
        assert all("bob / " in t for t in visible.locator("summary").all_inner_texts())
        assert page.locator("details.rec[open]").count() == len(expected)  # and opened
        page.select_option("#rule-filter", "")
        page.select_option("#rep-filter", "")
        assert page.locator("details.rec:visible").count() == len(doc["files"])
        # the number-too-fast finding of bob's once_fast_festival.ogg
        section = page.locator("details.rec", has_text="bob / once_fast_festival.ogg")
        if section.get_attribute("open") is None:
            section.locator("summary").click()
        finding = section.locator("button.finding", has_text="number-too-fast")
        start = float(finding.get_attribute("data-start"))
        assert start > 10
        audio = section.locator("audio")
        page.wait_for_function("a => a.readyState >= 1", arg=audio.element_handle())
        finding.click()
        page.wait_for_function(f"a => a.currentTime >= {start - 0.05}", arg=audio.element_handle(), timeout=5000)
        # sorting the reps table by mean score puts the lowest first; the headers are reached by keyboard
        page.locator("#reps th[data-key=mean_score] button").focus()
        page.keyboard.press("Enter")
        assert page.locator("#reps th[data-key=mean_score]").get_attribute("aria-sort") == "ascending"
        first = page.locator("#reps tbody tr").first.locator("td").nth(2).inner_text()
        scores = [float(t) for t in page.locator("#reps tbody tr td:nth-child(3)").all_inner_texts()]
        assert float(first) == min(scores)
        # every button has a name a screen reader says; tab reaches the timeline marks too
        unnamed = page.evaluate("[...document.querySelectorAll('button')].filter(b => "
                                "!(b.textContent.trim() || b.getAttribute('aria-label'))).length")
        assert unnamed == 0
        page.locator("details.rec[open] button.mark").first.focus()
        assert page.evaluate("document.activeElement.classList.contains('mark')")
        for width in (390, 1280):  # no sideways scrolling on a phone or a desktop
            page.set_viewport_size({"width": width, "height": 900})
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), width
        browser.close()
    assert problems == []


def test_serialised_report_round_trips(analyzer):
    report = analyzer.analyze(SAMPLES / "once_fast_festival.ogg")
    assert file_from_dict(json.loads(json.dumps(file_to_dict(report)))) == report


def test_an_internal_error_is_reported_and_never_cached(tmp_path, monkeypatch):
    """A bug is no property of the recording: its result must not be served from the cache next
    time, while a recording that cannot be used is (it will not change)."""
    from analyzer import pipeline
    from analyzer.checks.pack import load_pack
    from analyzer.grade import batch
    from analyzer.grade.cache import Cache

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    shutil.copy(SAMPLES / "good_espeak_us.wav", tmp_path / "monday.wav")
    (tmp_path / "notes.wav").write_text("call me maybe")
    recordings = batch.find_recordings([tmp_path / "monday.wav", tmp_path / "notes.wav"])
    settings = batch.Settings("faster-whisper", None, 1)
    judge = pipeline.Judge(load_pack("default"))
    monkeypatch.setattr(batch, "_LISTENER", None)
    for stage in ("measure_signal", "understood"):  # a bug in the workers' half, then in the rules' half
        cache = tmp_path / stage
        with monkeypatch.context() as patched:
            patched.setattr(pipeline, stage, broken)
            monday, notes = batch.grade(recordings, judge, settings, workers=1, cache=Cache(cache, "test"))
        assert monday.report.error_kind == "internal" and "ZeroDivisionError" in (monday.report.error or "")
        assert notes.report.error_kind == "input"
        assert len(_verdicts(cache)) == 1  # the unusable file's sentence only
        assert len(_analysed(cache)) == (1 if stage == "measure_signal" else 2)  # the bug was in the rules


def test_the_workers_grade_with_the_selection(tmp_path):
    for name in ("good_espeak_us.wav", "once_fast_festival.ogg"):
        (tmp_path / "team" / "gus").mkdir(parents=True, exist_ok=True)
        shutil.copy(SAMPLES / name, tmp_path / "team" / "gus" / name)
    out = tmp_path / "out"
    run = voicemail("grade", tmp_path / "team", "--out", out, "--no-cache", "--workers", "2", "--select", "VM10",
                    "--fail-on", "never")
    assert run.returncode == 0, run.stderr
    header = next(csv.reader((out / "recordings.csv").open()))
    rules = header[header.index("fastest_digits_per_s") + 1 : header.index("error")]
    assert rules == ["no-callback-number", "number-not-repeated", "number-too-fast", "number-not-at-end",
                     "wrong-number", "number-readings-differ", "number-unclear", "number-lost-on-phone-line"]
    files = json.loads((out / "report.json").read_text())["files"]
    assert all(f["code"].startswith("VM10") for doc in files for f in doc["findings"])
    assert any(f["name"] == "number-not-repeated" for doc in files for f in doc["findings"])


def test_grade_ends_with_who_needs_help_and_why_it_exits_1(graded, tmp_path):
    shown = graded["run"].stdout  # the summary is the result: `> summary.txt` keeps it
    assert shown.startswith("graded 6 recordings of 3 reps (0 from the cache)")
    assert all(rep in shown for rep in TEAM) and "most frequent flags" in shown
    assert "most frequent flags" not in graded["run"].stderr
    assert "number-not-repeated" in shown  # bob's once_fast
    run = voicemail("grade", graded["root"] / "bob", "--out", tmp_path / "out", "--cache", graded["cache"])
    assert run.returncode == 1
    assert "exit 1:" in run.stderr and "at error or above" in run.stderr and "number-not-repeated" in run.stderr


def test_the_report_embeds_links_or_leaves_out_the_audio_and_says_its_size(graded, tmp_path):
    embedded = (graded["out"] / "report.html").read_text()
    assert embedded.count("data:audio/webm;base64,") == 6
    sizes = {}
    for audio in ("link", "none"):
        out = tmp_path / audio
        run = voicemail("grade", graded["root"], "--out", out, "--cache", graded["cache"], "--audio", audio,
                        "--fail-on", "never")
        assert run.returncode == 0 and "report.html:" in run.stdout and " KB" in run.stdout, run.stderr
        page = (out / "report.html").read_text()
        assert "data:audio" not in page
        sizes[audio] = len(page)
    assert max(sizes.values()) * 3 < len(embedded)  # the audio is most of an embedded report
    data = json.loads((tmp_path / "link" / "report.html").read_text().split('id="data">', 1)[1].split("</script>")[0]
                      .replace("<\\/", "</"))
    for r in data["recordings"]:  # each player's source is the recording, relative to the report
        assert (tmp_path / "link" / r["audio"]).resolve() == (graded["root"] / r["rep"] / r["file"]).resolve()
    run = voicemail("grade", graded["root"], "--out", tmp_path / "x", "--audio", "mp3")
    assert run.returncode == 2 and "--audio 'mp3' is not one of embed, link, none" in run.stderr


def test_trend_follows_the_recordings_own_dates_not_the_copy_order(tmp_path):
    ffmpeg = require_tool("ffmpeg")
    rep = tmp_path / "team" / "dana"
    rep.mkdir(parents=True)
    # recorded first: the weak message (65); recorded a day later: the good one (97-100); copied the other way round
    for name, source, stamp in (("b.m4a", "good_espeak_us.wav", "2026-03-02T10:00:00Z"),
                                ("a.m4a", "once_fast_festival.ogg", "2026-03-01T10:00:00Z")):
        subprocess.run([ffmpeg, "-loglevel", "error", "-i", str(SAMPLES / source), "-metadata",
                        f"creation_time={stamp}", "-c:a", "aac", str(rep / name)], check=True)
        time.sleep(0.05)
    run = voicemail("grade", tmp_path / "team", "--out", tmp_path / "out", "--no-cache", "--fail-on", "never")
    assert run.returncode == 0, run.stderr
    [row] = list(csv.DictReader((tmp_path / "out" / "reps.csv").open()))
    recordings = csv.DictReader((tmp_path / "out" / "recordings.csv").open())
    scores = {Path(r["file"]).name: int(r["score"]) for r in recordings}
    assert scores["a.m4a"] < scores["b.m4a"]  # the weak message, then the good one
    assert row["trend"] == str(scores["b.m4a"] - scores["a.m4a"]) and row["latest_score"] == str(scores["b.m4a"])
    said = " ".join(run.stdout.split())  # and the summary says which time it followed
    assert "latest and trend follow when each recording was made, as the recording's own date (creation_time) says." \
        in said and "carry no date" not in said


def test_inputs_are_checked_before_any_grading(tmp_path):
    out = tmp_path / "a file"
    out.write_text("not a folder")
    start = time.perf_counter()
    run = voicemail("grade", SAMPLES, "--out", out)
    assert run.returncode == 2 and time.perf_counter() - start < 20  # refused at once, nothing graded
    assert "Cannot write the reports to" in run.stderr and "it is a file, not a folder" in run.stderr
    assert out.read_text() == "not a folder"  # and left as it was
    run = voicemail("grade", SAMPLES, "--out", out / "reports")  # a folder to make under a file
    assert run.returncode == 2 and "is a file, not a folder" in run.stderr
    # one recording named twice (relative and absolute) and a pipe beside it: graded once, no hang
    team = tmp_path / "team" / "dana"
    team.mkdir(parents=True)
    shutil.copy(SAMPLES / "good_espeak_us.wav", team / "monday.wav")
    os.mkfifo(team / "pipe.wav")
    run = voicemail("grade", tmp_path / "team", team / "monday.wav", "--out", tmp_path / "out", "--no-cache",
                    timeout=120, cwd=tmp_path)
    assert run.returncode == 0, run.stderr  # a folder's pipe is no recording
    rows = list(csv.DictReader((tmp_path / "out" / "recordings.csv").open()))
    assert [Path(r["file"]).name for r in rows] == ["monday.wav"]
    # a pipe named on its own gets its sentence at once, and the batch goes on
    run = voicemail("grade", team / "pipe.wav", team / "monday.wav", "--out", tmp_path / "out2", "--no-cache",
                    timeout=120)
    assert run.returncode == 2 and "is not a regular file (a pipe, socket or device)" in run.stderr


def test_a_damaged_cache_entry_is_made_again_and_rewritten(tmp_path):
    rep = tmp_path / "team" / "dana"
    rep.mkdir(parents=True)
    shutil.copy(SAMPLES / "good_espeak_us.wav", rep / "monday.wav")
    cache = tmp_path / "cache"
    args = ("grade", tmp_path / "team", "--out", tmp_path / "out", "--cache", cache, "--workers", "1")
    assert voicemail(*args).returncode == 0
    [analysis], [verdict] = _analysed(cache), _verdicts(cache)
    # a damaged verdict: the rules run again on the kept analysis; a damaged analysis: analysed again
    for entry, cached, field in ((verdict, 1, "score"), (analysis, 0, "measures")):
        for damage in ("{}", '{"file": "x", "audio": 3}'):  # it parses, but it is no report
            entry.write_text(damage)
            run = voicemail(*args)
            assert run.returncode == 0 and "Traceback" not in run.stderr
            assert f"({cached} from the cache{', the rules run again on 1' if cached else ''})" in run.stdout
            assert field in json.loads(entry.read_text())  # rewritten whole
            assert json.loads(verdict.read_text())["score"] == 100


@pytest.fixture
def busy_team(tmp_path):
    """A short recording and a three-minute one: with two workers, one is done while the other is busy."""
    ffmpeg = require_tool("ffmpeg")
    (tmp_path / "team" / "ann").mkdir(parents=True)
    (tmp_path / "team" / "ben").mkdir(parents=True)
    shutil.copy(SAMPLES / "good_espeak_us.wav", tmp_path / "team" / "ann" / "short.wav")
    subprocess.run([ffmpeg, "-loglevel", "error", "-stream_loop", "-1", "-i", str(SAMPLES / "good_espeak_us.wav"),
                    "-t", "180", str(tmp_path / "team" / "ben" / "long.wav")], check=True)
    return tmp_path / "team"


def _grading_in_its_own_group(team, out, cache):
    """`voicemail grade` with two workers, as a terminal starts it: a process group of its own
    (so a Ctrl-C reaches the workers too), returned the moment the short recording's analysis is
    cached, while the three-minute one is still being analysed. Ctrl-C as at a terminal (SIG_DFL):
    under a script's `&` the tests inherit SIGINT ignored, and so would the grading."""
    child = subprocess.Popen([sys.executable, "-m", "analyzer", "grade", str(team), "--out", str(out),
                              "--cache", str(cache), "--workers", "2"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                             preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    started = time.time()
    while not _analysed(cache) and time.time() < started + 120 and child.poll() is None:
        time.sleep(0.02)
    assert child.poll() is None, child.communicate()[1]
    assert len(_analysed(cache)) == 1, f"{_analysed(cache)} after {time.time() - started:.1f} s"
    return child


def test_after_kill_9_of_grade_no_worker_survives_5_s(busy_team, tmp_path):
    child = _grading_in_its_own_group(busy_team, tmp_path / "out", tmp_path / "cache")
    workers = descendants(child.pid)
    assert len(workers) >= 2  # two workers (and Python's resource tracker)
    child.kill()  # kill -9: the grading process can clean nothing up
    child.communicate(timeout=10)
    assert _still_running_after(workers, 5.0) == []


def _still_running_after(pids: list[int], seconds: float) -> list[int]:
    deadline = time.time() + seconds
    while any(running(p) for p in pids) and time.time() < deadline:
        time.sleep(0.1)
    return [p for p in pids if running(p)]


def test_ctrl_c_stops_within_seconds_keeps_what_finished_and_prints_no_worker_traceback(busy_team, tmp_path):
    cache = tmp_path / "cache"
    child = _grading_in_its_own_group(busy_team, tmp_path / "out", cache)
    workers = descendants(child.pid)  # one worker idle or judging, one busy with the long recording
    pressed = time.perf_counter()
    os.killpg(child.pid, signal.SIGINT)  # Ctrl-C at a terminal: the whole foreground group gets it
    _, err = child.communicate(timeout=60)
    stopped_s = time.perf_counter() - pressed
    assert child.returncode == 130, err
    assert stopped_s < 5, stopped_s  # it did not wait for the three-minute recording
    assert "Traceback" not in err and "KeyboardInterrupt" not in err and "leaked" not in err, err
    assert "run the same command again to resume" in err
    assert _still_running_after(workers, 2.0) == []
    assert len(_analysed(cache)) == 1  # the short recording's result is kept


def test_the_cache_removes_old_versions_and_keeps_under_its_size(tmp_path):
    from analyzer.grade.cache import STALE_S, Cache

    root = tmp_path / "cache"
    old_layout = root / "ab"  # entries from before versions had folders
    old_layout.mkdir(parents=True)
    (old_layout / ("ab" + "0" * 62 + ".json")).write_text("{}")
    gone_version, recent_version = root / ("0" * 16), root / ("1" * 16)
    for folder in (gone_version, recent_version):
        (folder / "cd").mkdir(parents=True)
        (folder / "cd" / "entry.json").write_text("{}")
    day_ago = time.time() - STALE_S - 60
    os.utime(gone_version, (day_ago, day_ago))
    (root / "notes.txt").write_text("not the cache's")  # not ours: left alone

    cache = Cache(root, "test", max_bytes=2500)
    for n in range(3):
        cache.keep_analysis(f"content {n}", {"n": n, "pad": "x" * 1000}, b"a" * 100)
    past = time.time() - 3600
    for n in range(3):  # last used an hour ago, half an hour ago, now
        path = next(p for p in cache.directory.rglob("*.json") if json.loads(p.read_text())["n"] == n)
        os.utime(path, (past + n * 1800, past + n * 1800))
    assert cache.analysis("content 0") is not None  # used now: the newest
    cache.prune()

    assert not old_layout.exists() and not gone_version.exists()
    assert recent_version.exists() and (root / "notes.txt").exists()  # another version in use: kept a day
    assert cache.analysis("content 1") is None  # used longest ago: removed with its audio
    assert len(list(cache.directory.rglob("*.webm"))) == 2
    assert cache.analysis("content 0") is not None and cache.analysis("content 2") is not None
