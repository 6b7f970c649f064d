"""Run MkDocs' own build and serve commands with a forced audience, for `kb build/serve`."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kbtools.config import plugin_entries
from kbtools.errors import ConfigError, ExitCode, KbError
from kbtools.site import address
from kbtools.site import audience as audience_module
from kbtools.site.stats import SiteStats, measure


class BuildFailed(KbError):
    """The build ran but failed (warnings under --strict, or an error while rendering)."""

    exit_code = ExitCode.FINDINGS


@dataclass(frozen=True)
class BuildResult:
    """What a build produced and how long it took."""

    site_dir: Path
    audience: str
    seconds: float
    stats: SiteStats


class _Collect(logging.Handler):
    """Keeps ERROR records so a failed config load can be reported as one line."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
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
) -> BuildResult:
    """Build the site like `mkdocs build`, with `audience` forced when given."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.exceptions import Abort, MkDocsException

    overrides: dict[str, Any] = {"strict": True} if strict else {}
    if site_dir:
        overrides["site_dir"] = site_dir
    with audience_module.forced(audience):
        config = load(config_file, {"site_dir": "-d/--site-dir"}, **overrides)
        require_kb_plugin(config_file, _raw_plugin_names(config))
        effective = audience or config.plugins["kb"].config.site.audience
        start = time.monotonic()
        try:
            config.plugins.on_startup(command="build", dirty=False)
            mkdocs_build(config)
        except Abort as exc:
            raise BuildFailed(" ".join(str(exc).split())) from None
        except MkDocsException as exc:
            raise ConfigError(" ".join(str(exc).split())) from None
        finally:
            config.plugins.on_shutdown()
        seconds = time.monotonic() - start
    site = Path(config.site_dir)
    return BuildResult(site, effective, seconds, measure(site))


def serve(config_file: Path, *, audience: str | None, dev_addr: str | None, strict: bool) -> None:
    """Preview the site with live reload (blocks until interrupted)."""
    from mkdocs.commands.serve import serve as mkdocs_serve
    from mkdocs.exceptions import Abort

    overrides: dict[str, Any] = {}
    if dev_addr:
        overrides["dev_addr"] = dev_addr
    if strict:
        overrides["strict"] = True
    with audience_module.forced(audience):
        config = load(config_file, {"dev_addr": "-a/--dev-addr"}, **overrides)
        require_kb_plugin(config_file, _raw_plugin_names(config))
        host, port = config.dev_addr
        # MkDocs binds outside its own error handling: a busy port would end in a traceback.
        address.ensure_free(host, port)
        try:
            mkdocs_serve(config_file=str(config_file), **overrides)
        except Abort as exc:
            raise BuildFailed(" ".join(str(exc).split())) from None


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


def _raw_plugin_names(config: Any) -> list[str]:
    return list(config.plugins.keys())
