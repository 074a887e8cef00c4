"""Start the practice app on this machine and open it in the browser."""

from __future__ import annotations

import errno
import os
import socket
import threading
import webbrowser
from pathlib import Path

from ..errors import UsageError

BACKLOG = 128


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "voicemail-analyzer" / "practice"


def listening_socket(host: str, port: int) -> socket.socket:
    """The app's socket, bound here (port 0: a free one) so that a busy port is one sentence and
    the URL printed is the app's own, never another server's on a port found free a moment before."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(f"Port {port} on {host} is already in use (another practice page, or another "
                             "program); pass another --port, or leave it out to take a free one.") from None
        raise UsageError(f"Cannot listen on {host} port {port} ({exc.strerror}); check --host and --port.") from None
    sock.listen(BACKLOG)  # from now on a browser that opens the URL waits for the app, never refused
    return sock


def serve(*, host: str, port: int, data: Path | None, pack: str | None, engine: str, model: str | None,
          open_browser: bool, max_upload_bytes: int, phone_line: bool = False) -> None:
    """`phone_line`: hear every attempt through a phone line as well (the pack's, else a mobile call's;
    a pack's `phone_line` turns it on too)."""
    import uvicorn

    from ..checks.pack import load_pack
    from ..pipeline import Analyzer
    from .app import create_app

    data = data or default_data_dir()
    try:
        data.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"Cannot keep attempts in {data} ({exc.strerror}); pass another --data folder.") from None
    sock = listening_socket(host, port)  # before the model loads: a busy port is told at once
    port = sock.getsockname()[1]
    try:
        rules = load_pack(pack)
        analyzer = Analyzer(rules, engine=engine, model=model, phone_line=rules.line(phone_line))
    except BaseException:
        sock.close()
        raise
    app = create_app(analyzer, data, max_upload_bytes=max_upload_bytes)
    url = f"http://{'localhost' if host in ('127.0.0.1', '::1') else host}:{port}/"
    print(f"practice page: {url}  (attempts kept in {data}; Ctrl-C to stop)", flush=True)
    if open_browser:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    try:
        uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[sock])
    finally:
        app.state.store.close()
