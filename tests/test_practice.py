"""`voicemail practice`: the API's limits and safety, and a rep's loop in real Chromium with a fake microphone."""

import re
import shutil
import socket
import threading
import time

import numpy as np
import pytest
import soundfile as sf
from fastapi.testclient import TestClient

from analyzer.audio.clip import decode
from analyzer.practice.app import create_app
from tools import require_tool

from conftest import SAMPLES


@pytest.fixture
def client(analyzer, tmp_path):
    with TestClient(create_app(analyzer, tmp_path / "data")) as c:
        yield c


def upload(client, path, name=None):
    with open(path, "rb") as fh:
        return client.post("/api/attempts", files={"audio": (name or path.name, fh, "application/octet-stream")})


def test_attempts_are_scored_and_compared_with_the_last(client):
    first = upload(client, SAMPLES / "once_fast_festival.ogg")
    assert first.status_code == 201
    body = first.json()
    assert body["score"] == 65 and body["flags"] == ["number-not-repeated", "number-too-fast"]
    assert "since_last" not in body
    assert body["recording"]["audio"] == f"/api/attempts/{body['id']}/audio"
    assert client.get(body["recording"]["audio"]).content == (SAMPLES / "once_fast_festival.ogg").read_bytes()

    second = upload(client, SAMPLES / "good_espeak_us.wav").json()
    assert second["since_last"] == {"previous_id": body["id"], "previous_score": 65,
                                    "gone": ["number-not-repeated", "number-too-fast"], "came": []}
    history = client.get("/api/attempts").json()["attempts"]
    assert [(a["id"], a["score"]) for a in history] == [(body["id"], 65), (second["id"], 100)]


def test_the_script_card_number_is_checked(client):
    card = {"name": "Sam Carter", "company": "Brightline Payroll", "benefit": "cut payroll time in half",
            "number": "816-916-6141"}
    assert client.put("/api/script", json=card).json() == card
    assert client.get("/api/script").json() == card
    body = upload(client, SAMPLES / "wrong_digit_espeak.ogg").json()
    assert "wrong-number" in body["flags"]
    assert client.put("/api/script", content=b"[1, 2]", headers={"content-type": "application/json"}).status_code == 400


def test_oversized_upload_gets_413_and_nothing_is_kept(analyzer, tmp_path):
    with TestClient(create_app(analyzer, tmp_path / "data", max_upload_bytes=200_000)) as c:
        response = upload(c, SAMPLES / "good_espeak_us.wav")  # about 800 KB
        assert response.status_code == 413
        assert response.json()["error"].startswith("The recording is larger than 0 MiB")
        assert list((tmp_path / "data" / "audio").iterdir()) == []
        assert c.get("/api/attempts").json() == {"attempts": []}


def test_text_file_gets_a_clear_error(client, tmp_path):
    notes = tmp_path / "notes.wav"
    notes.write_text("call me back")
    response = upload(client, notes)
    assert response.status_code == 422
    assert response.json()["error"].startswith("notes.wav could not be read as audio")
    assert client.get("/api/attempts").json() == {"attempts": []}


@pytest.mark.parametrize("path", [
    "/api/attempts/..%2f..%2fpractice.sqlite3/audio",
    "/api/attempts/1/../../practice.sqlite3",
    "/../practice.sqlite3",
    "/api/attempts/%2e%2e/audio",
    "/api/attempts/1%2f..%2f..%2f..%2fetc%2fpasswd/audio",
    "/audio/practice.sqlite3",
    "/api/attempts/99/audio",
])
def test_nothing_outside_the_data_folder_is_served(client, path):
    upload(client, SAMPLES / "once_fast_festival.ogg")
    response = client.get(path)
    assert response.status_code in (404, 422)
    assert b"SQLite format" not in response.content and b"root:" not in response.content


@pytest.mark.parametrize("attempt", ["9223372036854775808", "99999999999999999999999", "-1", "0"])
def test_an_id_no_attempt_can_have_is_not_found(client, attempt):
    for path in (f"/api/attempts/{attempt}", f"/api/attempts/{attempt}/audio"):
        response = client.get(path)
        assert response.status_code == 404, (path, response.status_code)  # never a 500 from an overflow


@pytest.mark.parametrize("headers", [
    {"Origin": "http://evil.example"},
    {"Origin": "http://127.0.0.1:1"},  # this machine, another port: another site all the same
    {"Sec-Fetch-Site": "cross-site"},
    {"Origin": "http://testserver", "Sec-Fetch-Site": "same-site"},
])
def test_a_write_from_another_site_is_refused_before_its_body_is_read(client, headers):
    with open(SAMPLES / "filler_flite_kal.ogg", "rb") as fh:
        response = client.post("/api/attempts", headers=headers, files={"audio": ("x.ogg", fh, "audio/ogg")})
    assert response.status_code == 403 and "Only the practice page itself" in response.json()["error"]
    assert client.put("/api/script", headers=headers, json={"number": "555-0100"}).status_code == 403
    assert client.get("/api/attempts").json()["attempts"] == []  # nothing was added
    assert list((client.app.state.store.audio_dir).iterdir()) == []  # nor stored
    # the page's own requests (same origin) and local tools (no Origin) still work
    same = {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}
    assert client.put("/api/script", headers=same, json={"number": "816-916-6141"}).status_code == 200
    assert client.put("/api/script", json={"number": "816-916-6141"}).status_code == 200


def test_only_this_machine_may_connect(client):
    assert client.get("/", headers={"host": "practice.example.com"}).status_code == 400
    assert client.get("/", headers={"host": "127.0.0.1:8000"}).status_code == 200


def test_attempts_survive_a_restart(analyzer, tmp_path):
    data = tmp_path / "data"
    with TestClient(create_app(analyzer, data)) as c:
        first = upload(c, SAMPLES / "once_fast_festival.ogg").json()
        upload(c, SAMPLES / "good_espeak_us.wav")
        c.app.state.store.close()
    with TestClient(create_app(analyzer, data)) as c:
        history = c.get("/api/attempts").json()["attempts"]
        assert [a["score"] for a in history] == [65, 100]
        assert c.get(f"/api/attempts/{first['id']}").json()["score"] == 65
        assert c.get(f"/api/attempts/{first['id']}/audio").status_code == 200


def _serve(app):
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    return server, thread, f"http://127.0.0.1:{port}/"


def test_rep_records_with_the_microphone_then_tries_again(analyzer, tmp_path):
    chromium = require_tool("chromium")
    playwright = pytest.importorskip("playwright.sync_api")
    # Chromium's fake microphone plays a WAV file: a short message with no name, company or benefit
    clip = decode(SAMPLES / "short_espeak_gb.m4a")
    mic = tmp_path / "mic.wav"
    sf.write(mic, np.concatenate([clip.samples, np.zeros(16000, np.float32)]), 16000, subtype="PCM_16")
    second = tmp_path / "second try.wav"
    shutil.copy(SAMPLES / "good_espeak_us.wav", second)

    server, thread, url = _serve(create_app(analyzer, tmp_path / "data"))
    args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream", f"--use-file-for-fake-audio-capture={mic}"]
    problems, expected = [], []  # expected: the browser's own line for the bad file's 422
    try:
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=args, headless=True)
            page = browser.new_page()
            page.on("console", lambda m: problems.append(m.text)
                    if m.type == "error" and "status of 422" not in m.text else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.goto(url)
            # a first visit says what to do; the upload control has a label a screen reader says
            assert page.locator("#no-history").is_visible() and page.locator("#first-hint").is_visible()
            assert page.get_by_label("Upload a recording").count() == 1
            page.click("#record")
            page.wait_for_selector("#record.recording")
            page.wait_for_timeout(int(clip.duration_s * 1000) - 300)
            page.click("#record")  # stop
            page.wait_for_selector("#status.busy")  # the analysis is shown as under way
            assert page.locator("#upload").is_disabled()  # and nothing else can be sent meanwhile
            page.wait_for_selector("#score", timeout=60_000)
            assert page.locator("#upload").is_enabled() and not page.locator("#no-history").is_visible()
            result = page.locator("#result").inner_text()
            for name in ("message-too-short", "no-name-or-company", "no-benefit-claim"):
                assert name in result, result
            first_score = int(page.locator("#score").inner_text())
            assert first_score < 80
            assert page.locator("#result audio").get_attribute("src").startswith("/api/attempts/")

            page.set_input_files("#upload", str(second))
            scored = "document.querySelector('#score') && document.querySelector('#score').textContent == '100'"
            page.wait_for_function(scored, timeout=60_000)
            since = page.locator("#since-last").inner_text()
            assert "Fixed:" in since and "Message too short" in since and "message-too-short" not in since
            page.wait_for_function("document.querySelectorAll('#history li').length == 2")
            history = page.locator("#history").inner_text()
            assert re.search(rf"attempt 1 · {first_score}\b", history) and re.search(r"attempt 2 · 100\b", history)
            assert page.locator("#trend circle").count() == 2
            assert "score by attempt" in page.locator("#trend").inner_text()  # the trend has its axis
            # a bad file: its sentence, in plain words, and the last attempt's result is gone
            notes = tmp_path / "notes.wav"
            notes.write_text("call Dana back")
            page.on("console", lambda m: expected.append(m.text) if "status of 422" in m.text else None)
            page.set_input_files("#upload", str(notes))
            page.wait_for_selector("#status.error", timeout=30_000)
            said = page.locator("#status").inner_text()
            assert "could not be read as audio" in said and "Invalid data" not in said
            assert page.locator("#result").inner_html() == ""
            unnamed = page.evaluate("[...document.querySelectorAll('button, input, select')].filter(b => !("
                                    "b.textContent.trim() || b.getAttribute('aria-label') || b.labels?.length)).length")
            assert unnamed == 0
            for width in (390, 1280):  # no sideways scrolling on a phone or a desktop
                page.set_viewport_size({"width": width, "height": 900})
                assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), width
            browser.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    assert problems == [] and len(expected) == 1


def test_a_200_mb_upload_is_refused_before_its_body_is_read(analyzer, tmp_path):
    import http.client

    app = create_app(analyzer, tmp_path / "data")
    server, thread, url = _serve(app)
    try:
        port = int(url.rsplit(":", 1)[1].strip("/"))
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.putrequest("POST", "/api/attempts")
        conn.putheader("Content-Type", "multipart/form-data; boundary=xyz")
        conn.putheader("Content-Length", str(200 * 2**20))
        conn.endheaders()
        conn.send(b"--xyz\r\n")  # a few bytes of the 200 MB promised: the answer must not wait for the rest
        response = conn.getresponse()
        assert response.status == 413 and b"larger than 25 MiB" in response.read()
        conn.close()
        assert list(app.state.store.audio_dir.iterdir()) == []  # nothing of it stored
    finally:
        server.should_exit = True
        thread.join(timeout=10)
