"""report.html: one self-contained file a trainer can email. The page (grade.html) is static;
this fills in the team's data, the players' audio included, as JSON."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timezone
from importlib import resources

from ..pack import Pack
from ..serialize import file_to_dict
from ..team import TeamReport


def team_data(team: TeamReport, pack: Pack) -> dict:
    severity = {r.name: str(r.severity) for r in pack.rules}
    recordings = []
    for g in team.recordings:
        if g.report.error:
            continue
        d = file_to_dict(g.report)
        m = d["measures"]
        recordings.append({
            "rep": g.recording.rep,
            "file": g.recording.path.name,
            "score": d["score"],
            "duration": d["audio"]["duration_s"],
            "speech": [m["speech_start_s"], m["speech_end_s"]],
            "audio": "data:audio/webm;base64," + base64.b64encode(g.audio).decode() if g.audio else None,
            "words": [[w["text"], w["start"], w["end"]] for w in d["transcript"]["words"]],
            "findings": d["findings"],
            "measures": m,
        })
    return {
        "pack": team.pack,
        "generated": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "mean_score": team.mean_score,
        "rules": [{"name": r, "count": team.rule_counts[r], "severity": severity[r]} for r in team.rules],
        "reps": [
            {"rep": s.rep, "recordings": s.recordings, "mean_score": s.mean_score, "latest_score": s.latest_score,
             "trend": s.trend, "top_flags": [list(f) for f in s.top_flags],
             "same_message": [list(x) for x in s.same_message]}
            for s in team.reps
        ],
        "errors": [{"rep": g.recording.rep, "file": g.recording.path.name, "error": g.report.error}
                   for g in team.errors],
        "recordings": recordings,
    }


def render(team: TeamReport, pack: Pack) -> str:
    page = resources.files("analyzer.render").joinpath("grade.html").read_text(encoding="utf-8")
    # "</" inside the JSON would end the <script> element early
    payload = json.dumps(team_data(team, pack)).replace("</", "<\\/")
    return page.replace("/*DATA*/", payload)
