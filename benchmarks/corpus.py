#!/usr/bin/env python3
"""Speed and accuracy on the sample corpus, printed (never asserted: machines here are shared).

For each recording: the wall time and peak memory of a whole `voicemail analyze FILE` process
(the target: under 3 s on 2 cores), and the in-process analysis time with the model loaded.
Then accuracy against the generator's exact timings: each rule's hits and misses, and the
errors of spoken length, speech start, speaking rate and digit rate.

    .venv/bin/python benchmarks/corpus.py [CORPUS]
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analyzer.checks.pack import load_pack  # noqa: E402
from analyzer.pipeline import Analyzer  # noqa: E402
from analyzer.regress import expectations  # noqa: E402

TARGET_S = 3.0


def whole_process(recording: Path) -> tuple[float, float]:
    """Wall seconds and peak resident MiB of one `voicemail analyze` process."""
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "analyzer", "analyze", str(recording), "--format", "json"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(child.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def main() -> int:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "sample_audio"
    pack = load_pack()
    analyzer = Analyzer(pack)
    rules = [r.name for r in pack.active]
    machine = platform.processor() or platform.machine()
    print(f"machine: {machine}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"corpus: {corpus}\n")
    print(f"{'recording':34s} {'audio s':>7s} {'process s':>9s} {'peak MiB':>8s} {'analysis s':>10s}")
    rows, confusion = [], {r: [0, 0, 0, 0] for r in rules}  # tp, fp, fn, tn
    errors = {"spoken_length_s": [], "speech_start_s": [], "speaking_rate_rel": [], "digits_per_s_rel": []}
    for path in sorted(corpus.glob(f"*{expectations.SUFFIX}")):
        expected = expectations.load(path)
        wall, peak = whole_process(expected.recording)
        start = time.perf_counter()
        report = analyzer.analyze(expected.recording, number=expected.options.get("number"))
        inner = time.perf_counter() - start
        duration = report.audio.duration_s if report.audio else float("nan")
        rows.append((expected.recording.name, duration, wall, peak, inner))
        print(f"{expected.recording.name:34s} {duration:7.1f} {wall:9.2f} {peak:8.0f} {inner:10.2f}")
        if report.error:
            print(f"  error: {report.error}")
            continue
        fired = {f.name for f in report.findings}
        for rule in rules:
            want, got = rule in expected.rules, rule in fired
            confusion[rule][(0 if got else 2) if want else (1 if got else 3)] += 1
        truth = json.loads(path.read_text())["truth"]
        m = report.measures
        errors["spoken_length_s"].append(m.spoken_length_s - truth["spoken_length_s"])
        errors["speech_start_s"].append(m.speech_start_s - truth["speech_start_s"])
        errors["speaking_rate_rel"].append(m.speaking_rate_wpm / truth["speaking_rate_wpm"] - 1)
        for got, want in zip(m.phone_numbers, truth["numbers"]):
            if got.digits_per_s is not None:
                errors["digits_per_s_rel"].append(got.digits_per_s / want["digits_per_s"] - 1)

    walls = [r[2] for r in rows]
    print(f"\nwhole process: median {statistics.median(walls):.2f} s, max {max(walls):.2f} s "
          f"(target under {TARGET_S:.0f} s: {'met' if max(walls) < TARGET_S else 'MISSED'}); "
          f"peak memory max {max(r[3] for r in rows):.0f} MiB")
    print(f"in process (model loaded): median {statistics.median(r[4] for r in rows):.2f} s, "
          f"realtime factor {sum(r[4] for r in rows) / sum(r[1] for r in rows):.3f}")

    print(f"\n{'rule':24s} {'fires ok':>8s} {'false +':>8s} {'missed':>8s} {'quiet ok':>8s} {'accuracy':>9s}")
    for rule, (tp, fp, fn, tn) in confusion.items():
        total = tp + fp + fn + tn
        print(f"{rule:24s} {tp:8d} {fp:8d} {fn:8d} {tn:8d} {(tp + tn) / total:9.0%}")

    print("\nerror against the generator's exact timings (measured - true)")
    for name, values in errors.items():
        if not values:
            continue
        scale, unit = (100, "%") if name.endswith("_rel") else (1, " s")
        mean_abs = statistics.mean(abs(v) for v in values) * scale
        worst = max(values, key=abs) * scale
        print(f"  {name:20s} n={len(values):3d}  mean |error| {mean_abs:6.2f}{unit}  worst {worst:+7.2f}{unit}  "
              f"mean {statistics.mean(values) * scale:+6.2f}{unit}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
