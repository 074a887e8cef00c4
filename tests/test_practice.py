"""`voicemail practice`: the API's limits and safety, and a rep's loop in real Chromium with a fake microphone."""

import contextlib
import json
import os
import re
import select
import shutil
import socket
import stat
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

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


@pytest.mark.parametrize("number", ["abc", "12345"])
def test_a_script_card_number_that_is_no_number_is_refused_and_not_kept(client, number):
    before = client.get("/api/script").json()
    response = client.put("/api/script", json={"name": "Sam", "number": number})
    assert response.status_code == 422
    assert response.json()["error"].startswith(f"The script card's number: {number!r} is not a callback number; "
                                               "write 10 digits with the area code, as in 816-916-6141")
    assert client.get("/api/script").json() == before
    assert client.put("/api/script", json={"name": "Sam", "number": ""}).status_code == 200  # no number: not checked


def test_an_attempt_is_deleted_with_its_recording_and_the_history_exported(client):
    import csv
    import io
    import zipfile

    first = upload(client, SAMPLES / "once_fast_festival.ogg").json()
    second = upload(client, SAMPLES / "good_espeak_us.wav").json()
    rows = list(csv.DictReader(io.StringIO(client.get("/api/export.csv").text)))
    assert [(r["attempt"], r["score"], r["source"]) for r in rows] == [
        (str(first["id"]), "65", "once_fast_festival.ogg"), (str(second["id"]), "100", "good_espeak_us.wav")]
    assert rows[0]["flags"] == "number-not-repeated; number-too-fast"
    archive = zipfile.ZipFile(io.BytesIO(client.get("/api/export.zip").content))
    names = set(archive.namelist())
    assert names == {"attempts.csv", rows[0]["recording"], rows[1]["recording"]}
    assert archive.read(rows[1]["recording"]) == (SAMPLES / "good_espeak_us.wav").read_bytes()
    assert client.delete(f"/api/attempts/{first['id']}").json() == {"deleted": first["id"]}
    assert [a["id"] for a in client.get("/api/attempts").json()["attempts"]] == [second["id"]]
    assert len(list(client.app.state.store.audio_dir.iterdir())) == 1  # its recording went with it
    assert client.delete(f"/api/attempts/{first['id']}").status_code == 404
    assert client.delete(f"/api/attempts/{second['id']}", headers={"Origin": "http://evil.example"}).status_code == 403


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
            # the measurements as the terminal writes them, silence and pitch among them
            measures = page.locator("#result .measures").inner_text()
            assert re.search(r"spoken \d+\.\d s · \d+ wpm \(\d+ without pauses\) · silence \d+\.\d s before", measures)
            assert "pitch" in measures and "(s)" not in measures, measures
            # a reload shows the last result, and the history its attempts once, newest first
            page.reload()
            page.wait_for_function(scored, timeout=30_000)
            assert page.locator("#history li").first.inner_text().startswith("attempt 2 · 100")
            # an attempt is deleted from the page; the history can be taken away
            assert page.locator("#export a[href='/api/export.zip']").is_visible()
            page.on("dialog", lambda d: d.accept())
            page.get_by_label("Delete attempt 1").click()
            page.wait_for_function("document.querySelectorAll('#history li').length == 1")
            assert page.evaluate("document.querySelector('#history').tagName") == "UL"
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


def test_the_script_card_refuses_a_bad_number_and_a_failed_recording_is_yours(analyzer, tmp_path):
    chromium = require_tool("chromium")
    playwright = pytest.importorskip("playwright.sync_api")
    mic = tmp_path / "silence.wav"
    sf.write(mic, np.zeros(16000 * 4, np.float32), 16000, subtype="PCM_16")
    args = ["--no-sandbox", "--disable-gpu", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-audio-capture={mic}"]
    server, thread, url = _serve(create_app(analyzer, tmp_path / "data"))
    try:
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=args, headless=True)
            page = browser.new_page()
            page.goto(url)
            # while recording: the button and the time, nothing dangling ("■ Stop 3 s or")
            page.click("#record")
            page.wait_for_selector("#record.recording")
            page.wait_for_function("document.querySelector('#timer').textContent.startsWith('recording: ')")
            assert not page.locator("#or").is_visible() and not page.locator("label.upload").is_visible()
            page.wait_for_timeout(2000)
            page.click("#record")
            page.wait_for_selector("#status.error", timeout=60_000)
            said = page.locator("#status").inner_text()  # the rep's recording, not "recording.webm"
            assert said.startswith("Your recording is silent") and "recording.webm" not in said, said
            assert page.locator("#or").is_visible()
            page.fill("#number", "abc")
            page.click("#save-card")
            page.wait_for_selector("#card-status.card-error")
            said = page.locator("#card-status").inner_text()
            assert said.startswith("The script card's number: 'abc' is not a callback number; write 10 digits")
            assert "checked in every attempt" not in said
            page.fill("#number", "(816) 916-6141")
            page.click("#save-card")
            page.wait_for_function("document.querySelector('#card-status').className == 'dim'")
            assert page.locator("#card-status").inner_text() == "saved: your number is checked in every attempt"
            browser.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)


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


def test_the_model_goes_to_the_shortest_recording_waiting():
    from analyzer.practice.turns import Turns

    turns, order = Turns(), []
    running, release = threading.Event(), threading.Event()

    def analyse(name, seconds, hold=None):
        with turns.turn(seconds):
            order.append(name)
            if hold:
                running.set()
                release.wait(10)

    first = threading.Thread(target=analyse, args=("first", 30.0, True))
    first.start()
    running.wait(10)
    waiting = [threading.Thread(target=analyse, args=(n, s)) for n, s in (("long", 290.0), ("rep's own", 25.0))]
    for t in waiting:
        t.start()
        time.sleep(0.2)  # the long one arrives first
    release.set()
    for t in [first, *waiting]:
        t.join(10)
    assert order == ["first", "rep's own", "long"]


def test_a_recording_over_the_length_limit_is_refused_once_that_much_is_decoded(client, tmp_path):
    ffmpeg = require_tool("ffmpeg")
    long = tmp_path / "twenty_minutes.opus"
    subprocess.run([ffmpeg, "-loglevel", "error", "-f", "lavfi", "-i", "sine=frequency=220:duration=1200",
                    "-c:a", "libopus", "-b:a", "8k", str(long)], check=True)
    start = time.perf_counter()
    response = upload(client, long)
    took = time.perf_counter() - start
    assert response.status_code == 422
    assert response.json()["error"].startswith("twenty_minutes.opus is longer than 5 minutes")
    assert took < 10, took  # 5 minutes decoded, nothing transcribed (the whole file took 60 s and more)
    assert client.get("/api/attempts").json()["attempts"] == []


@pytest.fixture
def practice_server(tmp_path):
    """`voicemail practice` as a rep starts it, in its own process, with its own temporary folder."""
    servers = []

    def start(data=None, port=0):
        temp = tmp_path / f"tmp{len(servers)}"
        temp.mkdir()
        child = subprocess.Popen([sys.executable, "-m", "analyzer", "practice", "--no-browser", "--port", str(port),
                                  "--data", str(data or tmp_path / "data")],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 env={**os.environ, "TMPDIR": str(temp)})
        servers.append(child)
        line = child.stdout.readline()
        match = re.search(r"http://localhost:(\d+)/", line)
        assert match, line + child.stderr.read()
        return child, int(match.group(1)), temp

    yield start
    for child in servers:
        child.kill()
        child.communicate()


def _resident_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024


def _open_files_mb(pid: int) -> float:
    """What the files the process holds open hold: its temporary files too, which have no name."""
    total = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            info = os.stat(fd)
            total += info.st_size if stat.S_ISREG(info.st_mode) else 0
    return total / 2**20


def _folder_mb(folder: Path) -> float:
    total = 0
    for f in folder.rglob("*"):
        with contextlib.suppress(OSError):
            total += f.stat().st_size
    return total / 2**20


def test_a_200_mb_upload_without_a_declared_length_is_cut_off_at_the_limit(practice_server):
    child, port, temp = practice_server()
    assert urllib.request.urlopen(f"http://127.0.0.1:{port}/api/attempts").status == 200
    time.sleep(0.5)
    idle, idle_files = _resident_mb(child.pid), _open_files_mb(child.pid)
    peaks = {"memory": 0.0, "temp": 0.0}
    done = threading.Event()

    def watch():
        while not done.is_set():
            peaks["memory"] = max(peaks["memory"], _resident_mb(child.pid) - idle)
            peaks["temp"] = max(peaks["temp"], _folder_mb(temp), _open_files_mb(child.pid) - idle_files)
            time.sleep(0.01)

    watcher = threading.Thread(target=watch)
    watcher.start()
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(f"POST /api/attempts HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nTransfer-Encoding: chunked\r\n"
                 "Content-Type: multipart/form-data; boundary=xyz\r\n\r\n".encode())
    part = (b'--xyz\r\nContent-Disposition: form-data; name="audio"; filename="big.wav"\r\n'
            b"Content-Type: application/octet-stream\r\n\r\n")
    sent, block = 0, bytes(2**20)
    try:
        sock.sendall(b"%x\r\n%s\r\n" % (len(part), part))
        while sent < 200 * 2**20 and not select.select([sock], [], [], 0)[0]:  # until the server answers
            sock.sendall(b"%x\r\n%s\r\n" % (len(block), block))
            sent += len(block)
    except OSError:
        pass  # the server stopped reading and closed: the answer is waiting
    answer = b""
    with contextlib.suppress(OSError):
        while chunk := sock.recv(65536):
            answer += chunk
    sock.close()
    time.sleep(0.3)
    done.set()
    watcher.join()
    assert answer.startswith(b"HTTP/1.1 413") and b"larger than 25 MiB" in answer, answer[:300]
    assert sent < 100 * 2**20  # cut off, not read to the end
    print(f"cut off after {sent / 2**20:.0f} MiB sent; above idle: {peaks}")
    assert peaks["memory"] < 30 and peaks["temp"] < 30, peaks
    assert _folder_mb(temp) == 0 and not list((temp.parent / "data" / "audio").iterdir())


def test_a_busy_port_is_one_sentence(practice_server, tmp_path):
    _, port, _ = practice_server()
    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "analyzer", "practice", "--no-browser", "--port", str(port),
                          "--data", str(tmp_path / "other")], capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and time.perf_counter() - start < 10
    assert f"Port {port} on 127.0.0.1 is already in use" in run.stderr and "Traceback" not in run.stderr
    assert "practice page" not in run.stdout  # no URL of the other server printed as if it were this one


def test_a_server_killed_mid_analysis_leaves_no_recording_behind(practice_server, tmp_path):
    ffmpeg = require_tool("ffmpeg")
    long = tmp_path / "three_minutes.wav"
    subprocess.run([ffmpeg, "-loglevel", "error", "-stream_loop", "-1", "-i", str(SAMPLES / "good_espeak_us.wav"),
                    "-t", "180", str(long)], check=True)
    data = tmp_path / "data"
    child, port, _ = practice_server(data)

    def send():
        with contextlib.suppress(OSError):
            body, kind = _multipart("audio", long)
            request = urllib.request.Request(f"http://127.0.0.1:{port}/api/attempts", data=body,
                                             headers={"Content-Type": kind})
            urllib.request.urlopen(request, timeout=60)

    threading.Thread(target=send, daemon=True).start()
    deadline = time.time() + 30
    while not list((data / "incoming").rglob("*.wav")) and time.time() < deadline:
        time.sleep(0.05)
    assert list((data / "incoming").rglob("*.wav"))  # stored, now being analysed
    time.sleep(1.0)
    child.kill()  # the server dies mid-analysis
    child.communicate()
    _, port, _ = practice_server(data)  # the next start clears what it left
    assert list((data / "incoming").rglob("*.wav")) == [] and list((data / "audio").iterdir()) == []
    assert json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/api/attempts").read()) == {"attempts": []}


def _multipart(field: str, path: Path) -> tuple[bytes, str]:
    head = (f'--xyz\r\nContent-Disposition: form-data; name="{field}"; filename="{path.name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n").encode()
    return head + path.read_bytes() + b"\r\n--xyz--\r\n", "multipart/form-data; boundary=xyz"
