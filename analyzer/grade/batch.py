"""Grading many recordings: find them, know whose they are, analyse them in parallel workers
(each loads the model once: processes of this machine here, a Ray cluster's in cluster.py), judge
them here, and never analyse content the cache has, nor judge it again with the same pack (cache.py)."""

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
from ..audio.line import CODECS, require
from ..audio.opus import webm_opus
from ..errors import UsageError
from ..pipeline import Judge, Listener
from ..report.results import INTERNAL_ERROR, Analysis, FileReport
from ..report.serialize import analysis_from_dict, analysis_to_dict, file_from_dict, file_to_dict
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
    from_cache: bool  # its analysis came from the cache
    judged_again: bool = False  # ... and its rules ran again (another pack, number or selection)


@dataclass(frozen=True)
class Settings:
    """What a worker needs to build its own Listener: the model's, never the pack's (the rules run
    where the cache is kept: grade() and analyse() judge every analysis the workers send)."""

    engine: str
    model: str | None
    threads: int
    phone_line: str | None = None  # the codec every recording is also heard through (the pack's phone_line)

    def __post_init__(self) -> None:
        if self.phone_line:  # said here, before any worker starts (each worker's Listener checks again)
            require(CODECS[self.phone_line])

    def listener(self) -> Listener:
        return Listener(engine=self.engine, model=self.model, threads=self.threads, phone_line=self.phone_line)


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


def listening(settings: Settings) -> str:
    """What besides the recording's content decides its Analysis: the code (which also names the
    cache's folder), the engine, the model and the phone line it is also heard through."""
    return "|".join([__version__, code_hash(), settings.engine, settings.model or "bundled",
                     *([f"line={settings.phone_line}"] if settings.phone_line else [])])


def judging(judge: Judge) -> str:
    """What besides the Analysis decides the verdicts: the pack's rules (the selection applied) and
    weights, and the rep's number."""
    pack = judge.pack
    return "|".join([repr(pack.rules), repr(sorted(pack.weights.items())), judge.number or ""])


# Where the Listeners run: `listen(paths, settings, workers, player, on_done)` calls back (index,
# (the Analysis as a dict, the player's copy or None)) as each is done, in the order they finish.
Listen = Callable[[Sequence[str], Settings, int, bool, Callable[[int, tuple[dict, bytes | None]], None]], None]


def grade(recordings: list[Recording], judge: Judge, settings: Settings, *, workers: int, cache: Cache,
          listen: Listen | None = None, on_done: Callable[[Graded], None] = lambda g: None) -> list[Graded]:
    """Grade every recording: analysed by the workers (`listen`: here, processes of this machine)
    where the cache has no analysis of it, judged here where the cache has no verdict for this
    pack; each result is cached as it arrives."""
    done: dict[Path, Graded] = {}
    pending: list[tuple[Recording, str]] = []

    def finish(recording: Recording, content: str, analysis: Analysis, entry: dict, audio: bytes | None,
               from_cache: bool) -> None:
        if not from_cache and content and analysis.error_kind != INTERNAL_ERROR:  # a bug's result is not kept
            cache.keep_analysis(content, entry, audio)
        kept = cache.verdict(content) if from_cache else None
        report = _readable(kept, recording.path) if kept else None
        judged_again = from_cache and report is None
        if report is None:
            vectors = cache.vectors(content) if from_cache else None
            if vectors is None and content and analysis.error is None:
                vectors = judge.vectors(analysis)
                if vectors is not None:
                    cache.keep_vectors(content, vectors)
            report = judge.judge(analysis, vectors=vectors)
            if content and report.error_kind != INTERNAL_ERROR:
                cache.keep_verdict(content, file_to_dict(report))
        graded = Graded(recording, report, audio, from_cache, judged_again)
        done[recording.path] = graded
        on_done(graded)

    for recording in recordings:
        try:  # a pipe or device is never read here (it could block): its analysis says what it is
            content = sha256_file(recording.path) if stat.S_ISREG(recording.path.stat().st_mode) else ""
        except OSError:
            content = ""  # unreadable: the analysis says so in its own words
        hit = cache.analysis(content) if content else None
        analysis = _analysis(hit[0], recording.path) if hit else None
        if hit and analysis:
            finish(recording, content, analysis, hit[0], hit[1], True)
        else:  # not cached, or an entry that parses but is no analysis: analysed again, and rewritten
            pending.append((recording, content))

    def arrived(i: int, result: tuple[dict, bytes | None]) -> None:
        recording, content = pending[i]
        finish(recording, content, analysis_from_dict(result[0]), result[0], result[1], False)

    (listen or in_workers)([str(recording.path) for recording, _ in pending], settings, workers, True, arrived)
    cache.prune()
    return [done[r.path] for r in recordings]


def analyse(jobs: list[tuple[Path, str | None]], judge: Judge, settings: Settings, *, workers: int,
            on_done: Callable[[int, FileReport], None]) -> None:
    """Each (recording, the rep's number for it or None) analysed in `workers` worker processes,
    with no player copy, and judged here (regress); `on_done(index, report)` as each is done."""
    in_workers([str(path) for path, _ in jobs], settings, workers, False,
               lambda i, result: on_done(i, judge.judge(analysis_from_dict(result[0]), jobs[i][1])))


def in_workers(paths: Sequence[str], settings: Settings, workers: int, player: bool,
               on_done: Callable[[int, tuple[dict, bytes | None]], None]) -> None:
    """Each recording analysed here (one worker) or by worker processes of this machine, each
    loading the model once (a Listen)."""
    if paths and workers <= 1:
        _init_worker(settings)
        for i, path in enumerate(paths):
            on_done(i, _listen_one(path, player))
    elif paths:
        context = multiprocessing.get_context("spawn")  # no model state or threads inherited
        others = set(multiprocessing.active_children())
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                                 initargs=(settings, os.getpid())) as pool:
            with lifecycle.ctrl_c_ignored():  # the workers start here, and must never see a Ctrl-C of their own
                futures = {pool.submit(_listen_one, path, player): i for i, path in enumerate(paths)}
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
    """A cached verdict, or None when the entry has the wrong shape (edited, or from a bug)."""
    try:
        return file_from_dict(_here(entry, path))
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def _analysis(entry: dict, path: Path) -> Analysis | None:
    """A cached analysis, or None when the entry has the wrong shape."""
    try:
        return analysis_from_dict(_here(entry, path))
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def _here(entry: dict, path: Path) -> dict:
    """A cached entry as this recording's: the same content may have been another file's, whose name
    is in the entry and in its error's sentence."""
    here = {**entry, "file": str(path)}
    if isinstance(entry.get("error"), str) and isinstance(entry.get("file"), str) and entry["file"]:
        here["error"] = entry["error"].replace(entry["file"], str(path))
    return here


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


_LISTENER: Listener | None = None


def _init_worker(settings: Settings, parent: int | None = None) -> None:
    global _LISTENER
    if parent is not None:
        lifecycle.end_with(parent)
    if _LISTENER is None:
        _LISTENER = settings.listener()


def _listen_one(path: str, player: bool = True) -> tuple[dict, bytes | None]:
    if _LISTENER is None:
        raise RuntimeError("_listen_one runs in a worker that _init_worker set up")
    return listened(_LISTENER, path, player=player)


def listened(listener: Listener, path: str | Path, *, name: str | None = None,
             player: bool = True) -> tuple[dict, bytes | None]:
    """A worker's result: the Analysis as plain data, and the player's copy of the audio when asked
    for and the recording decoded (audio/opus.py)."""
    analysis, clip = listener.listen(path, name=name)
    audio = None
    if player and not analysis.error and clip is not None:
        try:
            audio = webm_opus(clip)
        except (OSError, ValueError):
            audio = None  # the report stands without its player
    return analysis_to_dict(analysis), audio


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
