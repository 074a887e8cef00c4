#!/usr/bin/env python3
"""Accuracy of the content rules on the text evaluation set, per split, clean and noisy.

The scripts (eval/text/) go through the same rule engine as the CLI (analyzer.testing: words timed
at 150 wpm, measured with the pack's meanings, then the pack's rules); a rule fires when it gives a
finding. Which parts were seen while tuning is in benchmarks/RESULTS.md: dev, test, holdout to
holdout3 (composed by tools/make_text_eval.py), holdout4, real, holdout5 and real2 (whole messages
and public scripts, each measured once unseen, then read and taken into the examples), and the
clause-labelled training banks train1 and train2; holdout6 and real3 (measured once unseen, then
read and taken into the examples). Later parts (holdout7 to holdout10, real4, real5): whether each
was read while tuning, and when it was measured unseen, is in benchmarks/RESULTS.md. Printed, never
asserted; with the time the clauses' scoring and the rules
take per message, and what fitting the pack's examples adds to start-up.

    .venv/bin/python benchmarks/content.py [--split dev|test|...|holdout4|real|all] [--verbose] [--pack PACK]

With --audio DIR, the same scripts spoken (tools/make_text_eval.py --audio DIR; `make eval`
builds them into eval/text-audio) go through the whole analysis, transcriber included; with
--keep DIR the transcripts are stored once and later runs only measure and check them again.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analyzer.checks.kinds import Context  # noqa: E402
from analyzer.checks.pack import load_pack  # noqa: E402
from analyzer.measure.measurements import measure  # noqa: E402
from analyzer.testing import rule_by_name, transcript_from_script  # noqa: E402
from benchmarks.scoring import analyze, table, tally  # noqa: E402

RULES = ("no-name-or-company", "self-focused-opener", "no-benefit-claim", "no-call-to-action")
SPLITS = ("dev", "test", "holdout", "holdout2", "holdout3", "holdout4", "real", "holdout5", "real2", "train1", "train2",
          "holdout6", "real3", "holdout7", "real4", "holdout8", "real5", "holdout9", "holdout10",
          "holdout11", "real6", "holdout12", "holdout13", "holdout14", "holdout15", "holdout16", "holdout17",
          "holdout18", "real7", "holdout19", "holdout20", "real8", "holdout21", "holdout22", "holdout23", "real9",
          "holdout24", "holdout25", "train3", "holdout26", "real10", "holdout27", "holdout28", "holdout29", "holdout30",
          "train4", "holdout31", "train5", "holdout32")


class Score:
    """A rule fires when it gives a finding at its own severity; a "Could not confirm" note (a doubt,
    at info) is no verdict: counted apart, by what the truth wanted."""

    def __init__(self) -> None:
        self.confusion = {rule: [0, 0, 0] for rule in RULES}
        self.notes = {rule: [0, 0] for rule in RULES}  # [where the rule should fire, where it should not]
        self.keeps = {rule: 0 for rule in RULES}  # messages that keep the rule's habit
        self.seconds: list[float] = []  # per message: the clauses scored and the rules run

    def add(self, findings, want: set[str]) -> list[str]:
        for f in findings:
            if f.doubt and f.name in self.notes:
                self.notes[f.name][0 if f.name in want else 1] += 1
        for rule in RULES:
            self.keeps[rule] += rule not in want
        return tally(self.confusion, {f.name for f in findings if not f.doubt}, want)

    def show(self, title: str) -> None:
        print(f"\n{title}")
        table(self.confusion)
        notes = ", ".join(f"{rule} {a + b} ({a} should fire)" for rule, (a, b) in self.notes.items() if a + b)
        print(f"  notes, not counted: {notes or 'none'}")
        warned = ", ".join(f"{rule} {fp} of {n} ({100 * fp / max(n, 1):.1f} %)"
                           for rule, n in self.keeps.items() for fp in (self.confusion[rule][1],))
        print(f"  warned where the habit is kept: {warned}")
        if self.seconds:
            print(f"  content rules per message (clauses scored, then the rules): median "
                  f"{1000 * statistics.median(self.seconds):.0f} ms, max {1000 * max(self.seconds):.0f} ms")


def evaluate(pack, messages: list[dict], version: str, verbose: bool) -> Score:
    """As the pipeline does it: the script measured once (its clauses scored for every content rule
    of the pack), then each rule."""
    score = Score()
    rules = {name: rule_by_name(pack, name) for name in RULES}
    labeller = pack.labeller
    for message in messages:
        script = message.get(version)
        if script is None:
            continue
        transcript = transcript_from_script(script)
        started = time.perf_counter()
        context = Context(transcript, measure(transcript, labeller=labeller))  # the clauses scored here
        findings = [f for rule in rules.values() for f in rule.findings(context)]
        score.seconds.append(time.perf_counter() - started)
        wrong = score.add(findings, set(message["fires"]))
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
                print(f"no recordings under {args.audio / split}; run tools/make_text_eval.py --audio {args.audio}"
                      f" --set eval/text/{split}.toml")
                if args.split == "all":
                    continue
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
            if all(version in m for m in messages):
                evaluate(pack, messages, version, args.verbose).show(
                    f"{split}, {'clean' if version == 'script' else 'noisy'}: {len(messages)} scripts")
    if not args.audio:
        print(f"\nstart-up: {start_up(args.pack)}")
    return 0


START_UP = """
import time
started = time.perf_counter()
from analyzer.checks.pack import load_pack
pack = load_pack({pack!r})
loaded = time.perf_counter()
pack.labeller.fit()
print(f"the pack loads in {{loaded - started:.2f}} s; its examples fitted add {{time.perf_counter() - loaded:.2f}} s "
      "(the sentence model unpacked and loaded, the examples' vectors read from the cache, the regressions fitted)")
"""


def start_up(pack: str) -> str:
    """In a fresh process, as `voicemail analyze` starts: what fitting the pack's examples costs."""
    run = subprocess.run([sys.executable, "-c", START_UP.format(pack=pack)], capture_output=True, text=True,
                         cwd=ROOT)
    return run.stdout.strip() or run.stderr.strip()


if __name__ == "__main__":
    sys.exit(main())
