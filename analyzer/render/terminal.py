"""The rep's view: score, transcript with the flagged words marked, findings with times and hints, measurements."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..checks.findings import Finding, Severity
from ..measure.measurements import Measurements
from ..numbers.readings import counted, grouped
from ..report.results import FileReport, Report
from ..transcript import Transcript
from .words import shown

STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
MARK = {Severity.ERROR: "bold white on red", Severity.WARNING: "black on yellow", Severity.INFO: "black on cyan"}


def render(report: Report, console: Console) -> None:
    """The recordings that were analysed; those that could not be are diagnostics (summary.diagnostics)."""
    for f in report.files:
        if not f.error:
            console.print(_file(f))


def _file(f: FileReport):
    done = f.analysed()
    m = done.measures
    colour = "green" if done.score >= 80 else "yellow" if done.score >= 50 else "red"
    headline = Text.assemble(
        ("score ", "bold"), (f"{done.score}/100", f"bold {colour}"),
        f"   {m.spoken_length_s:.1f} s spoken of {m.duration_s:.1f} s   ",
        counted(len(f.findings), "finding"),
    )
    parts: list[Text | Table] = [headline, Text(""), _transcript(f, done.transcript, m), Text("")]
    if m.phone_line is not None:  # beside the original: what the prospect's phone would read
        parts += [Text.assemble((f"Through {m.phone_line.what}, the prospect's phone would read:", "bold"), "\n",
                                (m.phone_line.text or "(nothing)", "italic")), Text("")]
    kept = Text("No findings: this message keeps every habit.", style="green")
    parts.append(_findings(f.findings) if f.findings else kept)
    parts += [Text(""), _measures(m)]
    return Panel(Group(*parts), title=f"[bold]{f.file}[/]", title_align="left", border_style=colour)


def _transcript(f: FileReport, transcript: Transcript, m: Measurements) -> Text:
    worst: dict[int, Severity] = {}
    for x in f.findings:
        for first, last in x.words:
            for i in range(first, last + 1):
                worst[i] = max(worst.get(i, x.severity), x.severity)
    texts = shown([w.text for w in transcript.words],
                  [(n.first_word, n.last_word, n.digits, n.extension) for n in m.phone_numbers])
    text = Text()
    for i, word in enumerate(texts):
        if not word:
            continue  # a phone number's other words: the number is shown once
        if text:
            text.append(" ")
        text.append(word, style=MARK[worst[i]] if i in worst else "")
    return text


def _findings(findings: tuple[Finding, ...]) -> Table:
    table = Table(show_header=False, box=None, pad_edge=False, expand=True)
    table.add_column("when", no_wrap=True, style="dim")
    table.add_column("severity", no_wrap=True)
    table.add_column("what, and what to do", ratio=1)
    for x in findings:
        body = Text.assemble((x.name, "bold"), f" ({x.code})  ", x.message)
        body.append(f"\n→ {x.hint}", style="italic")
        table.add_row(_when(x), Text(str(x.severity), style=STYLE[x.severity]), body)
    return table


def _measures(m: Measurements) -> Table:
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="dim")
    table.add_column()
    table.add_row("spoken length", f"{m.spoken_length_s:.1f} s ({_clock(m.speech_start_s)}–{_clock(m.speech_end_s)})")
    table.add_row("speaking rate", f"{m.speaking_rate_wpm:.0f} wpm ({m.articulation_rate_wpm:.0f} wpm without pauses)")
    table.add_row("silence", f"{m.leading_silence_s:.1f} s before, {m.trailing_silence_s:.1f} s after")
    table.add_row("pauses ≥ 0.5 s", f"{len(m.pauses)}, longest {m.longest_pause_s:.1f} s")
    if m.pitch_median_hz is not None:
        table.add_row("voice", f"pitch {m.pitch_median_hz:.0f} Hz ± {m.pitch_variation_st:.1f} semitones, "
                      f"level {m.loudness_dbfs:.0f} dBFS")
    for n in m.phone_numbers or ():
        rate = f"{n.digits_per_s:.1f} digits/s" if n.digits_per_s is not None else n.note
        ext = f" ext. {n.extension}" if n.extension else ""
        table.add_row(f"number at {_clock(n.start)}", f"{grouped(n.digits)}{ext}  {rate}")
    if not m.phone_numbers:
        table.add_row("numbers", "none said")
    for r in m.phone_line.readings if m.phone_line is not None else ():
        kept = "survives" if r.survives else f"reads {grouped(r.line_digits) or 'no digits'}"
        table.add_row(f"line at {_clock(r.start)}", f"{grouped(r.digits)} {kept}")
    return table


def _when(x: Finding) -> str:
    if x.start is None:
        return "whole message"
    return f"{_clock(x.start)}–{_clock(x.end if x.end is not None else x.start)}"


def _clock(seconds: float) -> str:
    return f"{int(seconds // 60)}:{seconds % 60:04.1f}"
