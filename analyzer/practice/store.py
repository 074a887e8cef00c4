"""The rep's attempts and script card, kept in a local SQLite file in the app's data folder."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    source TEXT NOT NULL,        -- what the rep called the recording ("recording.webm", an upload's name)
    audio_file TEXT NOT NULL,    -- a name inside the data folder's audio/, never a path from a request
    score INTEGER NOT NULL,
    report TEXT NOT NULL         -- the analyze JSON of this recording
);
CREATE TABLE IF NOT EXISTS script (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL DEFAULT '', company TEXT NOT NULL DEFAULT '',
    benefit TEXT NOT NULL DEFAULT '', number TEXT NOT NULL DEFAULT ''
);
"""
SCRIPT_FIELDS = ("name", "company", "benefit", "number")


# The largest id SQLite gives (a signed 64-bit integer).
MAX_ID = 2**63 - 1


@dataclass(frozen=True)
class Attempt:
    id: int
    created_at: str
    source: str
    audio_file: str
    score: int
    report: dict

    @property
    def flags(self) -> list[str]:
        return sorted({f["name"] for f in self.report["findings"]})


class Store:
    """Uploads are staged in incoming/<process id>-<random>/ while they are analysed and moved into
    audio/ with their row; what a server that died left in incoming/ is removed at the next start
    (a folder whose process is gone), so no recording is kept without its attempt."""

    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir)
        self.audio_dir = self.data_dir / "audio"
        self.audio_dir.mkdir(parents=True, exist_ok=True)
        self.incoming_dir = self.data_dir / "incoming" / f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        _sweep(self.incoming_dir.parent)
        self.incoming_dir.mkdir(parents=True, exist_ok=True)
        _OPEN.add(self.incoming_dir)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.data_dir / "practice.sqlite3", check_same_thread=False)
        self._db.executescript(SCHEMA)
        self._db.commit()

    def close(self) -> None:
        self._db.close()
        _OPEN.discard(self.incoming_dir)
        shutil.rmtree(self.incoming_dir, ignore_errors=True)

    def add(self, *, source: str, staged: Path, score: int, report: dict) -> Attempt:
        """The attempt, its recording (`staged`, in incoming_dir) moved into audio/ first."""
        audio_file = staged.name
        staged.replace(self.audio_dir / audio_file)
        created = datetime.now(UTC).isoformat(timespec="seconds")
        with self._lock, self._db:
            cursor = self._db.execute(
                "INSERT INTO attempts (created_at, source, audio_file, score, report) VALUES (?, ?, ?, ?, ?)",
                (created, source, audio_file, score, json.dumps(report)),
            )
        assert cursor.lastrowid is not None  # an INSERT always has one
        return Attempt(cursor.lastrowid, created, source, audio_file, score, report)

    def get(self, attempt_id: int) -> Attempt | None:
        if not 0 < attempt_id <= MAX_ID:  # SQLite's ids are 64-bit: a larger one is no attempt, not an overflow
            return None
        with self._lock:
            row = self._db.execute("SELECT * FROM attempts WHERE id = ?", (attempt_id,)).fetchone()
        return _attempt(row) if row else None

    def delete(self, attempt_id: int) -> bool:
        """The attempt and its recording gone; False when there is no such attempt."""
        found = self.get(attempt_id)
        if found is None:
            return False
        with self._lock, self._db:
            self._db.execute("DELETE FROM attempts WHERE id = ?", (attempt_id,))
        (self.audio_dir / found.audio_file).unlink(missing_ok=True)
        return True

    def history(self) -> list[Attempt]:
        with self._lock:
            rows = self._db.execute("SELECT * FROM attempts ORDER BY id").fetchall()
        return [_attempt(r) for r in rows]

    def previous(self, attempt_id: int) -> Attempt | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM attempts WHERE id < ? ORDER BY id DESC LIMIT 1",
                                   (attempt_id,)).fetchone()
        return _attempt(row) if row else None

    def script(self) -> dict:
        with self._lock:
            row = self._db.execute(f"SELECT {', '.join(SCRIPT_FIELDS)} FROM script WHERE id = 1").fetchone()
        return dict(zip(SCRIPT_FIELDS, row)) if row else {k: "" for k in SCRIPT_FIELDS}

    def save_script(self, card: dict) -> dict:
        values = [str(card.get(k, ""))[:500] for k in SCRIPT_FIELDS]
        with self._lock, self._db:
            self._db.execute(
                f"INSERT INTO script (id, {', '.join(SCRIPT_FIELDS)}) VALUES (1, ?, ?, ?, ?) "
                f"ON CONFLICT(id) DO UPDATE SET {', '.join(f'{k} = excluded.{k}' for k in SCRIPT_FIELDS)}",
                values,
            )
        return dict(zip(SCRIPT_FIELDS, values))


# The staging folders of this process's open stores (a test may open two on one folder).
_OPEN: set[Path] = set()


def _sweep(incoming: Path) -> None:
    """Remove the staging folders of servers no longer running (one killed mid-analysis)."""
    if not incoming.is_dir():
        return
    for folder in incoming.iterdir():
        pid = folder.name.split("-", 1)[0]
        if pid.isdigit() and folder not in _OPEN and not _running(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return False  # not one of this process's open stores: an earlier process's, with the same id
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def _attempt(row) -> Attempt:
    return Attempt(row[0], row[1], row[2], row[3], row[4], json.loads(row[5]))
