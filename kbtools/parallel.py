"""Share CPU-bound work over forked worker processes, this process doing a share too.

Both parsing a large tree (`lint/documents.py`) and the built-in style engine
(`checks/style.py`) are pure Python and CPU-bound, so threads do not help. Forking (not a
process pool) lets a worker inherit what the parent has built already (the parsed config,
the compiled Vale rules) instead of importing and rebuilding it; each worker pickles its
result to a pipe. A worker that fails returns None, and the caller does that share itself.
"""

from __future__ import annotations

import logging
import os
import pickle
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any, TypeVar

log = logging.getLogger(__name__)
MAX_WORKERS = 4

K = TypeVar("K", bound=Hashable)
R = TypeVar("R")


def worker_count() -> int:
    """Processes to share work over (this one included); 1 where fork is unavailable."""
    if not hasattr(os, "fork"):
        return 1
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


def split_by_size(keys: Sequence[K], sizes: Mapping[K, int], count: int) -> list[list[K]]:
    """Split keys into `count` shares of about equal total size (largest item first)."""
    shares: list[list[K]] = [[] for _ in range(count)]
    loads = [0] * count
    for key in sorted(keys, key=lambda k: -sizes.get(k, 0)):
        index = loads.index(min(loads))
        shares[index].append(key)
        loads[index] += sizes.get(key, 0)
    return shares


def run_forked(
    shares: Sequence[Sequence[K]],
    work: Callable[[Sequence[K]], R],
    meanwhile: Callable[[], None],
) -> list[R | None]:
    """Run `work(share)` in one forked process per share while this process runs `meanwhile`.

    Returns each share's result in order, None for a worker that failed or whose result
    could not be read. Raises OSError when a worker cannot be started (nothing is left
    running then).
    """
    children: list[tuple[int, int]] = []  # (pid, read end of its pipe)
    results: list[R | None] = []
    try:
        for share in shares:
            children.append(_fork(share, work))
        meanwhile()
        while children:
            pid, read_end = children.pop(0)
            with os.fdopen(read_end, "rb") as pipe:
                data = pipe.read()
            _, status = os.waitpid(pid, 0)
            result: R | None = _result(pid, status, data)
            results.append(result)
    finally:
        for pid, read_end in children:  # after an error: leave no worker behind
            os.close(read_end)  # a worker still writing gets EPIPE and exits
            os.waitpid(pid, 0)
    return results


def _fork(share: Sequence[K], work: Callable[[Sequence[K]], R]) -> tuple[int, int]:
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        raise
    if pid == 0:  # pragma: no cover - runs in the worker (coverage does not follow it)
        status = 1
        try:
            os.close(read_end)
            data = pickle.dumps(work(share), pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as out:
                out.write(data)
            status = 0
        finally:
            os._exit(status)  # no cleanup of the parent's state, no output flushed twice
    os.close(write_end)
    return pid, read_end


def _result(pid: int, status: int, data: bytes) -> Any:
    if status != 0 or not data:
        log.debug("worker %d failed (status %d)", pid, status)
        return None
    try:
        return pickle.loads(data)
    except Exception as exc:  # a truncated or unreadable result: the caller redoes the share
        log.debug("worker %d sent an unreadable result (%s)", pid, exc)
        return None
