"""`kb new --edit`: review the article in the user's editor before it is written.

Like `git commit`: the editor is `$VISUAL`, else `$EDITOR`, else `vi`, run through the shell
so `code --wait` or `emacsclient -t` work. The article is kept only when the editor exits 0
and leaves text in the file; anything else writes nothing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from kbtools.errors import InputError, KbError

if TYPE_CHECKING:
    from kbtools.project import Project


def editor_command(env: Mapping[str, str] | None = None) -> str:
    """The editor command line the user chose (`$VISUAL`, `$EDITOR`), else `vi` if present."""
    env = os.environ if env is None else env
    for name in ("VISUAL", "EDITOR"):
        value = env.get(name, "").strip()
        if value:
            return value
    if shutil.which("vi"):
        return "vi"
    raise InputError("--edit: no editor found: set $VISUAL or $EDITOR (e.g. export EDITOR=nano)")


def edit_text(text: str, name: str, *, folder: Path | None = None) -> str:
    """`text` after the user edited it; InputError when the editor fails or empties it."""
    command = editor_command()
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "article.md"
    with tempfile.TemporaryDirectory(prefix="kb-new-", dir=folder) as tmp:
        path = Path(tmp) / safe
        path.write_text(text, encoding="utf-8")
        try:
            if os.name == "posix":
                # As git does: the shell splits the command, the file is one more argument.
                argv = ["/bin/sh", "-c", f'{command} "$@"', command, str(path)]
            else:  # pragma: no cover - Windows
                argv = [*command.split(), str(path)]
            status = subprocess.run(argv, check=False).returncode
        except OSError as exc:
            raise InputError(f"--edit: cannot run the editor {command!r}: {exc}") from None
        if status != 0:
            raise InputError(
                f"--edit: the editor ({command}) exited with status {status}: nothing written"
            )
        try:
            edited = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"--edit: cannot read the edited article: {exc}") from None
    if not edited.strip():
        raise InputError("--edit: the article was emptied in the editor: nothing written")
    return edited.replace("\r\n", "\n")


def set_front_id(text: str, article_id: str) -> str:
    """The edited article with its front matter `id:` set (the id is chosen at write time)."""
    match = re.match(r"---\n.*?\n---\n", text, re.DOTALL)
    if not match:
        return text
    front = match.group(0)
    if re.search(r"(?m)^id:", front):
        front = re.sub(r"(?m)^id:.*$", f"id: {article_id}", front, count=1)
    else:
        front = f"---\nid: {article_id}\n" + front[4:]
    return front + text[match.end() :]


def front_value(text: str, key: str) -> str:
    """A top-level scalar of the front matter (`title`, `product_area`), or ""."""
    match = re.match(r"---\n(.*?)\n---\n", text, re.DOTALL)
    if not match:
        return ""
    line = re.search(rf"(?m)^{re.escape(key)}:[ \t]*(.*)$", match.group(1))
    if not line:
        return ""
    value = line.group(1).strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1]
    return value


def lint_findings(project: Project, path: Path) -> list[str]:
    """`kb lint` of the written article, one line per finding (for the warnings)."""
    from kbtools.checks.base import LintOptions
    from kbtools.lint.runner import run_lint

    try:
        result = run_lint(project, [str(path)], LintOptions())
    except KbError as exc:
        return [f"kb lint could not check the article: {exc}"]
    return [
        f"lint: {f.path}:{f.line}:{f.column}: {f.severity.value}: {f.message} ({f.rule})"
        for f in result.findings
    ]
