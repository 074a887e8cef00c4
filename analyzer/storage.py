"""Files this tool writes or checks: atomic writes, checksums, and where its cache lives."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


def write_text_atomic(path: Path, text: str) -> None:
    """Write whole or not at all: an interruption never leaves half a file."""
    write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: Path, data: bytes) -> None:
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def keep_in_cache(path: Path, data: bytes) -> None:
    """A cache file written whole, its folder made where missing; a cache that cannot be written only
    costs the work again next time, so that is no error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(path, data)
    except OSError:
        pass


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def user_cache_dir() -> Path:
    """~/.cache/voicemail-analyzer, or under $XDG_CACHE_HOME."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "voicemail-analyzer"


def check_writable_folder(path: Path) -> None:
    """Prove that the folder can be written to, or made where it is missing, before any work whose
    results would go there, without making it (an interrupted run leaves nothing behind); OSError
    (with its strerror) when not."""
    if path.exists() and not path.is_dir():
        raise NotADirectoryError(20, "it is a file, not a folder", str(path))
    existing = path
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise NotADirectoryError(20, f"{existing} is a file, not a folder", str(existing))
    with tempfile.NamedTemporaryFile(dir=existing, prefix=".write-test-"):
        pass
