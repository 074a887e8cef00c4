"""report.html: one self-contained file a trainer can email. The page (grade.html) is static;
this fills in the team's data, the players' audio included, as JSON: a recording heard through the
phone line has a second player, the line's version (audio/line_copy.py), beside the original."""

from __future__ import annotations

import base64
import json
import os
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from ..audio.line_copy import line_copy
from ..checks.findings import Severity
from ..checks.pack import Pack
from ..errors import AudioError
from ..grade.team import TeamReport
from ..numbers.readings import grouped
from ..report.serialize import file_to_dict
from .summary import dating
from .words import shown


def recording_data(d: dict, *, rep: str, name: str, audio: str | None, line_audio: str | None = None) -> dict:
    """What recording.js shows of one analysed recording, from its JSON (serialize.file_to_dict).
    `line_audio`: the player's source for the phone line's version (measures.phone_line), if any."""
    m = d["measures"]
    texts = shown([w["text"] for w in d["transcript"]["words"]],
                  [(n["first_word"], n["last_word"], n["digits"], n["extension"]) for n in m["phone_numbers"]])
    return {
        "rep": rep,
        "file": name,
        "score": d["score"],
        "duration": d["audio"]["duration_s"],
        "speech": [m["speech_start_s"], m["speech_end_s"]],
        "audio": audio,
        "line_audio": line_audio if m.get("phone_line") else None,
        "words": [[text, w["start"], w["end"]] for text, w in zip(texts, d["transcript"]["words"])],
        "numbers": [grouped(n["digits"]) for n in m["phone_numbers"]],
        "findings": d["findings"],
        "fired": sorted({f["name"] for f in d["findings"] if not f["doubt"]}),
        "measures": m,
    }


def page(name: str, data: dict) -> str:
    """A page of this package with the recording view and its data put in."""
    folder = resources.files("analyzer.render")
    text = folder.joinpath(name).read_text(encoding="utf-8")
    # "</" inside the JSON would end the <script> element early
    payload = json.dumps(data).replace("</", "<\\/")
    return (text.replace("/*RECORDING_CSS*/", folder.joinpath("recording.css").read_text(encoding="utf-8"))
                .replace("/*RECORDING_JS*/", folder.joinpath("recording.js").read_text(encoding="utf-8"))
                .replace("/*DATA*/", payload))


AUDIO = ("embed", "link", "none")


def _player(g, audio: str, out: Path | None) -> str | None:
    """What a recording's player plays: its small Opus copy inside the page ("embed"), the
    recording itself beside the report ("link", a path relative to the report), or nothing."""
    if audio == "embed":
        return "data:audio/webm;base64," + base64.b64encode(g.audio).decode() if g.audio else None
    if audio == "link":
        return Path(os.path.relpath(g.recording.path.resolve(), (out or Path.cwd()).resolve())).as_posix()
    return None


def _line_player(g, audio: str) -> str | None:
    """The phone line's version of a recording heard through it, inside the page whenever the report
    has players: in "link" mode too, since no file of it exists to link to. None when the recording
    cannot be decoded now (moved since it was graded from the cache): the report stands without it."""
    line = g.report.measures.phone_line if g.report.measures else None
    if audio == "none" or line is None:
        return None
    try:
        copy = line_copy(g.recording.path, line.codec)
    except (AudioError, OSError, ValueError):
        return None
    return "data:audio/webm;base64," + base64.b64encode(copy).decode()


def team_data(team: TeamReport, pack: Pack, *, audio: str = "embed", out: Path | None = None) -> dict:
    severity = {r.name: str(r.severity) for r in pack.rules}
    recordings = [
        recording_data(file_to_dict(g.report), rep=g.recording.rep, name=g.recording.path.name,
                       audio=_player(g, audio, out), line_audio=_line_player(g, audio))
        for g in team.recordings
        if not g.report.error
    ]
    fired = sorted((r for r in team.rules if team.rule_counts[r]), key=lambda r: -team.rule_counts[r])
    worst: dict[tuple[str, str], Severity] = {}  # (rep, rule): its worst verdict (a far breach is worse)
    for g in team.recordings:
        for f in g.report.findings:
            if not f.doubt:
                key = (g.recording.rep, f.name)
                worst[key] = max(worst.get(key, f.severity), f.severity)
    return {
        # who needs help with what: recordings each rule fired in, per rep, the rules that fired at all
        "grid": {"rules": fired, "reps": [{"rep": s.rep, "counts": dict(s.flags),
                                           "worst": {r: str(worst[s.rep, r]) for r, _ in s.flags}} for s in team.reps]},
        "quiet_rules": [r for r in team.rules if not team.rule_counts[r]],
        "pack": team.pack,
        "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "mean_score": team.mean_score,
        "rules": [{"name": r, "count": team.rule_counts[r], "severity": severity[r]} for r in fired],
        "reps": [s.as_dict() for s in team.reps],
        "errors": [{"rep": g.recording.rep, "file": g.recording.path.name, "error": g.report.error}
                   for g in team.errors],
        "dating": dating(team),
        "recordings": recordings,
    }


def render(team: TeamReport, pack: Pack, *, audio: str = "embed", out: Path | None = None) -> str:
    return page("grade.html", team_data(team, pack, audio=audio, out=out))
