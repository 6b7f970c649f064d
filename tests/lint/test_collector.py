"""The lint run pauses the cycle collector and leaves it as it found it."""

from __future__ import annotations

import gc

from kbtools.lint.collector import collector_paused


def test_paused_inside_enabled_after_and_allocations_promoted() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # nested: still paused, the outer one finishes
            assert not gc.isenabled()
        assert not gc.isenabled()
        kept = [[i] for i in range(50_000)]
        assert gc.get_count()[0] > 10_000
    assert gc.isenabled()
    assert gc.get_count()[0] < 1_000  # moved to the oldest generation, not left young
    assert gc.get_freeze_count() == 0
    assert len(kept) == 50_000


def test_an_application_that_disabled_the_collector_keeps_it_disabled() -> None:
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_objects_the_application_froze_stay_frozen() -> None:
    gc.freeze()
    assert gc.get_freeze_count() > 0
    try:
        with collector_paused():
            [[i] for i in range(1_000)]
        # Not unfrozen (that would empty the permanent generation). The exact count may
        # drop: other threads free frozen objects.
        assert gc.get_freeze_count() > 0
        assert gc.isenabled()
    finally:
        gc.unfreeze()
