#!/usr/bin/env python3
"""Accuracy of the callback-number rules (and the content rules) on the evaluation corpus, per split.

Tune on dev, report test: `make eval` builds the corpus (tools/make_eval.py), this prints, for
each split, each in-scope rule's precision, recall and F1, the error-level number findings on
recordings that keep the habit, the share of readings whose digit rate is within 15 % of the
truth, the recordings whose spoken length is off by more than 0.5 s, and the pauses of 1 s or
more found where the truth has no silence. Printed, never asserted. Run it under another
CTranslate2 kernel with CT2_FORCE_CPU_ISA=GENERIC (or AVX, AVX2, AVX512).

    .venv/bin/python benchmarks/eval.py [--split dev|test|both] [--verbose] [EVAL_DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analyzer.checks.pack import load_pack  # noqa: E402
from analyzer.pipeline import Analyzer  # noqa: E402
from analyzer.regress import expectations  # noqa: E402
from benchmarks.scoring import analyze, table, tally  # noqa: E402

NUMBER_RULES = ("no-callback-number", "number-not-repeated", "wrong-number")
# Every script of tools/make_eval.py opens with the rep's name and company and a quantified gain,
# never with a caller-centred line, and asks for the call exactly when it gives a number: the
# content rules' truth here follows from that.
CONTENT_RULES = ("no-name-or-company", "self-focused-opener", "no-benefit-claim", "no-call-to-action")
# tools/make_eval.py reads a number the same way every time it says it (or says a second number that
# differs in most digits): wherever this rule fires, or leaves a note, it is wrong.
NEVER_TRUE = "number-readings-differ"
# Every script says its number at a pace a person reads out, so where this rule fires the
# transcriber, not the script, lost the number: counted apart, by whether the script has one.
UNCLEAR = "number-unclear"
RATE_TOLERANCE = 0.15
LENGTH_TOLERANCE_S = 0.5
SPURIOUS_PAUSE_S = 1.0
# Pauses against the script's gaps (truth["silences"]), apart for noisy recordings (at most NOISY_DB
# SNR): a pause is right when its start and its length are within PAUSE_TOLERANCE_S of the gap it
# falls in; a pause over a gap shorter than SHORT_GAP_S (or over no gap of the script) is invented.
NOISY_DB = 20.0
PAUSE_TOLERANCE_S = 0.1
SHORT_GAP_S = 0.45


def evaluate(analyzer: Analyzer, folder: Path, verbose: bool, keep: Path | None = None) -> dict:
    paths = sorted(folder.glob(f"*{expectations.SUFFIX}"))
    scope = json.loads(paths[0].read_text())["scope"] if paths else []
    confusion = {rule: [0, 0, 0] for rule in scope}  # tp, fp, fn
    content = {rule: [0, 0, 0] for rule in CONTENT_RULES}
    false_errors, rates_ok, rates, length_bad, spurious, seconds, audio = [], 0, 0, [], [], 0.0, 0.0
    unconfirmed = [0, 0]  # notes where the truth does not fire the rule, and where it does
    never = [[], []]  # NEVER_TRUE's verdicts and its notes
    unclear = [[], []]  # UNCLEAR's verdicts where the script says no number, and where it says one
    noted = []  # recordings with a "could not confirm" note on a number rule the script keeps
    # per kind of recording: the script's pauses, pauses found, right, invented, at no gap
    pause_tally = {"clean": [0, 0, 0, 0, 0], "noisy": [0, 0, 0, 0, 0]}
    for path in paths:
        data = json.loads(path.read_text())
        truth, want = data["truth"], set(data["rules"])
        start = time.perf_counter()
        report = analyze(analyzer, path.with_name(data["recording"]), keep)
        seconds += time.perf_counter() - start
        audio += truth["duration_s"]
        if report.error:
            print(f"  {data['recording']}: ERROR {report.error}")
            for rule in want:
                confusion[rule][2] += 1
            continue
        # a rule fires when it gives its verdict; "could not confirm" notes (f.doubt) are counted apart
        fired = {f.name for f in report.findings if not getattr(f, "doubt", "")}
        for f in report.findings:
            if getattr(f, "doubt", "") and f.name in scope:
                unconfirmed[f.name in want] += 1
        if any(getattr(f, "doubt", "") and f.name in scope and f.name not in want for f in report.findings):
            noted.append(data["recording"])
        if UNCLEAR in fired:
            unclear[bool(truth["numbers"])].append(data["recording"])
        wrong = tally(confusion, fired, want)
        for f in report.findings:
            if f.name == NEVER_TRUE:
                never[bool(getattr(f, "doubt", ""))].append(data["recording"])
                wrong.append(f"+{NEVER_TRUE}" + (" (note)" if getattr(f, "doubt", "") else ""))
        wrong += tally(content, fired, set() if truth["numbers"] else {"no-call-to-action"})
        errors = [f for f in report.findings if str(f.severity) == "error" and f.name in NUMBER_RULES
                  and f.name not in want]
        if errors:
            false_errors.append(data["recording"])
        m = report.measures
        found = {}
        for n in m.phone_numbers:  # each true reading is matched by time with the reading found over it
            for k, t in enumerate(truth["numbers"]):
                if n.start < t["end"] and n.end > t["start"]:
                    found.setdefault(k, n)
        rate_notes = []
        for k, t in enumerate(truth["numbers"]):
            rates += 1
            n = found.get(k)
            rate = None if n is None else n.digits_per_s
            if rate is not None and abs(rate / t["digits_per_s"] - 1) <= RATE_TOLERANCE:
                rates_ok += 1
            else:
                rate_notes.append(f"rate[{k}] {t['digits_per_s']:.2f} got {n.digits_per_s if n else 'none'}")
        length_error = m.spoken_length_s - truth["spoken_length_s"]
        if abs(length_error) > LENGTH_TOLERANCE_S:
            length_bad.append(f"{data['recording']} {length_error:+.2f} s")
        silences = truth["silences"]
        snr = data["generator"].get("noise_snr_db")
        _tally_pauses(pause_tally["noisy" if snr is not None and snr <= NOISY_DB else "clean"], m.pauses, silences,
                      truth["pauses"])
        bad_pauses = [p for p in m.pauses if p.duration_s >= SPURIOUS_PAUSE_S
                      and not any(p.start < b and p.end > a for a, b in silences)]
        if bad_pauses:
            spurious.append(f"{data['recording']} " + ", ".join(f"{p.start:.1f}-{p.end:.1f}" for p in bad_pauses))
        if verbose and (wrong or rate_notes or errors or abs(length_error) > LENGTH_TOLERANCE_S or bad_pauses):
            print(f"  {data['recording']:16s} {' '.join(wrong)} {'; '.join(rate_notes)} "
                  f"{f'len {length_error:+.2f}' if abs(length_error) > LENGTH_TOLERANCE_S else ''} [{data['about']}]")
            print(f"      {report.transcript.text}")
            for n in m.phone_numbers:
                print(f"      number {n.digits} #{n.number} {n.start:.2f}-{n.end:.2f} {n.digits_per_s} {n.note}")
            for f in report.findings:
                if f.name in (*scope, *NUMBER_RULES, *CONTENT_RULES, NEVER_TRUE, UNCLEAR):
                    print(f"      {f.severity} {f.name}: {f.message}")
    return {"recordings": len(paths), "confusion": confusion, "content": content, "false_errors": false_errors,
            "rates": (rates_ok, rates), "length_bad": length_bad, "spurious": spurious,
            "seconds": seconds, "audio": audio, "unconfirmed": unconfirmed, "never": never, "pauses": pause_tally,
            "unclear": unclear, "noted": noted}


def _tally_pauses(tally: list[int], found, gaps: list[list[float]], pauses: list[list[float]]) -> None:
    """Each pause found, against the script gap it falls in (see PAUSE_TOLERANCE_S, SHORT_GAP_S)."""
    tally[0] += len(pauses)
    for p in found:
        tally[1] += 1
        gap = next(((a, b) for a, b in gaps if p.start < b and p.end > a), None)
        if gap is None:
            tally[4] += 1
        elif gap[1] - gap[0] < SHORT_GAP_S:
            tally[3] += 1
        elif abs(p.start - gap[0]) <= PAUSE_TOLERANCE_S and abs(p.duration_s - (gap[1] - gap[0])) <= PAUSE_TOLERANCE_S:
            tally[2] += 1


def show(split: str, result: dict) -> None:
    print(f"\n{split}: {result['recordings']} recordings, {result['audio']:.0f} s of audio, "
          f"analysed in {result['seconds']:.0f} s (realtime factor {result['seconds'] / max(result['audio'], 1):.3f})")
    table(result["confusion"])
    wrong, right = result["unconfirmed"]
    print(f"  'could not confirm' notes (info, not counted as firing): {right} where the rule should fire, "
          f"{wrong} where it should not")
    noted = result["noted"]
    print(f"  recordings with such a note on a rule their script keeps: {len(noted)} of {result['recordings']} "
          f"({len(noted) / max(result['recordings'], 1):.1%}) {' '.join(noted)}")
    none, some = result["unclear"]
    print(f"  {UNCLEAR} (the transcriber lost the number): on {len(some)} recordings whose script says one "
          f"{' '.join(some)}; on {len(none)} that say none {' '.join(none)}")
    verdicts, notes = result["never"]
    print(f"  {NEVER_TRUE} (no script reads its number two ways): fired on {len(verdicts)} {' '.join(verdicts)}, "
          f"a note on {len(notes)} {' '.join(notes)}")
    print("  the content rules (every script names the rep and company and states a gain; "
          "it asks iff it gives a number):")
    table(result["content"])
    ok, total = result["rates"]
    print(f"  error-level number findings on recordings that keep the habit: {len(result['false_errors'])} "
          f"{' '.join(result['false_errors'])}")
    print(f"  digit rate within {RATE_TOLERANCE:.0%} of the truth: {ok} of {total} readings ({ok / max(total, 1):.1%})")
    print(f"  spoken length off by more than {LENGTH_TOLERANCE_S} s: {len(result['length_bad'])} "
          f"{'; '.join(result['length_bad'])}")
    print(f"  pauses of {SPURIOUS_PAUSE_S:.0f} s or more where the truth has none: {len(result['spurious'])} "
          f"{'; '.join(result['spurious'])}")
    for kind, (truth, found, right, invented, nowhere) in result["pauses"].items():
        which = f"noisy recordings ({NOISY_DB:.0f} dB SNR or less)" if kind == "noisy" else "other recordings"
        print(f"  pauses, {which}: {truth} in the scripts, "
              f"{found} found, {right} within {PAUSE_TOLERANCE_S} s of their gap (start and length), "
              f"{invented} over a gap under {SHORT_GAP_S} s, {nowhere} at no gap of the script")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", nargs="?", type=Path, default=ROOT / "eval")
    parser.add_argument("--split", choices=("dev", "test", "both"), default="both")
    parser.add_argument("--verbose", action="store_true", help="print every recording with a miss")
    parser.add_argument("--model", help="a CTranslate2 model directory (default: the bundled tiny.en)")
    parser.add_argument("--keep", type=Path,
                        help="store transcripts here and re-use them (times then exclude transcription)")
    args = parser.parse_args()
    analyzer = Analyzer(load_pack(), model=args.model)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"CT2_FORCE_CPU_ISA={os.environ.get('CT2_FORCE_CPU_ISA', '(the CPU best)')}, model {args.model or 'tiny.en'}")
    for split in (("dev", "test") if args.split == "both" else (args.split,)):
        folder = args.folder / split
        if not any(folder.glob(f"*{expectations.SUFFIX}")):
            print(f"no expectations under {folder}; run `make eval` first")
            return 2
        if args.verbose:
            print(f"\n{split}:")
        show(split, evaluate(analyzer, folder, args.verbose, args.keep / split if args.keep else None))
    return 0


if __name__ == "__main__":
    sys.exit(main())
