"""What every Vale rule type shares: definition keys, scopes, exceptions, message formatting."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kbtools.valecompat.config import LEVELS, ValeConfigError
from kbtools.valecompat.model import Alert, Block, FileState
from kbtools.valecompat.regex import RegexError, compile_vale

ALLOWED_SCOPE_ROOTS = {
    "text",
    "heading",
    "table",
    "figure",
    "list",
    "paragraph",
    "sentence",
    "alt",
    "title",
    "blockquote",
    "summary",
    "raw",
}
COMMON_KEYS = {
    "extends",
    "message",
    "level",
    "scope",
    "description",
    "link",
    "limit",
    "action",
    "name",
    "path",
}
_SPACES = re.compile(" +")


@dataclass
class RuleContext:
    """Configuration shared by every rule of one run."""

    word_template: str = r"(?m)\b(?:%s)\b"
    accepted: list[str] = field(default_factory=list)
    styles_path: str = ""


def go_format(message: str, args: Iterable[str]) -> str:
    """Go's Sprintf as Vale calls it: one spare empty argument, `%!s(MISSING)` beyond."""
    values = [*args, ""]
    out: list[str] = []
    i = 0
    used = 0
    while i < len(message):
        ch = message[i]
        if ch == "%" and i + 1 < len(message):
            verb = message[i + 1]
            if verb == "%":
                out.append("%")
            elif verb in "svdq":
                if used < len(values):
                    out.append(values[used])
                else:
                    out.append(f"%!{verb}(MISSING)")
                used += 1
            else:
                out.append(message[i : i + 2])
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def clean_message(message: str) -> str:
    """Newlines become spaces and runs of spaces collapse (Vale's WhitespaceToSpace)."""
    return _SPACES.sub(" ", message.replace("\n", " "))


class Selector:
    """One `&`-part of a scope entry: dotted parts, possibly negated with `~`."""

    def __init__(self, value: str) -> None:
        parts = [p.strip() for p in value.split(".")]
        self.negated = bool(parts) and parts[0].startswith("~")
        if self.negated:
            parts[0] = parts[0][1:]
        self.parts = parts

    def contained_in(self, sections: set[str]) -> bool:
        """True when every part is one of the block's scope parts."""
        return all(p in sections for p in self.parts)


class Scope:
    """A rule's scope list (SPEC §7.5)."""

    def __init__(self, entries: list[str]) -> None:
        self.entries = [[Selector(part) for part in entry.split("&")] for entry in entries]
        self._cache: dict[str, bool] = {}

    def matches(self, scope: str) -> bool:
        """True when any entry matches the block scope string."""
        hit = self._cache.get(scope)
        if hit is None:
            sections = set(scope.split("."))
            hit = any(self._entry(entry, sections) for entry in self.entries)
            self._cache[scope] = hit
        return hit

    @staticmethod
    def _entry(entry: list[Selector], sections: set[str]) -> bool:
        for selector in entry:
            inside = selector.contained_in(sections)
            if selector.negated and not inside:
                if "raw" in sections or "summary" in sections:
                    return False
            elif (not selector.negated and not inside) or (selector.negated and inside):
                return False
        return True

    def mentions(self, part: str) -> bool:
        """True when some selector names `part` (used to decide on sentence splitting)."""
        return any(part in s.parts for entry in self.entries for s in entry)


def as_list(value: Any) -> list[str]:
    """A YAML string-or-list value as a list of strings."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(v) for v in value if v is not None]
    return [str(value)]


def as_bool(value: Any, default: bool = False) -> bool:
    """A YAML boolean (mapstructure's weak decoding accepts strings and numbers)."""
    if value is None:
        return default
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes", "on")
    return bool(value)


def as_int(value: Any, path: str, key: str) -> int:
    """A YAML integer, or a config error naming the key."""
    if value is None:
        return 0
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValeConfigError(f"E201 Invalid value [{path}]: '{key}' must be a number") from None


def build_exceptions(
    exceptions: list[str], ctx: RuleContext, vocab: bool
) -> re.Pattern[str] | None:
    """`(?m)\\b(?:E1|E2|...)\\b`, longest first, each case-sensitive unless it starts `(?i)`."""
    terms = list(exceptions)
    if vocab:
        terms.extend(ctx.accepted)
    if not terms:
        return None
    terms.sort(key=len, reverse=True)
    parts = [t if t.startswith("(?i)") else "(?-i)" + t for t in terms]
    try:
        return compile_vale(r"(?m)\b(?:" + "|".join(parts) + r")\b")
    except RegexError:
        return None


def is_match(pattern: re.Pattern[str] | None, text: str) -> bool:
    """True when the exception pattern occurs anywhere in `text`."""
    return pattern is not None and pattern.search(text) is not None


class Rule:
    """Base of every rule type: the common definition and the alert helper."""

    extends = ""
    extra_keys: frozenset[str] = frozenset()
    strict_keys = True

    def __init__(self, name: str, data: Mapping[str, Any], path: str, ctx: RuleContext) -> None:
        self.name = name
        self.path = path
        if self.strict_keys:
            unknown = set(data) - COMMON_KEYS - self.extra_keys
            if unknown:
                key = sorted(unknown)[0]
                raise ValeConfigError(
                    f"E201 Invalid value [{path}:1:1]: '{key}' has invalid keys: {key}"
                )
        self.message = str(data.get("message", ""))
        self.description = str(data.get("description", "") or "")
        self.link = str(data.get("link", "") or "")
        level = str(data.get("level", "warning") or "warning")
        if level not in LEVELS:
            raise ValeConfigError(
                f"E201 Invalid value [{path}:1:1]: 'level' must be one of [suggestion warning error]"
            )
        self.level = level
        self.limit = as_int(data.get("limit"), path, "limit")
        scopes = as_list(data.get("scope")) or ["text"]
        for entry in scopes:
            for part in entry.split("&"):
                root = part.strip().lstrip("~").split(".")[0]
                if root not in ALLOWED_SCOPE_ROOTS:
                    raise ValeConfigError(
                        f"E201 Invalid value [{path}:1:1]: scope '{root}' is not supported"
                    )
        self.scope = Scope(scopes)
        action = data.get("action") or {}
        self.action_name = str(action.get("name", "") or "") if isinstance(action, dict) else ""
        self.action_params = as_list(action.get("params")) if isinstance(action, dict) else []

    def run(self, block: Block, state: FileState) -> list[Alert]:
        """Alerts for one block (spans relative to block.text)."""
        raise NotImplementedError

    def alert(self, start: int, end: int, text: str, *args: str) -> Alert:
        """An alert for text[start:end]; message args default to the match."""
        match = text[start:end]
        values = args or (match,)
        return Alert(
            check=self.name,
            severity=self.level,
            span=[start, end],
            match=match,
            message=go_format(self.message, values),
            description=go_format(self.description, values),
            link=self.link,
            action_name=self.action_name,
            action_params=list(self.action_params),
        )

    def compile(self, pattern: str) -> re.Pattern[str]:
        """Compile a rule pattern or raise a config error naming the rule file."""
        try:
            return compile_vale(pattern)
        except RegexError as exc:
            raise ValeConfigError(f"E201 Invalid value [{self.path}:1:1]: {exc}") from None
