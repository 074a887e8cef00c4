"""Results kept by content: a recording graded once is not graded again with the same pack,
engine, model and code. Each entry is written atomically the moment it is ready, so an
interrupted run resumes where it stopped."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..storage import user_cache_dir, write_bytes_atomic, write_text_atomic


def default_dir() -> Path:
    return user_cache_dir() / "grade"


def code_hash() -> str:
    """The analyzer's own source and rule packs: a change to either makes old results stale."""
    root = Path(__file__).resolve().parent.parent  # analyzer/, this file being in analyzer/grade/
    digest = hashlib.sha256()
    for path in sorted(list(root.rglob("*.py")) + list((root / "packs").glob("*.toml"))):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


class Cache:
    def __init__(self, directory: Path | None, fingerprint: str):
        self.directory = directory  # None: no cache
        self.fingerprint = fingerprint

    def _path(self, directory: Path, content: str, suffix: str) -> Path:
        key = hashlib.sha256(f"{self.fingerprint}:{content}".encode()).hexdigest()
        return directory / key[:2] / f"{key}{suffix}"

    def get(self, content: str) -> tuple[dict, bytes | None] | None:
        if self.directory is None:
            return None
        try:
            report = json.loads(self._path(self.directory, content, ".json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        try:
            audio = self._path(self.directory, content, ".webm").read_bytes()
        except OSError:
            audio = None
        return report, audio

    def put(self, content: str, report: dict, audio: bytes | None) -> None:
        if self.directory is None:
            return
        path = self._path(self.directory, content, ".json")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if audio is not None:  # the audio first: a report entry promises its audio is there
                write_bytes_atomic(self._path(self.directory, content, ".webm"), audio)
            write_text_atomic(path, json.dumps(report))
        except OSError:
            pass  # a full or read-only cache costs a re-analysis next time, nothing else
