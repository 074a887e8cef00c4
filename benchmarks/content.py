#!/usr/bin/env python3
"""Accuracy of the content rules on the text evaluation set, per split, clean and noisy.

Tune on dev, report test, holdout (written after test had been seen), holdout2 (written
after the second session's changes) and holdout3 (written at the start of the third). The
scripts (eval/text/, written by tools/make_text_eval.py) go through the same rule engine as the
CLI (analyzer.testing: words timed at 150 wpm, measured, then the pack's rules); a rule fires
when it gives a finding. Printed, never asserted.

    .venv/bin/python benchmarks/content.py [--split dev|test|holdout|holdout2|holdout3|all] [--verbose] [--pack PACK]

With --audio DIR, the same scripts spoken (tools/make_text_eval.py --audio DIR; `make eval`
builds them into eval/text-audio) go through the whole analysis, transcriber included; with
--keep DIR the transcripts are stored once and later runs only measure and check them again.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analyzer.checks.pack import load_pack  # noqa: E402
from analyzer.testing import rule_by_name, run_rule  # noqa: E402
from benchmarks.scoring import analyze, table, tally  # noqa: E402

RULES = ("no-name-or-company", "self-focused-opener", "no-benefit-claim", "no-call-to-action")
SPLITS = ("dev", "test", "holdout", "holdout2", "holdout3")


class Score:
    """A rule fires when it gives a finding at its own severity; a "Could not confirm" note (a doubt,
    at info) is no verdict: counted apart, by what the truth wanted."""

    def __init__(self) -> None:
        self.confusion = {rule: [0, 0, 0] for rule in RULES}
        self.notes = {rule: [0, 0] for rule in RULES}  # [where the rule should fire, where it should not]

    def add(self, findings, want: set[str]) -> list[str]:
        for f in findings:
            if f.doubt and f.name in self.notes:
                self.notes[f.name][0 if f.name in want else 1] += 1
        return tally(self.confusion, {f.name for f in findings if not f.doubt}, want)

    def show(self, title: str) -> None:
        print(f"\n{title}")
        table(self.confusion)
        notes = ", ".join(f"{rule} {a + b} ({a} should fire)" for rule, (a, b) in self.notes.items() if a + b)
        print(f"  notes, not counted: {notes or 'none'}")


def evaluate(pack, messages: list[dict], version: str, verbose: bool) -> Score:
    score = Score()
    rules = {name: rule_by_name(pack, name) for name in RULES}
    for message in messages:
        script = message[version]
        wrong = score.add([f for rule in rules.values() for f in run_rule(rule, script)], set(message["fires"]))
        if verbose and wrong:
            print(f"  {message['id']} {version:6s} {' '.join(wrong)}\n      {script}")
    return score


def evaluate_audio(pack, folder: Path, verbose: bool, keep: Path | None) -> tuple[Score, int]:
    from analyzer.pipeline import Analyzer

    analyzer = Analyzer(pack)
    score = Score()
    labels = sorted(folder.glob("text_*.json"))
    for path in labels:
        label = json.loads(path.read_text())
        report = analyze(analyzer, folder / label["recording"], keep)
        if report.error:
            print(f"  {label['recording']}: ERROR {report.error}")
            score.add([], set(label["fires"]))
            continue
        wrong = score.add(report.findings, set(label["fires"]))
        if verbose and wrong:
            print(f"  {label['id']} {' '.join(wrong)} [{label['about']}]\n      said:  {label['script']}\n"
                  f"      heard: {report.transcript.text}")
    return score, len(labels)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=(*SPLITS, "all"), default="all")
    parser.add_argument("--verbose", action="store_true", help="print every script a rule got wrong")
    parser.add_argument("--pack", default="default", help="a pack name or TOML file (default: the default pack)")
    parser.add_argument("--audio", type=Path, help="the scripts spoken (tools/make_text_eval.py --audio DIR)")
    parser.add_argument("--keep", type=Path,
                        help="with --audio: store transcripts here and re-use them (re-measures and re-checks only)")
    parser.add_argument("folder", nargs="?", type=Path, default=ROOT / "eval" / "text")
    args = parser.parse_args()
    pack = load_pack(args.pack)
    for split in (SPLITS if args.split == "all" else (args.split,)):
        if args.audio:
            if not any((args.audio / split).glob("text_*.json")):
                print(f"no recordings under {args.audio / split}; run tools/make_text_eval.py --audio {args.audio}")
                return 2
            score, count = evaluate_audio(pack, args.audio / split, args.verbose,
                                          args.keep / split if args.keep else None)
            score.show(f"{split}, spoken and transcribed: {count} recordings")
            continue
        path = args.folder / f"{split}.toml"
        if not path.exists():
            print(f"{path} is missing; run tools/make_text_eval.py first")
            return 2
        messages = tomllib.loads(path.read_text())["message"]
        for version in ("script", "noisy"):
            evaluate(pack, messages, version, args.verbose).show(
                f"{split}, {'clean' if version == 'script' else 'noisy'}: {len(messages)} scripts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
