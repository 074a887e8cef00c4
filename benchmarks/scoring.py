"""Per-rule counts and F1, shared by the accuracy benchmarks (eval.py, content.py)."""

from __future__ import annotations


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
