"""Add a new article to an explicit `nav` in mkdocs.yml, changing nothing else in the file.

ruamel.yaml (round-trip) finds where the KB pages sit in the nav and gives line and
column of each entry; the edit itself inserts one line of text there, so comments, key
order, quoting and tags such as `!!python/name:` survive byte for byte. The result is
parsed again and checked before the file is replaced.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from kbtools.article.store import replace_file


@dataclass(frozen=True)
class NavEdit:
    """The outcome of a nav edit: the new file text, or why nothing was changed."""

    text: str | None
    reason: str = ""
    line: int = 0


def _load(text: str) -> Any:
    yaml = YAML(typ="rt")
    return yaml.load(text)


def add_to_nav(config_text: str, page: str, title: str, articles_dir: str) -> NavEdit:
    """Insert `- "title": page` next to its siblings; `page` is relative to docs_dir."""
    try:
        data = _load(config_text)
    except YAMLError as exc:
        return NavEdit(None, f"mkdocs.yml could not be read for the nav edit: {exc}")
    if not isinstance(data, CommentedMap) or "nav" not in data:
        return NavEdit(None, "no explicit nav")
    nav = data["nav"]
    if not isinstance(nav, CommentedSeq):
        return NavEdit(None, "nav is not a list")
    folder = page.rsplit("/", 1)[0] + "/"
    kb_prefix = articles_dir.strip("/") + "/"
    # The deepest list holding pages of the same area; else the shallowest list holding any
    # KB page (the KB section itself). Insert after the last matching entry of that list.
    best: tuple[tuple[int, int], CommentedSeq, int] | None = None
    for seq, depth in _sequences(nav, 0):
        for index, item in enumerate(seq):
            path = _page_of(item)
            if path is None:
                continue
            score = 2 if path.startswith(folder) else 1 if path.startswith(kb_prefix) else 0
            if not score:
                continue
            key = (score, depth if score == 2 else -depth)
            if best is None or key > best[0] or (key == best[0] and seq is best[1]):
                best = (key, seq, index)
    if best is None:
        return NavEdit(None, f"nav has no {kb_prefix} pages to put the article next to")
    key, seq, index = best
    if key[0] == 1:
        # A new area: the end of the KB section, after its sub-sections.
        index = len(seq) - 1
    if seq.fa.flow_style():
        return NavEdit(None, "the KB part of the nav is a flow-style list")
    lines = config_text.splitlines(keepends=True)
    line_no, column = seq.lc.item(index)
    sibling = lines[line_no]
    prefix = sibling[:column]
    if prefix.strip() != "-":
        dash = sibling.find("-")
        if dash < 0:
            return NavEdit(None, "could not find the nav entry to insert after")
        prefix = sibling[:dash] + "- "
    dash_column = len(prefix) - len(prefix.lstrip())
    end = line_no
    for number in range(line_no + 1, len(lines)):
        current = lines[number]
        if not current.strip():
            continue
        indent = len(current) - len(current.lstrip(" "))
        if indent <= dash_column:
            break
        end = number
    newline = "\r\n" if sibling.endswith("\r\n") else "\n"
    bare = isinstance(seq[index], str) or (key[0] == 1 and isinstance(seq[best[2]], str))
    entry = page if bare else f"{json.dumps(title, ensure_ascii=False)}: {page}"
    new_line = f"{prefix}{entry}{newline}"
    if not lines[end].endswith(("\n", "\r")):
        lines[end] += newline
    lines.insert(end + 1, new_line)
    new_text = "".join(lines)
    if not _verify(config_text, new_text, page):
        return NavEdit(None, "the nav edit did not parse back as expected; nav left unchanged")
    return NavEdit(new_text, line=end + 2)


def update_nav_file(config_path: Path, page: str, title: str, articles_dir: str) -> NavEdit:
    """Apply `add_to_nav` to mkdocs.yml on disk (atomic replace)."""
    with config_path.open(encoding="utf-8", newline="") as handle:
        text = handle.read()
    edit = add_to_nav(text, page, title, articles_dir)
    if edit.text is not None:
        replace_file(config_path, edit.text)
    return edit


def nav_pages(nav: Any) -> list[str]:
    """Every page path in a nav, in order."""
    pages: list[str] = []
    if isinstance(nav, list):
        for item in nav:
            path = _page_of(item)
            if path is not None:
                pages.append(path)
            elif isinstance(item, dict):
                for value in item.values():
                    pages.extend(nav_pages(value))
    return pages


def _sequences(seq: CommentedSeq, depth: int) -> list[tuple[CommentedSeq, int]]:
    found = [(seq, depth)]
    for item in seq:
        if isinstance(item, CommentedMap):
            for value in item.values():
                if isinstance(value, CommentedSeq):
                    found.extend(_sequences(value, depth + 1))
    return found


def _page_of(item: Any) -> str | None:
    if isinstance(item, str):
        return None if re.match(r"^[a-z]+://", item) else item
    if isinstance(item, dict) and len(item) == 1:
        value = next(iter(item.values()))
        if isinstance(value, str) and not re.match(r"^[a-z]+://", value):
            return value
    return None


def _verify(old: str, new: str, page: str) -> bool:
    try:
        before = nav_pages(_load(old).get("nav"))
        after = nav_pages(_load(new).get("nav"))
    except (YAMLError, AttributeError):
        return False
    if sorted([*before, page]) != sorted(after):
        return False
    # Only one line was added: everything else is byte-identical.
    removed = [line for line in old.splitlines() if line not in new.splitlines()]
    return not removed and len(new.splitlines()) == len(old.splitlines()) + 1
