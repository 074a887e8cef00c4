"""Start the practice app on this machine and open it in the browser."""

from __future__ import annotations

import os
import socket
import threading
import webbrowser
from pathlib import Path

from ..errors import UsageError


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "voicemail-analyzer" / "practice"


def free_port(host: str) -> int:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def serve(*, host: str, port: int, data: Path | None, pack: str | None, engine: str, model: str | None,
          open_browser: bool, max_upload_bytes: int) -> None:
    import uvicorn

    from ..checks.pack import load_pack
    from ..pipeline import Analyzer
    from .app import create_app

    analyzer = Analyzer(load_pack(pack), engine=engine, model=model)
    data = data or default_data_dir()
    try:
        data.mkdir(parents=True, exist_ok=True)
        port = port or free_port(host)
    except OSError as exc:
        raise UsageError(f"Cannot start the practice app ({exc.strerror}); check --data and --port.") from None
    app = create_app(analyzer, data, max_upload_bytes=max_upload_bytes)
    url = f"http://{'localhost' if host in ('127.0.0.1', '::1') else host}:{port}/"
    print(f"practice page: {url}  (attempts kept in {data}; Ctrl-C to stop)", flush=True)
    if open_browser:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    uvicorn.run(app, host=host, port=port, log_level="warning")
