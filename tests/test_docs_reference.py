"""The user guide stays true: every `kb` plugin option and every command option is documented."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from mkdocs.config.base import Config

from kbtools import optiontypes as c
from kbtools.cli import cli
from kbtools.config import KbConfig, validate_kb_options

GUIDE = Path(__file__).parents[1] / "docs" / "guide"
SECTIONS = {
    "Top-level options": "",
    "Lint options": "lint.",
    "Style options": "lint.style.",
    "External link options": "lint.external.",
    "Secrets options": "lint.secrets.",
    "Article generator options": "new.",
    "Site options": "site.",
    "Report options": "report.",
}
"""Heading of configuration.md -> the dotted prefix its table documents."""


def options(schema: type[Config], prefix: str = "") -> Iterator[tuple[str, str, Any]]:
    """(section prefix, name, default) of every leaf option, sub-configs flattened."""
    for name, option in schema._schema:
        if isinstance(option, c.SubConfig):
            yield from options(option.config_class, f"{prefix}{name}.")
        else:
            yield prefix, name, option.default


def section_tables(text: str) -> dict[str, str]:
    """Dotted prefix -> the text of its section in configuration.md."""
    parts = re.split(r"^#{2,3} (.+)$", text, flags=re.MULTILINE)
    return {
        SECTIONS[title]: body
        for title, body in zip(parts[1::2], parts[2::2], strict=True)
        if title in SECTIONS
    }


def shown(default: Any) -> str:
    """A default as the docs write it (YAML/JSON spelling)."""
    return default if isinstance(default, str) and default else json.dumps(default)


def test_every_plugin_option_has_a_row_with_its_default() -> None:
    tables = section_tables((GUIDE / "configuration.md").read_text())
    missing = []
    for prefix, name, default in options(KbConfig):
        if prefix not in tables:
            missing.append(f"no section for {prefix}* (add one and a SECTIONS entry)")
            continue
        row = f"| `{name}` | `{shown(default)}` |"
        if row not in tables[prefix]:
            missing.append(f"{prefix}{name}: expected a row starting {row!r}")
    assert missing == [], "docs/guide/configuration.md is out of date:\n" + "\n".join(missing)


def test_the_complete_example_is_valid_and_shows_the_defaults() -> None:
    text = (GUIDE / "configuration.md").read_text()
    block = re.search(r"```yaml\n(.*?)```", text, re.DOTALL)
    assert block is not None
    example = yaml.safe_load(block.group(1))["plugins"][1]["kb"]
    documented = validate_kb_options(example)
    defaults = validate_kb_options({})
    assert dict(documented) == dict(defaults)
    flat = {f"{p}{n}" for p, n, _ in options(KbConfig)}
    written = set(_flatten(example))
    assert written == flat


def _flatten(mapping: dict[str, Any], prefix: str = "") -> Iterator[str]:
    subconfigs = {"lint", "style", "external", "secrets", "new", "site", "report"}
    for key, value in mapping.items():
        if key in subconfigs and isinstance(value, dict):
            yield from _flatten(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}"


@pytest.mark.parametrize(
    ("command", "page"),
    [
        ("init", "init.md"),
        ("new", "new.md"),
        ("triage", "triage.md"),
        ("lint", "lint.md"),
        ("build", "build.md"),
        ("serve", "build.md"),
        ("report", "report.md"),
    ],
)
def test_every_command_option_is_documented(command: str, page: str) -> None:
    text = (GUIDE / page).read_text()
    cmd = cli.commands[command]
    undocumented = [
        opt
        for param in cmd.params
        if isinstance(param, click.Option) and not param.hidden
        for opt in (*param.opts, *param.secondary_opts)
        if opt != "--help" and f"`{opt}" not in text
    ]
    assert undocumented == [], f"docs/guide/{page} does not mention {undocumented}"


def test_rule_reference_page_is_current_and_holds_every_rule_anchor() -> None:
    from kbtools.config import load
    from kbtools.document import load_document
    from kbtools.rulesdoc import known_rules, render

    page = GUIDE.parent / "reference" / "rules.md"
    rules = known_rules()
    assert page.read_text() == render(rules), (
        "docs/reference/rules.md is stale: run python -m kbtools.rulesdoc docs/reference/rules.md"
    )
    toc = load(GUIDE.parents[1] / "mkdocs.yml").toc
    anchors = load_document(page, "docs/reference/rules.md", toc).anchors
    assert [r.id for r in rules if r.url.rsplit("#", 1)[1] not in anchors] == []


def test_rule_help_links_point_at_this_sites_rule_page() -> None:
    """SARIF helpUri and `kb lint` help links open the rule page of the published kbtools docs."""
    from kbtools.config import load
    from kbtools.rules import DOCS_URL

    site_url = load(GUIDE.parents[1] / "mkdocs.yml").raw["site_url"]
    assert site_url.rstrip("/") + "/reference/rules/" == DOCS_URL
