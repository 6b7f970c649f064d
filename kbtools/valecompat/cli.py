"""A `vale`-like command line over the built-in engine (for tests and standalone runs)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kbtools.valecompat.config import Glob, ValeConfigError, find_config, load_config
from kbtools.valecompat.engine import Engine, LintedFile
from kbtools.valecompat.regex import RegexError
from kbtools.valecompat.rules.spelling import DictionaryMissing


@dataclass
class Result:
    """What a `vale` run printed and returned."""

    stdout: str
    stderr: str
    exit_code: int


@dataclass
class Options:
    """The flags this emulation understands (SPEC §1.1)."""

    output: str = "CLI"
    ext: str = ".txt"
    glob: str = "*"
    config: str | None = None
    min_alert_level: str | None = None
    ignore_syntax: bool = False
    no_exit: bool = False


def parse_args(argv: Sequence[str]) -> tuple[Options, list[str]]:
    """Split flags from paths (`--flag=value` or `--flag value`)."""
    options = Options()
    paths: list[str] = []
    values = {
        "--output": "output",
        "--ext": "ext",
        "--glob": "glob",
        "--config": "config",
        "--minAlertLevel": "min_alert_level",
    }
    args = list(argv)
    while args:
        arg = args.pop(0)
        name, eq, value = arg.partition("=")
        if name in values:
            if not eq:
                value = args.pop(0) if args else ""
            setattr(options, values[name], value.strip("'\""))
        elif arg == "--ignore-syntax":
            options.ignore_syntax = True
        elif arg == "--no-exit":
            options.no_exit = True
        elif arg.startswith("--"):
            continue
        else:
            paths.append(arg)
    return options, paths


def _walk(root: str) -> list[str]:
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        dirnames[:] = sorted(
            d
            for d in dirnames
            if os.path.normpath(Path(dirpath) / d) not in ("node_modules", ".git")
        )
        for name in sorted(filenames):
            found.append(os.path.normpath(Path(dirpath) / name))
    return found


def run(argv: Sequence[str], cwd: Path, stdin: str | None = None) -> Result:
    """Run like `vale --no-global ARGS` in `cwd`."""
    options, paths = parse_args(argv)
    try:
        if options.config:
            config_path: Path | None = (cwd / options.config).resolve()
            if not config_path or not config_path.is_file():
                raise ValeConfigError(f"E100 [--config] Runtime error: {options.config} not found")
        else:
            config_path = find_config(cwd)
        if config_path is None:
            raise ValeConfigError("E100 [.vale.ini not found] Runtime error: no config file found")
        engine = Engine(
            load_config(config_path),
            min_alert_level=options.min_alert_level,
            ignore_syntax=options.ignore_syntax,
        )
        linted = _lint(engine, options, paths, cwd, stdin)
    except (ValeConfigError, RegexError, DictionaryMissing) as exc:
        return Result("", str(exc) + "\n", 2)
    return Result(_render(linted, options.output), "", _exit(linted, options))


def _lint(
    engine: Engine, options: Options, paths: list[str], cwd: Path, stdin: str | None
) -> list[LintedFile]:
    ext_override = options.ext if options.ext != ".txt" else None
    if not paths:
        return [
            engine.lint_text(
                "stdin" + options.ext, stdin or "", lookup=True, ext_override=options.ext
            )
        ]
    if len(paths) == 1 and not (cwd / paths[0]).exists():
        return [
            engine.lint_text("stdin" + options.ext, paths[0], lookup=True, ext_override=options.ext)
        ]
    glob = Glob(options.glob)
    linted: list[LintedFile] = []
    for arg in paths:
        target = cwd / arg
        if not target.exists():
            raise ValeConfigError(f"E100 [lint] Runtime error: '{arg}' does not exist")
        walked = [os.path.normpath(arg)] if target.is_file() else _walk_in(cwd, arg)
        for path in walked:
            normed = engine.config.normed_path(path)
            if not glob.match(path) and not glob.match(normed):
                continue
            if target.is_dir() and not engine.wants(path):
                continue
            text = (cwd / path).read_text(encoding="utf-8", errors="replace")
            linted.append(engine.lint_text(path, text, ext_override=ext_override))
    return linted


def _walk_in(cwd: Path, arg: str) -> list[str]:
    previous = Path.cwd()
    os.chdir(cwd)
    try:
        return _walk(arg)
    finally:
        os.chdir(previous)


def _render(linted: list[LintedFile], output: str) -> str:
    files = sorted((f for f in linted if f.alerts), key=lambda f: f.path)
    if output == "JSON":
        data = {
            f.path: [
                {
                    "Action": {"Name": a.action_name, "Params": a.action_params or None},
                    "Span": a.span,
                    "Check": a.check,
                    "Description": a.description,
                    "Link": a.link,
                    "Message": a.message,
                    "Severity": a.severity,
                    "Match": a.match,
                    "Line": a.line,
                }
                for a in f.alerts
            ]
            for f in files
        }
        return json.dumps(data, indent=2) + "\n"
    lines = [
        f"{f.path}:{a.line}:{a.span[0]}:{a.check}:{a.message}" for f in files for a in f.alerts
    ]
    return "".join(line + "\n" for line in lines)


def _exit(linted: list[LintedFile], options: Options) -> int:
    if options.no_exit:
        return 0
    return 1 if any(a.severity == "error" for f in linted for a in f.alerts) else 0


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m kbtools.valecompat [vale flags] PATHS...`."""
    args = list(sys.argv[1:] if argv is None else argv)
    stdin = None if args or sys.stdin.isatty() else sys.stdin.read()
    result = run(args, Path.cwd(), stdin)
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    return result.exit_code
