"""The JSON contract (DESIGN section 5): {"schema_version": 1, "files": [...]}. Add fields, never rename."""

from __future__ import annotations

import dataclasses
import json

from ..report import SCHEMA_VERSION, FileReport, Report


def file_dict(f: FileReport) -> dict:
    if f.error:
        return {"file": f.file, "error": f.error}
    t, m = f.transcript, f.measures
    measures = dataclasses.asdict(m)
    return {
        "file": f.file,
        "audio": dataclasses.asdict(f.audio),
        "engine": {"name": t.engine.name, "model": t.engine.model, **dict(t.engine.settings)},
        "transcript": {
            "text": t.text,
            "language": t.language,
            "words": [{"text": w.text, "start": w.start, "end": w.end, "probability": w.probability} for w in t.words],
        },
        "measures": measures,
        "findings": [
            {
                "code": x.code, "name": x.name, "severity": str(x.severity), "message": x.message,
                "hint": x.hint, "start": x.start, "end": x.end, "words": [list(r) for r in x.words],
            }
            for x in f.findings
        ],
        "score": f.score,
    }


def report_dict(report: Report) -> dict:
    return {"schema_version": SCHEMA_VERSION, "pack": report.pack, "files": [file_dict(f) for f in report.files]}


def render(report: Report) -> str:
    return json.dumps(report_dict(report), indent=2)
