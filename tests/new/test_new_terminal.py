"""`kb new` with no SOURCE on a real terminal (a pty): it asks, then writes the article."""

from __future__ import annotations

import os
import select
import signal
import sys
import time
from pathlib import Path

import pytest

from tests.new.support import EPOCH, KbProject

pty = pytest.importorskip("pty")
pytestmark = pytest.mark.slow

ANSWERS = [
    "Grafana dashboards are empty after upgrade",  # title
    "troubleshooting",  # type
    "observability",  # product area
    "All Grafana panels show No data since 5.3.0.",  # problem
    "",
    'level=error msg="query failed" err="dial tcp: lookup frontend: no such host"',  # errors
    "",
    "Prometheus still scrapes the old frontend container name.",  # cause
    "",
    "Remove the prometheus target override and restart prometheus.",  # resolution
    "",
]


def _run_on_a_terminal(root: Path, *args: str, answers: list[str] = ANSWERS) -> tuple[int, str]:
    """Run `python -m kbtools new ARGS` with stdin, stdout and stderr on one pty."""
    env = dict(
        os.environ, SOURCE_DATE_EPOCH=EPOCH, PYTHONPATH=str(Path(__file__).resolve().parents[2])
    )
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        os.chdir(root)
        os.execve(sys.executable, [sys.executable, "-m", "kbtools", "new", *args], env)
    # Typed ahead: the terminal keeps the lines until each prompt reads one.
    os.write(fd, "".join(f"{line}\r" for line in answers).encode())
    output = b""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 1.0)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        output += chunk
    else:  # still asking: a question the answers did not expect
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), output.decode("utf-8", "replace")


def test_no_source_on_a_terminal_asks_each_question(project: KbProject) -> None:
    code, output = _run_on_a_terminal(project.root)
    assert code == 0, output
    for question in (
        "Title (the symptom in the customer's words):",
        "Type (troubleshooting, how-to, known-issue, faq) [troubleshooting]:",
        "Product area (install, upgrades, auth, search, storage, networking, observability)",
        "Problem (end with an empty line):",
        "Error messages, exactly as logged, one a line (end with an empty line):",
        "Cause (end with an empty line):",
        "Resolution (end with an empty line):",
    ):
        assert question in output
    [article] = project.articles()
    assert article.parent.name == "observability"
    text = article.read_text()
    assert "title: Grafana dashboards are empty after upgrade\n" in text
    assert "## Cause\n\nPrometheus still scrapes the old frontend container name.\n" in text
    assert "## Resolution\n\nRemove the prometheus target override" in text
    assert 'level=error msg="query failed" err="dial tcp: lookup frontend: no such host"' in text


def test_an_empty_resolution_is_asked_again(project: KbProject) -> None:
    answers = [*ANSWERS[:-2], "", *ANSWERS[-2:]]  # Enter pressed once too often
    code, output = _run_on_a_terminal(project.root, answers=answers)
    assert code == 0, output
    assert "A troubleshooting article needs its Resolution: type it now" in output
    [article] = project.articles()
    assert "## Resolution\n\nRemove the prometheus target override" in article.read_text()


def test_answers_survive_a_missing_resolution(project: KbProject) -> None:
    answers = [*ANSWERS[:-2], "", ""]  # no Resolution, twice
    code, output = _run_on_a_terminal(project.root, answers=answers)
    assert code == 2, output
    assert "Traceback" not in output
    assert project.articles() == []
    saved = project.root / "kb-new-answers.md"
    assert f"your answers are saved in {saved.name}" in output
    text = saved.read_text()
    for answer in ANSWERS[:-2]:
        assert answer in text  # every typed answer, nothing thrown away
    # Finishing the file and giving it to kb new makes the article.
    saved.write_text(text + "\n## Resolution\n\nRemove the prometheus target override.\n")
    code, output = _run_on_a_terminal(project.root, saved.name, "--no-input", answers=[])
    assert code == 0, output
    [article] = project.articles()
    assert "## Cause\n\nPrometheus still scrapes" in article.read_text()


def test_no_input_on_a_terminal_asks_nothing(project: KbProject) -> None:
    code, output = _run_on_a_terminal(project.root, "--no-input")
    assert code == 2
    assert "no SOURCE given" in output and "Title" not in output
