"""Analysing on a Ray cluster (`voicemail grade --ray`): the Listeners run as Ray actors, each
loading the model once; this process stays the single writer (batch.grade keeps the cache, judges,
and writes the reports).

Ray's own machinery does the work: an ActorPool hands each actor its next recording as it
finishes one, and a worker that dies mid-recording (killed, out of memory) is restarted by Ray,
which runs that recording again (max_restarts, max_task_retries). No disk is shared: each
recording's bytes go with its task, and the actor decodes its own copy under the recording's
name, so its report is the one `voicemail analyze` gives. Ray is an optional extra ([ray]).
"""

from __future__ import annotations

import logging
import os
import tempfile
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console

from ..audio.clip import check_file
from ..errors import AudioError, UsageError
from ..report.results import INPUT_ERROR, INTERNAL_ERROR, Analysis
from ..report.serialize import analysis_to_dict
from .batch import Listen, Settings, WorkerError, listened
from .cache import version_folder

# A recording whose worker dies is run again this many times; one that kills it every time is that
# recording's error, not the run's.
RETRIES = 2
INSTALL = "pip install 'voicemail-analyzer[ray]'"
READY_S = 600  # the actors' start, their models loaded (an autoscaling cluster may add nodes first)


def _ray(local: bool):
    if local:  # a one-machine Ray: Ray then gives its node the loopback address (as on a laptop), not
        os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")  # the machine's network address
    try:
        import ray
    except ImportError:
        raise UsageError(f"--ray needs Ray, an optional extra: run `{INSTALL}` (in a checkout: "
                         "`.venv/bin/pip install '.[ray]'`), then run again.") from None
    return ray


@contextmanager
def on_ray(address: str, settings: Settings, workers: int, console: Console) -> Iterator[Listen]:
    """A Listen on Ray at `address` (`local`: a Ray of this machine alone; `auto`: the cluster
    RAY_ADDRESS or `ray start` names; `ray://host:port`: a remote one through Ray Client), with
    `workers` actors (0: one per CPU the cluster has, at most one per recording). Ray is joined, and
    the actors started, only when there is something to analyse; leaving ends them, and a local Ray."""
    ray = _ray(address == "local")
    actors: list = []

    def listen(paths: Sequence[str], settings: Settings, _: int, player: bool,
               on_done: Callable[[int, tuple[dict, bytes | None]], None]) -> None:
        if not paths:
            return
        if not actors:
            actors.extend(_join(ray, address, settings, workers, len(paths), console))
        _listen(ray, actors, paths, player, on_done)

    try:
        yield listen
    finally:
        if ray.is_initialized():
            ray.shutdown()


def _join(ray, address: str, settings: Settings, workers: int, most: int, console: Console) -> list:
    """Ray joined, and its actors started with their models loaded."""
    options = dict(logging_level=logging.ERROR, log_to_driver=False, configure_logging=True)
    try:
        with warnings.catch_warnings():  # Ray Client warns of each failed try: the sentence below says it
            warnings.simplefilter("ignore")
            if address == "local":
                context = ray.init(address="local", num_cpus=min(workers or most, most) * settings.threads,
                                   include_dashboard=False, **options)
            else:
                context = ray.init(address=address, **options)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        raise UsageError(f"Could not join Ray at {address!r} ({str(exc).strip().splitlines()[0]}); start the cluster "
                         "(`ray start --head`), or pass --ray local (a cluster with token authentication, Ray's "
                         "default, also needs RAY_AUTH_MODE=token and its token in RAY_AUTH_TOKEN).") from None
    workers = min(workers or int(ray.cluster_resources().get("CPU", 1) // settings.threads), most)
    workers = max(1, workers)
    dashboard = getattr(context, "dashboard_url", None)
    console.print(f"Ray at {address}: {workers} worker{'s' * (workers != 1)}"
                  + (f"; dashboard http://{dashboard}" if dashboard else ""))
    return _start(ray, settings, workers)


def _start(ray, settings: Settings, workers: int) -> list:
    worker = ray.remote(num_cpus=settings.threads, max_restarts=-1, max_task_retries=RETRIES)(GradingWorker)
    actors = [worker.remote(settings) for _ in range(workers)]
    expected = version_folder()
    try:
        ready = ray.get([a.ready.remote() for a in actors], timeout=READY_S)
    except ray.exceptions.GetTimeoutError:
        raise WorkerError(f"The Ray workers were not ready within {READY_S // 60} minutes (the cluster has no free "
                          f"CPU for {workers} of them, or cannot start them); pass fewer --workers, or add nodes."
                          ) from None
    except ray.exceptions.RayError as exc:  # one could not even start (no analyzer on its node)
        raise WorkerError(f"A Ray worker could not start ({_last_line(exc)}); install the same voicemail-analyzer, "
                          "with the [ray] extra, on every node.") from None
    for problem, version in ready:
        if problem:
            raise WorkerError(f"A Ray worker could not load the model ({problem}); install the same "
                              "voicemail-analyzer, with its model, on every node.")
        if version != expected:
            raise WorkerError(f"A Ray worker runs another version of the analyzer (its code is {version}, "
                              f"this one's {expected}); install the same voicemail-analyzer on every node.")
    return actors


def _last_line(exc: Exception) -> str:
    lines = [line.strip() for line in str(exc).strip().splitlines() if line.strip()]
    return lines[-1] if lines else type(exc).__name__


def _listen(ray, actors: list, paths: Sequence[str], player: bool,
            on_done: Callable[[int, tuple[dict, bytes | None]], None]) -> None:
    """Each recording's bytes sent to the next free actor (read only then, so a big corpus never
    sits in memory), its result passed on as it comes."""
    from ray.util import ActorPool

    pool = ActorPool(actors)
    for i in range(len(paths)):
        pool.submit(lambda actor, i: _send(ray, actor, i, paths[i], player), i)
    returned: set[int] = set()
    while pool.has_next():
        try:
            i, entry, audio = pool.get_next_unordered()
        except ray.exceptions.RayError:
            continue  # its worker died RETRIES + 1 times: that recording's error, below
        returned.add(i)
        on_done(i, (entry, audio))
    for i in sorted(set(range(len(paths))) - returned):
        lost = Analysis(paths[i], error=f"{paths[i]} could not be analysed: the Ray worker analysing it stopped "
                        f"{RETRIES + 1} times (killed, or out of memory); run `voicemail analyze {paths[i]}` "
                        "to see why.", error_kind=INTERNAL_ERROR)
        on_done(i, (analysis_to_dict(lost), None))


def _send(ray, actor, index: int, path: str, player: bool):
    """The task for one recording; one this process cannot read is its error at once, sent to no worker."""
    try:
        check_file(Path(path))
        data = Path(path).read_bytes()
    except AudioError as exc:
        return ray.put((index, analysis_to_dict(Analysis(path, error=str(exc), error_kind=INPUT_ERROR)), None))
    except OSError as exc:
        error = f"{path} cannot be read ({exc.strerror}); check its permissions."
        return ray.put((index, analysis_to_dict(Analysis(path, error=error, error_kind=INPUT_ERROR)), None))
    return actor.listen.remote(index, path, data, player)


class GradingWorker:
    """A Ray actor: a Listener that loads the model once, from the installed package, with its checksums."""

    def __init__(self, settings: Settings):
        self.problem = ""
        try:
            self.listener = settings.listener()
        except Exception as exc:  # said by ready(), in the driver's words
            self.problem = str(exc) or type(exc).__name__

    def ready(self) -> tuple[str, str]:
        """What stopped the model loading ("" if nothing), and the code's version."""
        return self.problem, version_folder()

    def listen(self, index: int, name: str, data: bytes, player: bool) -> tuple[int, dict, bytes | None]:
        try:
            with tempfile.TemporaryDirectory(prefix="voicemail-") as folder:
                copy = Path(folder) / f"recording{Path(name).suffix}"
                copy.write_bytes(data)
                return (index, *listened(self.listener, copy, name=name, player=player))
        except Exception as exc:  # its copy could not be written, or a bug: this recording's error, said as such
            error = Analysis(name, error=f"{name} could not be analysed on its Ray worker ({type(exc).__name__}: "
                             f"{exc}); please report it with the recording.", error_kind=INTERNAL_ERROR)
            return index, analysis_to_dict(error), None
