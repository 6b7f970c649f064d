"""kbtools' option types validate exactly as MkDocs' `config_options` do.

The test builds the `kb` schema a second time out of MkDocs' own classes and validates the
same settings, good and bad, with both: same values, same errors, same warnings.
"""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from mkdocs.config import config_options as mk
from mkdocs.config.base import BaseConfigOption, Config

from kbtools import optiontypes as ours
from kbtools.config import KbConfig


def _mirror(option: BaseConfigOption[Any]) -> BaseConfigOption[Any]:
    """The same option built from MkDocs' classes."""
    if isinstance(option, ours.SubConfig):
        return mk.SubConfig(_mirror_class(option.config_class))
    if isinstance(option, ours.ListOfItems):
        return mk.ListOfItems(_mirror(option.option_type), default=option.default)
    if isinstance(option, ours.DictOfItems):
        return mk.DictOfItems(_mirror(option.option_type), default=option.default)
    if isinstance(option, ours.Choice):
        return mk.Choice(option.choices, default=option.default)
    if isinstance(option, ours.Type):
        return mk.Type(option._type, default=option.default)
    raise AssertionError(f"no mirror for {type(option)}")


def _mirror_class(config_class: type[Config]) -> type[Config]:
    fields = {name: _mirror(option) for name, option in config_class._schema}
    return type(f"Mk{config_class.__name__}", (Config,), fields)


MK_KB = _mirror_class(KbConfig)

CASES: list[dict[str, Any]] = [
    {},
    {"articles_dir": "support", "product_areas": ["search", "auth"], "id_prefix": "SUP-"},
    {"articles_dir": 5},
    {"enabled": "yes"},
    {"product_areas": "search"},
    {"product_areas": ["search", 3]},
    {"product_areas": None},
    {"unknown": 1},
    {"lint": {"rules": {"links": "warning", "style.House": "off"}}},
    {"lint": {"rules": {"links": "loud"}}},
    {"lint": {"rules": {5: "off"}}},
    {"lint": {"rules": ["links"]}},
    {"lint": {"exclude": ["drafts/*"], "style": {"engine": "vale", "config": "x.ini"}}},
    {"lint": {"style": {"engine": "fast"}}},
    {"lint": {"style": "vale"}},
    {"lint": {"style": {"extra": 1}}},
    {"lint": {"external": {"timeout": 2.5, "accept": {"^https://x/": [403, 429]}}}},
    {"lint": {"external": {"accept": {"^https://x/": ["403"]}}}},
    {"lint": {"external": {"concurrency": 1.5}}},
    {"lint": {"external": {"timeout": True, "per_host": None}}},
    {"new": {"duplicate_threshold": 1, "product_area_keywords": {"search": ["zoekt"]}}},
    {"new": {"duplicate_threshold": 0.7, "services": ["gitserver"], "review_days": 30}},
    {"site": {"audience": "internal", "related_articles": 0}},
    {"site": {"audience": "everyone"}},
    {"site": None},
    {"lint": None},
    {"lint": {"external": {"exclude": None}}},
    {"new": {"product_area_keywords": None, "internal_domains": ["corp.example"]}},
    {"pages_public_by_default": False, "site": {"generate_pages": False}},
]


def _validate(config_class: type[Config], options: dict[str, Any]) -> Any:
    config = config_class(config_file_path="/site/mkdocs.yml")
    config.load_dict(options)
    errors, warnings = config.validate()

    def plain(value: Any) -> Any:
        if isinstance(value, Config):
            return {key: plain(value[key]) for key in value}
        return value

    return (
        [(key, str(err)) for key, err in errors],
        [(key, str(msg)) for key, msg in warnings],
        plain(config) if not errors else None,
    )


@pytest.mark.parametrize("options", CASES, ids=[str(i) for i in range(len(CASES))])
def test_same_values_errors_and_warnings_as_mkdocs(options: dict[str, Any]) -> None:
    import copy

    assert _validate(KbConfig, copy.deepcopy(options)) == _validate(MK_KB, copy.deepcopy(options))


def test_the_cases_cover_errors_and_warnings() -> None:
    results = [_validate(KbConfig, case) for case in CASES]
    assert sum(1 for errors, _, _ in results if errors) >= 10
    assert sum(1 for _, warnings, _ in results if warnings) >= 2


def test_reading_the_settings_does_not_import_mkdocs_theme_machinery(tmp_path: Any) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nplugins:\n  - kb\n", encoding="utf-8")
    code = (
        "import sys; from kbtools.project import Project; "
        f"Project.load({str(tmp_path / 'mkdocs.yml')!r}); "
        "print(sorted(m for m in ('jinja2', 'babel', 'mkdocs.theme', "
        "'mkdocs.config.config_options') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
