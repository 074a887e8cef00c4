"""The end of `voicemail grade` in the terminal: who needs help with what, and why the exit code."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..checks.findings import Severity
from ..grade.batch import Recording
from ..grade.team import TeamReport
from ..numbers.readings import counted
from ..report.results import Report

SHOWN_FILES = 5


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


def dating(team: TeamReport) -> str:
    """Which time "latest" and the trend follow, in one sentence."""
    said = "latest and trend follow when each recording was made, as the recording's own date (creation_time) says"
    if not team.undated:
        return said + "."
    return (f"{said}; {counted(team.undated, 'recording')} of {len(team.recordings)} carry no date, so the file's "
            "modification time is used for them, which copying a file changes.")


def unnamed(recordings: list[Recording], pattern: str) -> str:
    """The files --rep-pattern did not match, in one sentence ("" when it matched them all)."""
    missed = [r for r in recordings if not r.named]
    if not missed:
        return ""
    shown = ", ".join(str(r.path) for r in missed[:SHOWN_FILES]) + (", ..." if len(missed) > SHOWN_FILES else "")
    folders = ", ".join(sorted({r.rep for r in missed}))
    return (f"warning: --rep-pattern {pattern!r} does not match the name of {counted(len(missed), 'file')} of "
            f"{len(recordings)} ({shown}), so they are graded under their folder's name ({folders}); "
            "fix the pattern or rename them.")


def diagnostics(report: Report, fail_on: Severity | None, console: Console) -> None:
    """For stderr: one sentence for each recording that could not be analysed, then why the run
    exits as it does (nothing when it exits 0)."""
    for f in report.files:
        if f.error:
            console.print(Text(f"error: {f.error}", style="red"), soft_wrap=True)
    reason = exit_reason(report, fail_on)
    if reason:
        console.print(Text(reason), soft_wrap=True)


def exit_reason(report: Report, fail_on: Severity | None) -> str:
    """Why the run exits as it does, in one sentence ("" for 0)."""
    failed = [f for f in report.files if f.error]
    if failed:
        return f"exit 2: {counted(len(failed), 'recording')} could not be analysed (listed above)."
    if fail_on is None:
        return ""
    hits = [(f, x) for f in report.files for x in f.findings if x.severity >= fail_on]
    if not hits:
        return ""
    recordings = len({f.file for f, _ in hits})
    rules = ", ".join(sorted({x.name for _, x in hits}))
    return (f"exit 1: {counted(len(hits), 'finding')} at {fail_on} or above in {counted(recordings, 'recording')} "
            f"({rules}); --fail-on sets the level, --fail-on never always exits 0.")
