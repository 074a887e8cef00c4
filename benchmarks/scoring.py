"""Per-rule counts and F1, and transcripts kept between runs, shared by the accuracy benchmarks
(eval.py, content.py)."""

from __future__ import annotations

import json
from pathlib import Path

from analyzer.audio.clip import decode
from analyzer.pipeline import Analyzer
from analyzer.report.results import FileReport
from analyzer.report.serialize import file_from_dict, file_to_dict


def analyze(analyzer: Analyzer, recording: Path, keep: Path | None) -> FileReport:
    """The analysis; with --keep, the transcript is stored once and later runs only re-measure it
    (for tuning the measurements and rules without waiting for the transcriber)."""
    if keep is None:
        return analyzer.analyze(recording)
    stored = keep / f"{recording.name}.json"
    if not stored.exists():
        report = analyzer.analyze(recording)
        keep.mkdir(parents=True, exist_ok=True)
        stored.write_text(json.dumps(file_to_dict(report)))
        return report
    kept = file_from_dict(json.loads(stored.read_text()))
    return kept if kept.error else analyzer.assess(recording, decode(recording), kept.transcript)


def f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, (2 * precision * recall / (precision + recall) if precision + recall else 0.0)


def tally(confusion: dict[str, list[int]], fired: set[str], want: set[str]) -> list[str]:
    """Count each rule of `confusion` as tp, fp or fn; returns the misses, "+rule" or "-rule"."""
    wrong = []
    for rule, counts in confusion.items():
        got = rule in fired
        if got and rule in want:
            counts[0] += 1
        elif got:
            counts[1] += 1
            wrong.append(f"+{rule}")
        elif rule in want:
            counts[2] += 1
            wrong.append(f"-{rule}")
    return wrong


def table(confusion: dict[str, list[int]]) -> None:
    print(f"  {'rule':22s} {'tp':>4s} {'fp':>4s} {'fn':>4s} {'precision':>9s} {'recall':>7s} {'F1':>6s}")
    for rule, (tp, fp, fn) in confusion.items():
        p, r, f = f1(tp, fp, fn)
        print(f"  {rule:22s} {tp:4d} {fp:4d} {fn:4d} {p:9.2f} {r:7.2f} {f:6.2f}")
