"""Tickets per article over time: one `git log` pass over the articles folder.

`git log --raw -M` lists, oldest commit first, every change to a file under the folder
with the blob id it left, renames included; `git cat-file --batch` then reads every
distinct blob once. Each blob's front matter gives the article's `tickets` at that
revision; a ticket counts as added in the first revision that lists it. Renames move an
article's history to its new path, so the history ends keyed by the paths at HEAD.

Parsed blobs and the finished history are cached in `.kb-cache/report-history.json`:
the history under the HEAD commit id (a new commit recomputes it), the blobs under their
own ids (content addresses, valid forever), so a new commit reads only the new blobs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import subprocess
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from mkdocs.utils.meta import YAML_RE

from kbtools import __version__, gitcmd
from kbtools.atomic import write_text_atomic
from kbtools.report.model import ArticleHistory, History, TicketsAdded
from kbtools.site.catalog import PageMeta, to_article

_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
CACHE_NAME = "report-history.json"
CACHE_FORMAT = 1
_ZERO = "0" * 40


class GitUnavailable(Exception):
    """No git, no repository or no commit: the reason, for the report to say."""


@dataclass
class _Track:
    """The history of one article while the log is read (renames move it)."""

    first: int
    paths: list[str]
    seen: set[str] = field(default_factory=set)
    additions: list[tuple[int, tuple[str, ...]]] = field(default_factory=list)


def load_history(root: Path, articles_dir: Path, cache_dir: Path | None) -> History:
    """The ticket history of every article under `articles_dir` at HEAD.

    Never raises for a missing git or repository: the History says why it is unavailable.
    """
    try:
        top, head = _repository(root)
    except GitUnavailable as exc:
        return History(available=False, reason=str(exc))
    pathspec = _relative(articles_dir, top)
    prefix = _relative(root, top)
    cache = _read_cache(cache_dir)
    key = f"{head}:{pathspec}"
    if cache.get("history_key") == key and isinstance(cache.get("history"), dict):
        history = _history_from_json(cache["history"], head)
        if history is not None:
            return history
    stored = cache.get("blobs")
    blobs: dict[str, list[str]] = stored if isinstance(stored, dict) else {}
    commits, changes = _log(top, pathspec)
    wanted = sorted({blob for _, _, _, blob, _ in changes if blob != _ZERO} - blobs.keys())
    for blob, text in _read_blobs(top, wanted):
        blobs[blob] = list(_tickets_of(text))
    articles: dict[str, ArticleHistory] = {}
    for path, track in _replay(changes, blobs).items():
        here = _from_top(path, prefix)
        if here is not None:
            articles[here] = _finish(track, prefix)
    history = History(available=True, head=head, commits=commits, articles=articles)
    if cache_dir is not None:
        _write_cache(cache_dir, key, history, blobs)
    return history


def _repository(root: Path) -> tuple[Path, str]:
    try:
        top = _git(root, "rev-parse", "--show-toplevel").strip()
    except GitUnavailable as exc:
        if "not a git repository" in str(exc):
            raise GitUnavailable(f"{root} is not in a git repository") from None
        raise
    try:
        head = _git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}").strip()
    except GitUnavailable:
        raise GitUnavailable(f"the git repository at {top} has no commits yet") from None
    return Path(top), head


def _git(cwd: Path, *args: str) -> str:
    try:
        return gitcmd.output(cwd, *args)
    except gitcmd.GitError as exc:
        raise GitUnavailable(str(exc)) from None


def _relative(path: Path, top: Path) -> str:
    rel = os.path.relpath(path.resolve(), top.resolve())
    return "" if rel == "." else Path(rel).as_posix()


def _from_top(path: str, prefix: str) -> str | None:
    if not prefix:
        return path
    return path[len(prefix) + 1 :] if path.startswith(prefix + "/") else None


def _log(top: Path, pathspec: str) -> tuple[int, list[tuple[int, str, str, str, str]]]:
    """Commits read, and each change as (author time, status, old path, blob, new path)."""
    output = _git(
        top,
        "log",
        "--reverse",
        "--topo-order",
        "-M",
        "--raw",
        "--no-abbrev",
        "-z",
        "--format=%x01%H%x02%at",
        "HEAD",
        "--",
        pathspec or ".",
    )
    changes: list[tuple[int, str, str, str, str]] = []
    commits = 0
    for chunk in output.split("\x01")[1:]:
        header, _, rest = chunk.partition("\x00")
        commits += 1
        when = int(header.partition("\x02")[2] or 0)
        fields = rest.split("\x00")
        index = 0
        while index < len(fields):
            meta = fields[index].strip()
            index += 1
            if not meta.startswith(":"):
                continue
            parts = meta[1:].split()
            if len(parts) < 5:
                continue
            blob, status = parts[3], parts[4][:1]
            old = fields[index] if index < len(fields) else ""
            index += 1
            new = old
            if status in ("R", "C"):
                new = fields[index] if index < len(fields) else ""
                index += 1
            changes.append((when, status, old, blob, new))
    return commits, changes


def _read_blobs(top: Path, blobs: list[str]) -> Iterator[tuple[str, str]]:
    """Each blob's text, read in one `git cat-file --batch` call."""
    if not blobs:
        return
    try:
        result = subprocess.run(
            ["git", "cat-file", "--batch"],
            cwd=top,
            input=("\n".join(blobs) + "\n").encode(),
            capture_output=True,
            check=False,
        )
    except OSError as exc:
        raise GitUnavailable(f"git cannot run: {exc.strerror or exc}") from None
    data = result.stdout
    at = 0
    while at < len(data):
        end = data.index(b"\n", at)
        header = data[at:end].split()
        at = end + 1
        if len(header) < 3 or header[1] == b"missing":
            continue
        size = int(header[2])
        yield header[0].decode(), data[at : at + size].decode("utf-8", errors="replace")
        at += size + 1


def _tickets_of(text: str) -> tuple[str, ...]:
    """The `tickets` of one revision, read as the site reads front matter.

    The same block (MkDocs' `YAML_RE`) and the same safe YAML schema as MkDocs' `get_data`,
    through libyaml when it is there: thousands of old revisions parse ten times faster.
    """
    match = YAML_RE.match(text)
    if match is None:
        return ()
    try:
        data = yaml.load(match.group(1), Loader=_LOADER)
    except yaml.YAMLError:
        return ()
    if not isinstance(data, dict):
        return ()
    return to_article(PageMeta("", data, "")).tickets


def _replay(
    changes: Iterable[tuple[int, str, str, str, str]], blobs: Mapping[str, list[str]]
) -> dict[str, _Track]:
    """Walk the changes oldest first; returns the tracks of the paths that exist at HEAD."""
    tracks: dict[str, _Track] = {}
    for when, status, old, blob, new in changes:
        if not _is_article_file(new):
            tracks.pop(old, None)
            continue
        if status == "D":
            tracks.pop(old, None)
            continue
        track: _Track | None
        if status == "R":
            track = tracks.pop(old, None)
            if track is not None:
                track.paths.append(new)
        elif status == "C":
            track = None
        else:
            track = tracks.get(new)
        if track is None:
            track = _Track(first=when, paths=[new])
        tracks[new] = track
        fresh = tuple(t for t in blobs.get(blob, ()) if t not in track.seen)
        if fresh:
            track.seen.update(fresh)
            track.additions.append((when, fresh))
    return tracks


def _is_article_file(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return name.lower().endswith((".md", ".markdown")) and name not in ("index.md", "README.md")


def _finish(track: _Track, prefix: str) -> ArticleHistory:
    former = [p for p in (_from_top(x, prefix) for x in track.paths[:-1]) if p is not None]
    return ArticleHistory(
        first_day=_day(track.first),
        additions=tuple(TicketsAdded(_day(when), tickets) for when, tickets in track.additions),
        former_paths=tuple(former),
    )


def _day(epoch: int) -> dt.date:
    return dt.datetime.fromtimestamp(epoch, tz=dt.UTC).date()


# The cache: one JSON file, rewritten atomically; anything unreadable is ignored.


def _read_cache(cache_dir: Path | None) -> dict[str, Any]:
    if cache_dir is None:
        return {}
    try:
        data = json.loads((cache_dir / CACHE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT:
        return {}
    if data.get("kbtools") != __version__:
        return {}
    return data


def _write_cache(
    cache_dir: Path, key: str, history: History, blobs: Mapping[str, list[str]]
) -> None:
    data = {
        "format": CACHE_FORMAT,
        "kbtools": __version__,
        "history_key": key,
        "history": {
            "commits": history.commits,
            "articles": {
                path: {
                    "first": item.first_day.isoformat(),
                    "former": list(item.former_paths),
                    "additions": [[a.day.isoformat(), list(a.tickets)] for a in item.additions],
                }
                for path, item in history.articles.items()
            },
        },
        "blobs": blobs,
    }
    with contextlib.suppress(
        OSError
    ):  # a read-only checkout still gets its report, only slower next time
        write_text_atomic(cache_dir / CACHE_NAME, json.dumps(data, separators=(",", ":")))


def _history_from_json(data: Mapping[str, Any], head: str) -> History | None:
    try:
        articles = {
            str(path): ArticleHistory(
                first_day=dt.date.fromisoformat(item["first"]),
                additions=tuple(
                    TicketsAdded(dt.date.fromisoformat(day), tuple(str(t) for t in tickets))
                    for day, tickets in item["additions"]
                ),
                former_paths=tuple(str(p) for p in item["former"]),
            )
            for path, item in data["articles"].items()
        }
        return History(available=True, head=head, commits=int(data["commits"]), articles=articles)
    except (KeyError, TypeError, ValueError):
        return None
