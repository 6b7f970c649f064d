"""`extends: capitalization`: title case, sentence case, lower/upper or a pattern (SPEC §5.6)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from kbtools.valecompat.model import Alert, Block, FileState
from kbtools.valecompat.regex import RegexError, compile_go, compile_vale
from kbtools.valecompat.rules.base import (
    Rule,
    RuleContext,
    as_bool,
    as_list,
    build_exceptions,
    is_match,
)

SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "but",
        "by",
        "en",
        "for",
        "if",
        "in",
        "nor",
        "of",
        "on",
        "or",
        "per",
        "the",
        "to",
        "vs",
        "vs.",
        "via",
        "v",
        "v.",
    ]
)
CHICAGO_WORDS = SMALL_WORDS | frozenset(
    [
        "about",
        "above",
        "across",
        "after",
        "against",
        "along",
        "among",
        "around",
        "before",
        "behind",
        "below",
        "beneath",
        "beside",
        "between",
        "beyond",
        "down",
        "during",
        "except",
        "from",
        "inside",
        "into",
        "like",
        "near",
        "off",
        "onto",
        "out",
        "outside",
        "over",
        "past",
        "since",
        "through",
        "throughout",
        "till",
        "toward",
        "under",
        "underneath",
        "until",
        "up",
        "upon",
        "with",
        "within",
        "without",
    ]
)
_TITLE_WORD = compile_vale(r"[\p{N}\p{L}]+[^\s\-/]*")
_SPLIT = r"[\p{N}\p{L}*]+[^\s]*"
_NUMBERED = re.compile(r"\d+.")


def _spans(pattern: re.Pattern[str] | None, text: str) -> list[tuple[int, int]]:
    if pattern is None:
        return []
    return [m.span() for m in pattern.finditer(text) if m.end() > m.start()]


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def title_case(
    text: str, small: frozenset[str], exceptions: re.Pattern[str] | None, literal: dict[str, str]
) -> str:
    """jdkato/titlecase as Vale uses it: capitalize words except inner small words."""
    keep = _spans(exceptions, text)
    words = list(_TITLE_WORD.finditer(text))
    out = list(text)
    for index, match in enumerate(words):
        word = match.group(0)
        start, end = match.span()
        if _inside(keep, start, end):
            continue
        if word.lower() in literal:
            out[start:end] = list(literal[word.lower()])
            continue
        before = text[start - 1] if start > 0 else ""
        before2 = text[start - 2] if start > 1 else ""
        after = text[end] if end < len(text) else ""
        inner = 0 < index < len(words) - 1
        if (
            word.lower() in small
            and inner
            and before in (" ", "-", "/")
            and before2 not in (":", "-")
            and (after != "-" or before == "-")
        ):
            replacement = word.lower()
        else:
            replacement = word[:1].upper() + word[1:]
        out[start:end] = list(replacement)
    return "".join(out)


def sentence_case(
    text: str, indicators: list[str], exceptions: re.Pattern[str] | None, literal: dict[str, str]
) -> str:
    """Lower-case every word but the first (and those after an indicator); keep exceptions."""
    keep = _spans(exceptions, text)
    out: list[str] = []
    previous = ""
    index = 0
    for match in re.finditer(r"\S+|\s+", text):
        piece = match.group(0)
        if piece.isspace():
            out.append(piece)
            continue
        start, end = match.span()
        if _inside(keep, start, end) or any(s < end and start < e for s, e in keep):
            converted = _merge_keep(text, start, end, keep)
        elif piece.lower() in literal:
            converted = literal[piece.lower()]
        elif (
            index == 0
            or any(previous.endswith(i) for i in indicators if i)
            or (index == 1 and _NUMBERED.fullmatch(previous))
        ):
            converted = piece[:1].upper() + piece[1:].lower()
        else:
            converted = piece.lower()
        out.append(converted)
        previous = piece
        index += 1
    return "".join(out)


def _merge_keep(text: str, start: int, end: int, keep: list[tuple[int, int]]) -> str:
    chars = list(text[start:end].lower())
    for s, e in keep:
        for pos in range(max(s, start), min(e, end)):
            chars[pos - start] = text[pos]
    return "".join(chars)


class Capitalization(Rule):
    """Checks the case of a whole block (usually headings)."""

    extends = "capitalization"
    extra_keys = frozenset(
        {"match", "style", "exceptions", "indicators", "threshold", "prefix", "vocab"}
    )

    def __init__(self, name: str, data: Mapping[str, Any], path: str, ctx: RuleContext) -> None:
        super().__init__(name, data, path, ctx)
        self.match = str(data.get("match", "") or "")
        self.style = str(data.get("style", "AP") or "AP")
        raw_exceptions = as_list(data.get("exceptions"))
        self.exceptions = build_exceptions(raw_exceptions, ctx, as_bool(data.get("vocab"), True))
        self.literal = {e.lower(): e for e in raw_exceptions if re.fullmatch(r"[\w' -]+", e)}
        self.indicators = as_list(data.get("indicators"))
        threshold = data.get("threshold")
        self.threshold = float(threshold) if threshold else 0.8
        prefix = data.get("prefix")
        try:
            self.prefix = compile_go(str(prefix)) if prefix else None
        except RegexError:
            self.prefix = None
        split = compile_vale(_SPLIT).pattern
        if self.exceptions is not None:
            split = self.exceptions.pattern + "|" + split
        self.splitter = re.compile(split, re.MULTILINE)
        self.pattern: re.Pattern[str] | None = None
        if self.match not in ("$title", "$sentence", "$lower", "$upper", ""):
            self.pattern = self.compile(self.match)

    def _words(self, text: str) -> list[str]:
        return [m.group(0) for m in self.splitter.finditer(text) if m.group(0)]

    def check(self, text: str) -> tuple[bool, str]:
        """(passes, expected form)."""
        if self.match == "$lower":
            return text == text.lower() or is_match(self.exceptions, text), text.lower()
        if self.match == "$upper":
            return text == text.upper() or is_match(self.exceptions, text), text.upper()
        if self.pattern is not None:
            ok = self.pattern.search(text) is not None or is_match(self.exceptions, text)
            return ok, self.match
        if self.prefix is not None:
            text = self.prefix.sub("", text, count=1)
        if self.match == "$title":
            small = CHICAGO_WORDS if self.style == "Chicago" else SMALL_WORDS
            expected = title_case(text, small, self.exceptions, self.literal)
        else:
            expected = sentence_case(text, self.indicators, self.exceptions, self.literal)
        words = self._words(text)
        wanted = self._words(expected)
        correct = 0
        for index, word in enumerate(words):
            if (
                index >= len(wanted)
                or word == wanted[index]
                or is_match(self.exceptions, word)
                or (self.match == "$title" and word == word.upper())
            ):
                correct += 1
            elif index == 0 and self.match == "$sentence":
                titled = word[:1].upper() + word[1:].lower()
                if word != titled:
                    return False, expected
        if not words:
            return True, expected
        return correct / len(words) >= self.threshold, expected

    def run(self, block: Block, state: FileState) -> list[Alert]:
        """One alert spanning the block when its case is wrong."""
        text = block.text
        ok, expected = self.check(text)
        if ok:
            return []
        return [self.alert(0, len(text), text, text, expected)]
