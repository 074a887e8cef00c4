"""Whose turn it is with the model: one analysis at a time (the model is shared, and two at once
on two cores only make both slower), and of those waiting, the shortest recording first.

So a long upload, wherever it came from, holds the rep's own message back by at most the one
analysis already running; and that one is bounded too, since the app refuses recordings over
its length limit after decoding only that much.
"""

from __future__ import annotations

import heapq
import itertools
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class Turns:
    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._busy = False
        self._waiting: list[tuple[float, int]] = []  # (seconds of audio, arrival): a heap
        self._arrivals = itertools.count()

    @contextmanager
    def turn(self, seconds: float) -> Iterator[None]:
        """Wait until no analysis runs and no shorter recording (or as long, arrived earlier) waits."""
        ticket = (seconds, next(self._arrivals))
        with self._changed:
            heapq.heappush(self._waiting, ticket)
            while self._busy or self._waiting[0] != ticket:
                self._changed.wait()
            heapq.heappop(self._waiting)
            self._busy = True
        try:
            yield
        finally:
            with self._changed:
                self._busy = False
                self._changed.notify_all()
