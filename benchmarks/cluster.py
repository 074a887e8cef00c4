#!/usr/bin/env python3
"""Grading on Ray against the local worker processes, on the same files, measured in one run so
the ratios hold on a busy machine; printed, never asserted.

- throughput of `voicemail grade` with 1 and 2 local workers, and with 1 and 2 Ray workers
  (`--ray local`), no cache, start-up included (what a trainer waits for);
- Ray's start-up: a local Ray and 2 actors ready, their models loaded;
- Ray's cost per recording: an ActorPool round trip carrying a recording's bytes there and a
  report's worth of data back, with no analysis;
- the two-level cache: the sample corpus graded, then graded again with another pack (`length-15-25`)
  and another --number, which re-run only the rules.

    .venv/bin/python benchmarks/cluster.py [N_FILES]
"""

from __future__ import annotations

import functools
import logging
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

from grade import ROOT, SAMPLES, grade, messages, team_of  # benchmarks/grade.py

sys.path.insert(0, str(ROOT))


def ray_costs(recordings: list[Path], rounds: int = 3) -> tuple[float, float, float]:
    """Seconds to start a local Ray with 2 actors whose models are loaded, Ray's seconds per
    recording for sending it to an actor and its result back (no analysis), and an actor's peak
    memory after analysing the largest recording."""
    os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
    import ray
    from ray.util import ActorPool

    from analyzer.grade.batch import Settings
    from analyzer.grade.cluster import GradingWorker

    start = time.perf_counter()
    ray.init(address="local", num_cpus=2, include_dashboard=False, logging_level=logging.ERROR, log_to_driver=False)
    actors = [ray.remote(num_cpus=1)(GradingWorker).remote(Settings("faster-whisper", None, 1)) for _ in range(2)]
    ray.get([a.ready.remote() for a in actors])
    startup = time.perf_counter() - start
    longest = max(recordings, key=lambda p: p.stat().st_size)
    ray.get([a.listen.remote(0, longest.name, longest.read_bytes(), True) for a in actors])
    peak_mib = max(ray.get([a.__ray_call__.remote(lambda self: _peak_rss_mib()) for a in actors]))
    for actor in actors:  # their CPUs, for the echoes
        ray.kill(actor)

    @ray.remote(num_cpus=1)
    class Echo:
        def listen(self, index: int, name: str, data: bytes, player: bool):
            return index, {"file": name, "pad": "x" * 40_000}, data[: len(data) // 10]  # a report, a player copy

    try:
        echoes = [Echo.remote() for _ in range(2)]
        ray.get([e.listen.remote(0, "", b"", False) for e in echoes])
        data = [p.read_bytes() for p in recordings]
        pool = ActorPool(echoes)
        start = time.perf_counter()
        for _ in range(rounds):
            list(pool.map_unordered(lambda a, i: a.listen.remote(i, recordings[i].name, data[i], True),
                                    list(range(len(recordings)))))
        per_recording = (time.perf_counter() - start) / (rounds * len(recordings))
    finally:
        ray.shutdown()
    return startup, per_recording, peak_mib


def _peak_rss_mib() -> float:
    """This process's peak resident memory (Linux), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    recordings = messages(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
    say = functools.partial(print, flush=True)
    say(f"machine: {platform.machine()}, {os.cpu_count()} cores; {len(recordings)} recordings")
    startup, per_recording, peak_mib = ray_costs(recordings)
    say(f"Ray start-up (a local Ray, 2 actors with their models loaded): {startup:.1f} s")
    say(f"a Ray worker's peak memory, its model loaded and a recording analysed: {peak_mib:.0f} MiB")
    say(f"Ray's own cost per recording (bytes there, a report back, no analysis): {per_recording * 1000:.1f} ms")
    per_min = lambda s: len(recordings) * 60 / s  # noqa: E731
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        team = team_of(recordings, tmp / "team")
        runs = {}
        for workers in ("1", "2"):
            for name, ray in (("local", ()), ("Ray  ", ("--ray", "local"))):
                runs[name, workers] = seconds = grade(team, tmp / "o", "--no-cache", "--workers", workers, *ray)
                say(f"{name}, {workers} worker(s): {seconds:6.1f} s  {per_min(seconds):5.1f} recordings/min")
        base = runs["local", "2"]
        say(f"Ray against local, 2 workers each: {runs['Ray  ', '2'] / base:.2f}x the time, "
            f"{(runs['Ray  ', '2'] - base) / len(recordings):+.2f} s a recording, start-up included")
        cache = ("--cache", str(tmp / "cache"), "--workers", "2")  # on the whole sample corpus
        first = grade(SAMPLES, tmp / "o", *cache)
        other_pack = grade(SAMPLES, tmp / "o", *cache, "--pack", "length-15-25")
        other_number = grade(SAMPLES, tmp / "o", *cache, "--number", "555-201-7733")
        again = grade(SAMPLES, tmp / "o", *cache)
    corpus = sum(1 for _ in SAMPLES.glob("*.expected.json"))
    say(f"sample_audio ({corpus} recordings) graded with the default pack: {first:.1f} s; "
        f"again with --pack length-15-25: {other_pack:.2f} s ({other_pack / first:.3f} of it); "
        f"with another --number: {other_number:.2f} s ({other_number / first:.3f}); again unchanged: {again:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
