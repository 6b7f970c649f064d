"""Polite work scheduling: bounded concurrency overall and per host, back-off, a deadline."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass
class _Host(Generic[T]):
    queue: deque[T] = field(default_factory=deque)
    active: int = 0
    not_before: float = 0.0


class HostPool(Generic[T]):
    """Hands out jobs to worker threads so that no host gets more than `per_host` at once.

    Hosts are served round-robin, so one big host does not starve the others. A host that
    asked us to wait (Retry-After) gets no job before its time. `take()` returns None once
    every job is finished or the deadline (a `time.monotonic()` value) has passed.
    """

    def __init__(self, jobs: Iterable[tuple[str, T]], per_host: int, deadline_at: float) -> None:
        self._cond = threading.Condition()
        self._hosts: dict[str, _Host[T]] = {}
        for host, job in jobs:
            self._hosts.setdefault(host, _Host()).queue.append(job)
        self._order: deque[str] = deque(self._hosts)
        self._per_host = max(1, per_host)
        self._deadline_at = deadline_at
        self._unfinished = sum(len(h.queue) for h in self._hosts.values())
        self._stopped = False
        self._running = 0

    @property
    def unfinished(self) -> int:
        """Jobs not finished yet (queued or running)."""
        with self._cond:
            return self._unfinished

    def take(self) -> tuple[str, T] | None:
        """The next (host, job) a worker may run now, waiting if needed; None when done."""
        with self._cond:
            while True:
                now = time.monotonic()
                if self._stopped or self._unfinished == 0 or now >= self._deadline_at:
                    return None
                soonest = self._deadline_at
                for _ in range(len(self._order)):
                    name = self._order[0]
                    self._order.rotate(-1)
                    host = self._hosts[name]
                    if not host.queue or host.active >= self._per_host:
                        continue
                    if host.not_before > now:
                        soonest = min(soonest, host.not_before)
                        continue
                    host.active += 1
                    self._running += 1
                    return name, host.queue.popleft()
                self._cond.wait(timeout=max(0.0, soonest - now))

    def finish(self, name: str, job: T, retry_in: float | None = None) -> None:
        """Mark a job done, or put it back to run again after `retry_in` seconds."""
        with self._cond:
            host = self._hosts[name]
            host.active -= 1
            self._running -= 1
            if retry_in is None:
                self._unfinished -= 1
            else:
                host.queue.appendleft(job)
                host.not_before = max(host.not_before, time.monotonic() + retry_in)
            self._cond.notify_all()

    def wait(self, timeout: float) -> bool:
        """Block until every job is finished, or the deadline passed and none is running, or
        `timeout` passes. True when every job finished."""
        end = time.monotonic() + timeout
        with self._cond:
            while self._unfinished > 0:
                now = time.monotonic()
                if now >= end or (now >= self._deadline_at and self._running == 0):
                    return False
                wake = end if now >= self._deadline_at else min(end, self._deadline_at)
                self._cond.wait(timeout=max(0.001, wake - now))
            return True

    def stop(self) -> None:
        """Make every further `take()` return None."""
        with self._cond:
            self._stopped = True
            self._cond.notify_all()


def run_workers(
    pool: HostPool[T], workers: int, work: Callable[[str, T], float | None], wait: float
) -> bool:
    """Run `work(host, job)` on daemon threads; its return is a retry delay or None (done).

    Returns True when every job finished within `wait` seconds. Threads still busy after
    that are left to end on their own timeouts (they are daemons, so they never block exit).
    """

    def loop() -> None:
        while True:
            item = pool.take()
            if item is None:
                return
            name, job = item
            retry_in: float | None = None
            try:
                retry_in = work(name, job)
            finally:
                pool.finish(name, job, retry_in)

    for index in range(max(1, workers)):
        threading.Thread(target=loop, name=f"kb-urlcheck-{index}", daemon=True).start()
    finished = pool.wait(wait)
    pool.stop()
    return finished
