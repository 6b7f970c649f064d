"""Reuse is review: add a new ticket to an existing article instead of writing another one.

The ticket id joins `tickets`, new affected versions and error lines are merged, and
`updated` is bumped. Front matter is edited round-trip with ruamel.yaml and the body by
inserting lines, so nothing else in the file changes.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.util import load_yaml_guess_indent

from kbtools import extract
from kbtools.article import schema

_FRONT_RE = re.compile(r"\A(---[ \t]*\r?\n)(.*?\r?\n)?((?:---|\.\.\.)[ \t]*(?:\r?\n|\Z))", re.S)
_FENCE_RE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")


class UpdateError(ValueError):
    """The article cannot be edited safely (no front matter, invalid YAML)."""


@dataclass
class Update:
    """The edited article text and what changed."""

    text: str
    added_tickets: list[str] = field(default_factory=list)
    added_versions: list[str] = field(default_factory=list)
    added_errors: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """True when anything besides `updated` changed."""
        return bool(self.added_tickets or self.added_versions or self.added_errors)


def merge(
    original: str,
    *,
    tickets: Sequence[str],
    versions: Sequence[str],
    error_lines: Sequence[str],
    today: dt.date,
) -> Update:
    """The article with the ticket, versions and error lines merged in."""
    match = _FRONT_RE.match(original)
    if not match:
        raise UpdateError("the article has no front matter")
    opener, front, closer = match.group(1), match.group(2) or "", match.group(3)
    body = original[match.end() :]
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    try:
        _, indent, block_seq_indent = load_yaml_guess_indent(front)
        data = yaml.load(front)
    except YAMLError as exc:
        raise UpdateError(f"front matter is not valid YAML: {exc}") from None
    if not isinstance(data, CommentedMap):
        raise UpdateError("front matter is not a mapping")
    yaml.indent(
        mapping=indent or 2,
        sequence=(indent or 2) + (block_seq_indent or 0),
        offset=block_seq_indent or 0,
    )
    update = Update(text=original)
    update.added_tickets = _extend(data, "tickets", tickets, after=("tags", "services"))
    update.added_versions = _merge_versions(data, versions)
    data["updated"] = today
    new_front = _dump(yaml, data)
    new_body, update.added_errors = _merge_errors(body, error_lines)
    newline = "\r\n" if opener.endswith("\r\n") else "\n"
    if newline == "\r\n":
        new_front = new_front.replace("\r\n", "\n").replace("\n", "\r\n")
    update.text = f"{opener}{new_front}{closer}{new_body}"
    return update


def diff(path: str, before: str, after: str) -> str:
    """A unified diff of the edit (what `kb new --update` shows)."""
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=f"a/{path}",
            tofile=f"b/{path}",
        )
    )


def _dump(yaml: YAML, data: Any) -> str:
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


def _extend(data: CommentedMap, key: str, values: Sequence[str], after: Sequence[str]) -> list[str]:
    current = data.get(key)
    if current is None:
        if not values:
            return []
        seq = CommentedSeq()
        seq.fa.set_flow_style()
        position = len(data)
        for name in after:
            if name in data:
                position = list(data).index(name) + 1
                break
        data.insert(position, key, seq)
        current = seq
    if not isinstance(current, list):
        return []
    existing = {str(v) for v in current}
    added = [v for v in values if v not in existing]
    current.extend(added)
    return added


def _merge_versions(data: CommentedMap, versions: Sequence[str]) -> list[str]:
    if not versions:
        return []
    block = data.get("versions")
    if block is None:
        block = CommentedMap()
        seq = CommentedSeq()
        seq.fa.set_flow_style()
        block["affected"] = seq
        position = list(data).index("status") + 1 if "status" in data else len(data)
        data.insert(position, "versions", block)
    if not isinstance(block, CommentedMap):
        return []
    affected = block.get("affected")
    if affected is None:
        affected = CommentedSeq()
        affected.fa.set_flow_style()
        block.insert(0, "affected", affected)
    if not isinstance(affected, list):
        return []
    existing = {str(v) for v in affected}
    added = [v for v in versions if v not in existing]
    affected.extend(added)
    return added


def _merge_errors(body: str, error_lines: Sequence[str]) -> tuple[str, list[str]]:
    """Append new error lines to the first code block of "## Error messages"."""
    if not error_lines:
        return body, []
    lines = body.splitlines(keepends=True)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    start = next(
        (i for i, line in enumerate(lines) if line.strip().lower() == "## error messages"), None
    )
    if start is None:
        return _insert_error_section(lines, error_lines, newline)
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    fence_open = next((i for i in range(start + 1, end) if _FENCE_RE.match(lines[i])), None)
    if fence_open is None:
        block = [
            f"```text{newline}",
            *(f"{line}{newline}" for line in error_lines),
            f"```{newline}",
            newline,
        ]
        lines[end:end] = block if end < len(lines) else [newline, *block[:-1]]
        return "".join(lines), list(error_lines)
    fence = _FENCE_RE.match(lines[fence_open]).group(1)  # type: ignore[union-attr]
    close = next(
        (i for i in range(fence_open + 1, end) if lines[i].strip().startswith(fence)), None
    )
    if close is None:
        return body, []
    existing = {extract.mask(line) for line in lines[fence_open + 1 : close]}
    added = [
        line
        for line in extract.unique_error_lines(error_lines)
        if extract.mask(line) not in existing
    ]
    lines[close:close] = [f"{line}{newline}" for line in added]
    return "".join(lines), added


def _insert_error_section(
    lines: list[str], error_lines: Sequence[str], newline: str
) -> tuple[str, list[str]]:
    order = [s.lower() for s in schema.SECTIONS["troubleshooting"]]
    later = order[order.index("error messages") + 1 :]
    at = next(
        (
            i
            for i, line in enumerate(lines)
            if line.startswith("## ") and line[3:].strip().lower() in later
        ),
        len(lines),
    )
    added = extract.unique_error_lines(error_lines)
    block = [
        f"## Error messages{newline}",
        newline,
        f"```text{newline}",
        *(f"{line}{newline}" for line in added),
        f"```{newline}",
        newline,
    ]
    lines[at:at] = block
    return "".join(lines), added
