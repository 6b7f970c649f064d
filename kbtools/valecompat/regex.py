"""Vale's regex dialect (regexp2, a .NET port) translated to Python `re`, compiled once."""

from __future__ import annotations

import re
from functools import lru_cache

# Unicode classes Python's `re` lacks, as class bodies (approximations of the Unicode tables
# covering Latin, Greek, Cyrillic, Hebrew, Arabic, CJK and Hangul).
_LETTERS = (
    "A-Za-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02c1\u0370-\u03ff\u0400-\u052f"
    "\u0531-\u0587\u05d0-\u05ea\u0620-\u064a\u0904-\u0939\u0e01-\u0e30\u1e00-\u1fff"
    "\u3041-\u3096\u30a1-\u30fa\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3"
)
_UPPER = "A-Z\u00c0-\u00d6\u00d8-\u00de\u0391-\u03a9\u0410-\u042f"
_LOWER = "a-z\u00df-\u00f6\u00f8-\u00ff\u03b1-\u03c9\u0430-\u044f"
_NUMBERS = "0-9\u00b2\u00b3\u00b9\u00bc-\u00be\u0660-\u0669\u06f0-\u06f9\u0966-\u096f\uff10-\uff19"
_PUNCT = "!-#%-*,-/:;?@\\[-\\]_{}\u00a1\u00a7\u00ab\u00b6\u00b7\u00bb\u00bf\u2010-\u2027\u2030-\u205e\u3001-\u3003"
_CLASSES = {
    "L": _LETTERS,
    "Lu": _UPPER,
    "Ll": _LOWER,
    "N": _NUMBERS,
    "Nd": _NUMBERS,
    "P": _PUNCT,
    "Han": "\u3400-\u4dbf\u4e00-\u9fff",
    "Zs": " \u00a0\u2000-\u200a\u3000",
}


class RegexError(ValueError):
    """A rule pattern that cannot be compiled."""


def translate(pattern: str) -> str:
    """Rewrite a regexp2 pattern into Python `re` syntax (same meaning where possible)."""
    out: list[str] = []
    # Each open group records the index in `out` where its body starts and whether an
    # inline flag group was turned into a scoped group that must be closed with it.
    stack: list[int] = []
    pending = 0  # scoped flag groups opened at the top level
    i = 0
    n = len(pattern)
    in_class = False
    while i < n:
        ch = pattern[i]
        if ch == "\\" and i + 1 < n:
            nxt = pattern[i + 1]
            if nxt in "pP" and i + 2 < n and pattern[i + 2] == "{":
                end = pattern.find("}", i + 3)
                name = pattern[i + 3 : end] if end > 0 else ""
                body = _CLASSES.get(name, _LETTERS)
                negate = nxt == "P"
                if in_class:
                    # Negated classes inside a class cannot be expressed; keep positive.
                    out.append(body)
                else:
                    out.append(("[^" if negate else "[") + body + "]")
                i = end + 1 if end > 0 else n
                continue
            if nxt == "k" and i + 2 < n and pattern[i + 2] in "<'":
                close = ">" if pattern[i + 2] == "<" else "'"
                end = pattern.find(close, i + 3)
                if end > 0:
                    out.append("(?P=" + pattern[i + 3 : end] + ")")
                    i = end + 1
                    continue
            if nxt == "z":
                out.append("\\Z")
            elif nxt == "Z":
                out.append("(?=\\n?\\Z)")
            elif nxt == "h":
                out.append("[ \\t]" if not in_class else " \\t")
            else:
                out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            if ch == "]" and not (out and out[-1] in ("[", "[^")):
                in_class = False
            elif ch == "[" and pattern.startswith("[:", i):
                end = pattern.find(":]", i)
                if end > 0:
                    out.append(_posix(pattern[i + 2 : end]))
                    i = end + 2
                    continue
                out.append("\\[")
                i += 1
                continue
            out.append(ch)
            i += 1
            continue
        if ch == "[":
            in_class = True
            if pattern.startswith("[^", i):
                out.append("[^")
                i += 2
            else:
                out.append("[")
                i += 1
            if i < n and pattern[i] == "]":
                out.append("\\]")
                i += 1
            continue
        if ch == "(":
            flags = re.match(r"\(\?([imsx]*)(?:-([imsx]*))?\)", pattern[i:])
            if flags and (flags.group(1) or flags.group(2) is not None):
                on = flags.group(1).replace("m", "")
                off = (flags.group(2) or "").replace("m", "")
                if on or off:
                    out.append("(?" + on + ("-" + off if off else "") + ":")
                    if stack:
                        stack[-1] += 1
                    else:
                        pending += 1
                i += flags.end()
                continue
            if pattern.startswith("(?<", i) and not pattern.startswith(("(?<=", "(?<!"), i):
                out.append("(?P<")
                i += 3
            elif pattern.startswith("(?'", i):
                end = pattern.find("'", i + 3)
                out.append("(?P<" + pattern[i + 3 : end] + ">")
                i = end + 1
            else:
                out.append("(")
                i += 1
            stack.append(0)
            continue
        if ch == ")":
            extra = stack.pop() if stack else 0
            out.append(")" * extra + ")")
            i += 1
            continue
        out.append(ch)
        i += 1
    out.append(")" * pending)
    return "".join(out)


def _posix(name: str) -> str:
    return {
        "alpha": "a-zA-Z",
        "digit": "0-9",
        "alnum": "a-zA-Z0-9",
        "upper": "A-Z",
        "lower": "a-z",
        "space": " \\t\\n\\r\\f\\v",
        "punct": "!-/:-@\\[-`{-~",
    }.get(name, "")


@lru_cache(maxsize=4096)
def compile_vale(pattern: str) -> re.Pattern[str]:
    """Compile a Vale (regexp2) pattern in multiline mode, as Vale does."""
    try:
        return re.compile(translate(pattern), re.MULTILINE)
    except re.error as exc:
        raise RegexError(f"{exc} in pattern {pattern!r}") from None


@lru_cache(maxsize=1024)
def compile_go(pattern: str) -> re.Pattern[str]:
    """Compile a Go RE2 pattern (ASCII `\\b`, no multiline) as used by spelling filters."""
    try:
        return re.compile(translate(pattern), re.ASCII if "\\b" in pattern else 0)
    except re.error as exc:
        raise RegexError(f"{exc} in pattern {pattern!r}") from None
