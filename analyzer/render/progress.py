"""The grading progress bar: count, the file just finished, time left."""

from __future__ import annotations

from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn


@contextmanager
def bar(console: Console, total: int):
    columns = (BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), TextColumn("{task.description}"))
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("", total=total)

        def advance(graded) -> None:
            source = "cached" if graded.from_cache else "graded"
            progress.update(task, advance=1, description=f"{source} {graded.recording.path.name}")

        yield advance
