#!/usr/bin/env python3
"""Take docs/practice.png from the real practice page: two attempts uploaded, the second shown.

Needs Debian's chromium and the test extra (playwright). .venv/bin/python tools/practice_screenshot.py
"""

from __future__ import annotations

import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    import uvicorn
    from playwright.sync_api import sync_playwright

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
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
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
            page.wait_for_timeout(1500)  # the waveform
            page.screenshot(path=str(ROOT / "docs" / "practice.png"))
            browser.close()
        server.should_exit = True
    print(ROOT / "docs" / "practice.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
