"""`voicemail regress` in the terminal: what drifted, what has no expectations, one summary line."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from ..numbers.readings import counted
from ..regress.expectations import Change
from ..regress.run import CorpusResult


def render(result: CorpusResult, console: Console) -> None:
    drifted = [(r, c) for r in result.results for c in r.drifted]
    if drifted:
        table = Table(title="drift", title_justify="left", show_lines=False)
        for column in ("recording", "rule or measurement", "expected", "got"):
            table.add_column(column, overflow="fold")
        for r, c in drifted:
            table.add_row(r.recording.name, c.name, c.expected, c.got)
        console.print(table)
    for r in result.unexpected:
        console.print(f"[yellow]{r.recording.name}: no expectations[/] "
                      "(run `voicemail regress --update` to record them)")
    recordings = len(result.results)
    checks = sum(len(r.checks) for r in result.results)
    bad = len({r.recording for r, _ in drifted})
    if result.exit_code == 0:
        console.print(f"[green]ok[/]: {counted(recordings, 'recording')}, {counted(checks, 'check')}, no drift")
    else:
        console.print(f"[red]drift[/]: {len(drifted)} of {counted(checks, 'check')} in {bad} of "
                      f"{counted(recordings, 'recording')}"
                      + (f"; {len(result.unexpected)} without expectations" if result.unexpected else ""))


def render_changes(changes: list[Change], console: Console) -> None:
    if not changes:
        console.print("nothing to update: every expectation that could be checked matches")
        return
    table = Table(title="updated expectations", title_justify="left")
    for column in ("recording", "rule or measurement", "was", "now"):
        table.add_column(column, overflow="fold")
    for c in changes:
        table.add_row(c.recording, c.item, c.old, c.new)
    console.print(table)
    console.print(f"{counted(len(changes), 'change')} written")
