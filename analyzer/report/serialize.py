"""FileReport to and from plain data: the JSON contract's per-file object (DESIGN section 5),
and what the grading cache stores (a FileReport, and an Analysis: the same object before the
rules). Add fields, never rename them."""

from __future__ import annotations

import dataclasses

from ..checks.findings import Evidence, Finding, Said, Severity
from ..measure.clauses import Clause, Score
from ..measure.line import LineReading, PhoneLine
from ..measure.measurements import Measurements, Pause, PhoneNumber, UnclearNumber
from ..transcript import EngineInfo, Region, Transcript, Word
from .results import Analysis, AudioInfo, FileReport


def analysis_to_dict(a: Analysis) -> dict:
    """What the grading cache keeps of a recording before the rules (results.Analysis)."""
    if a.error:
        return {"file": a.file, "error": a.error, "error_kind": a.error_kind}
    if a.audio is None or a.transcript is None or a.measures is None:
        raise ValueError(f"{a.file} has neither an error nor its analysis")
    t = a.transcript
    return {
        "file": a.file,
        "audio": dataclasses.asdict(a.audio),
        "engine": {"name": t.engine.name, "model": t.engine.model, **dict(t.engine.settings)},
        "transcript": {
            "text": t.text,
            "language": t.language,
            "words": _words(t.words),
            # the digit-focused second pass over the number (number_pass.py)
            "regions": [{"start": r.start, "end": r.end, "words": _words(r.words)} for r in t.regions],
        },
        "measures": dataclasses.asdict(a.measures),
    }


def file_to_dict(f: FileReport) -> dict:
    if f.error:
        return {"file": f.file, "error": f.error, "error_kind": f.error_kind}
    done = f.analysed()
    return {
        **analysis_to_dict(Analysis(f.file, done.audio, done.transcript, done.measures)),
        "findings": [
            {
                "code": x.code, "name": x.name, "severity": str(x.severity), "message": x.message,
                "hint": x.hint, "start": x.start, "end": x.end, "words": [list(r) for r in x.words],
                "doubt": x.doubt,
            }
            for x in f.findings
        ],
        "score": f.score,
        # why each phrase rule fired or kept quiet: the stretch it read, and the words it found there
        "evidence": [
            {"code": e.code, "name": e.name, "fired": e.fired, "start": e.start, "end": e.end,
             "found": [{"text": s.text, "start": s.start, "end": s.end, "words": list(s.words), "score": s.score}
                       for s in e.found]}
            for e in f.evidence
        ],
    }


def analysis_from_dict(d: dict) -> Analysis:
    if "error" in d:
        return Analysis(file=d["file"], error=d["error"], error_kind=d.get("error_kind"))
    engine = dict(d["engine"])
    name, model = engine.pop("name"), engine.pop("model")
    transcript = Transcript(
        words=tuple(Word(**w) for w in d["transcript"]["words"]),
        language=d["transcript"]["language"],
        engine=EngineInfo(name, model, tuple(engine.items())),
        regions=tuple(Region(r["start"], r["end"], tuple(Word(**w) for w in r["words"]))
                      for r in d["transcript"].get("regions", ())),
    )
    m = dict(d["measures"])
    m["pauses"] = tuple(Pause(**p) for p in m["pauses"])
    m["phone_numbers"] = tuple(PhoneNumber(**{**n, "digit_probabilities": tuple(n.get("digit_probabilities", ()))})
                               for n in m["phone_numbers"])
    m["unclear_number"] = UnclearNumber(**m["unclear_number"]) if m.get("unclear_number") else None
    if line := m.get("phone_line"):
        m["phone_line"] = PhoneLine(**{**line, "words": tuple(Word(**w) for w in line["words"]),
                                       "readings": tuple(LineReading(**r) for r in line["readings"])})
    m["doubts"] = tuple(tuple(d) for d in m.get("doubts", ()))
    m["ranges"] = tuple(tuple(r) for r in m.get("ranges", ()))
    for key in ("clauses", "introduction"):
        m[key] = tuple(Clause(**{**c, "scores": tuple(_score(s) for s in c["scores"])}) for c in m.get(key, ()))
    return Analysis(file=d["file"], audio=AudioInfo(**d["audio"]), transcript=transcript, measures=Measurements(**m))


def _score(s: dict) -> Score:
    return Score(**{**s, "read_as_names": tuple(s.get("read_as_names", ()))})


def file_from_dict(d: dict) -> FileReport:
    a = analysis_from_dict(d)
    if a.error:
        return FileReport(file=a.file, error=a.error, error_kind=a.error_kind)
    findings = tuple(
        Finding(
            code=x["code"], name=x["name"], severity=Severity.parse(x["severity"]), message=x["message"],
            hint=x["hint"], start=x["start"], end=x["end"], words=tuple(tuple(r) for r in x["words"]),
            doubt=x.get("doubt", ""),
        )
        for x in d["findings"]
    )
    return FileReport(
        file=a.file,
        audio=a.audio,
        transcript=a.transcript,
        measures=a.measures,
        findings=findings,
        score=d["score"],
        evidence=tuple(
            Evidence(e["code"], e["name"], e["fired"], e["start"], e["end"],
                     tuple(Said(s["text"], s["start"], s["end"], tuple(s["words"]), s.get("score"))
                           for s in e["found"]))
            for e in d.get("evidence", ())
        ),
    )


def _words(words: tuple[Word, ...]) -> list[dict]:
    return [{"text": w.text, "start": w.start, "end": w.end, "probability": w.probability} for w in words]
