"""numpy's BLAS (OpenBLAS) held to a set number of threads.

How many threads a matrix product is split over changes the order of its float sums, and so its last
bits, and those bits can decide a word: Whisper's log-mel features (a product in faster-whisper's
numpy code) computed on one thread and on two read "once_fast_festival.ogg"'s number at 8.45 and
7.48 digits a second. OpenBLAS takes as many threads as the machine has cores unless told otherwise,
and a Ray worker tells it one (OMP_NUM_THREADS=1), so `voicemail grade --ray` and the local workers
disagreed. The features are computed on FEATURE_THREADS threads in every process and on every
machine: the number this project's two-core machines used for every figure in benchmarks/RESULTS.md.
"""

from __future__ import annotations

from functools import lru_cache

FEATURE_THREADS = 2


@lru_cache(maxsize=1)
def _controller():
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def blas_threads(count: int):
    """A context in which numpy's BLAS runs on `count` threads."""
    return _controller().limit(limits=count, user_api="blas")


def one_blas_thread():
    """numpy's BLAS on one thread: the sentence model's matrices are small, and on two busy cores
    OpenBLAS's threads wait on each other (a message's clauses took 1.04 s to encode with its
    threads, 0.18 s on one, with the other core loaded)."""
    return blas_threads(1)
