#!/usr/bin/env python3
"""Take the README's pictures from the real pages, at desktop and at phone width:
docs/practice.png and docs/practice-phone.png (the practice page after two uploaded attempts),
docs/report.png and docs/report-phone.png (the first screen of a team report: six sample
recordings graded as three reps).

Needs Debian's chromium and the test extra (playwright). .venv/bin/python tools/screenshots.py
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WIDTHS = {"": (1200, 1150), "-phone": (390, 1400)}
TEAM = {"alice": ["good_espeak_us.wav", "follow_up_flite_slt.mp3"],
        "bob": ["once_fast_festival.ogg", "fast_talker_espeak.wav"],
        "carol": ["no_name_festival.flac", "long_ramble_espeak.m4a"]}


def main() -> int:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        practice(browser)
        report(browser)
        browser.close()
    for name in ("practice", "report"):
        for suffix in WIDTHS:
            print(ROOT / "docs" / f"{name}{suffix}.png")
    return 0


def practice(browser) -> None:
    import uvicorn

    from analyzer.checks.pack import load_pack
    from analyzer.pipeline import Analyzer
    from analyzer.practice.app import create_app

    with tempfile.TemporaryDirectory() as data, socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        server = uvicorn.Server(uvicorn.Config(create_app(Analyzer(load_pack()), Path(data)), host="127.0.0.1",
                                               port=port, log_level="warning"))
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        page = browser.new_page(viewport={"width": 1200, "height": 1150})
        page.goto(f"http://127.0.0.1:{port}/")
        for field, value in (("name", "Maria Lopez"), ("company", "Acme Analytics"),
                             ("benefit", "We help teams like yours cut reporting time in half."),
                             ("number", "402-730-5108")):
            page.fill(f"#{field}", value)
        page.click("#save-card")
        for n, name in enumerate(("once_fast_festival.ogg", "follow_up_flite_slt.mp3"), 1):
            page.set_input_files("#upload", str(ROOT / "sample_audio" / name))
            page.wait_for_function(f"document.querySelectorAll('#history li').length == {n}", timeout=60_000)
        for suffix, (width, height) in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": height})
            page.wait_for_timeout(1500)  # the waveform
            page.screenshot(path=str(ROOT / "docs" / f"practice{suffix}.png"))
        server.should_exit = True


def report(browser) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        team = Path(tmp) / "team"
        for rep, names in TEAM.items():
            (team / rep).mkdir(parents=True)
            for name in names:
                shutil.copy(ROOT / "sample_audio" / name, team / rep / name)
        subprocess.run([sys.executable, "-m", "analyzer", "grade", str(team), "--out", str(Path(tmp) / "out"),
                        "--no-cache", "--fail-on", "never"], check=True, cwd=ROOT, capture_output=True)
        page = browser.new_page()
        page.goto((Path(tmp) / "out" / "report.html").as_uri())
        for suffix, (width, height) in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": height})
            page.wait_for_timeout(500)
            page.screenshot(path=str(ROOT / "docs" / f"report{suffix}.png"))


if __name__ == "__main__":
    sys.exit(main())
