"""Find and read `mkdocs.yml`, and validate the `kb` plugin options into one typed object.

mkdocs.yml is read with MkDocs' own loader (so `INHERIT`, `!ENV`, `!relative` and
`!!python/name:` tags behave exactly as in `mkdocs build`); only the `kb` plugin options are
validated here, so a site whose other plugins are not installed can still be linted.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from mkdocs.config import base
from mkdocs.exceptions import ConfigurationError

from kbtools import optiontypes as c
from kbtools.errors import ConfigError

CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")
SEVERITY_NAMES = ("error", "warning", "suggestion", "off")


class ExternalConfig(base.Config):
    """Options of the external link check (`kb lint --external`)."""

    engine = c.Choice(("builtin", "linkchecker"), default="builtin")
    """Which engine checks http(s) URLs: the built-in one (fast) or LinkChecker's library."""
    timeout = c.Type((int, float), default=10)
    """Seconds to wait for connecting and for each read of one response."""
    url_timeout = c.Type((int, float), default=0)
    """Seconds one URL may take in all: connecting, headers, body and redirects together
    (a server that drips its body is cut off); 0 means twice `timeout`."""
    deadline = c.Type((int, float), default=300)
    """Seconds the whole external check may take; URLs not checked by then are reported."""
    concurrency = c.Type(int, default=64)
    """Requests in flight at once, overall."""
    per_host = c.Type(int, default=4)
    """Requests in flight at once to one host (politeness)."""
    retry_wait = c.Type((int, float), default=10)
    """Longest Retry-After (seconds) honoured after a 429 before reporting it."""
    cache_dir = c.Type(str, default=".kb-cache")
    """Where results are cached, relative to the project root (safe to delete)."""
    cache_ttl = c.Type((int, float), default=24)
    """Hours a good result stays valid (0 turns the cache off); failures are always re-checked."""
    exclude = c.ListOfItems(c.Type(str), default=[])
    """Regular expressions; URLs matching one are not checked."""
    accept = c.DictOfItems(c.ListOfItems(c.Type(int)), default={})
    """URL regular expression -> extra HTTP status codes that count as success."""
    allow_private = c.Type(bool, default=False)
    """Check links written to private, loopback and link-local hosts (an intranet). A
    redirect from a public host into such an address is never followed."""


class StyleConfig(base.Config):
    """Options of the prose style check (Vale or the built-in engine)."""

    engine = c.Choice(("auto", "vale", "builtin", "off"), default="auto")
    """`auto` runs Vale when it is on PATH, else the built-in engine."""
    config = c.Type(str, default=".vale.ini")
    """Vale configuration, relative to the project root; no file means no style check."""


class SecretsConfig(base.Config):
    """Options of the secrets check (`secrets.*`) on published pages."""

    own_domains = c.ListOfItems(c.Type(str), default=[])
    """Domains that belong to the site, besides those of `site_url` and `repo_url`."""
    emails = c.Choice(("all", "others", "off"), default="others")
    """Which email addresses are findings: `all`, `others` (not at the own domains and not
    role addresses such as `support@`), or `off`."""


class LintConfig(base.Config):
    """Options of `kb lint`."""

    rules = c.DictOfItems(c.Choice(SEVERITY_NAMES), default={})
    """Rule id or dotted prefix -> severity, or `off`. The most specific entry wins."""
    exclude = c.ListOfItems(c.Type(str), default=[])
    """Glob patterns (relative to docs_dir) of files not to lint."""
    style = c.SubConfig(StyleConfig)
    external = c.SubConfig(ExternalConfig)
    secrets = c.SubConfig(SecretsConfig)


ZENDESK_TARGETS = (
    "version",
    "fixed",
    "deployment",
    "services",
    "product_area",
    "type",
    "tags",
    "customer",
    "person",
    "ticket",
    "title",
)
"""Ticket fields a Zendesk custom field can feed (`kb.new.zendesk_fields`)."""


class ZendeskFields(c.Type[dict[str, str]]):
    """A mapping of Zendesk custom field ids (numbers, as YAML writes them) to ticket fields."""

    def __init__(self) -> None:
        super().__init__(dict, default={})

    def run_validation(self, value: object, /) -> dict[str, str]:
        if not isinstance(value, dict):
            raise base.ValidationError(
                f"Expected a mapping of Zendesk field ids to fields, but a {type(value)} was given."
            )
        result: dict[str, str] = {}
        for key, target in value.items():
            if isinstance(key, bool) or not re.fullmatch(r"\d+", str(key).strip()):
                raise base.ValidationError(f"{key!r} is not a Zendesk field id (a number)")
            if target not in ZENDESK_TARGETS:
                raise base.ValidationError(
                    f"field {key}: expected one of {', '.join(ZENDESK_TARGETS)}, got {target!r}"
                )
            result[str(key).strip()] = str(target)
        return result


class NewConfig(base.Config):
    """Options of `kb new`."""

    duplicate_threshold = c.Type(float, default=0.45)
    """Similarity (0-1) above which an existing article counts as a likely duplicate."""
    review_days = c.Type(int, default=180)
    """`review_by` is set this many days after `created`."""
    internal_domains = c.ListOfItems(c.Type(str), default=[])
    """Host name suffixes that are internal (redacted as hosts, links to them dropped)."""
    product_area_keywords = c.DictOfItems(c.ListOfItems(c.Type(str)), default={})
    """Product area -> extra words that point to it (added to the built-in keywords)."""
    services = c.ListOfItems(c.Type(str), default=[])
    """Service names to recognise in write-ups besides the built-in list."""
    default_product_area = c.Type(str, default="")
    """Area used when `--no-input` meets a write-up the keywords do not place (default:
    `general` when it is one of `product_areas`, else the first of them)."""
    agents = c.ListOfItems(c.Type(str), default=[])
    """Who speaks for support in pasted chats and email threads: names, chat handles,
    email addresses, or `@domain` for everyone at a domain."""
    zendesk_fields = ZendeskFields()
    """Zendesk custom field id -> ticket field (`version`, `deployment`, `services`, ...)."""


class SiteConfig(base.Config):
    """Options of the site build (`kb build`, `kb serve`, `mkdocs build`)."""

    audience = c.Choice(("public", "internal"), default="public")
    """Which pages a build contains; `kb build --audience` overrides it."""
    generate_pages = c.Type(bool, default=True)
    """Generate the KB home, product area, known-issues and tag pages."""
    related_articles = c.Type(int, default=5)
    """How many related articles to list under each article (0 turns the list off)."""
    material_defaults = c.Type(bool, default=True)
    """Tune Material where the site has not: search separator for error messages,
    `navigation.prune` and `content.code.copy`."""
    engine = c.Choice(("mkdocs", "properdocs", "zensical"), default="mkdocs")
    """Which engine `kb build` and `kb serve` run on the staged tree (`--engine` overrides it)."""
    kb_nav = c.Choice(("areas", "articles"), default="areas")
    """The KB section of the nav: `areas` lists the product areas (each area page lists its
    articles; an article page shows breadcrumbs and previous/next within its area);
    `articles` also lists every article under its area (larger pages in a large KB)."""
    error_panel = c.Type(bool, default=True)
    """Show "Pages that match this error" above the search results for a pasted error
    (`kb-error/` index and `kb-error-panel.js`, the ranking of `kb triage`)."""
    search = c.Choice(("auto", "material", "pagefind"), default="auto")
    """Search backend behind the theme's search box: Material's own index, or Pagefind's
    chunked index (`kbtools[pagefind]`). `auto` uses Pagefind from 500 articles in the
    build on, when it is installed."""


class ReportConfig(base.Config):
    """Options of `kb report` and the internal site's "KB health" page."""

    stale_days = c.Type(int, default=365)
    """An article whose `updated` (or `created`) is older than this many days is stale."""
    draft_days = c.Type(int, default=30)
    """A draft created more than this many days ago is stale."""
    oldest_supported = c.Type(str, default="")
    """Oldest supported release (`5.2`); articles whose affected versions are all older are
    stale. Empty: no version is too old."""
    health_page = c.Type(bool, default=True)
    """Add the "KB health" page to the KB section of the internal site."""


class KbConfig(base.Config):
    """The `kb` plugin options in mkdocs.yml: one schema for the plugin and the CLI."""

    enabled = c.Type(bool, default=True)
    articles_dir = c.Type(str, default="kb")
    """KB articles live here, relative to docs_dir."""
    product_areas = c.ListOfItems(c.Type(str), default=[])
    """Allowed `product_area` values; empty allows any."""
    id_prefix = c.Type(str, default="KB-")
    pages_public_by_default = c.Type(bool, default=True)
    """Pages outside the KB without front matter count as public and published."""
    lint = c.SubConfig(LintConfig)
    new = c.SubConfig(NewConfig)
    site = c.SubConfig(SiteConfig)
    report = c.SubConfig(ReportConfig)


@dataclass(frozen=True)
class TocSettings:
    """How MkDocs will compute heading anchors for this site."""

    slugify: Callable[[str, str], str]
    separator: str = "-"
    attr_list: bool = False


@dataclass
class SiteConfigFile:
    """mkdocs.yml as MkDocs reads it, plus the validated `kb` options."""

    path: Path
    raw: dict[str, Any]
    kb: KbConfig
    toc: TocSettings
    markdown_extensions: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def root(self) -> Path:
        """The directory holding mkdocs.yml."""
        return self.path.parent

    _docs_dir: tuple[Path, str, Path] | None = field(default=None, repr=False, compare=False)

    @property
    def docs_dir(self) -> Path:
        """Absolute docs_dir (MkDocs default `docs`)."""
        name = str(self.raw.get("docs_dir") or "docs")
        cached = self._docs_dir
        if cached is None or cached[:2] != (self.path, name):
            # Asked once per file in a run; resolving is a system call per path component.
            cached = self._docs_dir = (self.path, name, (self.root / name).resolve())
        return cached[2]

    @property
    def site_dir(self) -> Path:
        """Absolute site_dir (MkDocs default `site`)."""
        return (self.root / str(self.raw.get("site_dir") or "site")).resolve()

    @property
    def nav(self) -> Any:
        """The raw `nav` value, or None when the site has no explicit nav."""
        return self.raw.get("nav")

    @property
    def has_kb_plugin(self) -> bool:
        """True when mkdocs.yml lists the `kb` plugin."""
        return "kb" in plugin_entries(self.raw.get("plugins"))


def find_config_file(
    start: Path | None = None, explicit: str | os.PathLike[str] | None = None
) -> Path:
    """The mkdocs.yml to use: `explicit` if given, else the nearest one upward from `start`."""
    if explicit is not None:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"{path}: config file not found")
        return path.resolve()
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        for name in CONFIG_NAMES:
            candidate = directory / name
            if candidate.is_file():
                return candidate
    raise ConfigError(
        f"no mkdocs.yml found in {here} or any parent directory",
        hint="run `kb init` to create a KB repository here, or pass -f FILE",
    )


def load(path: Path) -> SiteConfigFile:
    """Read mkdocs.yml through MkDocs' loader and validate the `kb` options."""
    raw = _read_with_mkdocs(path)
    kb_options = plugin_entries(raw.get("plugins")).get("kb") or {}
    if not isinstance(kb_options, Mapping):
        raise ConfigError(f"{path}: plugins.kb: expected a mapping of options")
    kb = validate_kb_options(dict(kb_options), path)
    extensions = markdown_extension_entries(raw.get("markdown_extensions"), path)
    return SiteConfigFile(
        path=path, raw=raw, kb=kb, toc=_toc_settings(extensions), markdown_extensions=extensions
    )


def validate_kb_options(options: dict[str, Any], path: Path | None = None) -> KbConfig:
    """Validate the `kb` plugin options; unknown keys and wrong types are errors."""
    config = KbConfig(config_file_path=str(path) if path else None)
    config.load_dict(options)
    errors, warnings = config.validate()
    where = f"{path}: " if path else ""
    for key, message in [*errors, *warnings]:
        text = _clean(message)
        raise ConfigError(
            f"{where}plugins.kb.{key}: {text}", hint=_did_you_mean(KbConfig, key, text)
        )
    unknown = unknown_rule_selectors(config.lint.rules)
    if unknown:
        selector, suggestion = unknown[0]
        hint = f"did you mean '{suggestion}'?" if suggestion else "see `kb lint` rule ids"
        raise ConfigError(
            f"{where}plugins.kb.lint.rules: '{selector}' is no rule id or rule prefix", hint=hint
        )
    return config


def unknown_rule_selectors(selectors: Mapping[str, Any]) -> list[tuple[str, str | None]]:
    """Selectors in `lint.rules` that name no rule, each with the closest known one.

    Style rules (`style.<Style>.<Rule>`) come from the Vale styles of the site and are
    not known before a run, so any `style.` selector is accepted.
    """
    import difflib

    names = [str(k) for k in selectors if str(k) != "style" and not str(k).startswith("style.")]
    if not names:
        return []
    from kbtools.rulesdoc import known_rules

    known: set[str] = set()
    for rule in known_rules():
        parts = rule.id.split(".")
        known.update(".".join(parts[: i + 1]) for i in range(len(parts)))
    return [
        (name, next(iter(difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)), None))
        for name in names
        if name not in known
    ]


def _did_you_mean(schema: type[base.Config], key: str, message: str) -> str | None:
    """`did you mean 'articles_dir'?` for an unrecognised option close to a known one."""
    import difflib
    import re

    found = re.findall(r"Unrecognised configuration name: ([^\s]+)", message)
    if not found:
        return None
    options: type[base.Config] | None = schema
    # "plugins.kb.lint: Sub-option 'rulez': ..." names the sub-config by its key.
    path = [key] if "Sub-option" in message else []
    for part in path:
        option = dict(options._schema).get(part) if options else None
        options = getattr(option, "config_class", None)
    if options is None:
        return None
    names = [name for name, _ in options._schema]
    close = difflib.get_close_matches(found[-1], names, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


def plugin_entries(plugins: Any) -> dict[str, Any]:
    """MkDocs' `plugins` list (names or one-key mappings) as name -> options."""
    entries: dict[str, Any] = {}
    if isinstance(plugins, Mapping):
        return {str(k): v for k, v in plugins.items()}
    for item in plugins or []:
        if isinstance(item, str):
            entries[item] = {}
        elif isinstance(item, Mapping):
            for name, options in item.items():
                entries[str(name)] = options if options is not None else {}
    return entries


def markdown_extension_entries(value: Any, path: Path) -> dict[str, dict[str, Any]]:
    """`markdown_extensions` (names or one-key mappings) as name -> options."""
    entries: dict[str, dict[str, Any]] = {}
    if isinstance(value, Mapping):
        value = [{k: v} for k, v in value.items()]
    for item in value or []:
        if isinstance(item, str):
            entries[item] = {}
        elif isinstance(item, Mapping):
            for name, options in item.items():
                if options is not None and not isinstance(options, Mapping):
                    raise ConfigError(f"{path}: markdown_extensions.{name}: expected a mapping")
                entries[str(name)] = dict(options or {})
    return entries


def _read_with_mkdocs(path: Path) -> dict[str, Any]:
    # The same steps as MkDocsConfig.load_file, keeping the raw mapping instead of validating
    # every option (which would import every plugin the site names). `!relative` only needs
    # these three attributes of the config, as they are before validation; importing
    # MkDocsConfig itself would cost 0.1 s of theme and plugin modules.
    import yaml
    from mkdocs.utils.yaml import get_yaml_loader, yaml_load

    mkdocs_config: Any = SimpleNamespace(
        config_file_path=str(path), docs_dir="docs", _current_page=None
    )
    raw: Any = None
    if getattr(yaml, "__with_libyaml__", False):
        # libyaml reads a large mkdocs.yml ten times faster than PyYAML's Python loader
        # (25 ms for Argo CD's). Anything it does not read cleanly goes through MkDocs'
        # own loader below, so errors read exactly as `mkdocs build` reports them.
        try:
            with path.open("rb") as handle:
                raw = yaml_load(handle, get_yaml_loader(yaml.CLoader, config=mkdocs_config))
        except Exception:
            raw = None
    try:
        if raw is None:
            with path.open("rb") as handle:
                raw = yaml_load(handle, get_yaml_loader(config=mkdocs_config))
    except ConfigurationError as exc:
        raise ConfigError(f"{path}: {_clean(str(exc))}") from None
    except (OSError, ValueError, TypeError, AttributeError, ImportError) as exc:
        raise ConfigError(f"{path}: {_clean(str(exc))}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping of settings at the top level")
    return raw


def _toc_settings(extensions: Mapping[str, Mapping[str, Any]]) -> TocSettings:
    from markdown.extensions.toc import slugify as default_slugify

    toc = extensions.get("toc") or extensions.get("markdown.extensions.toc") or {}
    slugify = toc.get("slugify")
    if not callable(slugify):
        slugify = default_slugify
    separator = str(toc.get("separator", "-"))
    attr_list = any(name in extensions for name in ("attr_list", "markdown.extensions.attr_list"))
    return TocSettings(slugify=slugify, separator=separator, attr_list=attr_list)


def _clean(message: object) -> str:
    return " ".join(str(message).split())
