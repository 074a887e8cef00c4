"""The grading workers' lives: they start with Ctrl-C ignored (the grading process handles it,
by stopping them), and end with the grading process however it ends, kill -9 included, so none
runs on holding a model."""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress

# prctl(2): the signal a process gets when its parent dies (Linux)
PR_SET_PDEATHSIG = 1
PARENT_POLL_S = 0.5


@contextmanager
def ctrl_c_ignored() -> Iterator[None]:
    """SIGINT ignored while worker processes start: they inherit it ignored (an ignored signal
    stays ignored across exec) before their own code could ignore it, so a Ctrl-C at that moment
    prints no traceback from them. Only the main thread can change it; elsewhere, nothing to do."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def end_with(parent: int) -> None:
    """A worker ends with the grading process, however that ends (kill -9 included): it must not
    run on holding a model. Ctrl-C is the grading process's to handle (it stops the workers)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):  # the kernel kills the worker the moment its parent dies
        with suppress(OSError, AttributeError):  # else the watch below still ends it
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    with suppress(ImportError):
        # faster-whisper's progress bars (even disabled ones) make tqdm create a multiprocessing lock,
        # which a worker stopped by Ctrl-C leaves behind: Python's resource tracker then warns of it
        from tqdm import tqdm  # type: ignore[import-untyped]

        tqdm.set_lock(threading.RLock())
    if os.getppid() != parent:  # the parent died before the worker got here
        os._exit(1)
    threading.Thread(target=watch_parent, args=(parent,), daemon=True, name="watch-parent").start()


def watch_parent(parent: int) -> None:
    """Where the kernel cannot be asked to (not Linux): an orphan is given to another parent."""
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_S)
    os._exit(1)
