"""The progress bar shows on a terminal only, never in CI logs."""

from __future__ import annotations

import io

import pytest

from kbtools.progress import ProgressBar, progress_wanted


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_on_a_terminal_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CI", "GITHUB_ACTIONS", "GITLAB_CI", "BUILDKITE", "JENKINS_URL", "TF_BUILD"):
        monkeypatch.delenv(name, raising=False)
    assert progress_wanted(FakeTerminal())
    assert not progress_wanted(io.StringIO())
    monkeypatch.setenv("CI", "true")
    assert not progress_wanted(FakeTerminal())


def test_bar_draws_and_erases_itself() -> None:
    stream = FakeTerminal()
    bar = ProgressBar("external links", 4, stream, width=8)
    bar.update(1)
    bar.update(2)  # within 0.1 s of the last draw: skipped
    bar.update(4)  # complete: always drawn
    bar.close()
    out = stream.getvalue()
    assert "\rexternal links [##------] 1/4" in out
    assert "2/4" not in out
    assert "[########] 4/4" in out
    assert out.endswith("\r\033[K")
