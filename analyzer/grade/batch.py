"""Grading many recordings: find them, know whose they are, analyse them in parallel workers
(each loads the model once), and never analyse the same content twice (cache.py)."""

from __future__ import annotations

import multiprocessing
import os
import re
import stat
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..audio.clip import AUDIO_SUFFIXES, audio_files, recorded_at
from ..audio.opus import webm_opus
from ..checks.pack import Pack, load_pack
from ..errors import UsageError
from ..pipeline import Analyzer
from ..report.results import INTERNAL_ERROR, FileReport
from ..report.serialize import file_from_dict, file_to_dict
from ..storage import sha256_file
from . import lifecycle
from .cache import Cache, code_hash


class WorkerError(Exception):
    """A worker stopped before its recording was done (its model would not load, or it was killed)."""


@dataclass(frozen=True)
class Recording:
    path: Path
    rep: str
    # orders a rep's recordings, the latest last: when it was recorded, as the container says, else
    # the file's time (which a plain copy changes)
    recorded: float
    dated: bool = True  # `recorded` is the container's date, not the file's time
    named: bool = True  # False: --rep-pattern did not match the name, and the rep is the folder's name


@dataclass(frozen=True)
class Graded:
    recording: Recording
    report: FileReport
    audio: bytes | None  # the player's copy (audio/opus.py), when the recording could be decoded
    from_cache: bool


@dataclass(frozen=True)
class Settings:
    """What a worker needs to build its own Analyzer."""

    pack: str | None
    engine: str
    model: str | None
    number: str | None
    threads: int
    select: list[str] | None = None  # --select and --ignore, when given (else the pack's)
    ignore: list[str] | None = None


def find_recordings(paths: list[Path], rep_pattern: str | None = None) -> list[Recording]:
    pattern = _compile(rep_pattern)
    found: dict[Path, Path] = {}  # by real path: one file named twice (relative, absolute, a link) counts once
    for path in paths:
        if path.is_dir():
            for file in audio_files(path):
                found.setdefault(file.resolve(), file)
        elif path.exists():
            found.setdefault(path.resolve(), path)
        else:
            raise UsageError(f"{path} does not exist; pass folders or recordings that do.")
    if not found:
        raise UsageError(f"No recordings in {', '.join(map(str, paths))}; "
                         f"recordings end in {', '.join(AUDIO_SUFFIXES)}.")
    out = []
    for p in found.values():
        rep, named = _rep(p, pattern)
        recorded = recorded_at(p)
        out.append(Recording(p, rep, recorded or p.stat().st_mtime, dated=recorded is not None, named=named))
    return out


def fingerprint(pack: Pack, settings: Settings) -> str:
    """Everything besides the recording's content that decides its result."""
    return "|".join([__version__, code_hash(), repr(pack.rules), repr(sorted(pack.weights.items())),
                     settings.engine, settings.model or "bundled", settings.number or pack.number or ""])


def grade(recordings: list[Recording], pack: Pack, settings: Settings, *, workers: int, cache: Cache,
          on_done: Callable[[Graded], None] = lambda g: None) -> list[Graded]:
    """Grade every recording, from the cache where it can; each result is cached as it arrives."""
    done: dict[Path, Graded] = {}
    pending: list[tuple[Recording, str]] = []
    for recording in recordings:
        try:  # a pipe or device is never read here (it could block): its analysis says what it is
            content = sha256_file(recording.path) if stat.S_ISREG(recording.path.stat().st_mode) else ""
        except OSError:
            content = ""  # unreadable: the analysis says so in its own words
        hit = cache.get(content) if content else None
        kept = _readable(hit[0], recording.path) if hit else None
        if hit and kept:
            graded = Graded(recording, kept, hit[1], True)
            done[recording.path] = graded
            on_done(graded)
        else:  # not cached, or an entry that parses but is no report: graded again, and rewritten
            pending.append((recording, content))

    def finish(recording: Recording, content: str, report: dict, audio: bytes | None) -> None:
        report = {**report, "file": str(recording.path)}
        if content and report.get("error_kind") != INTERNAL_ERROR:  # a bug's result is not kept
            cache.put(content, report, audio)
        graded = Graded(recording, file_from_dict(report), audio, False)
        done[recording.path] = graded
        on_done(graded)

    tasks = [(str(recording.path), None, True) for recording, _ in pending]
    in_workers(tasks, settings, workers=workers,
               on_done=lambda i, result: finish(pending[i][0], pending[i][1], *result))
    cache.prune()
    return [done[r.path] for r in recordings]


def analyse(jobs: list[tuple[Path, str | None]], settings: Settings, *, workers: int,
            on_done: Callable[[int, FileReport], None]) -> None:
    """Each (recording, the rep's number for it or None) analysed in `workers` worker processes,
    with no player copy (regress); `on_done(index, report)` as each is done."""
    in_workers([(str(path), number, False) for path, number in jobs], settings, workers=workers,
               on_done=lambda i, result: on_done(i, file_from_dict(result[0])))


def in_workers(tasks: Sequence[tuple[str, str | None, bool]], settings: Settings, *, workers: int,
               on_done: Callable[[int, tuple[dict, bytes | None]], None]) -> None:
    """Each task (path, number, player) analysed here (one worker) or by worker processes, each
    loading the model once; `on_done(index, (report, player))` as each is done, in the order they finish."""
    if tasks and workers <= 1:
        _init_worker(settings)
        for i, task in enumerate(tasks):
            on_done(i, _grade_one(*task))
    elif tasks:
        context = multiprocessing.get_context("spawn")  # no model state or threads inherited
        others = set(multiprocessing.active_children())
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                                 initargs=(settings, os.getpid())) as pool:
            with lifecycle.ctrl_c_ignored():  # the workers start here, and must never see a Ctrl-C of their own
                futures = {pool.submit(_grade_one, *task): i for i, task in enumerate(tasks)}
            spawned = [p for p in multiprocessing.active_children() if p not in others]
            try:
                while futures:
                    ready, _ = wait(futures, return_when=FIRST_COMPLETED)
                    for future in ready:
                        on_done(futures.pop(future), future.result())
            except BrokenProcessPool:
                raise WorkerError("A worker stopped before its recording was done (its model would not "
                                  "load, or it ran out of memory); what was done is kept: run again with "
                                  "--workers 1 to see why.") from None
            except BaseException:  # Ctrl-C: stop now; what finished is kept already, a half-done file is not
                for process in spawned:
                    process.kill()
                pool.shutdown(wait=False, cancel_futures=True)
                raise


def _readable(entry: dict, path: Path) -> FileReport | None:
    """A cached report, or None when the entry has the wrong shape (edited, or from a bug)."""
    try:
        return file_from_dict({**entry, "file": str(path)})
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


_ANALYZER: Analyzer | None = None


def _init_worker(settings: Settings, parent: int | None = None) -> None:
    global _ANALYZER
    if parent is not None:
        lifecycle.end_with(parent)
    if _ANALYZER is None:
        rules = load_pack(settings.pack, select=settings.select, ignore=settings.ignore)
        _ANALYZER = Analyzer(rules, engine=settings.engine, model=settings.model,
                             number=settings.number, threads=settings.threads)


def _grade_one(path: str, number: str | None = None, player: bool = True) -> tuple[dict, bytes | None]:
    if _ANALYZER is None:
        raise RuntimeError("_grade_one runs in a worker that _init_worker set up")
    report, clip = _ANALYZER.analyze_keeping_clip(path, number=number)
    audio = None
    if player and not report.error and clip is not None:
        try:
            audio = webm_opus(clip)
        except (OSError, ValueError):
            audio = None  # the report stands without its player
    return file_to_dict(report), audio


def _compile(pattern: str | None) -> re.Pattern | None:
    if pattern is None:
        return None
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise UsageError(f"--rep-pattern {pattern!r} is not a valid regular expression ({exc}); fix it.") from None
    if "rep" not in compiled.groupindex and compiled.groups != 1:
        raise UsageError(f"--rep-pattern {pattern!r} needs a group (?P<rep>...) that captures the rep's name.")
    return compiled


def _rep(path: Path, pattern: re.Pattern | None) -> tuple[str, bool]:
    """The rep's name, and whether the pattern gave it (no pattern: the folder's name is the rep's)."""
    if pattern is not None:
        match = pattern.search(path.name)
        if match and (rep := match.group("rep") if "rep" in pattern.groupindex else match.group(1)):
            return rep, True
    return path.parent.name or ".", pattern is None
