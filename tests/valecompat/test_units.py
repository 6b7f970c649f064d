"""Small pieces of the built-in engine that the compat cases exercise only indirectly."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbtools.valecompat.config import Glob, ValeConfigError, load_config
from kbtools.valecompat.engine import Engine
from kbtools.valecompat.regex import compile_vale, translate
from kbtools.valecompat.rules.base import Scope, go_format


@pytest.mark.parametrize(
    ("pattern", "text", "found"),
    [
        (r"(?i)\bfoo(?m)bar", "FOOBAR", ["FOOBAR"]),  # mid-pattern flag groups
        (r"(?m)\b(?:(?-i)Good|(?i)very good)\b", "VERY GOOD good Good", ["VERY GOOD", "Good"]),
        (r"[\p{Lu}][\p{Ll}]+", "Ärger bar", ["Ärger"]),
        (r"(?<word>\w+)-\k<word>", "bye-bye now", ["bye-bye"]),
        (r"end\z", "the end", ["end"]),
    ],
)
def test_regexp2_patterns_translate(pattern: str, text: str, found: list[str]) -> None:
    assert [m.group(0) for m in compile_vale(pattern).finditer(text)] == found


def test_translate_keeps_plain_patterns() -> None:
    assert translate(r"\b(?:a|b)\b") == r"\b(?:a|b)\b"


def test_go_format_like_vale() -> None:
    assert go_format("Use '%s' instead of '%s'.", ["a", "b"]) == "Use 'a' instead of 'b'."
    assert go_format("'%s' and '%s'", ["a"]) == "'a' and ''"  # one spare empty argument
    assert go_format("%s %s %s", ["a"]) == "a  %!s(MISSING)"
    assert go_format("100%% of '%s'", ["x", "surplus"]) == "100% of 'x'"


@pytest.mark.parametrize(
    ("glob", "path", "hit"),
    [
        ("*.md", "docs/kb/a.md", True),  # no separator: * crosses '/'
        ("docs/kb/**/*.md", "docs/kb/a.md", True),
        ("docs/kb/**/*.md", "docs/kb/x/y/a.md", True),
        ("docs/kb/**/*.md", "docs/guide/a.md", False),
        ("docs/*.md", "docs/sub/a.md", True),
        ("*.{md,py}", "a.py", True),
        ("!content/b/*", "content/b/x.md", False),
        ("!content/b/*", "content/a.md", True),
        ("test.py", "test.py", True),
    ],
)
def test_section_globs(glob: str, path: str, hit: bool) -> None:
    assert Glob(glob).match(path) is hit


@pytest.mark.parametrize(
    ("scope", "block", "hit"),
    [
        (["heading & ~heading.h1"], "text.heading.h2.md", True),
        (["heading & ~heading.h1"], "text.heading.h1.md", False),
        (["text"], "text.attr.alt", True),
        (["text"], "sentence.md", False),
        (["~heading"], "raw.md", False),
        (["~heading"], "sentence.md", True),
        (["list", "blockquote"], "text.blockquote.md", True),
    ],
)
def test_scope_selectors(scope: list[str], block: str, hit: bool) -> None:
    assert Scope(scope).matches(block) is hit


def _engine(tmp_path: Path, ini: str, rules: dict[str, str]) -> Engine:
    for name, body in rules.items():
        style, rule = name.split(".")
        folder = tmp_path / "styles" / style
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{rule}.yml").write_text(body, encoding="utf-8")
    (tmp_path / ".vale.ini").write_text(ini, encoding="utf-8")
    return Engine(load_config(tmp_path / ".vale.ini"))


def test_section_styles_replace_and_levels_override(tmp_path: Path) -> None:
    ini = (
        "StylesPath = styles\nMinAlertLevel = suggestion\n\n[*.md]\nBasedOnStyles = A\n"
        "A.Word = error\n\n[docs/kb/**/*.md]\nBasedOnStyles = B\n"
    )
    word = "extends: existence\nmessage: \"'%s'\"\nlevel: suggestion\ntokens: [foo]\n"
    engine = _engine(tmp_path, ini, {"A.Word": word, "B.Other": word.replace("foo", "bar")})
    guide = engine.lint_text("docs/a.md", "foo bar\n").alerts
    kb = engine.lint_text("docs/kb/a.md", "foo bar\n").alerts
    assert [(a.check, a.severity) for a in guide] == [("A.Word", "error")]
    # The kb section replaces the base styles, but A.Word = error still switches A.Word on.
    assert sorted(a.check for a in kb) == ["A.Word", "B.Other"]


def test_comment_controls_and_code_are_skipped(tmp_path: Path) -> None:
    ini = "StylesPath = styles\nMinAlertLevel = suggestion\n[*.md]\nBasedOnStyles = A\n"
    rule = "extends: existence\nmessage: \"Avoid '%s'.\"\ntokens: [simply]\n"
    engine = _engine(tmp_path, ini, {"A.Simply": rule})
    text = (
        "Simply do it.\n\n<!-- vale A.Simply = NO -->\nsimply ignored\n<!-- vale A.Simply = YES -->\n\n"
        "Use `simply` in code and simply here.\n\n```\nsimply\n```\n\n<!-- vale off -->\n\n"
        "simply off\n"
    )
    alerts = engine.lint_text("a.md", text).alerts
    # Tokens are case-sensitive unless `ignorecase: true`, so line 1 is clean.
    assert [(a.line, a.span, a.message) for a in alerts] == [(7, [26, 31], "Avoid 'simply'.")]


def test_bad_config_values_are_errors(tmp_path: Path) -> None:
    (tmp_path / ".vale.ini").write_text("MinAlertLevel = loud\n", encoding="utf-8")
    with pytest.raises(ValeConfigError, match="MinAlertLevel"):
        load_config(tmp_path / ".vale.ini")
    (tmp_path / ".vale.ini").write_text("StylesPath = nowhere\n", encoding="utf-8")
    with pytest.raises(ValeConfigError, match="does not exist"):
        load_config(tmp_path / ".vale.ini")


def test_ordered_list_numbers_are_never_match_locations(tmp_path: Path) -> None:
    ini = "StylesPath = styles\nMinAlertLevel = suggestion\n[*.md]\nBasedOnStyles = A\n"
    rule = "extends: existence\nmessage: \"'%s'\"\ntokens: ['2']\n"
    engine = _engine(tmp_path, ini, {"A.Two": rule})
    # The paragraph's text ("Step 2 is\ndone.") is not in the source literally, so its
    # '2' is searched from the top of the file: the list number `2.` must not be found.
    text = "1. First step.\n2. Second step.\n\nStep **2** is\ndone.\n"
    alerts = engine.lint_text("a.md", text).alerts
    assert [(a.line, a.span) for a in alerts] == [(4, [8, 8])]
