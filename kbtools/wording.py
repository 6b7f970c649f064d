"""Counted nouns for messages people read: `1 file`, `3 files`, never `1 files` or `file(s)`."""

from __future__ import annotations


def plural(count: int, word: str, many: str | None = None) -> str:
    """`count` and `word`, in the plural (`many`, else word + s) unless count is 1."""
    return f"{count} {word if count == 1 else (many or word + 's')}"
