"""`kb new --edit` on a real terminal (a pty) with a fake editor script, like `git commit`."""

from __future__ import annotations

import os
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.new.support import EPOCH, KbProject

pty = pytest.importorskip("pty")
pytestmark = pytest.mark.slow

FAKE_EDITOR = textwrap.dedent(
    """\
    #!{python}
    # A stand-in for vi: proves it runs on the terminal, then edits as FAKE_EDIT says.
    import os, sys
    path = sys.argv[-1]
    with open(os.environ["FAKE_LOG"], "a") as log:
        log.write(f"tty={{os.isatty(0) and os.isatty(1)}} name={{os.path.basename(path)}}\\n")
    mode = os.environ["FAKE_EDIT"]
    text = open(path, encoding="utf-8").read()
    if mode == "retitle":
        text = text.replace(
            "title: Gitserver pods restart every few minutes after moving to new nodes on Kubernetes",
            "title: Gitserver OOMKilled on nodes with a 4Gi LimitRange",
        )
        text = text.replace("## Cause\\n\\n", "## Cause\\n\\nReviewed: ")
        text += "\\nTODO: confirm the LimitRange name with the customer.\\n"
    elif mode == "empty":
        text = "\\n\\n"
    elif mode == "fail":
        sys.exit(1)
    open(path, "w", encoding="utf-8").write(text)
    """
)


def _run_on_a_terminal(project: KbProject, tmp_path: Path, mode: str) -> tuple[int, str, str]:
    """`python -m kbtools new FIXTURE --edit` with stdin/stdout/stderr on one pty."""
    editor = tmp_path / "fake-editor"
    editor.write_text(FAKE_EDITOR.format(python=sys.executable))
    editor.chmod(0o755)
    log = tmp_path / "editor.log"
    source = project.source("real-zendesk-last-comment.json")
    env = dict(
        os.environ,
        SOURCE_DATE_EPOCH=EPOCH,
        PYTHONPATH=str(Path(__file__).resolve().parents[2]),
        EDITOR=f"{editor} --wait",  # a command line with an option, as `code --wait` has
        FAKE_EDIT=mode,
        FAKE_LOG=str(log),
    )
    env.pop("VISUAL", None)
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        os.chdir(project.root)
        os.execve(
            sys.executable, [sys.executable, "-m", "kbtools", "new", str(source), "--edit"], env
        )
    output = b""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        output += chunk
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return (
        os.waitstatus_to_exitcode(status),
        output.decode("utf-8", "replace"),
        log.read_text() if log.exists() else "",
    )


def test_edit_writes_what_the_editor_left(project: KbProject, tmp_path: Path) -> None:
    code, output, log = _run_on_a_terminal(project, tmp_path, "retitle")
    assert code == 0, output
    assert "tty=True" in log and ".md" in log
    [article] = project.articles()
    # The edited title names the file; the id is the one kb new chose.
    assert article.name == "gitserver-oomkilled-on-nodes-with-a-4gi-limitrange.md"
    text = article.read_text()
    assert "title: Gitserver OOMKilled on nodes with a 4Gi LimitRange\n" in text
    assert "id: KB-0001\n" in text
    assert "## Cause\n\nReviewed: The root cause is the memory limit" in text
    assert "kb: created docs/kb/" in output
    # Linted after the edit: what the reviewer left is reported, nothing blocks.
    assert "kb: warning: lint: docs/kb/" in output and "(structure.todo)" in output


@pytest.mark.parametrize(
    ("mode", "message"),
    [("fail", "exited with status 1: nothing written"), ("empty", "emptied in the editor")],
)
def test_edit_writes_nothing_when_the_editor_fails_or_empties_it(
    project: KbProject, tmp_path: Path, mode: str, message: str
) -> None:
    code, output, log = _run_on_a_terminal(project, tmp_path, mode)
    assert code == 2, output
    assert "tty=True" in log
    assert message in output
    assert project.articles() == []
    assert "kb/" not in (project.root / "mkdocs.yml").read_text().split("kb/index.md")[1]
