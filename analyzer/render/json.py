"""The JSON contract (DESIGN section 5): {"schema_version": 1, "files": [...]}. Add fields, never rename."""

from __future__ import annotations

import json

from ..report.results import SCHEMA_VERSION, Report
from ..report.serialize import file_to_dict


def report_dict(report: Report) -> dict:
    return {"schema_version": SCHEMA_VERSION, "pack": report.pack, "files": [file_to_dict(f) for f in report.files]}


def render(report: Report) -> str:
    return json.dumps(report_dict(report), indent=2)


def team_dict(team, pack_name: str) -> dict:
    """report.json of `voicemail grade`: the analyze schema's files, each with its rep, and the summaries."""
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "grade",
        "pack": pack_name,
        "files": [{**file_to_dict(g.report), "rep": g.recording.rep, "from_cache": g.from_cache}
                  for g in team.recordings],
        "reps": [s.as_dict() for s in team.reps],
        "rules": [{"name": r, "recordings": team.rule_counts[r]} for r in team.rules],
    }


def render_team(team, pack_name: str) -> str:
    return json.dumps(team_dict(team, pack_name), indent=2)
