"""Progress on stderr: grading's bar (count, the file just finished, time left), and regress's
steps, a bar at a terminal and a line a recording elsewhere (a CI log), so a long run never looks hung."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

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


@contextmanager
def steps(console: Console, what: str):
    """`step(path, done, total)` after each recording: "analysed 3 of 13: NAME"."""
    if console.is_terminal:
        columns = (BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), TextColumn("{task.description}"))
        with Progress(*columns, console=console, transient=True) as progress:
            task = progress.add_task("", total=None)

            def advance(path: Path, done: int, total: int) -> None:
                progress.update(task, completed=done, total=total, description=f"{what} {path.name}")

            yield advance
    else:
        def line(path: Path, done: int, total: int) -> None:
            console.print(f"{what} {done} of {total}: {path.name}", markup=False, highlight=False, soft_wrap=True)

        yield line
