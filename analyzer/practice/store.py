"""The rep's attempts and script card, kept in a local SQLite file in the app's data folder."""

from __future__ import annotations

import json
import sqlite3
import threading
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
    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir)
        self.audio_dir = self.data_dir / "audio"
        self.audio_dir.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.data_dir / "practice.sqlite3", check_same_thread=False)
        self._db.executescript(SCHEMA)
        self._db.commit()

    def close(self) -> None:
        self._db.close()

    def add(self, *, source: str, audio_file: str, score: int, report: dict) -> Attempt:
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


def _attempt(row) -> Attempt:
    return Attempt(row[0], row[1], row[2], row[3], row[4], json.loads(row[5]))
