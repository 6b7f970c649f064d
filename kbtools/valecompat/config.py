"""`.vale.ini`: core keys, glob sections, rule switches and level overrides (SPEC §2)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from kbtools.valecompat.regex import RegexError

LEVELS = {"suggestion": 0, "warning": 1, "error": 2}
CORE_KEYS = {
    "StylesPath",
    "MinAlertLevel",
    "Vocab",
    "Packages",
    "IgnoredScopes",
    "SkippedScopes",
    "IgnoredClasses",
    "WordTemplate",
    "NLPEndpoint",
}
SECTION_KEYS = {
    "BasedOnStyles",
    "BlockIgnores",
    "IgnorePatterns",
    "TokenIgnores",
    "Transform",
    "Lang",
    "CommentDelimiters",
}
CONFIG_NAMES = (".vale", "_vale", "vale.ini", ".vale.ini", "_vale.ini")


class ValeConfigError(Exception):
    """The configuration (or a rule file) cannot be used; one line, like Vale's E100/E201."""


@dataclass
class Section:
    """One `[glob]` section of the ini file."""

    name: str
    matcher: Glob
    base_styles: list[str] | None = None
    checks: dict[str, bool] = field(default_factory=dict)
    block_ignores: list[str] = field(default_factory=list)
    token_ignores: list[str] = field(default_factory=list)
    comment_delimiters: list[str] = field(default_factory=list)


@dataclass
class ValeConfig:
    """The merged configuration Vale would use."""

    path: Path | None = None
    styles_path: Path | None = None
    min_alert_level: int = 1
    vocab: list[str] = field(default_factory=list)
    ignored_scopes: list[str] = field(default_factory=lambda: ["tt", "code", "kbd"])
    skipped_scopes: list[str] = field(
        default_factory=lambda: ["script", "style", "pre", "figure", "noscript", "iframe"]
    )
    ignored_classes: list[str] = field(default_factory=list)
    word_template: str = r"(?m)\b(?:%s)\b"
    formats: dict[str, str] = field(default_factory=dict)
    global_styles: list[str] = field(default_factory=list)
    global_checks: dict[str, bool] = field(default_factory=dict)
    global_block_ignores: list[str] = field(default_factory=list)
    global_token_ignores: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    rule_to_level: dict[str, str] = field(default_factory=dict)

    def all_base_styles(self) -> list[str]:
        """Every style named in any BasedOnStyles (global first), without duplicates."""
        names = list(self.global_styles)
        for section in self.sections:
            for name in section.base_styles or []:
                if name not in names:
                    names.append(name)
        return names

    def all_rule_keys(self) -> list[str]:
        """Every `Style.Rule` key switched in any section."""
        keys = list(self.global_checks)
        for section in self.sections:
            keys.extend(k for k in section.checks if k not in keys)
        return keys

    def has_global(self) -> bool:
        """True when `[*]` gives styles or rule switches (then every walked file is linted)."""
        return bool(self.global_styles or self.global_checks)

    def normed_path(self, path: str) -> str:
        """The path with its extension mapped through `[formats]` (`x.mdx` -> `x.md`)."""
        stem, dot, ext = path.rpartition(".")
        if dot and "/" not in ext and ext in self.formats:
            return stem + "." + self.formats[ext]
        return path

    def styles_and_checks(self, path: str) -> tuple[list[str], dict[str, bool]]:
        """Base styles and rule switches of one file (SPEC §2.4)."""
        styles = list(self.global_styles)
        checks: dict[str, bool] = {}
        candidates = [path]
        normed = self.normed_path(path)
        if normed != path:
            candidates.append(normed)
        for candidate in candidates:
            for section in self.sections:
                if section.base_styles is not None and section.matcher.match(candidate):
                    styles = list(section.base_styles)
            for section in self.sections:
                if section.checks and section.matcher.match(candidate):
                    checks.update(section.checks)
        return styles, checks

    def matches_any_section(self, path: str) -> bool:
        """True when some glob section names the path (or its format-mapped path)."""
        normed = self.normed_path(path)
        return any(s.matcher.match(path) or s.matcher.match(normed) for s in self.sections)

    def ignores_for_ext(self, ext: str) -> tuple[list[str], list[str]]:
        """BlockIgnores and TokenIgnores whose section glob matches the file EXTENSION."""
        blocks = list(self.global_block_ignores)
        tokens = list(self.global_token_ignores)
        for section in self.sections:
            if section.matcher.match(ext):
                blocks.extend(section.block_ignores)
                tokens.extend(section.token_ignores)
        return blocks, tokens

    def comment_delimiters(self, path: str) -> list[str]:
        """CommentDelimiters of the last matching section, or []."""
        found: list[str] = []
        for section in self.sections:
            if section.comment_delimiters and section.matcher.match(path):
                found = section.comment_delimiters
        return found


class Glob:
    """A Vale section glob: gobwas without separators, or doublestar when `**` appears."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.negated = pattern.startswith("!")
        body = pattern[1:] if self.negated else pattern
        try:
            self._regex = re.compile(_glob_to_regex(body, "**" in body) + r"\Z", re.DOTALL)
        except re.error as exc:
            raise ValeConfigError(f"E201 Invalid value [{pattern}]: {exc}") from None

    def match(self, path: str) -> bool:
        """True when the path matches (negated globs invert)."""
        hit = self._regex.match(path) is not None
        return not hit if self.negated else hit


def _glob_to_regex(glob: str, segmented: bool) -> str:
    out: list[str] = []
    i = 0
    depth = 0
    while i < len(glob):
        ch = glob[i]
        if ch == "*":
            if glob.startswith("**", i):
                if glob.startswith("**/", i):
                    out.append("(?:.*/)?")
                    i += 3
                else:
                    out.append(".*")
                    i += 2
                continue
            out.append("[^/]*" if segmented else ".*")
        elif ch == "?":
            out.append("[^/]" if segmented else ".")
        elif ch == "[":
            end = glob.find("]", i + 1)
            if end < 0:
                out.append(re.escape(ch))
            else:
                body = glob[i + 1 : end]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = end
        elif ch == "{":
            out.append("(?:")
            depth += 1
        elif ch == "}" and depth:
            out.append(")")
            depth -= 1
        elif ch == "," and depth:
            out.append("|")
        elif ch == "\\" and i + 1 < len(glob):
            out.append(re.escape(glob[i + 1]))
            i += 1
        else:
            out.append(re.escape(ch))
        i += 1
    return "".join(out)


def find_config(start: Path) -> Path | None:
    """The ini Vale would find from `start` upward (SPEC §1.5; home directory not searched)."""
    for directory in (start, *start.parents):
        for name in CONFIG_NAMES:
            candidate = directory / name
            if candidate.is_file():
                return candidate
    return None


def _split_list(value: str) -> list[str]:
    items: list[str] = []
    for raw in value.split(","):
        item = raw.strip()
        if item and item not in items:
            items.append(item)
    return items


def _strip_comment(value: str) -> str:
    match = re.search(r"\s[#;]", value)
    return value[: match.start()] if match else value


def parse_ini(text: str) -> list[tuple[str | None, str, str, int]]:
    """(section, key, value, line) for every key; section None for core keys."""
    entries: list[tuple[str | None, str, str, int]] = []
    section: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
            continue
        key, sep, value = line.partition("=")
        if not sep:
            raise ValeConfigError(
                f"E201 Invalid value [line {number}]: expected key = value: {line}"
            )
        value = _strip_comment(value).strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        entries.append((section, key.strip(), value, number))
    return entries


def load_config(path: Path) -> ValeConfig:
    """Read one `.vale.ini` (no global user config, as with `--no-global`)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ValeConfigError(f"E100 [--config] Runtime error: {path}: {exc.strerror}") from None
    config = ValeConfig(path=path)
    sections: dict[str, Section] = {}
    scopes_set: set[str] = set()
    for section_name, key, value, line in parse_ini(text):
        where = f"[{path}:{line}]"
        if section_name is None:
            _core_key(config, key, value, where, path, scopes_set)
        elif section_name == "formats":
            config.formats[key.lstrip(".")] = value.lstrip(".")
        elif section_name == "asciidoctor":
            continue
        elif section_name == "*":
            _global_key(config, key, value, where)
        else:
            section = sections.get(section_name)
            if section is None:
                section = Section(section_name, Glob(section_name))
                sections[section_name] = section
                config.sections.append(section)
            _section_key(config, section, key, value, where)
    return config


def _core_key(
    config: ValeConfig, key: str, value: str, where: str, path: Path, scopes_set: set[str]
) -> None:
    if key == "StylesPath":
        styles = (path.parent / Path(value).expanduser()).resolve()
        if not styles.is_dir():
            raise ValeConfigError(
                f"E201 Invalid value {where}: The path '{styles}' does not exist."
            )
        config.styles_path = styles
    elif key == "MinAlertLevel":
        if value not in LEVELS:
            raise ValeConfigError(
                f"E201 Invalid value {where}: MinAlertLevel must be 'suggestion', 'warning', or 'error'."
            )
        config.min_alert_level = LEVELS[value]
    elif key == "Vocab":
        config.vocab.extend(v for v in _split_list(value) if v not in config.vocab)
    elif key in ("IgnoredScopes", "SkippedScopes"):
        attr = "ignored_scopes" if key == "IgnoredScopes" else "skipped_scopes"
        current = getattr(config, attr) if key in scopes_set else []
        scopes_set.add(key)
        setattr(config, attr, current + [v for v in _split_list(value) if v not in current])
    elif key == "IgnoredClasses":
        config.ignored_classes.extend(_split_list(value))
    elif key == "WordTemplate":
        if "%s" not in value:
            raise ValeConfigError(f"E201 Invalid value {where}: WordTemplate must contain '%s'.")
        config.word_template = value
    elif key in ("Packages", "NLPEndpoint"):
        return
    elif key in SECTION_KEYS or "." in key:
        raise ValeConfigError(f"E201 Invalid value {where}: '{key}' must be in a section.")
    else:
        raise ValeConfigError(f"E201 Invalid value {where}: unknown core key '{key}'.")


def _rule_switch(config: ValeConfig, key: str, value: str) -> bool:
    if value in LEVELS:
        config.rule_to_level[key] = value
        return True
    return value == "YES"


def _global_key(config: ValeConfig, key: str, value: str, where: str) -> None:
    if key == "BasedOnStyles":
        config.global_styles.extend(s for s in _split_list(value) if s not in config.global_styles)
    elif key in ("BlockIgnores", "IgnorePatterns"):
        config.global_block_ignores.extend(_split_list(value))
    elif key == "TokenIgnores":
        config.global_token_ignores.extend(_split_list(value))
    elif key == "Lang":
        return
    elif key in CORE_KEYS or key in ("Transform", "CommentDelimiters"):
        raise ValeConfigError(f"E201 Invalid value {where}: '{key}' is not allowed in [*].")
    else:
        config.global_checks[key] = _rule_switch(config, key, value)


def _section_key(config: ValeConfig, section: Section, key: str, value: str, where: str) -> None:
    if key == "BasedOnStyles":
        styles = section.base_styles or []
        section.base_styles = styles + [s for s in _split_list(value) if s not in styles]
    elif key in ("BlockIgnores", "IgnorePatterns"):
        section.block_ignores.extend(_split_list(value))
    elif key == "TokenIgnores":
        section.token_ignores.extend(_split_list(value))
    elif key == "CommentDelimiters":
        section.comment_delimiters = _split_list(value)
    elif key in ("Transform", "Lang"):
        return
    elif key in CORE_KEYS:
        raise ValeConfigError(
            f"E201 Invalid value {where}: '{key}' is a core key, not a section key."
        )
    else:
        section.checks[key] = _rule_switch(config, key, value)


__all__ = ["Glob", "RegexError", "ValeConfig", "ValeConfigError", "find_config", "load_config"]
