"""Where articles live: ids, slugs, never-overwriting atomic writes, a lock, the nav edit."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kbtools.atomic import mode_for, new_file_mode

SLUG_MAX = 60
_ID_LINE_RE = re.compile(r"^id:\s*['\"]?([A-Za-z]+-)(\d+)['\"]?\s*(?:#.*)?$", re.MULTILINE)
_FRONT_RE = re.compile(
    r"\A(?:\ufeff)?---[ \t]*\r?\n(.*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S
)


class StoreError(OSError):
    """The article could not be written (the message names the path)."""


@dataclass(frozen=True)
class StoredArticle:
    """An existing article file: where it is and its raw front matter text."""

    path: Path
    front_matter: str
    body: str


def slugify(title: str) -> str:
    """`[a-z0-9-]` only, at most 60 characters; never empty, never a path."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii").lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(text) > SLUG_MAX:
        cut = text[: SLUG_MAX + 1]
        text = cut.rsplit("-", 1)[0] if "-" in cut else cut[:SLUG_MAX]
        # A cut slug should not end on a connecting word: "...-migration-error-on".
        text = re.sub(r"(?:-(?:a|an|and|at|by|for|in|of|on|or|the|to|with))+$", "", text)
    return text.strip("-") or "article"


def article_folder(articles_dir: Path, product_area: str) -> Path:
    """`<articles_dir>/<product_area>/`, refusing an area that would leave the folder."""
    area = (
        slugify(product_area)
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", product_area)
        else product_area
    )
    folder = (articles_dir / area).resolve()
    if articles_dir.resolve() not in folder.parents:
        raise StoreError(f"product area {product_area!r} is not a folder name")
    return folder


def read_articles(articles_dir: Path) -> Iterator[StoredArticle]:
    """Every Markdown file under the KB folder with its front matter text (fast, no YAML)."""
    if not articles_dir.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(articles_dir):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.endswith((".md", ".markdown")) or name in ("index.md", "README.md"):
                continue
            path = Path(dirpath) / name
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            match = _FRONT_RE.match(text)
            if match:
                yield StoredArticle(path, match.group(1) or "", text[match.end() :])
            else:
                yield StoredArticle(path, "", text)


def used_ids(
    articles_dir: Path, prefix: str, stored_articles: Iterable[StoredArticle] | None = None
) -> set[int]:
    """Numbers of every front matter `id: KB-nnnn` of the articles under the KB folder.

    Only the KB folder counts: a guide page elsewhere in the docs that shows an example
    article (`id: KB-0042`) must not move the next id.
    """
    numbers: set[int] = set()
    for article in read_articles(articles_dir) if stored_articles is None else stored_articles:
        for match in _ID_LINE_RE.finditer(article.front_matter):
            if match.group(1) == prefix:
                numbers.add(int(match.group(2)))
    return numbers


def next_id(
    articles_dir: Path,
    prefix: str = "KB-",
    extra: set[int] | None = None,
    stored_articles: Iterable[StoredArticle] | None = None,
) -> str:
    """The next free id after the highest used one under the KB folder (gaps stay gaps)."""
    numbers = used_ids(articles_dir, prefix, stored_articles) | (extra or set())
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def ids_in_git_history(root: Path, articles_dir: Path, prefix: str = "KB-") -> set[int]:
    """Ids that articles under the KB folder had in any commit (never reused once deleted).

    An article moved out of the KB folder keeps counting: the move removes its `id:` line
    from the folder's history. Best effort: no git, no repository or a slow history give
    an empty set.
    """
    import subprocess

    try:
        rel = articles_dir.resolve().relative_to(root.resolve()).as_posix() or "."
    except ValueError:
        return set()
    try:
        result = subprocess.run(
            [
                "git",
                "-C",
                str(root),
                "log",
                "--all",
                "--format=",
                "-p",
                "--no-ext-diff",
                "--no-color",
                "-G",
                r"^id:",
                "--",
                rel,
            ],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return set()
    if result.returncode != 0:
        return set()
    pattern = re.compile(rf"^[-+ ]id:\s*['\"]?{re.escape(prefix)}(\d+)", re.MULTILINE)
    return {int(n) for n in pattern.findall(result.stdout)}


def find_by_id(docs_dir: Path, article_id: str) -> Path | None:
    """The file whose front matter has this id."""
    pattern = re.compile(rf"^id:\s*['\"]?{re.escape(article_id)}['\"]?\s*(?:#.*)?$", re.MULTILINE)
    for article in read_articles(docs_dir):
        if pattern.search(article.front_matter):
            return article.path
    return None


@contextlib.contextmanager
def project_lock(root: Path) -> Iterator[None]:
    """Serialize `kb new` runs on one project (id choice, duplicate check and write)."""
    lock_dir = root / ".kb-cache"
    try:
        lock_dir.mkdir(parents=True, exist_ok=True)
        handle = (lock_dir / "new.lock").open("a+")
    except OSError as exc:
        raise StoreError(
            f"cannot create the lock file in {lock_dir}: {exc.strerror or exc}"
        ) from None
    try:
        try:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        except ImportError:  # pragma: no cover - Windows: O_EXCL still prevents overwrites
            pass
        yield
    finally:
        handle.close()


def write_new(folder: Path, slug: str, text: str) -> Path:
    """Write `<slug>.md` (or `<slug>-2.md`, ...) without ever replacing an existing file.

    The content goes to a temporary file first and is linked into place, so a reader never
    sees half an article and an existing file is never overwritten.
    """
    folder.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=".kb-new-", suffix=".tmp", dir=folder)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        temp.chmod(new_file_mode())  # mkstemp makes 0600; an article is as public as its repo
        for attempt in range(1, 1000):
            target = folder / (f"{slug}.md" if attempt == 1 else f"{slug}-{attempt}.md")
            try:
                os.link(temp, target)
            except FileExistsError:
                continue
            except OSError:
                # No hard links on this file system: fall back to an exclusive create.
                try:
                    with open(target, "x", encoding="utf-8", newline="\n") as out:
                        out.write(text)
                except FileExistsError:
                    continue
            return target
        raise StoreError(f"{folder}: no free file name for {slug}.md")
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()


def replace_file(path: Path, text: str) -> None:
    """Atomically replace a file the user asked us to edit (temp file + os.replace)."""
    fd, temp_name = tempfile.mkstemp(prefix=".kb-edit-", suffix=".tmp", dir=path.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        temp.chmod(mode_for(path))
        temp.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


__all__ = [
    "StoreError",
    "StoredArticle",
    "article_folder",
    "find_by_id",
    "next_id",
    "project_lock",
    "read_articles",
    "replace_file",
    "slugify",
    "used_ids",
    "write_new",
]
