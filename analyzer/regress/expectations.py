"""Expected results of a recording (NAME.expected.json beside it) and the checks against them.

Which rules fire is compared exactly; each measurement against its tolerance. A "Could not
confirm" note is no verdict: it neither fires its rule nor keeps it quiet, so it is let pass
where the rule must stay quiet and is a miss where it must fire. The sample corpus's
expectations come from tools/make_samples.py, which knows the exact timings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..errors import UsageError
from ..report.results import FileReport
from ..storage import write_text_atomic

SUFFIX = ".expected.json"
# Tolerances of a new expectation (the sample generator's too): absolute seconds, or relative.
TOLERANCE_S = {"spoken_length_s": 0.35, "speech_start_s": 0.1, "pause_edge": 0.25, "number_edge": 0.5}
TOLERANCE_REL = {"speaking_rate_wpm": 0.08, "digits_per_s": 0.15}
WORDS_SLACK = 2


@dataclass(frozen=True)
class Expectation:
    path: Path
    recording: Path
    rules: tuple[str, ...]
    measures: dict
    options: dict


@dataclass(frozen=True)
class Check:
    """One comparison: of a rule, or of a measurement, of one recording."""

    recording: str
    # what was compared: ("rule", NAME), ("measure", KEY), ("measure", "phone_numbers", "count"),
    # ("measure", "phone_numbers", INDEX, FIELD), or ("analysis",) for a file that was not analysed
    item: tuple[str | int, ...]
    passed: bool
    expected: str
    got: str

    @property
    def name(self) -> str:
        """The item as the table and JUnit show it, stable across runs: "rule:number-too-fast",
        "measure:spoken_length_s", "measure:phone_numbers.count", "measure:phone_numbers[1].digits_per_s"."""
        kind, *rest = self.item
        if not rest:
            return str(kind)
        if len(rest) == 3:
            return f"{kind}:{rest[0]}[{rest[1]}].{rest[2]}"
        return f"{kind}:" + ".".join(map(str, rest))


def expectation_path(recording: Path) -> Path:
    return recording.with_name(recording.name.rsplit(".", 1)[0] + SUFFIX)


def load(path: Path) -> Expectation:
    data = read(path)
    try:
        recording = path.with_name(data["recording"])
        return Expectation(path, recording, tuple(sorted(data.get("rules", []))), data.get("measures", {}),
                           data.get("options", {}))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"{path} is not a readable expectation file ({exc}); fix it or re-create it.") from None


def read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path} is not a readable expectation file ({exc}); fix it or re-create it.") from None
    if not isinstance(data, dict):
        raise UsageError(f"{path} is not an expectation file (no JSON object); fix it or re-create it.")
    return data


def expected_measures(*, spoken_length_s: float, speech_start_s: float, speaking_rate_wpm: float,
                      numbers: list[tuple[float, float, float | None]], pauses: list[tuple[float, float]],
                      silences: list[tuple[float, float]]) -> dict:
    """The measures block of an expectation, with the default tolerances around these values."""

    def tol(value, tolerance):
        return {"value": value, "tolerance": round(tolerance, 3)}

    def rel(value, key):
        return tol(value, TOLERANCE_REL[key] * abs(value or 0))

    # A transcriber's word count is good to a word or two (a digit doubled, a name split in two):
    # in a short message that is more than the relative tolerance.
    rate = rel(speaking_rate_wpm, "speaking_rate_wpm")
    rate["tolerance"] = round(max(rate["tolerance"], WORDS_SLACK * 60 / max(spoken_length_s, 1.0)), 3)

    return {
        "spoken_length_s": tol(spoken_length_s, TOLERANCE_S["spoken_length_s"]),
        "speech_start_s": tol(speech_start_s, TOLERANCE_S["speech_start_s"]),
        "speaking_rate_wpm": rate,
        "phone_number_count": tol(len(numbers), 0),
        # every pause of 0.5 s or more must be found; a pause found must lie in one of the silences
        "pauses": [{"start": tol(a, TOLERANCE_S["pause_edge"]), "end": tol(b, TOLERANCE_S["pause_edge"])}
                   for a, b in pauses],
        "silences": [[a, b] for a, b in silences],
        "phone_numbers": [
            {"start": tol(a, TOLERANCE_S["number_edge"]), "end": tol(b, TOLERANCE_S["number_edge"]),
             "digits_per_s": rel(rate, "digits_per_s")}
            for a, b, rate in numbers
        ],
    }


def compare(expected: Expectation, report: FileReport, rule_names: list[str], *,
            off: frozenset[str] = frozenset()) -> list[Check]:
    name = expected.recording.name
    if report.error:
        return [Check(name, ("analysis",), False, "analysed", report.error)]
    fired = report.verdicts
    checks = [
        Check(name, ("rule", rule), (rule in fired) == (rule in expected.rules),
              _fires(rule in expected.rules), _fires(rule in fired))
        for rule in sorted((set(rule_names) | set(expected.rules) | fired) - off)
    ]
    m = report.analysed().measures
    for key, want in expected.measures.items():
        if key == "pauses":
            checks.append(_pauses(name, want, expected.measures.get("silences", []), m.pauses))
        elif key == "phone_numbers":
            checks += _numbers(name, want, m.phone_numbers)
        elif key != "silences":
            checks.append(_scalar(name, ("measure", key), want, getattr(m, key, None)))
    return checks


def _fires(yes: bool) -> str:
    return "fires" if yes else "does not fire"


def _within(want: dict, got) -> bool:
    return got is not None and abs(got - want["value"]) <= want["tolerance"] + 1e-9


def _scalar(recording: str, item: tuple[str | int, ...], want: dict, got) -> Check:
    return Check(recording, item, _within(want, got), _show_tolerance(want), _show(got))


def _numbers(recording: str, want: list[dict], got) -> list[Check]:
    count = ("measure", "phone_numbers", "count")
    checks = [Check(recording, count, len(want) == len(got), str(len(want)), str(len(got)))]
    for i, (w, g) in enumerate(zip(want, got)):
        for key, tolerance in w.items():
            checks.append(_scalar(recording, ("measure", "phone_numbers", i, key), tolerance, getattr(g, key)))
    return checks


def _pauses(recording: str, want: list[dict], silences: list[list[float]], got) -> Check:
    """Every expected pause found (edges within tolerance); every pause found lies in a true silence."""
    missing = [
        w for w in want
        if not any(_within(w["start"], g.start) and _within(w["end"], g.end) for g in got)
    ]
    spurious = [g for g in got if not any(g.start < b and g.end > a for a, b in silences)]
    found = ", ".join(f"{g.start:.2f}-{g.end:.2f}" for g in got) or "none"
    return Check(recording, ("measure", "pauses"), not missing and not spurious, _show_list(want), found)


@dataclass(frozen=True)
class Change:
    recording: str
    item: str
    old: str
    new: str


def bless(data: dict, report: FileReport, checks: list[Check]) -> tuple[dict, list[Change]]:
    """The expectation with exactly the items that drifted taken from this report."""
    current = measured(report)
    data = json.loads(json.dumps(data))  # a deep copy; the caller's stays as it was
    measures = data.setdefault("measures", {})
    recording = data["recording"]
    changes: list[Change] = []

    def take(key: str, label: str, show) -> None:
        old = measures.get(key)
        measures[key] = current[key]
        changes.append(Change(recording, label, show(old), show(current[key])))

    for check in checks:
        if check.passed:
            continue
        kind, *rest = check.item
        if kind == "rule":
            fired = set(data.get("rules", []))
            fired ^= {str(rest[0])}
            data["rules"] = sorted(fired)
            changes.append(Change(recording, check.name, check.expected, check.got))
        elif kind != "measure":  # "analysis": the file could not be analysed; nothing to bless
            continue
        elif rest in (["phone_numbers", "count"], ["pauses"]):
            key = str(rest[0])
            take(key, f"measure:{key}", _show_list)
            if key == "pauses":
                measures["silences"] = current["silences"]
            else:
                measures["phone_number_count"] = current["phone_number_count"]
        elif len(rest) == 3:
            index, field = int(rest[1]), str(rest[2])
            old = measures["phone_numbers"][index][field]
            measures["phone_numbers"][index][field] = current["phone_numbers"][index][field]
            changes.append(Change(recording, check.name, _show(old), _show(current["phone_numbers"][index][field])))
        elif rest[0] in current:
            take(str(rest[0]), check.name, _show)
    return data, changes


def new_expectation(recording: Path, report: FileReport) -> dict:
    """An expectation for a recording that has none: every rule and measurement as found now."""
    data = {"recording": recording.name, "rules": sorted(report.verdicts),
            "measures": measured(report)}
    return data


def measured(report: FileReport) -> dict:
    m = report.analysed().measures
    return expected_measures(
        spoken_length_s=m.spoken_length_s,
        speech_start_s=m.speech_start_s,
        speaking_rate_wpm=m.speaking_rate_wpm,
        numbers=[(n.start, n.end, n.digits_per_s) for n in m.phone_numbers],
        pauses=[(p.start, p.end) for p in m.pauses],
        silences=[(p.start, p.end) for p in m.pauses],
    )


def write(path: Path, data: dict) -> None:
    write_text_atomic(path, json.dumps(data, indent=2) + "\n")


def _show(value) -> str:
    if isinstance(value, dict) and "value" in value:
        return _show_tolerance(value)
    return "absent" if value is None else str(value)


def _show_tolerance(want: dict) -> str:
    return f"{want['value']} ± {want['tolerance']}" if want["tolerance"] else f"{want['value']}"


def _show_list(items) -> str:
    if not items:
        return "none"
    return ", ".join(
        f"{i['start']['value']:.2f}-{i['end']['value']:.2f}" for i in items
    )
