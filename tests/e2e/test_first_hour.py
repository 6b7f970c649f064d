"""The first hour of a new user, end to end, on a clean install (issue 16).

`kb init`, `kb new` on a write-up, `kb lint`, `kb build` for both audiences, `kb serve`
for both audiences on a free port, then the failures a newcomer meets. Every command is
the installed `kb` script in its own process; no output anywhere holds a traceback.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import CleanInstall

pytestmark = pytest.mark.slow

WRITEUP = """\
Title: Sign-in fails with "invalid token" after the node clock drifts
Product area: install

## Problem

Users cannot sign in on 5.2.0 on Kubernetes.

## Error messages

```text
level=error msg="token validation failed" err="invalid token: token used before issued"
```

Cause: the clock on the node was 20 minutes behind.
Resolution: sync the clock with chrony and restart the frontend pods.
"""


class Transcript:
    """Every command run in the journey, to assert on all of their output at the end."""

    def __init__(self, install: CleanInstall) -> None:
        self.install = install
        self.outputs: list[tuple[list[str], str]] = []

    def run(self, args: list[str], cwd: Path, code: int) -> subprocess.CompletedProcess[str]:
        proc = self.install.run(args, cwd)
        self.outputs.append((args, proc.stdout + proc.stderr))
        assert proc.returncode == code, (args, proc.stdout, proc.stderr)
        return proc

    def error(self, args: list[str], cwd: Path, code: int = 2) -> str:
        """Run a failing command: its stderr is one `kb: error:` line."""
        proc = self.run(args, cwd, code)
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("kb: error: "), (args, proc.stderr)
        return lines[0]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


@contextlib.contextmanager
def serving(install: CleanInstall, cwd: Path, *args: str) -> Iterator[str]:
    """`kb serve ARGS` on a free port until the block ends; yields its base URL."""
    port = free_port()
    proc = subprocess.Popen(
        [str(install.kb), "serve", "-a", f"127.0.0.1:{port}", *args],
        cwd=cwd,
        env=install.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and proc.poll() is None:
            with contextlib.suppress(OSError):
                if get(base)[0] == 200:
                    break
            time.sleep(0.3)
        assert proc.poll() is None, proc.communicate()[0]
        yield base
    finally:
        proc.send_signal(signal.SIGINT)  # how a writer stops it
        output, _ = proc.communicate(timeout=30)
        assert proc.returncode == 0, output
        assert "Traceback" not in output


def test_the_first_hour(clean_install: CleanInstall, tmp_path: Path) -> None:
    t = Transcript(clean_install)
    site = tmp_path / "site"

    # kb init, kb new, kb lint
    t.run(["init", "site"], tmp_path, 0)
    assert (site / "CONTRIBUTING.md").is_file() and (site / "requirements.txt").is_file()
    notes = tmp_path / "notes.md"
    notes.write_text(WRITEUP)
    new = t.run(["new", str(notes)], site, 0)
    article = site / new.stdout.strip()
    assert article.is_file()
    preview_line = new.stderr.strip().splitlines()[-1]
    url_path = preview_line.rsplit("http://127.0.0.1:8000/", 1)[1]
    assert url_path == f"kb/install/{article.stem}/"
    assert (article.stat().st_mode & 0o777) == 0o666 & ~_umask()
    t.run(["lint"], site, 0)

    # kb build, public then internal: two folders, the draft only in the internal one
    t.run(["build"], site, 0)
    t.run(["build", "--audience", "internal"], site, 0)
    assert not (site / "site" / url_path).exists()
    assert (site / "site-internal" / url_path / "index.html").is_file()

    # kb serve: the draft is in the preview with its banner; the public preview has none of it
    with serving(clean_install, site) as base:
        code, html = get(base + url_path)
        assert code == 200
        assert "Draft: not public" in html and "This page is not on the public site" in html
        assert "Draft: not public" not in get(base)[1]  # the public home
    with serving(clean_install, site, "--audience", "public") as base:
        assert get(base + url_path)[0] == 404
        assert get(base)[0] == 200

    # The failures of the first hour: one line each, the exit status of the table
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        busy = holder.getsockname()[1]
        line = t.error(["serve", "-a", f"127.0.0.1:{busy}"], site)
        assert line == f"kb: error: 127.0.0.1:{busy} is already in use; pick another with -a"
    assert "the port must be 1-65535" in t.error(["serve", "-a", "127.0.0.1:99999"], site)
    assert "-d/--site-dir" in t.error(["build", "-d", "docs"], site)
    assert "No such option '--bogus'" in t.error(["lint", "--bogus"], site)
    assert "run `kb init`" in t.error(["lint"], tmp_path)
    missing = t.run(["new", "--json", "missing.md"], site, 2)
    assert json.loads(missing.stdout)["error"]["kind"] == "input"
    duplicate = t.run(["new", "--json", str(notes)], site, 3)
    assert json.loads(duplicate.stdout)["error"]["kind"] == "duplicate"

    config = site / "mkdocs.yml"
    good = config.read_text()
    for option, hint in (
        ("articles_dri: kb", "did you mean 'articles_dir'?"),
        ('lint: {rules: {links.orphn: "off"}}', "did you mean 'links.orphan'?"),
    ):
        config.write_text(good + f"      {option}\n")
        lines = {t.error(args, site) for args in (["lint"], ["build"], ["serve"])}
        assert len(lines) == 1 and lines.pop().endswith(hint)
    config.write_text(good)

    for args, output in t.outputs:
        assert "Traceback" not in output, args


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class HangingServer:
    """Accepts connections on 127.0.0.1 and never answers, until closed."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.connected = threading.Event()
        self.held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        with contextlib.suppress(OSError):
            while True:
                conn, _ = self.sock.accept()
                self.held.append(conn)
                self.connected.set()

    def close(self) -> None:
        for conn in self.held:
            conn.close()
        self.sock.close()


@pytest.mark.parametrize("extra", [[], ["--write-baseline", "baseline.json"]])
def test_ctrl_c_exits_130_and_leaves_nothing_half_written(
    clean_install: CleanInstall, tmp_path: Path, extra: list[str]
) -> None:
    site = tmp_path / "site"
    assert clean_install.run(["init", "site"], tmp_path).returncode == 0
    server = HangingServer()
    try:
        (site / "docs" / "status.md").write_text(
            f"# Status\n\nSee [the status page](http://127.0.0.1:{server.port}/status).\n"
        )
        # The hanging server is on loopback: links to private hosts are checked only when
        # the project allows them.
        config = site / "mkdocs.yml"
        text = config.read_text()
        assert "      articles_dir: kb\n" in text
        config.write_text(
            text.replace(
                "      articles_dir: kb\n",
                "      articles_dir: kb\n      lint:\n        external:\n          allow_private: true\n",
            )
        )
        proc = subprocess.Popen(
            [str(clean_install.kb), "lint", "--external", "--style", "off", *extra],
            cwd=site,
            env=clean_install.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert server.connected.wait(60), proc.communicate(timeout=60)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        server.close()
    assert proc.returncode == 130, (out, err)
    assert err.strip().splitlines()[-1] == "kb: interrupted"
    assert "Traceback" not in out + err
    assert not (site / "baseline.json").exists()
    leftovers = [p.name for p in site.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []
    cache = site / ".kb-cache"
    for path in cache.rglob("*.json") if cache.exists() else []:
        json.loads(path.read_text())  # whole, never half a file
