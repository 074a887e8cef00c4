"""A team's grading as spreadsheets: recordings.csv (one row a recording), reps.csv (one a rep)."""

from __future__ import annotations

import csv
import io

from ..grade.team import TeamReport


def recordings_csv(team: TeamReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["rep", "file", "score", "duration_s", "spoken_length_s", "speaking_rate_wpm", "number_count",
                     "slowest_digits_per_s", "fastest_digits_per_s", *team.rules, "error"])
    for g in team.recordings:
        r = g.report
        if r.error:
            writer.writerow([g.recording.rep, r.file, "", "", "", "", "", "", "", *[""] * len(team.rules), r.error])
            continue
        done = r.analysed()
        m = done.measures
        rates = [n.digits_per_s for n in m.phone_numbers if n.digits_per_s is not None]
        fired = r.verdicts
        writer.writerow([
            g.recording.rep, r.file, done.score, done.audio.duration_s, m.spoken_length_s, m.speaking_rate_wpm,
            m.phone_number_count, min(rates, default=""), max(rates, default=""),
            *[int(rule in fired) for rule in team.rules], "",
        ])
    return out.getvalue()


def reps_csv(team: TeamReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["rep", "recordings", "graded", "mean_score", "latest_score", "trend", "most_frequent_flags",
                     "same_message"])
    for s in team.reps:
        writer.writerow([
            s.rep, s.recordings, s.graded, _blank(s.mean_score), _blank(s.latest_score), _blank(s.trend),
            "; ".join(f"{name} ({n})" for name, n in s.top_flags),
            "; ".join(f"{a} ~ {b} ({sim:.0%})" for a, b, sim in s.same_message),
        ])
    return out.getvalue()


def _blank(value) -> str:
    return "" if value is None else str(value)
