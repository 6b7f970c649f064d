"""What a new user meets in the first hour (issue 16): one test or more per item seen.

Each test runs `kb` in-process on a project written by `kb init`, as the README's quick
start does, and checks what the user reads: the exit status, the one `kb: error:` line,
the files written and the pages built.
"""

from __future__ import annotations

import json
import re
import socket
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from kbtools.cli import main
from kbtools.errors import exit_code_table
from kbtools.scaffold import scaffold
from tests.helpers import chdir, run_kb

WRITEUP = """\
Title: Sign-in fails with "invalid token" after the clock drifts
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
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A repository as `kb init` writes it."""
    root = tmp_path / "site"
    scaffold(root)
    return root


def one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("kb: error: "), err
    assert "Traceback" not in err
    return lines[0]


def set_kb_option(root: Path, line: str) -> None:
    config = root / "mkdocs.yml"
    config.write_text(config.read_text() + f"      {line}\n")


# 1. kb serve on a busy or invalid address


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield holder.getsockname()[1]


def test_serve_on_a_busy_port_is_one_line_exit_2(site: Path, busy_port: int) -> None:
    result = run_kb(["serve", "-a", f"127.0.0.1:{busy_port}"], site)
    assert result.code == 2
    line = one_error_line(result.err)
    assert line == f"kb: error: 127.0.0.1:{busy_port} is already in use; pick another with -a"


@pytest.mark.parametrize("address", ["127.0.0.1:99999", "127.0.0.1:0", "localhost:http"])
def test_serve_on_an_invalid_port_is_one_line_exit_2(site: Path, address: str) -> None:
    result = run_kb(["serve", "-a", address], site)
    assert result.code == 2
    line = one_error_line(result.err)
    assert line.startswith(f"kb: error: -a/--dev-addr {address}: ")
    assert "mkdocs.yml" not in line  # the value came from a flag


def test_a_busy_dev_addr_from_mkdocs_yml_is_one_line_too(site: Path, busy_port: int) -> None:
    config = site / "mkdocs.yml"
    config.write_text(f"dev_addr: 127.0.0.1:{busy_port}\n" + config.read_text())
    result = run_kb(["serve"], site)
    assert result.code == 2
    assert "is already in use" in one_error_line(result.err)


# 2. the article just written is in the preview


def test_serve_previews_the_internal_audience_by_default() -> None:
    from kbtools.cli.build import serve_command

    [audience] = [p for p in serve_command.params if p.name == "audience"]
    assert audience.default == "internal"


def test_every_page_left_out_of_the_public_site_has_a_banner(site: Path) -> None:
    assert (
        run_kb(["new", "--no-input", str(write(site.parent / "notes.md", WRITEUP))], site).code == 0
    )
    (site / "docs/kb/install/internal-only.md").write_text(
        (site / "docs/kb/install/example-article.md")
        .read_text()
        .replace("status: draft", "status: published")
        .replace("KB-0001", "KB-0099")
        .replace('title: "', 'title: "Internal ', 1)
    )
    (site / "docs/handbook.md").write_text("---\nvisibility: internal\n---\n# Handbook\n")
    internal = site / "out-internal"
    public = site / "out-public"
    for audience, target in (("internal", internal), ("public", public)):
        args = ["build", "-f", str(site / "mkdocs.yml"), "--audience", audience]
        assert main([*args, "-d", str(target)]) == 0
    public_pages = {p.relative_to(public) for p in public.rglob("index.html")}
    marked = set()
    for page in internal.rglob("index.html"):
        html = page.read_text()
        if "kb-not-public" in html:
            marked.add(page.relative_to(internal))
            reason = re.search(r"This page is not on the public site: ([^<]*)", html)
            expected = ("it is a draft.", "it is internal.", "it is the internal KB health report.")
            assert reason and reason.group(1) in expected, page
    # Exactly the written pages the public site leaves out carry the banner (the generated
    # listings, tags and areas, list this audience's articles and carry none).
    written = {
        p.relative_to(internal)
        for p in internal.rglob("index.html")
        if not p.relative_to(internal).as_posix().startswith(("kb/tags/", "kb/areas/"))
    }
    assert marked == written - public_pages
    assert Path("kb/install/example-article/index.html") in marked
    assert Path("kb/install/internal-only/index.html") in marked
    assert Path("handbook/index.html") in marked


def test_kb_new_ends_with_the_preview_address(site: Path) -> None:
    result = run_kb(["new", "--no-input", str(write(site.parent / "notes.md", WRITEUP))], site)
    assert result.code == 0, result.err
    last = result.err.strip().splitlines()[-1]
    path = result.out.strip()
    slug = Path(path).stem
    assert last == (
        f"kb: preview it: run `kb serve`, then open http://127.0.0.1:8000/kb/install/{slug}/"
    )


def test_the_preview_address_follows_site_url_and_dev_addr(site: Path) -> None:
    config = site / "mkdocs.yml"
    config.write_text(
        "site_url: https://example.github.io/kb/\ndev_addr: 127.0.0.1:8123\n" + config.read_text()
    )
    result = run_kb(["new", "--no-input", str(write(site.parent / "notes.md", WRITEUP))], site)
    assert "open http://127.0.0.1:8123/kb/kb/install/" in result.err.strip().splitlines()[-1]


# 4 and 11. one config loader for every command


COMMANDS = {
    "lint": ["lint"],
    "new": ["new", "--dry-run", "--no-input", "NOTES"],
    "build": ["build"],
    "serve": ["serve", "-a", "127.0.0.1:1"],
}


def _run_each(site: Path) -> dict[str, str]:
    notes = write(site.parent / "notes.md", WRITEUP)
    lines = {}
    for name, args in COMMANDS.items():
        result = run_kb([str(notes) if a == "NOTES" else a for a in args], site)
        assert result.code == 2, (name, result.err)
        lines[name] = one_error_line(result.err)
    return lines


def test_an_unknown_kb_option_fails_every_command_alike(site: Path) -> None:
    set_kb_option(site, "articles_dri: kb")
    lines = _run_each(site)
    assert len(set(lines.values())) == 1, lines
    assert lines["build"].endswith(
        "plugins.kb.articles_dri: Unrecognised configuration name: articles_dri; "
        "did you mean 'articles_dir'?"
    )


def test_a_misspelled_rule_id_fails_every_command_with_a_suggestion(site: Path) -> None:
    set_kb_option(site, 'lint: {rules: {links.orphn: "off"}}')
    lines = _run_each(site)
    assert len(set(lines.values())) == 1, lines
    assert lines["lint"].endswith(
        "plugins.kb.lint.rules: 'links.orphn' is no rule id or rule prefix; "
        "did you mean 'links.orphan'?"
    )


def test_rule_prefixes_and_style_rules_are_accepted(site: Path) -> None:
    set_kb_option(site, 'lint: {rules: {links: warning, style.House.Avoid: "off"}}')
    assert run_kb(["lint", "--style", "off"], site).code == 0


def test_a_bad_site_dir_flag_is_reported_as_the_flag(site: Path) -> None:
    result = run_kb(["build", "-d", "docs"], site)
    assert result.code == 2
    line = one_error_line(result.err)
    assert line.startswith(f"kb: error: -d/--site-dir {site / 'docs'}: The 'docs_dir' should not")


def test_no_mkdocs_yml_suggests_kb_init(tmp_path: Path) -> None:
    for args in (["lint"], ["build"], ["serve"], ["new", "--no-input", "-"]):
        result = run_kb(args, tmp_path)
        assert result.code == 2
        assert "run `kb init` to create a KB repository here" in one_error_line(result.err)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["lint", "--bogus"], "kb: error: No such option '--bogus'. (see 'kb lint --help')"),
        (["nosuch"], "kb: error: No such command 'nosuch'. (see 'kb --help')"),
        (["lint", "--format", "xml"], "kb: error: Invalid value for '--format'"),
    ],
)
def test_click_usage_errors_read_like_every_other_error(
    site: Path, args: list[str], message: str
) -> None:
    result = run_kb(args, site)
    assert result.code == 2
    assert one_error_line(result.err).startswith(message)
    assert "Usage:" not in result.err


# 5. the scaffolded CI installs what the repository pins


def test_kb_init_pins_this_kbtools_and_the_workflow_installs_the_pin(site: Path) -> None:
    from kbtools import __version__

    requirements = (site / "requirements.txt").read_text()
    pins = [line for line in requirements.splitlines() if line and not line.startswith("#")]
    assert pins == [f"kbtools=={__version__}"]
    workflow = (site / ".github/workflows/docs.yml").read_text()
    installs = re.findall(r"run: (pip install[^\n#]*)", workflow)
    assert installs and all(i.strip() == "pip install -r requirements.txt" for i in installs)
    readme = (REPO / "README.md").read_text()
    adopt = readme[readme.index("#### Adopt in CI") :]
    assert "requirements.txt" in adopt[:1500] and "kbtools @ " in adopt[:1500]


# 6. Ctrl-C


def test_ctrl_c_exits_130_without_a_traceback(
    site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import kbtools.lint.runner

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(kbtools.lint.runner, "run_lint", interrupted)
    with chdir(site):
        code = main(["lint", "--write-baseline", "baseline.json"])
    err = capsys.readouterr().err
    assert code == 130
    assert err.strip() == "kb: interrupted"
    assert not (site / "baseline.json").exists()


# 7. wording and page details


def test_the_lint_summary_counts_a_missing_path_as_a_file(site: Path) -> None:
    result = run_kb(["lint", "--style", "off", "missing.md"], site)
    assert result.code == 1
    assert re.search(r"1 error, 0 warnings, 0 suggestions in 1 of 1 file \(", result.out)
    clean = run_kb(["lint", "--style", "off"], site)
    assert re.search(r"0 suggestions in 3 files \(", clean.out)
    assert " of " not in clean.out.splitlines()[-1]


def test_no_counted_noun_is_left_unplural() -> None:
    """`{n} files`, `(s)` and friends in messages: every count goes through wording.plural."""
    offenders = []
    for path in sorted((REPO / "kbtools").rglob("*.py")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            message = re.search(r"\bf[\"']", line)
            counted = re.search(
                r"\{(?:len\([^)]*\)|count|n)\} [a-z]+s\b|\b(?!https?\()[a-z]+\(s\)", line
            )
            if message and counted:
                offenders.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert offenders == []


def test_the_build_log_says_1_file(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The example article is the one file the public build leaves out.
    assert main(["build", "-v", "-f", str(site / "mkdocs.yml"), "-d", str(site / "out")]) == 0
    assert "kb: 1 file left out of the public site" in capsys.readouterr().err


def _internal_page(site: Path, article: str, extra: str = "") -> str:
    path = site / "docs/kb/install/example-article.md"
    text = path.read_text()
    path.write_text(text.replace("owner: support\n", f"owner: support\n{extra}"))
    target = site / "out"
    args = ["build", "--audience", "internal", "-f", str(site / "mkdocs.yml"), "-d", str(target)]
    assert main(args) == 0
    return (target / article / "index.html").read_text()


def test_last_reviewed_shows_only_a_review_that_happened(site: Path) -> None:
    html = _internal_page(site, "kb/install/example-article")
    assert "Last reviewed" not in html  # created today, due for review later, never reviewed
    html = _internal_page(site, "kb/install/example-article", "reviewed: 2026-10-01\n")
    assert 'Last reviewed</th><td><time datetime="2026-10-01">' in html


def test_no_status_glyph_without_text_and_the_status_in_words(site: Path) -> None:
    html = _internal_page(site, "kb/install/example-article")
    assert "md-status" not in html
    assert "<th>Status</th><td>draft, internal</td>" in html


def test_search_results_show_each_tag_once(site: Path) -> None:
    _internal_page(site, "kb/install/example-article")
    index = json.loads((site / "out/search/search_index.json").read_text())
    tagged = [d for d in index["docs"] if "tags" in d]
    assert [d["location"] for d in tagged] == ["kb/install/example-article/"]
    assert tagged[0]["tags"] == ["example", "database", "startup"]


def test_kb_new_capitalizes_cause_and_resolution(site: Path) -> None:
    result = run_kb(["new", "--no-input", str(write(site.parent / "notes.md", WRITEUP))], site)
    text = (site / result.out.strip()).read_text()
    assert "## Cause\n\nThe clock on the node was 20 minutes behind.\n" in text
    assert "## Resolution\n\nSync the clock with chrony and restart the frontend pods." in text


def test_a_command_shown_as_code_keeps_its_lower_case() -> None:
    from kbtools.article.render import capitalize_sentences

    text = "kubectl rollout restart deploy/frontend\n\nthen run `kubectl get pods`."
    assert capitalize_sentences(text) == (
        "kubectl rollout restart deploy/frontend\n\nThen run `kubectl get pods`."
    )


# 9. file modes


@pytest.fixture
def umask_022() -> Iterator[None]:
    import os

    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_files_written_under_umask_022_are_0644(site: Path, umask_022: None) -> None:
    result = run_kb(["new", "--no-input", str(write(site.parent / "notes.md", WRITEUP))], site)
    assert mode(site / result.out.strip()) == 0o644
    for args, name in (
        (["lint", "--style", "off", "-o", "report.txt"], "report.txt"),
        (["lint", "--style", "off", "--format", "sarif", "-o", "report.sarif"], "report.sarif"),
        (["lint", "--style", "off", "--write-baseline", "baseline.json"], "baseline.json"),
    ):
        assert run_kb(args, site).code == 0
        assert mode(site / name) == 0o644, name


def test_an_existing_file_keeps_its_mode(site: Path, umask_022: None) -> None:
    for name in ("report.txt", "baseline.json"):
        (site / name).write_text("old\n")
        (site / name).chmod(0o640)
    assert run_kb(["lint", "--style", "off", "-o", "report.txt"], site).code == 0
    assert run_kb(["lint", "--style", "off", "--write-baseline", "baseline.json"], site).code == 0
    assert mode(site / "report.txt") == 0o640
    assert mode(site / "baseline.json") == 0o640
    assert (site / "report.txt").read_text() != "old\n"


def test_a_stricter_umask_is_honoured(site: Path) -> None:
    import os

    old = os.umask(0o077)
    try:
        assert run_kb(["lint", "--style", "off", "-o", "report.txt"], site).code == 0
    finally:
        os.umask(old)
    assert mode(site / "report.txt") == 0o600


# 10. the internal build has its own folder


def test_internal_builds_default_to_site_internal(site: Path) -> None:
    with chdir(site):
        assert main(["build", "--audience", "internal"]) == 0
        assert main(["build"]) == 0
    assert (site / "site-internal/kb/install/example-article/index.html").is_file()
    assert not (site / "site/kb/install/example-article").exists()
    assert "/site-internal/" in (site / ".gitignore").read_text()


def test_a_public_build_never_keeps_leftovers_of_an_internal_one(site: Path) -> None:
    target = str(site / "site")
    with chdir(site):
        assert main(["build", "--audience", "internal", "-d", target]) == 0
        assert (site / "site/kb/install/example-article/index.html").is_file()
        assert main(["build", "--audience", "public", "-d", target]) == 0
    assert not (site / "site/kb/install/example-article").exists()
    index = (site / "site/search/search_index.json").read_text()
    assert "example-article" not in index and "connection refused" not in index


# 12. kb new --json on failure


@pytest.mark.parametrize(
    ("args", "kind", "code"),
    [
        (["new", "--json", "missing.md"], "input", 2),
        (["new", "--json", "--no-input"], "input", 2),
    ],
)
def test_kb_new_json_prints_an_error_object(
    site: Path, args: list[str], kind: str, code: int
) -> None:
    result = run_kb(args, site)
    assert result.code == code
    payload = json.loads(result.out)
    assert set(payload["error"]) == {"kind", "message", "hint"}
    assert payload["error"]["kind"] == kind
    assert payload["error"]["message"] in result.err


def test_kb_new_json_config_and_duplicate_errors(site: Path) -> None:
    notes = str(write(site.parent / "notes.md", WRITEUP))
    assert run_kb(["new", "--json", notes], site).code == 0
    again = run_kb(["new", "--json", notes], site)
    assert again.code == 3
    payload = json.loads(again.out)
    assert payload["error"]["kind"] == "duplicate"
    assert payload["duplicates"] and payload["path"] is None
    set_kb_option(site, "bogus_option: 1")
    broken = run_kb(["new", "--json", notes], site)
    assert broken.code == 2
    assert json.loads(broken.out)["error"]["kind"] == "config"


# 13. the scaffold itself


def test_the_example_article_is_not_published(site: Path) -> None:
    text = (site / "docs/kb/install/example-article.md").read_text()
    assert "visibility: internal\n" in text and "status: draft\n" in text


def test_the_title_is_not_doubled_and_the_sidebar_names_the_kb_once(site: Path) -> None:
    target = site / "out"
    assert main(["build", "-f", str(site / "mkdocs.yml"), "-d", str(target)]) == 0
    home = (target / "index.html").read_text()
    assert "<title>Help center</title>" in home  # the site name once, not "X - X"
    sidebar = home[home.index('class="md-nav md-nav--primary"') : home.index("<article")]
    labels = [
        " ".join(t.split())
        for t in re.findall(r'<span class="md-ellipsis">(.*?)</span>', sidebar, re.S)
    ]
    assert labels[0] == "Find an answer" and labels.count("Knowledge base") == 1, labels
    assert home.count("Knowledge base") == sidebar.count("Knowledge base")  # only the section


@pytest.mark.parametrize(
    ("directory", "expected"), [(None, "next: kb lint"), ("kb", "next: cd kb && kb lint")]
)
def test_kb_init_next_step(tmp_path: Path, directory: str | None, expected: str) -> None:
    result = run_kb(["init"] + ([directory] if directory else []), tmp_path)
    assert result.code == 0
    assert f"{expected} && kb serve" in result.err
    assert "cd ." not in result.err


def test_no_site_url_warns_on_the_public_build(site: Path) -> None:
    result = run_kb(["build", "-d", str(site / "out")], site)
    assert result.code == 0
    assert "kb: warning: mkdocs.yml has no site_url" in result.err
    config = site / "mkdocs.yml"
    config.write_text("site_url: https://example.github.io/kb/\n" + config.read_text())
    assert "site_url" not in run_kb(["build", "-d", str(site / "out")], site).err


# The exit-code table


def test_the_exit_code_table_is_documented_once_and_in_kb_help() -> None:
    page = (REPO / "docs/guide/exit-codes.md").read_text()
    rows = re.findall(r"^\| (\d+) \| ([^|]+) \|$", page, re.MULTILINE)
    assert [(int(code), meaning.strip()) for code, meaning in rows] == exit_code_table()
    result = run_kb(["--help"], REPO)
    for code, meaning in exit_code_table():
        assert re.search(rf"^\s+{code}\s+{re.escape(meaning)}$", result.out, re.MULTILINE)
    # The command pages link to the table instead of keeping copies.
    for name in ("new", "lint", "build"):
        text = (REPO / f"docs/guide/{name}.md").read_text()
        section = text[text.index("## Exit status") :]
        assert (
            "(exit-codes.md)" in section.split("\n## ")[0]
            and "| 2 |" not in section.split("\n## ")[0]
        )


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


# Every command, every status of its row in docs/guide/exit-codes.md


def _interrupt(monkeypatch: pytest.MonkeyPatch, target: str) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(target, interrupted)


STRICT_WARNING = "docs/broken.md"
CASES = [
    # (command, args, setup, status)
    ("init", ["init", "fresh"], None, 0),
    ("init", ["init", "fresh", "--product-area", "Bad Area"], None, 2),
    ("init", ["init", "fresh"], "kbtools.scaffold.scaffold", 130),
    ("new", ["new", "--no-input", "NOTES"], None, 0),
    ("new", ["new", "--no-input", "missing.md"], None, 2),
    ("new", ["new", "--no-input", "NOTES", "DUPLICATE"], None, 3),
    ("new", ["new", "--no-input", "NOTES"], "kbtools.cli.new._create", 130),
    ("lint", ["lint", "--style", "off"], None, 0),
    ("lint", ["lint", "--style", "off", "BROKEN"], None, 1),
    ("lint", ["lint", "--fail-on", "nope"], None, 2),
    ("lint", ["lint"], "kbtools.lint.runner.run_lint", 130),
    ("build", ["build", "-d", "out"], None, 0),
    ("build", ["build", "-d", "out", "--strict", "BROKEN"], None, 1),
    ("build", ["build", "-d", "docs"], None, 2),
    ("build", ["build", "-d", "out"], "kbtools.site.runner.build", 130),
    ("report", ["report", "--format", "json"], None, 0),
    ("report", ["report", "--since", "yesterday-ish"], None, 2),
    ("report", ["report"], "kbtools.report.build.build_report", 130),
    ("serve", ["serve", "-a", "FREE", "--strict", "BROKEN"], None, 1),
    ("serve", ["serve", "-a", "127.0.0.1:70000"], None, 2),
    ("serve", ["serve"], "kbtools.site.runner.serve", 130),
]


@pytest.mark.parametrize(("command", "args", "interrupt", "status"), CASES)
def test_each_command_exits_with_the_statuses_of_the_table(
    site: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    args: list[str],
    interrupt: str | None,
    status: int,
) -> None:
    page = (REPO / "docs/guide/exit-codes.md").read_text()
    row = re.search(rf"^\| `kb {command}` \|(.*)\|$", page, re.MULTILINE)
    assert row, command
    documented = [
        int(code)
        for code, cell in zip((0, 1, 2, 3, 130), row.group(1).split("|"), strict=True)
        if cell.strip()
    ]
    assert status in documented, (command, status, documented)
    notes = write(site.parent / "notes.md", WRITEUP)
    if "DUPLICATE" in args:
        assert run_kb(["new", "--no-input", str(notes)], site).code == 0
    if "BROKEN" in args:
        write(site / STRICT_WARNING, "# Broken\n\nSee [nowhere](missing.md).\n")
    if interrupt:
        _interrupt(monkeypatch, interrupt)
    real = [
        str(notes) if a == "NOTES" else STRICT_WARNING if a == "BROKEN" and command == "lint" else a
        for a in args
        if a not in ("DUPLICATE",) and not (a == "BROKEN" and command in ("build", "serve"))
    ]
    if "FREE" in real:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            real[real.index("FREE")] = f"127.0.0.1:{probe.getsockname()[1]}"
    result = run_kb(real, site)
    assert result.code == status, (real, result.out, result.err)
    if status in (2, 3):
        assert result.err.startswith("kb: error: ")
    if status == 130:
        assert result.err.strip() == "kb: interrupted"
    assert "Traceback" not in result.out + result.err
