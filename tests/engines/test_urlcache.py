"""The URL cache: TTL, only good results, corrupt files tolerated, concurrent runs merged."""

from __future__ import annotations

import json
import time
from pathlib import Path

from kbtools.engines.urlcache import CACHE_FILE, UrlCache
from kbtools.engines.urlcheck import Outcome, UrlResult


def result(url: str, outcome: Outcome = Outcome.OK, age: float = 0.0) -> UrlResult:
    return UrlResult(url, outcome, "200 OK", 200, checked_at=time.time() - age)


def test_good_results_are_fresh_within_ttl(tmp_path: Path) -> None:
    cache = UrlCache(tmp_path, ttl=60)
    cache.store(
        [
            result("https://a.example/"),
            result("https://b.example/", Outcome.BROKEN),
            result("https://c.example/", Outcome.REDIRECTED),
            result("https://old.example/", age=90),
        ]
    )
    again = UrlCache(tmp_path, ttl=60)
    assert again.fresh("https://a.example/") is not None
    assert again.fresh("https://c.example/") is not None
    assert again.fresh("https://b.example/") is None  # failures are never reused
    assert again.fresh("https://old.example/") is None  # past the TTL
    assert again.problem == ""


def test_concurrent_runs_keep_each_others_results(tmp_path: Path) -> None:
    first = UrlCache(tmp_path, ttl=60)
    second = UrlCache(tmp_path, ttl=60)  # opened before the first one wrote
    first.store([result("https://a.example/")])
    second.store([result("https://b.example/")])
    merged = UrlCache(tmp_path, ttl=60)
    assert merged.fresh("https://a.example/") and merged.fresh("https://b.example/")
    assert not list(tmp_path.glob("*.tmp"))  # no temporary files left behind


def test_corrupt_or_foreign_files_count_as_empty(tmp_path: Path) -> None:
    path = tmp_path / CACHE_FILE
    for content in ("{not json", "[]", json.dumps({"version": 99, "results": {}})):
        path.write_text(content, encoding="utf-8")
        cache = UrlCache(tmp_path, ttl=60)
        assert cache.fresh("https://a.example/") is None
        assert "ignored" in cache.problem
        cache.store([result("https://a.example/")])
        assert UrlCache(tmp_path, ttl=60).fresh("https://a.example/") is not None


def test_one_bad_entry_costs_only_itself(tmp_path: Path) -> None:
    now = time.time()
    (tmp_path / CACHE_FILE).write_text(
        json.dumps(
            {
                "version": 1,
                "results": {
                    "https://good.example/": {"outcome": "ok", "checked_at": now},
                    "https://bad.example/": {"outcome": "nonsense", "checked_at": now},
                    "https://worse.example/": "not a mapping",
                },
            }
        ),
        encoding="utf-8",
    )
    cache = UrlCache(tmp_path, ttl=60)
    assert cache.fresh("https://good.example/") is not None
    assert cache.fresh("https://bad.example/") is None
    assert cache.problem == ""


def test_missing_folder_is_created_and_safe_to_delete(tmp_path: Path) -> None:
    folder = tmp_path / "nested" / ".kb-cache"
    UrlCache(folder, ttl=60).store([result("https://a.example/")])
    assert (folder / CACHE_FILE).is_file()
    (folder / CACHE_FILE).unlink()
    assert UrlCache(folder, ttl=60).fresh("https://a.example/") is None
