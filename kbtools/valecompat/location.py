"""Where an alert is in the source: Vale finds the match text by string search (SPEC §8)."""

from __future__ import annotations

import re
from functools import lru_cache

from kbtools.valecompat.model import Alert, Block
from kbtools.valecompat.textstats import split_sentences

_WORDS = re.compile(r"\w+|[^\w\s]")


def substitute(source: str, sub: str, char: str) -> tuple[str, bool]:
    """Blank the first occurrence of `sub` with `char` (newlines kept), like core.Substitute."""
    index = source.find(sub)
    if index < 0:
        return source, False
    blank = char * len(sub) if "\n" not in sub else _NOT_NEWLINE.sub(char, sub)
    return source[:index] + blank + source[index + len(sub) :], True


_NOT_NEWLINE = re.compile(r"[^\n]")


@lru_cache(maxsize=8192)
def _bounded(sub: str) -> re.Pattern[str]:
    # Go's regexp: ASCII \b, ^/$ only at the ends of the text.
    return re.compile(r"(?:^|\b|_)" + re.escape(sub) + r"(?:_|\b|\Z)", re.ASCII)


def initial_position(ctx: str, txt: str, alert: Alert) -> tuple[int, str]:
    """1-based offset of the alert's match in `ctx` and the text found there (or -1)."""
    if alert.match == "":
        return 1, ""
    offset = ctx.find(txt)
    if offset > 0:
        # Text before the block is blanked; its line breaks do not matter to the search.
        ctx = "@" * offset + ctx[offset:]
    sub = alert.match
    index = -1
    size = len(ctx)
    for hit in _bounded(sub).finditer(ctx):
        start, end = hit.span()
        if index < 0:
            index = start
        # Vale skips hits touching a backtick or '-' (off by one, as in Vale).
        if start - 1 > 0 and ctx[start - 1] in "`-":
            continue
        if end + 1 < size and ctx[end + 1] in "`-":
            continue
        index = start
        break
    if index < 0:
        index = ctx.find(sub)
        if index < 0:
            return guess_location(ctx, txt, sub)
    if ctx.startswith("_", index):
        index += 1
    return index + 1, sub


def guess_location(ctx: str, txt: str, match: str) -> tuple[int, str]:
    """Fallback for a match spanning inline markup: the first line holding all its words."""
    target = ""
    for sentence in split_sentences(txt):
        if sentence == match or sentence.find(match) > 0:
            target = sentence
    if not target:
        return -1, txt
    tokens = _WORDS.findall(target)
    for line in ctx.split("\n"):
        if all(token in line for token in tokens):
            return ctx.find(line) + 1, line
    return -1, txt


def _clip(loc0: int, length: int, extent: int) -> list[int]:
    loc1 = loc0 + length - 1
    if loc1 > extent:
        loc1 = extent
    elif loc1 <= 0:
        loc1 = 1
    return [loc0, loc1]


def find_loc(
    ctx: str, text: str, lines: list[str] | None, count: int, alert: Alert, pad: int = 0
) -> tuple[int, list[int]]:
    """Line and span by searching the whole context (Vale's FindLoc)."""
    for word in alert.offset:
        ctx, _ = substitute(ctx, word, "@")
    pos, found = initial_position(ctx, text, alert)
    if pos < 0:
        return pos, [0, 0]
    source_lines = lines if lines is not None else ctx.split("\n")
    if lines is None:
        source_lines = [line + "\n" for line in source_lines[:-1]] + source_lines[-1:]
    counter = 0
    for index, line in enumerate(source_lines):
        length = len(line)
        if counter + length >= pos:
            loc = _clip(pos - counter + pad, len(found), length + pad)
            return count - (len(source_lines) - (index + 1)), loc
        counter += length
    return count, list(alert.span)


def assign_loc(ctx: str, block: Block, alert: Alert, pad: int = 0) -> tuple[int, list[int]]:
    """Line and span from the block's known line (Vale's assignLoc)."""
    start, end = alert.span
    lines = ctx.split("\n")
    last = len(lines) - 1
    for index, line in enumerate(lines):
        if start < 0 or end < 0:
            continue
        full = line + "\n" if index < last else line
        exact = len(full) > end and full[start:end] == alert.match
        if exact or index == block.line:
            pos, found = initial_position(full, block.text, alert)
            loc = _clip(pos + pad, len(found), len(full) + pad)
            loc[0] = pos + pad
            return index + 1, loc
    return block.line + 1, list(alert.span)
