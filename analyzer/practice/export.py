"""A rep's history taken away: the attempts as CSV, and the recordings with it as a zip."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from .store import Attempt

COLUMNS = ("attempt", "created_at", "source", "score", "spoken_length_s", "speaking_rate_wpm", "flags", "recording")


def attempts_csv(attempts: list[Attempt]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for a in attempts:
        measures = a.report.get("measures", {})
        writer.writerow([a.id, a.created_at, a.source, a.score, measures.get("spoken_length_s", ""),
                         measures.get("speaking_rate_wpm", ""), "; ".join(a.flags), _recording_name(a)])
    return out.getvalue()


def attempts_zip(attempts: list[Attempt], audio_dir: Path) -> bytes:
    """attempts.csv and recordings/attempt-N.EXT, each recording as it was recorded or uploaded."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:  # audio is compressed already
        archive.writestr("attempts.csv", attempts_csv(attempts))
        for a in attempts:
            path = audio_dir / a.audio_file
            if path.is_file():
                archive.write(path, _recording_name(a))
    return buffer.getvalue()


def _recording_name(a: Attempt) -> str:
    return f"recordings/attempt-{a.id}{Path(a.audio_file).suffix}"
