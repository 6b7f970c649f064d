"""`kb build` and `kb serve`: stage the audience's tree, then run the engine on it (`kbtools/stage/`)."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kbtools.config import plugin_entries
from kbtools.errors import ConfigError
from kbtools.site.stats import SiteStats, measure
from kbtools.stage.engines import BuildFailed
from kbtools.wording import plural

__all__ = ["BuildFailed", "BuildResult", "build", "serve"]


@dataclass(frozen=True)
class BuildResult:
    """What a build produced and how long it took."""

    site_dir: Path
    audience: str
    seconds: float
    stats: SiteStats
    engine: str = "mkdocs"


class _Collect(logging.Handler):
    """Keeps records of `level` and above (errors of a failed config load, staging warnings)."""

    def __init__(self, level: int = logging.ERROR) -> None:
        super().__init__(level)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(" ".join(record.getMessage().split()))


class _Mute(logging.Filter):
    """Drops errors while active: a failed config load is re-raised as one line instead."""

    active = False

    def filter(self, record: logging.LogRecord) -> bool:
        return not (self.active and record.levelno >= logging.ERROR)


_MUTE = _Mute()


def load(config_file: Path, flags: dict[str, str] | None = None, **overrides: Any) -> Any:
    """MkDocs' validated config (every plugin loaded), or ConfigError with the first problem.

    `flags` maps an override to the command-line flag it came from, so a bad value is
    reported as that flag's, not as mkdocs.yml's.
    """
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    _MUTE.active = True
    try:
        config = load_config(config_file=str(config_file), **overrides)
    except (Abort, ConfigurationError) as exc:
        first = collect.messages[0] if collect.messages else " ".join(str(exc).split())
        for name, flag in (flags or {}).items():
            prefix = f"Config value '{name}': "
            if first.startswith(prefix):
                raise ConfigError(f"{flag} {overrides[name]}: {first[len(prefix) :]}") from None
        raise ConfigError(f"{config_file}: {first}") from None
    finally:
        _MUTE.active = False
        logger.removeHandler(collect)
    return config


def require_kb_plugin(config_file: Path, raw_plugins: Any) -> None:
    """Refuse to build a site without the `kb` plugin: nothing would filter internal pages."""
    if "kb" not in plugin_entries(raw_plugins):
        raise ConfigError(
            f"{config_file}: the kb plugin is not enabled (add `- kb` under `plugins`); "
            "without it internal and draft pages would be published"
        )


def build(
    config_file: Path,
    *,
    audience: str | None,
    strict: bool,
    site_dir: str | None = None,
    engine: str | None = None,
    verbose: bool = False,
) -> BuildResult:
    """Stage the audience's tree, then build it with `engine` (default `site.engine`)."""
    from kbtools import config as kb_config
    from kbtools.site import errorindex
    from kbtools.stage import engine_config, engines, search, tree

    site = kb_config.load(config_file)
    require_kb_plugin(config_file, site.raw.get("plugins"))
    effective = audience or site.kb.site.audience
    chosen = engines.get(engine or site.kb.site.engine)
    # A setting that cannot work with the engine is the first thing to say, installed or not.
    search.require_backend(site.kb.site.search, chosen)
    chosen.require()
    final = Path(site_dir).resolve() if site_dir else site.site_dir
    check_site_dir(final, site, "-d/--site-dir" if site_dir else f"{config_file.name}: site_dir")
    start = time.monotonic()
    folder = tree.stage_folder(site, effective)
    target = folder / "site" if chosen.name == "zensical" else final
    warnings = _Collect(logging.WARNING)
    kb_log = logging.getLogger("mkdocs.plugins.kb")
    kb_log.addHandler(warnings)
    try:
        staged = tree.stage(site, effective, site_dir=target, folder=folder)
    finally:
        kb_log.removeHandler(warnings)
    if strict and warnings.messages:
        raise BuildFailed(
            f"Aborted with {plural(len(warnings.messages), 'warning')} in strict mode while staging"
        )
    if chosen.name == "mkdocs":
        _mkdocs_build(staged.config_file, config_file, strict=strict)
    else:
        engines.run_child(chosen, staged.config_file, final, strict=strict, verbose=verbose)
    search.after_build(
        chosen,
        final,
        staged.plan,
        use_directory_urls=bool(site.raw.get("use_directory_urls", True)),
        search=site.kb.site.search,
        search_box=engine_config.has_search(site),
    )
    if site.kb.site.error_panel and engine_config.has_search(site):
        # The error panel's index: kb triage's, for the audience, from the user's pages.
        errorindex.build(final, config_file, effective)
    seconds = time.monotonic() - start
    return BuildResult(final, effective, seconds, measure(final), chosen.name)


def check_site_dir(site_dir: Path, site: Any, where: str) -> None:
    """Refuse an output folder the build would wipe the sources with (MkDocs' own rules).

    The engine only sees the staged docs, so MkDocs' check no longer guards the user's
    folders: it is done here, on the real ones, with MkDocs' wording.
    """
    docs_dir, root = site.docs_dir, site.root
    if site_dir == docs_dir or docs_dir.is_relative_to(site_dir) or root.is_relative_to(site_dir):
        raise ConfigError(
            f"{where} {site_dir}: The 'docs_dir' should not be within the 'site_dir' as this "
            "can mean the source files are overwritten by the output or it will be deleted "
            f"(site_dir: '{site_dir}', docs_dir: '{docs_dir}')"
        )
    if site_dir.is_relative_to(docs_dir):
        raise ConfigError(
            f"{where} {site_dir}: The 'site_dir' should not be within the 'docs_dir' as this "
            f"leads to the build directory being copied into itself (site_dir: '{site_dir}', "
            f"docs_dir: '{docs_dir}')"
        )


def _mkdocs_build(staged_config: Path, user_config: Path, *, strict: bool) -> None:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.exceptions import Abort, MkDocsException

    overrides: dict[str, Any] = {"strict": True} if strict else {}
    try:
        config = load(staged_config, **overrides)
    except ConfigError as exc:
        raise ConfigError(str(exc).replace(str(staged_config), str(user_config))) from None
    try:
        config.plugins.on_startup(command="build", dirty=False)
        mkdocs_build(config)
    except Abort as exc:
        raise BuildFailed(" ".join(str(exc).split())) from None
    except MkDocsException as exc:
        raise ConfigError(" ".join(str(exc).split())) from None
    finally:
        config.plugins.on_shutdown()


def serve(
    config_file: Path,
    *,
    audience: str | None,
    dev_addr: str | None,
    strict: bool,
    engine: str | None = None,
) -> None:
    """Stage, serve the staged tree with live reload, and restage when the docs change."""
    from kbtools.stage import serve as stage_serve

    stage_serve.serve(
        config_file, audience=audience, dev_addr=dev_addr, strict=strict, engine=engine
    )


@contextlib.contextmanager
def mkdocs_logging(verbose: bool) -> Iterator[None]:
    """Print MkDocs' log lines (warnings and errors; info too when verbose) while active."""
    logger = logging.getLogger("mkdocs")
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    level = logging.INFO if verbose else logging.WARNING
    handler.setLevel(level)
    handler.addFilter(_MUTE)
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(min(level, logging.INFO))
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)
