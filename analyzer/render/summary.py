"""The end of `voicemail grade` in the terminal: who needs help with what, and why the exit code."""

from __future__ import annotations

from rich.table import Table

from ..checks.findings import Severity
from ..grade.team import TeamReport
from ..report.results import Report


def reps_table(team: TeamReport) -> Table:
    table = Table(title="reps", title_justify="left", box=None, pad_edge=False)
    for column in ("rep", "recordings", "mean score", "latest", "most frequent flags"):
        table.add_column(column, justify="right" if column in ("recordings", "mean score", "latest") else "left")
    for s in team.reps:
        flags = ", ".join(f"{name} ({n})" for name, n in s.top_flags) or "none"
        table.add_row(s.rep, f"{s.graded} of {s.recordings}" if s.graded != s.recordings else str(s.recordings),
                      "-" if s.mean_score is None else f"{s.mean_score:g}",
                      "-" if s.latest_score is None else str(s.latest_score), flags)
    return table


def exit_reason(report: Report, fail_on: Severity | None) -> str:
    """Why the run exits as it does, in one sentence ("" for 0)."""
    failed = [f for f in report.files if f.error]
    if failed:
        return f"exit 2: {len(failed)} recording(s) could not be analysed (listed above)."
    if fail_on is None:
        return ""
    hits = [(f, x) for f in report.files for x in f.findings if x.severity >= fail_on]
    if not hits:
        return ""
    recordings = len({f.file for f, _ in hits})
    rules = ", ".join(sorted({x.name for _, x in hits}))
    return (f"exit 1: {len(hits)} finding(s) at {fail_on} or above in {recordings} recording(s) ({rules}); "
            f"--fail-on sets the level, --fail-on never always exits 0.")
