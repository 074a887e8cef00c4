"""Results kept by content: a recording analysed once is not analysed again with the same engine,
model and code, and not judged again with the same pack and number either. Each entry is written
atomically the moment it is ready, so an interrupted run resumes where it stopped.

The cache keeps itself small: entries live in a folder per version of the code (a code change
makes every older entry stale), a version unused for a day is removed, and past MAX_BYTES the
entries used longest ago go first (a recording deleted or changed is never asked for again, so
its entry ages out).
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import re
import shutil
import time
from contextlib import suppress
from pathlib import Path

import numpy as np

from .. import __version__
from ..storage import keep_in_cache, user_cache_dir

MAX_BYTES = 1 << 30  # 1 GiB: a team's report entry and its player copy are about 100 KB a recording
STALE_S = 24 * 3600  # another version's folder, unused this long, is removed
VERSION_FOLDER = re.compile(r"[0-9a-f]{16}")
OLD_LAYOUT_FOLDER = re.compile(r"[0-9a-f]{2}")  # before versions had folders: all stale
ANALYSES, VERDICTS = "analyses", "verdicts"  # the two levels' folders in a version's


def default_dir() -> Path:
    return user_cache_dir() / "grade"


@functools.cache
def code_hash() -> str:
    """The analyzer's own source and rule packs (their examples and word lists too): a change to
    any makes old results stale."""
    root = Path(__file__).resolve().parent.parent  # analyzer/, this file being in analyzer/grade/
    digest = hashlib.sha256()
    data = [p for p in (root / "packs").rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    for path in sorted(set(root.rglob("*.py")) | set(data)):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def version_folder() -> str:
    return hashlib.sha256(f"{__version__}:{code_hash()}".encode()).hexdigest()[:16]


class Cache:
    """Two levels, each entry keyed by the recording's content:
    - an analysis (results.Analysis: the transcript and the signal's measurements), the player's
      copy of the audio, and the clauses' sentence vectors (the costly part of the rules' reading,
      the same for every pack), under `listening` (the code, the engine and the model);
    - a verdict (the FileReport: the rules' findings and score), under `listening` and `judging`
      (the pack, the rep's number, the selection).
    A new pack or --number finds the analyses and re-runs only the rules."""

    def __init__(self, directory: Path | None, listening: str, judging: str = "", *, max_bytes: int = MAX_BYTES):
        self.root = directory  # None: no cache
        self.directory = directory / version_folder() if directory is not None else None
        self.listening = listening
        self.judging = judging
        self.max_bytes = max_bytes

    def _path(self, level: str, content: str, suffix: str) -> Path:
        assert self.directory is not None
        fingerprint = self.listening if level == ANALYSES else f"{self.listening}|{self.judging}"
        key = hashlib.sha256(f"{fingerprint}:{content}".encode()).hexdigest()
        return self.directory / level / key[:2] / f"{key}{suffix}"

    def analysis(self, content: str) -> tuple[dict, bytes | None] | None:
        """The analysis entry and its player's copy (None if it had none)."""
        entry = self._read(ANALYSES, content)
        if entry is None:
            return None
        try:
            audio = self._path(ANALYSES, content, ".webm").read_bytes()
        except OSError:
            audio = None
        return entry, audio

    def vectors(self, content: str) -> np.ndarray | None:
        """The clauses' sentence vectors kept with the analysis (pipeline.Judge.vectors)."""
        if self.directory is None:
            return None
        try:
            return np.load(io.BytesIO(self._path(ANALYSES, content, ".npy").read_bytes()), allow_pickle=False)
        except (OSError, ValueError):
            return None

    def verdict(self, content: str) -> dict | None:
        return self._read(VERDICTS, content)

    def keep_analysis(self, content: str, entry: dict, audio: bytes | None) -> None:
        if audio is not None:  # the audio first: an analysis entry promises its audio is there
            self._write(ANALYSES, content, ".webm", audio)
        self._write(ANALYSES, content, ".json", json.dumps(entry).encode())

    def keep_vectors(self, content: str, vectors: np.ndarray) -> None:
        data = io.BytesIO()
        np.save(data, vectors, allow_pickle=False)
        self._write(ANALYSES, content, ".npy", data.getvalue())

    def keep_verdict(self, content: str, entry: dict) -> None:
        self._write(VERDICTS, content, ".json", json.dumps(entry).encode())

    def _read(self, level: str, content: str) -> dict | None:
        if self.directory is None:
            return None
        path = self._path(level, content, ".json")
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        with suppress(OSError):
            os.utime(path)  # used now: the size cap removes the entries used longest ago
        return entry if isinstance(entry, dict) else None

    def _write(self, level: str, content: str, suffix: str, data: bytes) -> None:
        if self.directory is None:
            return
        keep_in_cache(self._path(level, content, suffix), data)

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
        for report in self.directory.glob("*/*/*.json"):
            with suppress(OSError):
                files = [report, report.with_suffix(".webm"), report.with_suffix(".npy")]
                size = sum(f.stat().st_size for f in files if f.exists())
                entries.append((report.stat().st_mtime, size, files))
        total = sum(size for _, size, _ in entries)
        for _, size, files in sorted(entries, key=lambda e: e[0]):
            if total <= self.max_bytes:
                break
            for file in files:  # the entry first: an entry without its JSON is never read
                file.unlink(missing_ok=True)
            total -= size
