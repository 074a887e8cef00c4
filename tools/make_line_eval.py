#!/usr/bin/env python3
"""Build the phone-line evaluation corpus (issue 26): recordings made on a clean microphone whose
callback number may or may not come through a phone line, in a dev and a test half.

Each message is drawn as tools/make_eval.py draws one (an opener, a benefit, the ask, the number
twice, a closing; its number words and forms), then given one of five conditions:
- clean: the number read slowly, no noise, a normal level (built to come through);
- fast: the number hurried (1.3-1.7x the voice's speed: faster and a microphone loses it too);
- noisy: a room's noise at 8-13 dB SNR;
- quiet: a quiet phone, -32 to -24 dBFS peak;
- mumbled: the number a little hurried (1.2-1.5x) in a room with noise at 12-16 dB, at once.
Half the messages are spoken by the natural neural voice (hibari "heart"), half by the older ones
(espeak-ng, flite, festival). The recordings are wide-band (16 kHz or more, no telephone filter):
the line is what --phone-line adds.

The truth of what the line does to a number is not a property of the drawing: whether the
prospect's phone can read it depends on its transcriber. benchmarks/line.py reads each recording's
truth from its script (the number said, and where) against the line's transcript.

    .venv/bin/python tools/make_line_eval.py [--out eval/line] [--count 80] [--seed N] [--split test]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_eval as me
import make_samples as ms

SEED = 20261206
COUNT = 80
CONDITIONS = ["clean", "fast", "noisy", "quiet", "mumbled"]
OLDER = [v for v in me.VOICES if not v.startswith("espeak:en-gb-x-gbclan")]
NATURAL = "hibari:heart"
FORMATS = ["wav", "flac", "mp3", "ogg", "m4a", "webm"]


def make_spec(index: int, rng: np.random.Generator) -> tuple[ms.Spec, str, str]:
    """The recording's spec, its condition and its number."""
    condition = CONDITIONS[index % len(CONDITIONS)]
    voice = NATURAL if (index // len(CONDITIONS)) % 2 == 0 else me.choose(rng, OLDER)
    name, company = me.choose(rng, me.REPS)
    number = me.draw_number(rng, local=False)
    form = me.choose(rng, ["plain", "plain", "oh", "double", "pairs"])
    fast = condition in ("fast", "mumbled")
    script: list = [ms.Say(me.choose(rng, me.OPENERS).format(first=me.choose(rng, me.FIRST), name=name,
                                                             company=company)),
                    ms.Say(me.choose(rng, me.BENEFITS)), ms.Say(me.choose(rng, me.ASKS))]
    for k in range(2):
        if k:
            script.append(ms.Say(me.choose(rng, [x for x in me.LINKS if x])))
        speed = (float(rng.uniform(1.3, 1.7)) if condition == "fast" else float(rng.uniform(1.2, 1.5)) if fast
                 else float(rng.uniform(0.65, 0.85)))
        script.append(ms.Number("", speed, words=me.say_number(rng, number, form)))
    closing = me.choose(rng, me.CLOSINGS)
    if closing:
        script.append(ms.Say(closing))
    noise = float(rng.uniform(8, 13)) if condition == "noisy" else float(rng.uniform(12, 16)) if fast and \
        condition == "mumbled" else None
    peak = float(10 ** (rng.uniform(-32, -24) / 20)) if condition == "quiet" else 0.7
    fmt = me.choose(rng, FORMATS)
    spec = ms.Spec(f"line_{index:03d}", voice, fmt, script, [], "", rate=float(rng.uniform(0.9, 1.1)),
                   lead_s=float(rng.uniform(0.2, 0.8)), tail_s=float(rng.uniform(0.3, 0.8)),
                   noise_snr_db=noise, peak=peak)
    level = f"; peak {20 * np.log10(peak):.0f} dBFS" if peak < 0.7 else ""
    room = f"; noise {noise:.0f} dB" if noise else ""
    spec.about = f"{condition}; {number} twice, {form} form; {voice}; {fmt}{room}{level}"
    return spec, condition, number


def build(spec: ms.Spec, condition: str, number: str, folder: Path) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        clean, truth = ms.render(spec, workdir)
        name = f"{spec.name}.{ms.EXTENSIONS.get(spec.fmt, spec.fmt)}"
        ms.encode(spec, ms.degrade(spec, clean), workdir, folder / name)
    data = ms.expected(spec, truth, name)
    data["line"] = {"condition": condition, "number": number}
    data["generator"].update(peak=spec.peak)
    (folder / f"{spec.name}.expected.json").write_text(json.dumps(data, indent=2) + "\n")
    return folder / name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "eval" / "line")
    parser.add_argument("--count", type=int, default=COUNT)
    parser.add_argument("--seed", type=int, default=SEED, help="another draw (a fresh holdout: --seed N --out DIR)")
    parser.add_argument("--split", choices=("dev", "test"), help="build only this half")
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    for i in range(args.count):
        spec, condition, number = make_spec(i, rng)
        split = "dev" if (i // len(CONDITIONS)) % 4 in (0, 3) else "test"  # both voices in both halves
        if args.split and split != args.split:
            continue
        folder = args.out / split
        folder.mkdir(parents=True, exist_ok=True)
        path = build(spec, condition, number, folder)
        print(f"{split:4s} {path.name:16s} {spec.about}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
