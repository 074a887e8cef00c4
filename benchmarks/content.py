#!/usr/bin/env python3
"""Accuracy of the content rules on the text evaluation set, per split, clean and noisy.

Tune on dev, report test. The scripts (eval/text/, written by tools/make_text_eval.py) go
through the same rule engine as the CLI (analyzer.testing: words timed at 150 wpm, measured,
then the pack's rules); a rule fires when it gives a finding. Printed, never asserted.

    .venv/bin/python benchmarks/content.py [--split dev|test|both] [--verbose] [--pack PACK]

With --audio DIR, the same scripts spoken (tools/make_text_eval.py --audio DIR; `make eval`
builds them into eval/text-audio) go through the whole analysis, transcriber included.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analyzer.pack import load_pack  # noqa: E402
from analyzer.testing import rule_by_name, run_rule  # noqa: E402
from benchmarks.scoring import table, tally  # noqa: E402

RULES = ("no-name-or-company", "self-focused-opener", "no-benefit-claim", "no-call-to-action")


def evaluate(pack, messages: list[dict], version: str, verbose: bool) -> dict[str, list[int]]:
    confusion = {rule: [0, 0, 0] for rule in RULES}
    rules = {name: rule_by_name(pack, name) for name in RULES}
    for message in messages:
        script = message[version]
        wrong = tally(confusion, {name for name, rule in rules.items() if run_rule(rule, script)}, set(message["fires"]))
        if verbose and wrong:
            print(f"  {message['id']} {version:6s} {' '.join(wrong)}\n      {script}")
    return confusion


def evaluate_audio(pack, folder: Path, verbose: bool) -> tuple[dict[str, list[int]], int]:
    from analyzer.pipeline import Analyzer

    analyzer = Analyzer(pack)
    confusion = {rule: [0, 0, 0] for rule in RULES}
    labels = sorted(folder.glob("text_*.json"))
    for path in labels:
        label = json.loads(path.read_text())
        report = analyzer.analyze(folder / label["recording"])
        if report.error:
            print(f"  {label['recording']}: ERROR {report.error}")
            tally(confusion, set(), set(label["fires"]))
            continue
        wrong = tally(confusion, {f.name for f in report.findings if not f.doubt}, set(label["fires"]))
        if verbose and wrong:
            print(f"  {label['id']} {' '.join(wrong)} [{label['about']}]\n      said:  {label['script']}\n"
                  f"      heard: {report.transcript.text}")
    return confusion, len(labels)


def show(title: str, confusion: dict[str, list[int]]) -> None:
    print(f"\n{title}")
    table(confusion)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=("dev", "test", "both"), default="both")
    parser.add_argument("--verbose", action="store_true", help="print every script a rule got wrong")
    parser.add_argument("--pack", default="default", help="a pack name or TOML file (default: the default pack)")
    parser.add_argument("--audio", type=Path, help="the scripts spoken (tools/make_text_eval.py --audio DIR)")
    parser.add_argument("folder", nargs="?", type=Path, default=ROOT / "eval" / "text")
    args = parser.parse_args()
    pack = load_pack(args.pack)
    for split in (("dev", "test") if args.split == "both" else (args.split,)):
        if args.audio:
            if not any((args.audio / split).glob("text_*.json")):
                print(f"no recordings under {args.audio / split}; run tools/make_text_eval.py --audio {args.audio}")
                return 2
            confusion, count = evaluate_audio(pack, args.audio / split, args.verbose)
            show(f"{split}, spoken and transcribed: {count} recordings", confusion)
            continue
        path = args.folder / f"{split}.toml"
        if not path.exists():
            print(f"{path} is missing; run tools/make_text_eval.py first")
            return 2
        messages = tomllib.loads(path.read_text())["message"]
        for version in ("script", "noisy"):
            confusion = evaluate(pack, messages, version, args.verbose)
            show(f"{split}, {'clean' if version == 'script' else 'noisy'}: {len(messages)} scripts", confusion)
    return 0


if __name__ == "__main__":
    sys.exit(main())
