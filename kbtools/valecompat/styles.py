"""Load styles: rule YAML files, vocabularies and the built-in `Vale` style (SPEC §3, §6)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kbtools.valecompat.config import ValeConfig, ValeConfigError
from kbtools.valecompat.rules import RULE_TYPES, SKIPPED_TYPES
from kbtools.valecompat.rules.base import Rule, RuleContext
from kbtools.valecompat.rules.spelling import DictionaryMissing

_TERM = re.compile(r"^[\w \-]+$")


@dataclass
class Vocabulary:
    """Accepted and rejected entries of every vocabulary named by `Vocab`."""

    accepted: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)


@dataclass
class LoadedStyles:
    """Every rule the configuration can run, plus rule files of types not implemented."""

    rules: dict[str, Rule] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    """Rule name -> its `extends` type, for types the built-in engine does not implement."""


def load_vocab(config: ValeConfig) -> Vocabulary:
    """Read `StylesPath/config/vocabularies/<name>/{accept,reject}.txt` for each name."""
    vocab = Vocabulary()
    for name in config.vocab:
        folder = (
            config.styles_path / "config" / "vocabularies" / name if config.styles_path else None
        )
        if folder is None or not folder.is_dir():
            raise ValeConfigError(f"E100 [vocab] Runtime error: '{name}' does not exist")
        for file in sorted(folder.rglob("*.txt")):
            if file.name not in ("accept.txt", "reject.txt"):
                continue
            target = vocab.accepted if file.name == "accept.txt" else vocab.rejected
            for line in file.read_text(encoding="utf-8", errors="replace").splitlines():
                entry = line.strip()
                if entry and not entry.startswith("# "):
                    target.append(entry)
    return vocab


def _read_rule(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
        # Go's YAML accepts `\'` inside double-quoted strings; PyYAML does not.
        data = yaml.safe_load(text.replace("\\'", "'"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise ValeConfigError(f"E201 Invalid value [{path}:{line}:1]: {problem}") from None
    except OSError as exc:
        raise ValeConfigError(f"E100 [loadStyles] Runtime error: {path}: {exc.strerror}") from None
    if not isinstance(data, dict):
        raise ValeConfigError(f"E201 Invalid value [{path}:1:1]: expected a mapping of rule keys")
    if not data.get("extends"):
        raise ValeConfigError(
            f"E201 Invalid value [{path}:1:1]: Missing the required 'extends' key."
        )
    if "message" not in data:
        raise ValeConfigError(
            f"E201 Invalid value [{path}:1:1]: Missing the required 'message' key."
        )
    if data.get("code") is True:
        raise ValeConfigError(
            f"E201 Invalid value [{path}:1:1]: `code` is deprecated; please use `scope: raw` instead."
        )
    return data


def build_rule(
    name: str, data: Mapping[str, Any], path: str, ctx: RuleContext, out: LoadedStyles
) -> None:
    """Instantiate one rule (or record it as skipped) into `out`."""
    extends = str(data.get("extends"))
    factory = RULE_TYPES.get(extends)
    if factory is None:
        if extends in SKIPPED_TYPES:
            out.skipped[name] = extends
            return
        raise ValeConfigError(
            f"E201 Invalid value [{path}:1:1]: 'extends' key must be one of "
            f"[{' '.join([*RULE_TYPES, *SKIPPED_TYPES])}]."
        )
    try:
        out.rules[name] = factory(name, data, path, ctx)
    except DictionaryMissing as exc:
        out.skipped[name] = f"{extends}: {exc}"


def _style_files(folder: Path) -> list[tuple[str, Path]]:
    files = []
    for file in sorted(folder.rglob("*.yml")):
        files.append((f"{file.parent.name}.{file.stem}", file))
    return files


def load_styles(config: ValeConfig, vocab: Vocabulary) -> LoadedStyles:
    """Every rule of every base style, single rules switched on by key, and `Vale.*`."""
    ctx = RuleContext(
        word_template=config.word_template,
        accepted=list(vocab.accepted),
        styles_path=str(config.styles_path or ""),
    )
    out = LoadedStyles()
    styles = config.all_base_styles()
    keys = config.all_rule_keys()
    for style in styles:
        if style == "Vale":
            continue
        folder = config.styles_path / style if config.styles_path else None
        if folder is None or not folder.is_dir():
            raise ValeConfigError(
                f"E100 [loadStyles] Runtime error: style '{style}' does not exist on StylesPath"
            )
        for name, file in _style_files(folder):
            build_rule(name, _read_rule(file), str(file), ctx, out)
    for key in keys:
        style, _, rule = key.partition(".")
        if style in styles or style == "Vale" or not rule or config.styles_path is None:
            continue
        file = config.styles_path / style / (rule + ".yml")
        if file.is_file() and key not in out.rules:
            build_rule(key, _read_rule(file), str(file), ctx, out)
    if "Vale" in styles or any(k.startswith("Vale") for k in keys):
        _builtin_rules(ctx, vocab, out)
    for rule_name, loaded in out.rules.items():
        level = config.rule_to_level.get(rule_name)
        if level:
            loaded.level = level
    return out


def _builtin_rules(ctx: RuleContext, vocab: Vocabulary, out: LoadedStyles) -> None:
    build_rule(
        "Vale.Spelling",
        {"extends": "spelling", "message": "Did you really mean '%s'?", "level": "error"},
        "Vale.Spelling",
        ctx,
        out,
    )
    build_rule(
        "Vale.Repetition",
        {
            "extends": "repetition",
            "message": "'%s' is repeated!",
            "level": "error",
            "alpha": True,
            "tokens": [r"[^\s]+"],
        },
        "Vale.Repetition",
        ctx,
        out,
    )
    swap: dict[str, str] = {}
    for entry in vocab.accepted:
        if _TERM.match(entry) and "_" not in entry:
            swap[entry.lower()] = entry
    if swap:
        build_rule(
            "Vale.Terms",
            {
                "extends": "substitution",
                "message": "Use '%s' instead of '%s'.",
                "level": "error",
                "ignorecase": True,
                "vocab": False,
                "swap": swap,
            },
            "Vale.Terms",
            ctx,
            out,
        )
    if vocab.rejected:
        build_rule(
            "Vale.Avoid",
            {
                "extends": "existence",
                "message": "Avoid using '%s'.",
                "level": "error",
                "vocab": False,
                "tokens": list(vocab.rejected),
            },
            "Vale.Avoid",
            ctx,
            out,
        )
