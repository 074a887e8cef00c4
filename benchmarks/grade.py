#!/usr/bin/env python3
"""Grading throughput with 1 and with 2 workers on the same files, and the cached re-run,
measured in one run so the ratios hold on a busy machine, and the size of the team report with
its audio embedded, linked and left out; then `voicemail regress sample_audio` with 1 and with 2
workers. Printed, never asserted.

    .venv/bin/python benchmarks/grade.py [N_FILES]
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_audio"


def grade(folder: Path, out: Path, *extra: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "analyzer", "grade", str(folder), "--out", str(out), "--fail-on", "never",
                    *extra], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - start


def regress(*extra: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "analyzer", "regress", str(SAMPLES), *extra], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - start


def messages(n: int) -> list[Path]:
    """The first n sample recordings of about 15-30 s (the long ramble left out)."""
    recordings = sorted(p for p in SAMPLES.iterdir() if not p.name.endswith(".json"))
    return [p for p in recordings if "long_ramble" not in p.name][:n]


def team_of(recordings: list[Path], team: Path) -> Path:
    """The recordings copied into `team`, shared among three reps' folders."""
    for i, path in enumerate(recordings):
        (team / f"rep{i % 3}").mkdir(parents=True, exist_ok=True)
        shutil.copy(path, team / f"rep{i % 3}" / path.name)
    return team


def main() -> int:
    recordings = messages(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores; {len(recordings)} recordings")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        team = team_of(recordings, tmp / "team")
        audio_s = sum(_duration(p) for p in recordings)
        one = grade(team, tmp / "o1", "--no-cache", "--workers", "1")
        two = grade(team, tmp / "o2", "--no-cache", "--workers", "2")
        first = grade(team, tmp / "o3", "--cache", str(tmp / "cache"), "--workers", "2")
        again = grade(team, tmp / "o4", "--cache", str(tmp / "cache"), "--workers", "2")
        sizes = {"embed": (tmp / "o4" / "report.html").stat().st_size}
        for audio in ("link", "none"):  # from the cache: only the page is written again
            grade(team, tmp / f"o-{audio}", "--cache", str(tmp / "cache"), "--audio", audio)
            sizes[audio] = (tmp / f"o-{audio}" / "report.html").stat().st_size
    per_min = lambda s: len(recordings) * 60 / s  # noqa: E731
    print(f"{audio_s:.0f} s of audio")
    print(f"1 worker : {one:6.1f} s  {per_min(one):5.1f} recordings/min")
    print(f"2 workers: {two:6.1f} s  {per_min(two):5.1f} recordings/min  ({one / two:.2f}x the 1-worker rate)")
    print(f"cached re-run: {again:.2f} s after a first run of {first:.1f} s ({first / again:.0f}x faster)")
    print(f"report.html for {len(recordings)} recordings of 3 reps: " + ", ".join(
        f"{kb / 1024:.0f} KB with --audio {audio}" for audio, kb in sizes.items()))
    corpus = sum(1 for p in SAMPLES.glob("*.expected.json"))
    one, two = regress("--workers", "1"), regress("--workers", "2")
    print(f"voicemail regress sample_audio ({corpus} recordings): {one:.1f} s with 1 worker, {two:.1f} s with 2 "
          f"({one / two:.2f}x)")
    return 0


def _duration(path: Path) -> float:
    sys.path.insert(0, str(ROOT))
    from analyzer.audio.clip import decode

    return decode(path).duration_s


if __name__ == "__main__":
    sys.exit(main())
