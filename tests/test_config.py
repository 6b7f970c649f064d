"""mkdocs.yml discovery and reading through MkDocs' loader; kb option validation."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from kbtools import config
from kbtools.errors import ConfigError
from tests.helpers import MINIMAL_CONFIG, run_kb, write_project


def test_finds_mkdocs_yml_upward(tmp_path: Path) -> None:
    write_project(tmp_path, {"docs/index.md": "# Home\n"})
    nested = tmp_path / "docs" / "deep" / "er"
    nested.mkdir(parents=True)
    assert config.find_config_file(nested) == tmp_path / "mkdocs.yml"


def test_missing_config_is_one_clear_error(tmp_path: Path) -> None:
    result = run_kb(["lint"], tmp_path)
    assert result.code == 2
    assert "no mkdocs.yml found" in result.err
    assert "Traceback" not in result.err


def test_explicit_config_file_must_exist(tmp_path: Path) -> None:
    result = run_kb(["lint", "-f", "nope.yml"], tmp_path)
    assert result.code == 2
    assert "nope.yml: config file not found" in result.err


def test_inherit_env_and_python_name_tags_load_as_in_mkdocs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KB_ARTICLES", "articles")
    (tmp_path / "base.yml").write_text("docs_dir: content\n")
    (tmp_path / "mkdocs.yml").write_text(
        "INHERIT: base.yml\n"
        "site_name: t\n"
        "markdown_extensions:\n"
        "  - toc:\n"
        "      slugify: !!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}\n"
        "  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "plugins:\n"
        "  - kb:\n"
        "      articles_dir: !ENV [KB_ARTICLES, kb]\n"
    )
    loaded = config.load(tmp_path / "mkdocs.yml")
    assert loaded.docs_dir == (tmp_path / "content").resolve()
    assert loaded.kb.articles_dir == "articles"
    # pymdownx keeps unicode letters, the default slugify would drop them.
    assert loaded.toc.slugify("Größe ändern", "-") == "größe-ändern"


@pytest.mark.parametrize(
    ("kb_options", "expected"),
    [
        ("artciles_dir: kb", "plugins.kb.artciles_dir: Unrecognised configuration name"),
        ("product_areas: 3", "plugins.kb.product_areas"),
        ("lint: {rules: {links: loud}}", "plugins.kb.lint"),
        ("lint: {extrnal: {}}", "extrnal"),
    ],
)
def test_bad_kb_options_exit_2_naming_the_key(
    tmp_path: Path, kb_options: str, expected: str
) -> None:
    write_project(
        tmp_path,
        {"docs/index.md": "hi\n"},
        f"site_name: t\nplugins:\n  - kb:\n      {kb_options}\n",
    )
    result = run_kb(["lint"], tmp_path)
    assert result.code == 2
    assert expected in result.err
    assert "mkdocs.yml" in result.err
    assert "Traceback" not in result.err


def test_malformed_yaml_is_one_clear_error(tmp_path: Path) -> None:
    write_project(tmp_path, {"docs/index.md": "hi\n"}, "site_name: [unclosed\n")
    result = run_kb(["lint"], tmp_path)
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert "mkdocs.yml" in result.err


def test_unknown_python_name_tag_is_a_config_error(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {"docs/index.md": "hi\n"},
        "site_name: t\nmarkdown_extensions:\n  - x:\n      f: !!python/name:no_such_module.thing\n",
    )
    result = run_kb(["lint"], tmp_path)
    assert result.code == 2
    assert "no_such_module" in result.err


def test_defaults_without_kb_section(tmp_path: Path) -> None:
    write_project(tmp_path, {}, "site_name: t\n")
    loaded = config.load(tmp_path / "mkdocs.yml")
    assert loaded.kb.articles_dir == "kb"
    assert loaded.kb.lint.style.engine == "auto"
    assert not loaded.has_kb_plugin


def test_validate_rejects_wrong_types_directly() -> None:
    with pytest.raises(ConfigError, match="id_prefix"):
        config.validate_kb_options({"id_prefix": 5})
    assert config.validate_kb_options({}).articles_dir == "kb"
    assert MINIMAL_CONFIG  # the shared config itself loads in other tests


def test_libyaml_and_mkdocs_python_loader_read_the_same_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """mkdocs.yml is read with libyaml when it can; the result equals MkDocs' own loader."""
    import yaml
    from mkdocs.utils.yaml import get_yaml_loader, yaml_load

    monkeypatch.setenv("KB_AREA", "search")
    text = (
        (Path(__file__).parent / "fixtures" / "argo-cd-subset" / "mkdocs.yml").read_text()
        + "extra:\n  defaults: &d {a: 1, b: [x, 'y: z']}\n  copy: *d\n"
        + "  text: |\n    two\n    lines\n  folded: >-\n    one\n    line\n"
        + "  when: 2024-01-02\n  yes_no: [yes, no, on, off, ~]\n  area: !ENV [KB_AREA, x]\n"
        + "  here: !relative $config_dir/sub\n"
    )
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    loaded = config.load(tmp_path / "mkdocs.yml")
    stand_in = SimpleNamespace(config_file_path=str(tmp_path / "mkdocs.yml"))
    with (tmp_path / "mkdocs.yml").open("rb") as handle:
        expected = yaml_load(handle, get_yaml_loader(config=stand_in))  # type: ignore[arg-type]
    assert str(expected["extra"].pop("here")) == str(tmp_path / "sub")
    assert str(loaded.raw["extra"].pop("here")) == str(tmp_path / "sub")
    assert loaded.raw == expected
    assert loaded.raw["extra"]["area"] == "search"
    assert getattr(yaml, "__with_libyaml__", False)  # the fast path is what ran here
