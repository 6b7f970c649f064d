"""`extends: spelling`: Hunspell dictionary check through spylls (SPEC §5.9)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from kbtools.valecompat.model import Alert, Block, FileState
from kbtools.valecompat.regex import RegexError, compile_go, compile_vale
from kbtools.valecompat.rules.base import Rule, RuleContext, as_bool, as_list
from kbtools.valecompat.textstats import word_tokens

DICTIONARY_DIRS = (Path("/usr/share/hunspell"), Path("/usr/share/myspell"))
DEFAULT_FILTERS = (r"[A-Z]{1}[a-z]+[A-Z]+\w+", r"[A-Z]+$", r"[^a-zA-Z_']")


class DictionaryMissing(Exception):
    """No en_US Hunspell dictionary (or spylls) is available."""


@lru_cache(maxsize=8)
def load_dictionary(base: str) -> Any:
    """A spylls Dictionary for `<base>.dic` + `<base>.aff`, loaded once per process."""
    try:
        from spylls.hunspell import Dictionary
    except ImportError:  # pragma: no cover - spylls is a runtime dependency
        raise DictionaryMissing("spylls is not installed") from None
    if not (Path(base + ".dic").is_file() and Path(base + ".aff").is_file()):
        raise DictionaryMissing(f"no Hunspell dictionary at {base}.dic")
    return Dictionary.from_files(base)


def default_dictionary() -> str:
    """Path stem of the en_US dictionary Vale embeds (Debian's hunspell-en-us)."""
    for folder in DICTIONARY_DIRS:
        if (folder / "en_US.dic").is_file():
            return str(folder / "en_US")
    raise DictionaryMissing("en_US Hunspell dictionary not found (install hunspell-en-us)")


class Spelling(Rule):
    """Flags words the dictionary does not know."""

    extends = "spelling"
    strict_keys = False

    def __init__(self, name: str, data: Mapping[str, Any], path: str, ctx: RuleContext) -> None:
        super().__init__(name, data, path, ctx)
        base = default_dictionary()
        dic, aff = data.get("dic"), data.get("aff")
        if dic and aff and Path(str(dic)).is_file():
            base = str(dic)[: -len(".dic")]
        self.dictionary = load_dictionary(base)
        self.known: set[str] = set()
        styles = Path(ctx.styles_path) if ctx.styles_path else None
        for entry in as_list(data.get("ignore")):
            for candidate in (styles / entry if styles else None, Path(entry)):
                if candidate is not None and candidate.is_file():
                    self._add_words(candidate)
                    break
        if styles is not None and name == "Vale.Spelling":
            ignore = styles / "config" / "ignore"
            if ignore.is_dir():
                for file in sorted(ignore.rglob("*.txt")):
                    self._add_words(file)
        filters: list[re.Pattern[str]] = []
        for raw in as_list(data.get("filters")):
            try:
                filters.append(compile_go(raw))
            except RegexError:
                continue
        if not as_bool(data.get("custom")):
            filters.extend(compile_go(f) for f in DEFAULT_FILTERS)
        self.filters = filters
        accepted = [*as_list(data.get("exceptions")), *ctx.accepted]
        self.exceptions = None
        if accepted:
            try:
                self.exceptions = compile_vale("(?i)" + "|".join(accepted))
            except RegexError:
                self.exceptions = None
        self._cache: dict[str, bool] = {}

    def _add_words(self, file: Path) -> None:
        for line in file.read_text(encoding="utf-8", errors="replace").splitlines():
            word = line.strip()
            if word and not word.startswith("#"):
                self.known.add(word)
                self.known.add(word.lower())

    def correct(self, word: str) -> bool:
        """True when the dictionary or a word list accepts the word."""
        cached = self._cache.get(word)
        if cached is None:
            cached = (
                word in self.known
                or word.lower() in self.known
                or bool(self.dictionary.lookup(word.replace("’", "'")))
            )
            self._cache[word] = cached
        return cached

    def run(self, block: Block, state: FileState) -> list[Alert]:
        """One alert per unknown word (span of its first occurrence in the block)."""
        text = block.text
        alerts: list[Alert] = []
        for word in word_tokens(text):
            if any(f.search(word) for f in self.filters):
                continue
            if self.correct(word):
                continue
            if self.exceptions is not None and self.exceptions.search(word):
                continue
            offset = text.find(word)
            alerts.append(self.alert(offset, offset + len(word), text))
        return alerts
