"""`kb serve`: stage the tree, let the engine serve it with live reload, restage on change.

A watcher on the user's docs folder and mkdocs.yml restages (in a thread) a moment after
the last change; restaging rewrites only the staged files whose bytes changed, so the
engine's own watcher on the staged tree rebuilds and reloads the browser.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from kbtools import config as kb_config
from kbtools.errors import KbError
from kbtools.stage import engines, tree

log = logging.getLogger("mkdocs.plugins.kb")

DELAY = 0.3
"""Seconds of quiet after a change before restaging (an editor's save is several events)."""


class Restager:
    """Restages the tree of one audience, coalescing bursts of file events."""

    def __init__(self, config_file: Path, audience: str | None, site_dir_for: Any) -> None:
        self.config_file = config_file
        self.audience = audience
        self.site_dir_for = site_dir_for
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()

    def stage(self) -> tree.Staged:
        """Stage now (reading mkdocs.yml again: its settings may have changed)."""
        site = kb_config.load(self.config_file)
        audience = self.audience or site.kb.site.audience
        folder = tree.stage_folder(site, audience)
        return tree.stage(site, audience, site_dir=self.site_dir_for(folder), folder=folder)

    def changed(self, path: str) -> None:
        """A file changed: restage after DELAY seconds without further changes."""
        if "/.kb-cache/" in path.replace(os.sep, "/"):
            return
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(DELAY, self._restage)
            self._timer.daemon = True
            self._timer.start()

    def _restage(self) -> None:
        try:
            staged = self.stage()
        except KbError as exc:  # a broken mkdocs.yml while editing: keep serving the last tree
            log.warning(f"kb: not restaged: {exc}")
            return
        if staged.written:
            log.info(f"kb: restaged {staged.written} files")


def watch(restager: Restager, paths: list[Path]) -> Any:
    """A started watchdog observer calling `restager.changed` for changes under `paths`."""
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            if event.event_type in ("opened", "closed_no_write"):
                return
            restager.changed(str(event.src_path))

    observer = Observer()
    handler = Handler()
    for path in paths:
        if path.is_dir():
            observer.schedule(handler, str(path), recursive=True)
        elif path.parent.is_dir():
            observer.schedule(handler, str(path.parent), recursive=False)
    observer.daemon = True
    observer.start()
    return observer


def serve(
    config_file: Path,
    *,
    audience: str | None,
    dev_addr: str | None,
    strict: bool,
    engine: str | None,
) -> None:
    """Preview the staged site (blocks until interrupted)."""
    site = kb_config.load(config_file)
    from kbtools.site.runner import BuildFailed, require_kb_plugin

    require_kb_plugin(config_file, site.raw.get("plugins"))
    chosen = engines.get(engine or site.kb.site.engine)
    chosen.require()
    from kbtools.site import address

    where = "-a/--dev-addr" if dev_addr else f"{config_file.name}: dev_addr"
    host, port = address.parse(dev_addr or str(site.raw.get("dev_addr") or address.DEFAULT), where)
    # The engines bind outside their own error handling: a busy port would end in a traceback.
    address.ensure_free(host, port)
    dev_addr = f"{host}:{port}"
    # The engine serves from its own temporary folder; site_dir only needs to be valid.
    restager = Restager(config_file, audience, lambda folder: folder / "site")
    staged = restager.stage()
    observer = watch(restager, [site.docs_dir, config_file])
    try:
        if chosen.name == "mkdocs":
            from mkdocs.commands.serve import serve as mkdocs_serve
            from mkdocs.exceptions import Abort

            overrides: dict[str, Any] = {}
            if dev_addr:
                overrides["dev_addr"] = dev_addr
            if strict:
                overrides["strict"] = True
            try:
                mkdocs_serve(config_file=str(staged.config_file), **overrides)
            except Abort as exc:
                raise BuildFailed(" ".join(str(exc).split())) from None
        else:
            command = [sys.executable, "-m", chosen.module, "serve", "-f", str(staged.config_file)]
            if dev_addr:
                command += ["-a", dev_addr]
            if strict and chosen.name == "properdocs":
                command += ["--strict"]
            child = subprocess.Popen(command, cwd=staged.folder)
            try:
                code = child.wait()
            finally:
                if child.poll() is None:
                    child.terminate()
                    child.wait(timeout=10)
            if code:
                raise BuildFailed(f"{chosen.name} serve stopped with exit status {code}")
    finally:
        observer.stop()
