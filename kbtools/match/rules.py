"""Load `rules.json`: the masking, stemming and ranking rules as data.

The file is package data so the site's search script can ship the same rules; every pattern
uses the syntax Python `re` and JavaScript `RegExp` share, with flags kept apart.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

RULES_FILE = "rules.json"


@dataclass(frozen=True)
class StemRule:
    """Strip a suffix: the first rule that applies wins (see `rules.json`)."""

    suffixes: tuple[str, ...]
    longer_than: int
    cut: int
    add: str
    unless: tuple[str, ...]
    final: bool


@dataclass(frozen=True, eq=False)
class Rules:
    """The compiled contents of `rules.json`."""

    data: dict[str, Any]
    word: re.Pattern[str]
    digit: re.Pattern[str]
    name_with_digits: re.Pattern[str]
    key_value: re.Pattern[str]
    json_key_value: re.Pattern[str]
    variable: re.Pattern[str]
    stopwords: frozenset[str]
    short_forms: dict[str, str]
    level_words: frozenset[str]
    message_keys: frozenset[str]
    stem_rules: tuple[StemRule, ...]
    final_e_longer_than: int
    final_e_unless: tuple[str, ...]

    def pattern(self, name: str) -> re.Pattern[str]:
        """Any other pattern of the file by key (`{"pattern": ..., "flags": ...}`)."""
        return _compiled(self, name)

    def patterns(self, name: str) -> tuple[re.Pattern[str], ...]:
        """The patterns of a `{"patterns": [...]}` entry of the file by key (compiled once)."""
        return _compiled_list(self, name)

    @property
    def ranking(self) -> dict[str, Any]:
        """The ranking weights (`ranking` in the file)."""
        result: dict[str, Any] = self.data["ranking"]
        return result


@functools.cache
def _compiled(rules: Rules, name: str) -> re.Pattern[str]:
    return _compile(rules.data[name])


@functools.cache
def _compiled_list(rules: Rules, name: str) -> tuple[re.Pattern[str], ...]:
    return tuple(_compile(item) for item in rules.data[name]["patterns"])


def compiled(spec: dict[str, str]) -> re.Pattern[str]:
    """A `{"pattern": ..., "flags": ...}` entry of the file compiled (for nested entries)."""
    return _compile(spec)


def _compile(spec: dict[str, str]) -> re.Pattern[str]:
    flags = 0
    for letter in spec.get("flags", ""):
        flags |= {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL}[letter]
    return re.compile(spec["pattern"], flags)


def raw_text() -> str:
    """The file as shipped (for writing it next to a static index)."""
    return resources.files("kbtools.match").joinpath(RULES_FILE).read_text(encoding="utf-8")


@functools.cache
def load() -> Rules:
    """The rules, read and compiled once per process."""
    data: dict[str, Any] = json.loads(raw_text())
    stem = data["stem"]
    return Rules(
        data=data,
        word=_compile(data["word"]),
        digit=_compile(data["digit"]),
        name_with_digits=_compile(data["name_with_digits"]),
        key_value=_compile(data["key_value"]),
        json_key_value=_compile(data["json_key_value"]),
        variable=_compile(data["variable"]),
        stopwords=frozenset(data["stopwords"]),
        short_forms=dict(data["short_forms"]),
        level_words=frozenset(data["level_words"]),
        message_keys=frozenset(data["message_keys"]),
        stem_rules=tuple(
            StemRule(
                tuple(r["suffixes"]),
                int(r["longer_than"]),
                int(r["cut"]),
                str(r["add"]),
                tuple(r["unless"]),
                bool(r["final"]),
            )
            for r in stem["rules"]
        ),
        final_e_longer_than=int(stem["final_e"]["longer_than"]),
        final_e_unless=tuple(stem["final_e"]["unless"]),
    )
