"""Results kept by content: a recording graded once is not graded again with the same pack,
engine, model and code. Each entry is written atomically the moment it is ready, so an
interrupted run resumes where it stopped.

The cache keeps itself small: entries live in a folder per version of the code (a code change
makes every older entry stale), a version unused for a day is removed, and past MAX_BYTES the
entries used longest ago go first (a recording deleted or changed is never asked for again, so
its entry ages out).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import time
from contextlib import suppress
from pathlib import Path

from .. import __version__
from ..storage import user_cache_dir, write_bytes_atomic, write_text_atomic

MAX_BYTES = 1 << 30  # 1 GiB: a team's report entry and its player copy are about 100 KB a recording
STALE_S = 24 * 3600  # another version's folder, unused this long, is removed
VERSION_FOLDER = re.compile(r"[0-9a-f]{16}")
OLD_LAYOUT_FOLDER = re.compile(r"[0-9a-f]{2}")  # before versions had folders: all stale


def default_dir() -> Path:
    return user_cache_dir() / "grade"


@functools.cache
def code_hash() -> str:
    """The analyzer's own source and rule packs: a change to either makes old results stale."""
    root = Path(__file__).resolve().parent.parent  # analyzer/, this file being in analyzer/grade/
    digest = hashlib.sha256()
    for path in sorted(list(root.rglob("*.py")) + list((root / "packs").rglob("*.toml"))):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def version_folder() -> str:
    return hashlib.sha256(f"{__version__}:{code_hash()}".encode()).hexdigest()[:16]


class Cache:
    def __init__(self, directory: Path | None, fingerprint: str, *, max_bytes: int = MAX_BYTES):
        self.root = directory  # None: no cache
        self.directory = directory / version_folder() if directory is not None else None
        self.fingerprint = fingerprint
        self.max_bytes = max_bytes

    def _path(self, directory: Path, content: str, suffix: str) -> Path:
        key = hashlib.sha256(f"{self.fingerprint}:{content}".encode()).hexdigest()
        return directory / key[:2] / f"{key}{suffix}"

    def get(self, content: str) -> tuple[dict, bytes | None] | None:
        if self.directory is None:
            return None
        path = self._path(self.directory, content, ".json")
        try:
            report = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        with suppress(OSError):
            os.utime(path)  # used now: the size cap removes the entries used longest ago
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

    def prune(self, now: float | None = None) -> None:
        """Remove other versions' folders unused for STALE_S, then the entries used longest ago
        while the folder holds more than max_bytes. Never fails a run: what cannot go stays."""
        if self.root is None or self.directory is None or not self.directory.is_dir():
            return
        now = time.time() if now is None else now
        with suppress(OSError):
            os.utime(self.directory)  # this version is in use
            for folder in self.root.iterdir():
                if folder == self.directory or not folder.is_dir() or folder.is_symlink():
                    continue
                stale = OLD_LAYOUT_FOLDER.fullmatch(folder.name) or (
                    VERSION_FOLDER.fullmatch(folder.name) and now - folder.stat().st_mtime > STALE_S)
                if stale:
                    shutil.rmtree(folder, ignore_errors=True)
        entries = []
        for report in self.directory.glob("*/*.json"):
            with suppress(OSError):
                files = [report, report.with_suffix(".webm")]
                size = sum(f.stat().st_size for f in files if f.exists())
                entries.append((report.stat().st_mtime, size, files))
        total = sum(size for _, size, _ in entries)
        for _, size, files in sorted(entries, key=lambda e: e[0]):
            if total <= self.max_bytes:
                break
            for file in files:  # the report first: an entry without its report is never read
                file.unlink(missing_ok=True)
            total -= size
