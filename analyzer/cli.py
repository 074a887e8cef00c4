"""`voicemail`: parses the command line and wires the pipeline; nothing else lives here."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path

import typer

from .errors import UsageError
from .render.help import Command as _Command
from .render.help import Group as _Group

app = typer.Typer(
    cls=_Group,
    add_completion=False,
    no_args_is_help=True,
    help="Coach sales reps on the voicemails they leave: transcribe, measure, and flag what keeps prospects "
    "from calling back.",
)


class Format(str, Enum):
    terminal = "terminal"
    json = "json"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


PACK = typer.Option(None, "--pack", "-p", help="A rule pack: a TOML file or a shipped pack name.")
ENGINE = typer.Option("faster-whisper", "--engine", help="faster-whisper, or openai-whisper (after make openai).")
MODEL = typer.Option(None, "--model", help="A model directory or size name (default: bundled tiny.en).")
SELECT = typer.Option(None, "--select", metavar="RULES", help="Only these rules: names, codes or code prefixes "
                      "(VM1), repeated or comma-separated; replaces the pack's select.")
IGNORE = typer.Option(None, "--ignore", metavar="RULES", help="Not these rules (VM205, filler-words); the most "
                      "specific of --select and --ignore wins.")


def _selectors(values: list[str] | None) -> list[str] | None:
    return None if values is None else [v.strip() for value in values for v in value.split(",") if v.strip()]


PHONE_LINE = typer.Option(False, "--phone-line", help="Also hear each recording through a phone line (the pack's "
                          "phone_line, else a mobile call: AMR-NB) and check that the number survives it.")


def _own_number(value: str | None) -> str | None:
    from .numbers.own import own_number

    return None if value is None else own_number(value, where="--number")


@app.command(cls=_Command)
def analyze(
    files: list[Path] = typer.Argument(..., metavar="FILE...", help="Recordings: WAV, MP3, M4A, OGG, FLAC, WebM."),
    format: Format = typer.Option(Format.terminal, "--format", "-f", help="terminal (for people) or json."),
    pack: str | None = PACK,
    engine: str = ENGINE,
    model: str | None = MODEL,
    number: str | None = typer.Option(None, "--number", help="Your own callback number, to catch a wrong digit."),
    phone_line: bool = PHONE_LINE,
    fail_on: FailOn = typer.Option(FailOn.error, "--fail-on", help="Exit 1 on findings at or above this severity."),
    select: list[str] | None = SELECT,
    ignore: list[str] | None = IGNORE,
) -> None:
    """Analyse recorded voicemails: score, findings with times and hints, measurements."""
    from rich.console import Console

    from .checks.findings import Severity
    from .checks.pack import load_pack
    from .pipeline import Analyzer
    from .report.results import Report

    with _usage_errors():
        number = _own_number(number)
        rules = load_pack(pack, select=_selectors(select), ignore=_selectors(ignore))
        analyzer = Analyzer(rules, engine=engine, model=model, number=number, phone_line=rules.line(phone_line))
    report = Report(tuple(analyzer.analyze(f) for f in files), pack=rules.name)
    if format is Format.json:
        from .render import json

        sys.stdout.write(json.render(report) + "\n")
    else:
        from .render import terminal

        terminal.render(report, Console())
    from .render import summary

    threshold = None if fail_on is FailOn.never else Severity.parse(fail_on.value)
    summary.diagnostics(report, threshold, Console(stderr=True))
    raise typer.Exit(report.exit_code(threshold))


@app.command(cls=_Command)
def grade(
    paths: list[Path] = typer.Argument(..., metavar="PATH...", help="Folders (searched recursively) and recordings."),
    out: Path = typer.Option(Path("voicemail-report"), "--out", "-o", help="Where the four reports go."),
    rep_pattern: str | None = typer.Option(
        None, "--rep-pattern", help="A regex with (?P<rep>...) on the file name; default: the folder's name."),
    workers: int = typer.Option(0, "--workers", "-j", show_default=False,
                                help="Parallel workers (default: one per core)."),
    pack: str | None = PACK,
    engine: str = ENGINE,
    model: str | None = MODEL,
    number: str | None = typer.Option(None, "--number", help="The team's callback number."),
    phone_line: bool = PHONE_LINE,
    cache_dir: Path | None = typer.Option(None, "--cache", help="Cache folder (default: the user's cache)."),
    audio: str = typer.Option("embed", "--audio", metavar="<embed|link|none>",
                              help="The report's players: embed a small copy (the page is self-contained), link "
                              "the recordings beside it, or none (the smallest page)."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Analyse everything again, keep nothing."),
    fail_on: FailOn = typer.Option(FailOn.error, "--fail-on", help="Exit 1 on findings at or above this severity."),
    select: list[str] | None = SELECT,
    ignore: list[str] | None = IGNORE,
    ray: str | None = typer.Option(None, "--ray", metavar="<local|auto|ray://HOST:PORT>",
                                   help="Analyse on Ray: a local Ray with --workers workers, the cluster that "
                                   "RAY_ADDRESS or `ray start` names, or a remote one (needs the \\[ray] extra)."),
) -> None:
    """A trainer and a team: grade many recordings in parallel; CSV, JSON and HTML reports per rep and rule."""
    import time
    from contextlib import nullcontext

    from rich.console import Console
    from rich.text import Text

    from .checks.findings import Severity
    from .checks.pack import load_pack
    from .engines.bundled import resolve
    from .grade import batch, cluster
    from .grade.cache import Cache, default_dir
    from .grade.team import summarize
    from .numbers.readings import counted
    from .pipeline import Judge
    from .render import progress, summary
    from .render.html import AUDIO
    from .report.results import Report
    from .storage import check_writable_folder

    console = Console(stderr=True)  # progress and diagnostics
    results = Console()  # the summary, for a reader or a file
    started = time.perf_counter()
    with _usage_errors():
        if audio not in AUDIO:
            raise UsageError(f"--audio {audio!r} is not one of {', '.join(AUDIO)}; choose one.")
        try:  # refused now, not after the whole team is graded
            check_writable_folder(out)
        except OSError as exc:
            raise UsageError(f"Cannot write the reports to {out} ({exc.strerror}); "
                             "pass another --out folder.") from None
        number = _own_number(number)
        chosen, dropped = _selectors(select), _selectors(ignore)
        rules_pack = load_pack(pack, select=chosen, ignore=dropped)
        if engine == "faster-whisper":
            resolve(model)  # a bad --model is one sentence here, not a failure in every worker
        recordings = batch.find_recordings(paths, rep_pattern)
        if rep_pattern is not None and (missed := summary.unnamed(recordings, rep_pattern)):
            console.print(Text(missed, style="yellow"), soft_wrap=True)
        judge = Judge(rules_pack, number=number)
        on_cluster = ray is not None and ray != "local"  # its workers: --workers, else one per CPU it has
        workers = min(workers or (0 if on_cluster else batch.default_workers()), len(recordings))
        threads = 1 if on_cluster else max(1, batch.default_workers() // workers)
        settings = batch.Settings(engine, model, threads=threads, phone_line=rules_pack.line(phone_line))
        cache = Cache(None if no_cache else (cache_dir or default_dir()), batch.listening(settings),
                      batch.judging(judge))
        pool = cluster.on_ray(ray, settings, workers, console) if ray is not None else nullcontext(None)
        try:
            with pool as listen, progress.bar(console, len(recordings)) as advance:
                graded = batch.grade(recordings, judge, settings, workers=workers, cache=cache, listen=listen,
                                     on_done=advance)
        except KeyboardInterrupt:
            console.print("interrupted: what was graded is kept; run the same command again to resume.")
            raise typer.Exit(130) from None
        except batch.WorkerError as exc:
            raise UsageError(str(exc)) from None
        team = summarize(graded, pack=rules_pack.name, rules=[r.name for r in rules_pack.active])
        written = _write_team_reports(out, team, rules_pack, audio)
    cached = sum(g.from_cache for g in graded)
    rejudged = sum(g.judged_again for g in graded)  # analyses from the cache, judged by another pack
    source = f"{cached} from the cache" + (f", the rules run again on {rejudged}" if rejudged else "")
    results.print(f"graded {counted(len(graded), 'recording')} of {counted(len(team.reps), 'rep')} "
                  f"({source}) in {time.perf_counter() - started:.1f} s; "
                  f"mean score {team.mean_score if team.mean_score is not None else '-'}")
    results.print(summary.reps_table(team))
    results.print(Text(summary.dating(team), style="dim"), soft_wrap=True)
    results.print(f"reports: {', '.join(str(p) for p in written)}")
    page_kb = (out / "report.html").stat().st_size / 1024
    players = {"embed": "audio embedded (--audio link or none for a smaller page)",
               "link": "players linked to the recordings", "none": "no audio"}[audio]
    results.print(f"report.html: {page_kb:,.0f} KB, {players}")
    threshold = None if fail_on is FailOn.never else Severity.parse(fail_on.value)
    report = Report(tuple(g.report for g in graded), pack=rules_pack.name)
    summary.diagnostics(report, threshold, console)
    raise typer.Exit(report.exit_code(threshold))


def _write_team_reports(out: Path, team, pack, audio: str) -> list[Path]:
    from .render import csv, html, json
    from .storage import write_text_atomic

    reports = {
        "recordings.csv": csv.recordings_csv(team),
        "reps.csv": csv.reps_csv(team),
        "report.json": json.render_team(team, pack.name),
        "report.html": html.render(team, pack, audio=audio, out=out),
    }
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, text in reports.items():
            write_text_atomic(out / name, text)
    except OSError as exc:
        raise UsageError(f"Cannot write the reports to {out} ({exc.strerror}); pass another --out folder.") from None
    return [out / name for name in reports]


@app.command(cls=_Command)
def regress(
    corpus: Path = typer.Argument(..., metavar="CORPUS",
                                  help="A folder of recordings with NAME.expected.json beside each."),
    pack: str | None = PACK,
    engine: str = ENGINE,
    model: str | None = MODEL,
    junit: Path | None = typer.Option(None, "--junit", help="Also write JUnit XML here, for CI dashboards."),
    update: bool = typer.Option(False, "--update", help="Re-bless: rewrite the expectations that drifted."),
    drop_missing: bool = typer.Option(False, "--drop-missing", help="With --update: delete the expectations of "
                                      "recordings that are gone (else they keep exit 1)."),
    workers: int = typer.Option(1, "--workers", "-j", help="Parallel workers, each loading the model once "
                                "(0: one per core)."),
    select: list[str] | None = SELECT,
    ignore: list[str] | None = IGNORE,
) -> None:
    """CI: re-analyse a corpus, print what drifted from its expectations, exit 1 on drift."""
    from rich.console import Console

    from .checks.pack import load_pack
    from .engines.bundled import resolve
    from .grade import batch
    from .numbers.readings import counted
    from .pipeline import Analyzer, Judge
    from .regress import run as corpus_run
    from .render import junit as junit_xml
    from .render import progress
    from .render import regress as view
    from .storage import write_text_atomic

    console = Console()
    with _usage_errors():
        chosen, dropped = _selectors(select), _selectors(ignore)
        rules_pack = load_pack(pack, select=chosen, ignore=dropped)
        workers = workers or batch.default_workers()
        if workers > 1:
            if engine == "faster-whisper":
                resolve(model)  # a bad --model is one sentence here, not a failure in every worker
            settings = batch.Settings(engine, model, threads=max(1, batch.default_workers() // workers),
                                      phone_line=rules_pack.line())
            judge = Judge(rules_pack)

            def in_workers(jobs, on_done) -> None:
                try:
                    batch.analyse(jobs, judge, settings, workers=min(workers, len(jobs)), on_done=on_done)
                except batch.WorkerError as exc:
                    raise UsageError(str(exc)) from None

            analyse: corpus_run.Analyse = in_workers
        else:
            analyse = corpus_run.one_by_one(Analyzer(rules_pack, engine=engine, model=model))
        off = frozenset(r.name for r in rules_pack.rules if not r.enabled)
        with progress.steps(Console(stderr=True), "analysed") as step:
            result = corpus_run.run(analyse, corpus, [r.name for r in rules_pack.active], off=off, progress=step)
    view.render(result, console)
    if junit:
        with _usage_errors():
            try:
                write_text_atomic(junit, junit_xml.render(result))
            except OSError as exc:
                raise UsageError(f"Cannot write the JUnit file {junit} ({exc.strerror}); check the path.") from None
    if update:
        changes, failed = corpus_run.update(result, drop_missing=drop_missing)
        view.render_changes(changes, console)
        if failed:
            console.print(f"[red]{counted(len(failed), 'recording')} could not be analysed[/], so their "
                          f"expectations stay and the run fails: {', '.join(r.recording.name for r in failed)}"
                          + ("; pass --drop-missing to delete the expectations of recordings that are gone."
                             if any(not r.recording.exists() for r in failed) else "."))
        raise typer.Exit(1 if failed else 0)
    raise typer.Exit(result.exit_code)


@app.command(cls=_Command)
def practice(
    port: int = typer.Option(0, "--port", show_default=False, help="Port on this machine (default: a free one)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on; keep 127.0.0.1 to stay private."),
    data: Path | None = typer.Option(None, "--data", help="Where attempts are kept (default: the user's data folder)."),
    pack: str | None = PACK,
    engine: str = ENGINE,
    model: str | None = MODEL,
    open_browser: bool = typer.Option(True, "--browser/--no-browser", help="Open the page in the browser."),
    max_upload_mb: int = typer.Option(25, "--max-upload-mb", help="Largest recording accepted."),
    phone_line: bool = PHONE_LINE,
) -> None:
    """A rep: record a message in the browser, get scored, try again (a local page)."""
    from .practice.server import serve

    with _usage_errors():
        serve(host=host, port=port, data=data, pack=pack, engine=engine, model=model, open_browser=open_browser,
              max_upload_bytes=max_upload_mb * 2**20, phone_line=phone_line)


@app.command(cls=_Command)
def rules(
    pack: str | None = typer.Option(None, "--pack", "-p", help="A rule pack to check and list."),
    all_rules: bool = typer.Option(False, "--all", help="Also list the rules the pack turns off."),
    explain: str | None = typer.Option(None, "--explain", help="One rule, by code or name: what, why, this "
                                       "pack's limits, examples, how to change it."),
    test: list[Path] | None = typer.Option(None, "--test", metavar="FILE", help="Rule case files (TOML) to run "
                                           "against the pack; exit 1 when one fails."),
) -> None:
    """List and explain the rules of the active pack; checks a trainer's pack on the way."""
    from rich.console import Console

    from .checks.pack import load_pack
    from .render import rules as view
    from .testing import check_case, load_cases, rule_by_name, shipped_cases

    console = Console()
    with _usage_errors():
        loaded = load_pack(pack)
        if explain is not None:
            found = next((r for r in loaded.rules if explain in (r.code, r.name)), None)
            if found is None:
                raise UsageError(f"No rule of pack {loaded.name} is called {explain!r}; `voicemail rules --all` "
                                 "lists their codes and names.")
            view.explain(loaded, found, shipped_cases(found.name), console)
            raise typer.Exit(0)
        if test:
            results = []
            for path in test:
                rule_name, cases = load_cases(path)
                try:
                    rule = rule_by_name(loaded, rule_name)
                except KeyError:
                    raise UsageError(f"{path}: pack {loaded.name} has no rule {rule_name!r}; name the file for "
                                     "its rule or set `rule = \"NAME\"` in it.") from None
                results += [(rule_name, kind, case.get("about", ""), check_case(rule, kind, case))
                            for kind, case in cases]
            raise typer.Exit(1 if view.render_cases(results, console) else 0)
    view.render(loaded, console, include_off=all_rules)


class _usage_errors:
    """Turn a UsageError into one sentence on stderr and exit code 2: never a traceback."""

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        if isinstance(exc, UsageError):
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2)
        return False

