"""ExternalCheck: URLs of the docs tree checked once, findings at every place they are used."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Mapping
from pathlib import Path

import pytest

from kbtools.checks.base import LintContext, LintOptions
from kbtools.checks.external import ExternalCheck
from kbtools.document import parse_document
from kbtools.errors import ConfigError
from kbtools.findings import Finding, Severity
from kbtools.project import Project
from tests.httpserver import LocalServer, http_server, refused_url

__all__ = ["http_server"]

PAGE = b"<html><body><h2 id='install'>Install</h2></body></html>"


def make_context(
    root: Path,
    pages: dict[str, str],
    external: Mapping[str, object] | None = None,
    *,
    on: bool = True,
) -> LintContext:
    """A project in `root` with the given docs pages, parsed as the runner would."""
    # The test servers are on loopback: the project allows private hosts explicitly.
    options = {
        "cache_dir": ".kb-cache",
        "timeout": 1,
        "deadline": 20,
        "retry_wait": 1,
        "allow_private": True,
    }
    options.update(external or {})
    (root / "mkdocs.yml").write_text(
        "site_name: t\nplugins:\n  - kb:\n      lint:\n        external: "
        + json.dumps(options)
        + "\n",
        encoding="utf-8",
    )
    project = Project.load(start=root)
    documents = {}
    for name, text in pages.items():
        path = root / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        documents[name] = parse_document(
            text, path, project.rel(path), project.config.toc, docs_path=name
        )
    return LintContext(
        project=project,
        documents=documents,
        targets=set(documents),
        options=LintOptions(external=on),
    )


def by_rule(findings: list[Finding]) -> dict[str, list[tuple[str, int, int]]]:
    out: dict[str, list[tuple[str, int, int]]] = {}
    for f in sorted(findings, key=Finding.sort_key):
        out.setdefault(f.rule, []).append((f.path, f.line, f.column))
    return out


def tree(server: LocalServer) -> dict[str, str]:
    server.route("/ok", body=PAGE)
    server.route("/gone", status=410)
    server.route("/moved", status=301, headers={"Location": "/ok"})
    server.route("/down", status=503)
    refused = refused_url("/r")
    return {
        "index.md": textwrap.dedent(
            f"""\
            # Home

            See [ok]({server.url("/ok")}) and [gone]({server.url("/gone")}).
            Old address: <{server.url("/moved")}>.

            [install]({server.url("/ok#install")}) [missing]({server.url("/ok#nope")})
            """
        ),
        "kb/article.md": textwrap.dedent(
            f"""\
            ---
            title: An article
            ---
            # Article

            Again [gone]({server.url("/gone")}), and [down]({server.url("/down")}).

            [ref]: {refused}

            `{server.url("/in-code")}` is code, not a link.
            """
        ),
    }


def test_findings_at_every_location(tmp_path: Path, http_server: LocalServer) -> None:
    pages = tree(http_server)
    ctx = make_context(tmp_path, pages)
    findings = list(ExternalCheck().check_project(ctx))

    def at(name: str, line: int, marker: str) -> tuple[str, int, int]:
        return ("docs/" + name, line, pages[name].split("\n")[line - 1].index(marker) + 1)

    assert by_rule(findings) == {
        "links.external.broken": [at("index.md", 3, "[gone]"), at("kb/article.md", 6, "[gone]")],
        "links.external.redirected": [at("index.md", 4, "<")],
        "links.external.fragment": [at("index.md", 6, "[missing]")],
        "links.external.error": [at("kb/article.md", 6, "[down]")],
        "links.external.unreachable": [at("kb/article.md", 8, "[ref]")],
    }
    redirected = next(f for f in findings if f.rule == "links.external.redirected")
    assert redirected.suggestion == http_server.url("/ok")
    assert redirected.severity is Severity.SUGGESTION
    broken = next(f for f in findings if f.rule == "links.external.broken")
    assert broken.match == http_server.url("/gone") and "410" in broken.message
    # One request per distinct URL (fragments share one fetch), none for code spans.
    assert http_server.count("/gone") == 1
    assert http_server.count("/ok") == 2  # /ok itself and the redirect target
    assert http_server.count("/in-code") == 0
    assert any("external:" in note for note in ctx.notes)


def test_nothing_without_external_flag(tmp_path: Path, http_server: LocalServer) -> None:
    ctx = make_context(tmp_path, tree(http_server), on=False)
    assert list(ExternalCheck().check_project(ctx)) == []
    assert http_server.total() == 0


def test_cached_rerun_asks_only_for_failed_urls(tmp_path: Path, http_server: LocalServer) -> None:
    pages = tree(http_server)
    first = list(ExternalCheck().check_project(make_context(tmp_path, pages)))
    counts = dict(http_server.counts)
    second = list(ExternalCheck().check_project(make_context(tmp_path, pages)))

    assert sorted(first, key=Finding.sort_key) == sorted(second, key=Finding.sort_key)
    new_requests = {p: http_server.count(p) - counts.get(p, 0) for p in http_server.counts}
    assert new_requests["/gone"] == 1 and new_requests["/down"] == 1  # failures re-checked
    assert new_requests["/moved"] == 0  # good results (ok, redirected) come from the cache
    # /ok#nope failed (fragment) so the page is fetched again for it; /ok and /ok#install not.
    assert new_requests["/ok"] == 1
    assert (tmp_path / ".kb-cache" / "external-links.json").is_file()


def test_cache_ttl_zero_and_corrupt_cache(tmp_path: Path, http_server: LocalServer) -> None:
    url = http_server.route("/ok", body=PAGE)
    pages = {"index.md": f"[a]({url})\n"}
    cache = tmp_path / ".kb-cache" / "external-links.json"
    cache.parent.mkdir()
    cache.write_text("{not json", encoding="utf-8")
    ctx = make_context(tmp_path, pages)
    assert list(ExternalCheck().check_project(ctx)) == []
    assert any("corrupt cache" in note for note in ctx.notes)
    assert json.loads(cache.read_text())["results"][url]["outcome"] == "ok"

    list(ExternalCheck().check_project(make_context(tmp_path, pages, {"cache_ttl": 0})))
    assert http_server.count("/ok") == 2


def test_exclude_and_accept(tmp_path: Path, http_server: LocalServer) -> None:
    http_server.route("/private", status=403)
    pages = {"index.md": f"[a]({http_server.url('/private')}) [b]({http_server.url('/skip/me')})\n"}
    options = {"exclude": [r"/skip/"], "accept": {r"/private$": [403]}}
    ctx = make_context(tmp_path, pages, options)
    assert list(ExternalCheck().check_project(ctx)) == []
    assert http_server.count("/skip/me") == 0


def test_invalid_exclude_pattern_is_a_config_error(tmp_path: Path) -> None:
    ctx = make_context(tmp_path, {"index.md": "[a](http://127.0.0.1:9/x)\n"}, {"exclude": ["("]})
    with pytest.raises(ConfigError, match=r"external\.exclude"):
        list(ExternalCheck().check_project(ctx))


def test_deadline_bounds_the_run(tmp_path: Path, http_server: LocalServer) -> None:
    import time

    http_server.route("/silent", hang=True)
    pages = {"index.md": "\n".join(f"[{n}]({http_server.url(f'/silent?{n}')})" for n in range(8))}
    ctx = make_context(tmp_path, pages, {"deadline": 1, "timeout": 5, "per_host": 2})
    started = time.monotonic()
    findings = list(ExternalCheck().check_project(ctx))
    assert time.monotonic() - started < 3
    assert {f.rule for f in findings} == {"links.external.unreachable"}
    assert len(findings) == 8
    assert any("deadline" in f.message for f in findings)


def test_kb_lint_external_end_to_end(
    tmp_path: Path, http_server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    from kbtools.cli import main

    make_context(tmp_path, tree(http_server))
    config = str(tmp_path / "mkdocs.yml")

    main(["lint", "-f", config, "--style", "off"])
    assert http_server.total() == 0  # no network without --external
    capsys.readouterr()

    code = main(["lint", "-f", config, "--style", "off", "--external", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    rules = sorted(f["rule"] for f in report["findings"] if f["rule"].startswith("links.ext"))
    assert rules == [
        "links.external.broken",
        "links.external.broken",
        "links.external.error",
        "links.external.fragment",
        "links.external.redirected",
        "links.external.unreachable",
    ]


def test_links_to_private_hosts_are_not_requested_by_default(
    tmp_path: Path, http_server: LocalServer
) -> None:
    url = http_server.route("/intranet")
    ctx = make_context(tmp_path, {"index.md": f"[wiki]({url})\n"}, {"allow_private": False})
    findings = list(ExternalCheck().check_project(ctx))
    assert findings == []
    assert http_server.total() == 0
    assert any("0 checked" in note and "1 private host not checked" in note for note in ctx.notes)
