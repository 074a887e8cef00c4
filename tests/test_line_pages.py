"""The phone-line check on the pages: the practice page and the grade report play the recording 'as they
will hear it' (audio/line_copy.py) beside the original, in real Chromium, and show the line's transcript."""

import base64
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from test_practice import _serve, upload

from analyzer.audio.clip import decode
from analyzer.audio.line import CODECS
from analyzer.practice.app import create_app
from tools import require_tool

from conftest import SAMPLES

SAMPLE = SAMPLES / "local_number_flite_slt.m4a"  # 16 s: the line adds one transcription of it
LABEL = f"As they will hear it: {CODECS['amr-nb'].what}"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def line_analyzer(default_pack):
    """The real pipeline, hearing every recording through a mobile call as well (a pack's phone_line)."""
    from analyzer.pipeline import Analyzer

    return Analyzer(default_pack, phone_line="amr-nb")


@pytest.fixture(scope="module")
def seconds():
    return decode(SAMPLE).duration_s


def _page_data(html: Path) -> dict:
    return json.loads(html.read_text().split('id="data">', 1)[1].split("</script>")[0].replace("<\\/", "</"))


def _plays(page, audio, seconds: float) -> None:
    """The browser decodes the player's source, finds the recording's length, and plays it."""
    handle = audio.element_handle()
    page.wait_for_function("a => a.readyState >= 1 && isFinite(a.duration)", arg=handle, timeout=15_000)
    assert page.evaluate("a => a.duration", handle) == pytest.approx(seconds, abs=0.25)
    assert page.evaluate("a => { a.muted = true; return a.play().then(() => 'playing', e => String(e)); }",
                         handle) == "playing"
    page.wait_for_function("a => a.currentTime > 0.5", arg=handle, timeout=10_000)
    page.evaluate("a => a.pause()", handle)


def _problems(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return problems


# --- the practice page ---

def test_the_line_audio_endpoint_gives_the_recording_through_the_line(line_analyzer, analyzer, tmp_path, seconds):
    with TestClient(create_app(line_analyzer, tmp_path / "line")) as c:
        body = upload(c, SAMPLE).json()
        line = body["recording"]["measures"]["phone_line"]
        assert line["codec"] == "amr-nb" and line["text"]
        assert body["recording"]["line_audio"] == f"/api/attempts/{body['id']}/line-audio"
        response = c.get(body["recording"]["line_audio"])
        assert response.status_code == 200 and response.headers["content-type"] == "audio/webm"
        copy = tmp_path / "line.webm"
        copy.write_bytes(response.content)
        heard = decode(copy)
        assert heard.codec == "opus" and heard.duration_s == pytest.approx(seconds, abs=0.05)
        again = tmp_path / "again.webm"  # made again: the same sound (the WebM's segment id is random)
        again.write_bytes(c.get(body["recording"]["line_audio"]).content)
        assert np.array_equal(decode(again).samples, heard.samples)
        assert c.get("/api/attempts/99/line-audio").json() == {"error": "There is no such attempt."}
        # its recording damaged on disk since: one sentence that names it as the rep does
        (c.app.state.store.audio_dir / next(c.app.state.store.audio_dir.iterdir()).name).write_bytes(b"gone")
        damaged = c.get(body["recording"]["line_audio"])
        assert damaged.status_code == 422
        assert damaged.json()["error"].startswith(f"{SAMPLE.name} could not be read as audio")
    with TestClient(create_app(analyzer, tmp_path / "plain")) as c:  # the line check off
        body = upload(c, SAMPLE).json()
        assert body["recording"]["measures"]["phone_line"] is None and body["recording"]["line_audio"] is None
        refused = c.get(f"/api/attempts/{body['id']}/line-audio")
        assert refused.status_code == 404
        assert refused.json()["error"].startswith(
            "This attempt was not heard through a phone line; start `voicemail practice --phone-line`")


def test_the_practice_page_plays_the_line_version_beside_the_original(line_analyzer, analyzer, tmp_path, seconds):
    chromium = require_tool("chromium")
    playwright = pytest.importorskip("playwright.sync_api")
    server, thread, url = _serve(create_app(line_analyzer, tmp_path / "data"))
    plain, plain_thread, plain_url = _serve(create_app(analyzer, tmp_path / "plain"))  # the line check off
    try:
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=ARGS, headless=True)
            page = browser.new_page()
            problems = _problems(page)
            page.goto(url)
            page.set_input_files("#upload", str(SAMPLE))
            page.wait_for_selector("#score", timeout=60_000)
            result = page.locator("#result")
            assert result.get_by_text(LABEL, exact=True).is_visible()
            assert result.get_by_text("As you recorded it", exact=True).is_visible()
            line = result.locator("audio.line-audio")
            assert line.get_attribute("src").endswith("/line-audio") and result.locator("audio").count() == 2
            _plays(page, line, seconds)
            # the line's transcript beside the original's, and what the report says it is
            attempt = page.evaluate("fetch('/api/attempts/1').then(r => r.json())")
            said = result.locator(".line-transcript").inner_text()
            assert said.split() == [w["text"] for w in attempt["recording"]["measures"]["phone_line"]["words"]]
            assert result.get_by_text("What their phone's transcript reads").is_visible()
            # one version plays at a time: the original pauses the line's
            original = result.locator("audio:not(.line-audio)").element_handle()
            page.evaluate("a => { a.muted = true; return a.play(); }", line.element_handle())
            page.evaluate("a => { a.muted = true; return a.play(); }", original)
            page.wait_for_function("a => a.paused", arg=line.element_handle())
            page.set_viewport_size({"width": 390, "height": 900})  # the two stack on a phone
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
            page.goto(plain_url)
            page.set_input_files("#upload", str(SAMPLE))
            page.wait_for_selector("#score", timeout=60_000)
            assert page.locator("#result audio").count() == 1 and page.locator(".line-transcript").count() == 0
            assert page.get_by_text("As they will hear it").count() == 0
            browser.close()
    finally:
        for s, t in ((server, thread), (plain, plain_thread)):
            s.should_exit = True
            t.join(timeout=10)
    assert problems == []


# --- the grade report ---

def _grade(*args):
    return subprocess.run([sys.executable, "-m", "analyzer", "grade", *map(str, args), "--fail-on", "never"],
                          capture_output=True, text=True)


@pytest.fixture(scope="module")
def line_reports(tmp_path_factory):
    """One recording graded with the phone line on, its report with each kind of player (from the cache
    after the first), and graded with the line off."""
    base = tmp_path_factory.mktemp("line-reports")
    (base / "team" / "dana").mkdir(parents=True)
    shutil.copy(SAMPLE, base / "team" / "dana" / SAMPLE.name)
    reports = {}
    for audio in ("embed", "link", "none"):
        run = _grade(base / "team", "--phone-line", "--out", base / audio, "--cache", base / "cache", "--audio", audio)
        assert run.returncode == 0, run.stderr
        reports[audio] = base / audio / "report.html"
    run = _grade(base / "team", "--out", base / "off", "--cache", base / "cache")
    assert run.returncode == 0, run.stderr
    reports["off"] = base / "off" / "report.html"
    return reports


def test_the_report_carries_the_line_version_whenever_it_has_players(line_reports, seconds, tmp_path):
    for audio in ("embed", "link"):  # no file of it to link to: inside the page in both
        [r] = _page_data(line_reports[audio])["recordings"]
        assert r["line_audio"].startswith("data:audio/webm;base64,"), audio
        copy = tmp_path / f"{audio}.webm"
        copy.write_bytes(base64.b64decode(r["line_audio"].split(",", 1)[1]))
        assert decode(copy).duration_s == pytest.approx(seconds, abs=0.05)
        assert r["measures"]["phone_line"]["codec"] == "amr-nb"
    [r] = _page_data(line_reports["none"])["recordings"]
    assert r["line_audio"] is None and r["audio"] is None and r["measures"]["phone_line"]["text"]
    [r] = _page_data(line_reports["off"])["recordings"]
    assert r["line_audio"] is None and r["measures"]["phone_line"] is None


def test_the_report_plays_the_line_version_beside_the_original(line_reports, seconds):
    chromium = require_tool("chromium")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS, headless=True)
        page = browser.new_page()
        problems = _problems(page)
        page.on("request", lambda r: None if r.url.startswith(("file:", "data:"))
                else problems.append(f"network: {r.url}"))
        page.goto(line_reports["embed"].as_uri())
        page.locator("details.rec summary").click()
        section = page.locator("details.rec")
        assert section.get_by_text(LABEL, exact=True).is_visible()
        _plays(page, section.locator("audio.line-audio"), seconds)
        _plays(page, section.locator("audio:not(.line-audio)"), seconds)  # and the original still plays
        said = section.locator(".line-transcript").inner_text()
        [r] = _page_data(line_reports["embed"])["recordings"]
        assert said.split() == r["measures"]["phone_line"]["text"].split()
        # a line word plays the line's version from there
        word = section.locator(".line-transcript span").nth(5)
        start = next(w["start"] for i, w in enumerate(r["measures"]["phone_line"]["words"]) if i == 5)
        page.evaluate("a => { a.muted = true; }", section.locator("audio.line-audio").element_handle())
        word.click()
        page.wait_for_function(f"a => a.currentTime >= {start - 0.05}",
                               arg=section.locator("audio.line-audio").element_handle(), timeout=5000)
        # with no players: the line's transcript without its player; with the line check off, neither
        for kind, transcripts in (("none", 1), ("off", 0)):
            page.goto(line_reports[kind].as_uri())
            page.locator("details.rec summary").click()
            assert page.locator("audio").count() == 1 and page.get_by_text("As they will hear it").count() == 0
            assert page.locator(".line-transcript").count() == transcripts, kind
        browser.close()
    assert problems == []
