"""The walker's copy of the source, blanked in place as text is consumed (fast first-find)."""

from __future__ import annotations

import re
from bisect import bisect_right

_NOT_NEWLINE = re.compile(r"[^\n]")


class SourceContext:
    """A string with Vale's two operations: find the first occurrence, and blank it.

    Blanking only turns characters into `@`, so an occurrence of a needle without `@` can
    disappear but never appear. Two consequences keep big pages linear-ish: a needle's
    search resumes where its previous search stopped, and searches run on a snapshot that
    may be stale (it only has extra, blanked-since occurrences), each candidate checked
    against the live line. Lines are blanked in place; the snapshot is refreshed now and
    then.
    """

    REFRESH = 256

    def __init__(self, text: str) -> None:
        self._reset(text)

    def _reset(self, text: str) -> None:
        self._lines = text.split("\n")
        self._starts: list[int] = []
        offset = 0
        for line in self._lines:
            self._starts.append(offset)
            offset += len(line) + 1
        self._snapshot = text
        self._live: str | None = text
        self._stale = 0
        self._resume: dict[str, int] = {}

    @property
    def text(self) -> str:
        """The current content."""
        if self._live is None:
            self._live = "\n".join(self._lines)
        return self._live

    def _locate(self, index: int) -> tuple[int, int]:
        row = bisect_right(self._starts, index) - 1
        return row, index - self._starts[row]

    def _alive(self, index: int, needle: str) -> bool:
        row, col = self._locate(index)
        return self._lines[row].startswith(needle, col)

    def find(self, needle: str) -> int:
        """Index of the first occurrence of `needle`, or -1 (like str.find)."""
        if not needle:
            return 0
        if "@" in needle or "\n" in needle:
            return self.text.find(needle)
        start = self._resume.get(needle, 0)
        if start < 0:
            return -1
        snapshot = self._snapshot
        index = snapshot.find(needle, start)
        while index >= 0 and self._stale and not self._alive(index, needle):
            index = snapshot.find(needle, index + 1)
        self._resume[needle] = index
        return index

    def blank(self, needle: str, char: str = "@") -> bool:
        """Replace the first occurrence of `needle` by `char` (line breaks kept)."""
        index = self.find(needle)
        if index < 0:
            return False
        if not needle:
            return True
        if "\n" in needle:
            text = self.text
            blank = _NOT_NEWLINE.sub(char, needle)
            self._reset(text[:index] + blank + text[index + len(needle) :])
            return True
        row, col = self._locate(index)
        line = self._lines[row]
        self._lines[row] = line[:col] + char * len(needle) + line[col + len(needle) :]
        self._live = None
        self._stale += 1
        if self._stale >= self.REFRESH:
            self._snapshot = self.text
            self._stale = 0
        return True
