"""HostPool: per-host limits, round-robin between hosts, retry delays, the deadline."""

from __future__ import annotations

import threading
import time

from kbtools.engines.hostpool import HostPool, run_workers


def test_round_robin_and_per_host_limit() -> None:
    jobs = [("a", n) for n in range(4)] + [("b", n) for n in range(2)]
    pool: HostPool[int] = HostPool(jobs, per_host=1, deadline_at=time.monotonic() + 5)
    first = pool.take()
    second = pool.take()
    assert first is not None and second is not None
    assert {first[0], second[0]} == {"a", "b"}  # one big host does not starve the other
    results: list[object] = []
    blocked = threading.Thread(target=lambda: results.append(pool.take()))
    blocked.start()
    blocked.join(0.2)
    assert blocked.is_alive()  # both hosts are at their limit of 1
    pool.finish(*first)
    blocked.join(1)
    assert results and results[0] is not None and results[0][0] == first[0]  # type: ignore[index]


def test_retry_waits_and_deadline_stops() -> None:
    seen: list[tuple[str, int, float]] = []
    started = time.monotonic()

    def work(host: str, job: int) -> float | None:
        seen.append((host, job, time.monotonic() - started))
        return 0.3 if len(seen) == 1 else None  # the first answer asks to come back later

    pool: HostPool[int] = HostPool([("a", 1), ("a", 2)], per_host=2, deadline_at=started + 5)
    assert run_workers(pool, 2, work, 6)
    retried = [t for host, job, t in seen if job == seen[0][1]]
    assert len(retried) == 2 and retried[1] - retried[0] >= 0.3

    never: HostPool[int] = HostPool([("a", 1)], per_host=1, deadline_at=time.monotonic())
    assert never.take() is None
