"""The mkdocs.yml an engine reads for a staged tree: the user's settings, made to point at
the staged docs and output folder, without the `kb` plugin (its work is already in the
tree), with the KB's nav and Material tuning written out as settings.

MkDocs, ProperDocs and Zensical all read this one file.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

import yaml

from kbtools.config import SiteConfigFile, plugin_entries
from kbtools.site import tuning


class _Dumper(yaml.Dumper):
    """PyYAML's full dumper: `!!python/name:` values (emoji indexes, slugify) stay tags."""


def _represent_placeholder(dumper: yaml.Dumper, value: Any) -> yaml.Node:
    from mkdocs.utils.yaml import ConfigDirPlaceholder, DocsDirPlaceholder

    suffix = getattr(value, "suffix", "")
    if isinstance(value, ConfigDirPlaceholder):
        # The user's config folder, not the staged one.
        return dumper.represent_str(str(value.value()))
    if isinstance(value, DocsDirPlaceholder):
        return dumper.represent_scalar(
            "!relative", f"$docs_dir/{suffix}" if suffix else "$docs_dir"
        )
    return dumper.represent_scalar("!relative", suffix or "")


def _register() -> None:
    from mkdocs.utils.yaml import _DirPlaceholder

    _Dumper.add_multi_representer(_DirPlaceholder, _represent_placeholder)


def build_config(
    site: SiteConfigFile,
    *,
    docs_dir: Path,
    site_dir: Path,
    nav: Any,
    search_script: bool,
    not_in_nav: str | None = None,
    error_panel: bool = False,
) -> dict[str, Any]:
    """The settings for the engine (a new mapping; `site.raw` is not changed)."""
    raw = copy.copy(site.raw)
    raw.pop("INHERIT", None)
    raw.pop("exclude_docs", None)  # applied while staging
    raw["docs_dir"] = str(docs_dir)
    raw["site_dir"] = str(site_dir)
    if nav is not None:
        raw["nav"] = nav
    if not_in_nav:
        # Articles reached from their area page: expected outside the nav (no log line each).
        raw["not_in_nav"] = "\n".join(filter(None, [str(raw.get("not_in_nav") or ""), not_in_nav]))
    plugins = _plugins_without_kb(raw.get("plugins"))
    if site.kb.site.material_defaults:
        _tune_search(plugins)
    raw["plugins"] = plugins
    theme = raw.get("theme")
    if isinstance(theme, str):
        theme = {"name": theme}
    if isinstance(theme, dict):
        theme = dict(theme)
        if theme.get("custom_dir"):
            theme["custom_dir"] = _absolute(site.root, theme["custom_dir"])
        if site.kb.site.material_defaults and theme.get("name") == "material":
            features = list(theme.get("features") or [])
            for feature in tuning.FEATURES:
                if feature == "navigation.prune" and "navigation.expand" in features:
                    continue
                if feature not in features:
                    features.append(feature)
            theme["features"] = features
        raw["theme"] = theme
    if raw.get("hooks"):
        raw["hooks"] = [_absolute(site.root, h) for h in raw["hooks"]]
    if raw.get("watch"):
        raw["watch"] = [_absolute(site.root, w) for w in raw["watch"]]
    if search_script:
        scripts = list(raw.get("extra_javascript") or [])
        if tuning.SEARCH_SCRIPT not in (str(s) for s in scripts):
            scripts.append(tuning.SEARCH_SCRIPT)
        raw["extra_javascript"] = scripts
    if error_panel:
        from kbtools.site.errorindex import SCRIPT

        scripts = list(raw.get("extra_javascript") or [])
        if SCRIPT not in (str(s) for s in scripts):
            scripts.append(SCRIPT)
        raw["extra_javascript"] = scripts
    return raw


def has_search(site: SiteConfigFile) -> bool:
    """True when the site uses the theme's `search` plugin (the query rewriter applies)."""
    return "search" in plugin_entries(site.raw.get("plugins")) or (
        "plugins" not in site.raw  # MkDocs' default plugins are [search]
    )


def dump(settings: dict[str, Any]) -> str:
    """The settings as YAML text."""
    _register()
    header = "# Written by `kb build` for the staged tree; edit mkdocs.yml instead.\n"
    return header + yaml.dump(settings, Dumper=_Dumper, sort_keys=False, allow_unicode=True)


def _plugins_without_kb(plugins: Any) -> list[Any]:
    if plugins is None:
        return ["search"]
    entries = plugin_entries(plugins)
    out: list[Any] = []
    for name, options in entries.items():
        if name == "kb" or name.endswith("/kb"):
            continue
        out.append({name: dict(options)} if options else name)
    return out


def _tune_search(plugins: list[Any]) -> None:
    for index, item in enumerate(plugins):
        name = item if isinstance(item, str) else next(iter(item))
        if name not in ("search", "material/search"):
            continue
        options = {} if isinstance(item, str) else dict(item[name] or {})
        options.setdefault("separator", tuning.SEPARATOR)
        fields = dict(options.get("fields") or {})
        for field, boost in tuning.FIELDS.items():
            fields.setdefault(field, {"boost": boost})
        options["fields"] = fields
        plugins[index] = {name: options}


def _absolute(root: Path, value: Any) -> str:
    text = os.fspath(value) if isinstance(value, os.PathLike) else str(value)
    return text if Path(text).is_absolute() else str((root / text).resolve())
