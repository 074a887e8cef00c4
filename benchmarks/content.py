#!/usr/bin/env python3
"""Accuracy of the content rules on the text evaluation set, per split, clean and noisy.

Tune on dev, report test. The scripts (eval/text/, written by tools/make_text_eval.py) go
through the same rule engine as the CLI (analyzer.testing: words timed at 150 wpm, measured,
then the pack's rules); a rule fires when it gives a finding. Printed, never asserted.

    .venv/bin/python benchmarks/content.py [--split dev|test|both] [--verbose] [--pack PACK]
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analyzer.pack import load_pack  # noqa: E402
from analyzer.testing import rule_by_name, run_rule  # noqa: E402

RULES = ("no-name-or-company", "self-focused-opener", "no-benefit-claim", "no-call-to-action")


def f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, (2 * precision * recall / (precision + recall) if precision + recall else 0.0)


def evaluate(pack, messages: list[dict], version: str, verbose: bool) -> dict[str, list[int]]:
    confusion = {rule: [0, 0, 0] for rule in RULES}
    rules = {name: rule_by_name(pack, name) for name in RULES}
    for message in messages:
        script = message[version]
        wrong = []
        for name, rule in rules.items():
            got, want = bool(run_rule(rule, script)), name in message["fires"]
            if got and want:
                confusion[name][0] += 1
            elif got:
                confusion[name][1] += 1
                wrong.append(f"+{name}")
            elif want:
                confusion[name][2] += 1
                wrong.append(f"-{name}")
        if verbose and wrong:
            print(f"  {message['id']} {version:6s} {' '.join(wrong)}\n      {script}")
    return confusion


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=("dev", "test", "both"), default="both")
    parser.add_argument("--verbose", action="store_true", help="print every script a rule got wrong")
    parser.add_argument("--pack", default="default", help="a pack name or TOML file (default: the default pack)")
    parser.add_argument("folder", nargs="?", type=Path, default=ROOT / "eval" / "text")
    args = parser.parse_args()
    pack = load_pack(args.pack)
    for split in (("dev", "test") if args.split == "both" else (args.split,)):
        path = args.folder / f"{split}.toml"
        if not path.exists():
            print(f"{path} is missing; run tools/make_text_eval.py first")
            return 2
        messages = tomllib.loads(path.read_text())["message"]
        for version in ("script", "noisy"):
            confusion = evaluate(pack, messages, version, args.verbose)
            label = "clean" if version == "script" else "noisy"
            print(f"\n{split}, {label}: {len(messages)} scripts")
            print(f"  {'rule':22s} {'tp':>4s} {'fp':>4s} {'fn':>4s} {'precision':>9s} {'recall':>7s} {'F1':>6s}")
            for rule, (tp, fp, fn) in confusion.items():
                p, r, f = f1(tp, fp, fn)
                print(f"  {rule:22s} {tp:4d} {fp:4d} {fn:4d} {p:9.2f} {r:7.2f} {f:6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
