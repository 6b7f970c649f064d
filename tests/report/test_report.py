"""`kb report` over a dated git history: every number asserted, JSON and text goldens."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from kbtools.cli import main
from kbtools.project import Project
from kbtools.report.build import build_report, parse_since
from kbtools.report.history import load_history
from tests.report.conftest import TODAY, Repo, article, git

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "report"
UPDATE = os.environ.get("KB_UPDATE_GOLDEN") == "1"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["report", *args])
    out, err = capsys.readouterr()
    return code, out, err


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_recurring_counts_tickets_per_month_across_a_rename(history_repo: Path) -> None:
    report = build_report(Project.load(), TODAY)
    by_id = {r.article.id: r for r in report.recurring}
    assert [r.article.id for r in report.recurring] == ["KB-0001", "KB-0002", "KB-0004"]
    search = by_id["KB-0001"]
    assert search.article.path == "docs/kb/search-timeout-large-repos.md"
    assert (search.tickets, search.added, search.last_30_days) == (5, 5, 2)
    # Three months before the rename, two after: the history follows the file.
    assert search.by_month == {"2026-03": 1, "2026-05": 2, "2026-11": 2}
    # 2 tickets in the last 30 days against 3 in the 8.1 months before.
    assert search.rising is True
    clone = by_id["KB-0002"]
    assert clone.by_month == {"2025-12": 2, "2026-01": 1, "2026-02": 1}
    assert (clone.tickets, clone.last_30_days, clone.rising) == (4, 0, False)
    assert by_id["KB-0004"].by_month == {"2025-11": 2}
    history = report.history.articles["docs/kb/search-timeout-large-repos.md"]
    assert history.former_paths == ("docs/kb/search-timeout.md",)
    assert history.first_day.isoformat() == "2026-03-02"
    # The one-ticket article is no recurrence; the archived article is left out.
    assert "KB-0005" not in by_id and "KB-0006" not in by_id
    assert report.articles == 5
    assert report.history.commits == 11


def test_a_new_article_with_a_recent_ticket_is_not_rising(history_repo: Path) -> None:
    repo = Repo(history_repo)
    repo.write(
        "no-errors.md",
        article(
            "KB-0005", "Indexing is slow", "search", ["ZD-300", "ZD-301"], created="2026-11-20"
        ),
    )
    repo.commit("2026-11-25", "KB-0005: ZD-301")
    item = next(
        r for r in build_report(Project.load(), TODAY).recurring if r.article.id == "KB-0005"
    )
    # Both tickets came in the last 30 days, but there is no month before to compare with.
    assert (item.tickets, item.last_30_days, item.rising) == (2, 2, False)


def test_stale_reasons(history_repo: Path) -> None:
    report = build_report(Project.load(), TODAY)
    reasons = {f.article.id: [r.code for r in f.reasons] for f in report.stale}
    assert reasons == {
        "KB-0004": ["not-updated", "unsupported-versions"],
        "KB-0002": ["review-lapsed"],
        "KB-0003": ["old-draft"],
    }
    details = {f.article.id: [r.detail for r in f.reasons] for f in report.stale}
    assert details["KB-0002"] == ["review_by 2026-06-01 passed 182 days ago"]
    assert details["KB-0003"] == ["draft since 2026-09-01 (90 days)"]


def test_stale_days_and_draft_days_come_from_the_config(history_repo: Path) -> None:
    config = history_repo / "mkdocs.yml"
    text = config.read_text().replace(
        '        oldest_supported: "5.2"\n', "        stale_days: 600\n        draft_days: 120\n"
    )
    config.write_text(text)
    reasons = {
        f.article.id: [r.code for r in f.reasons] for f in build_report(Project.load(), TODAY).stale
    }
    assert reasons == {"KB-0002": ["review-lapsed"]}


def test_quality_reuses_the_lint_findings(history_repo: Path) -> None:
    report = build_report(Project.load(), TODAY)
    problems = {f.article.id: [(r.code, r.detail) for r in f.reasons] for f in report.quality}
    assert problems == {
        "KB-0005": [
            ("missing-section", "no '## Resolution' section"),
            ("no-error-messages", "troubleshooting article without error messages"),
        ],
        "KB-0003": [
            ("todo", "1 TODO marker"),
            ("lint-errors", "1 lint error: links.broken (1)"),
        ],
    }


def test_coverage_by_area(history_repo: Path) -> None:
    report = build_report(Project.load(), TODAY)
    rows = {c.area: (c.articles, c.tickets, c.added, c.recurring) for c in report.coverage}
    assert rows == {
        "search": (2, 6, 6, 1),
        "storage": (1, 4, 4, 1),
        "auth": (1, 1, 1, 0),
        "upgrades": (1, 2, 2, 1),
        "networking": (0, 0, 0, 0),
    }
    assert [c.area for c in report.coverage] == [
        "search",
        "storage",
        "auth",
        "upgrades",
        "networking",
    ]


def test_since_ranks_by_tickets_added_in_the_window(history_repo: Path) -> None:
    report = build_report(Project.load(), TODAY, since=parse_since("2026-01", TODAY))
    assert [(r.article.id, r.added, r.by_month) for r in report.recurring] == [
        ("KB-0001", 5, {"2026-03": 1, "2026-05": 2, "2026-11": 2}),
        ("KB-0002", 2, {"2026-01": 1, "2026-02": 1}),
    ]
    report = build_report(Project.load(), TODAY, since=parse_since("90d", TODAY))
    assert [(r.article.id, r.added) for r in report.recurring] == [("KB-0001", 2)]


def test_area_limits_every_section(history_repo: Path) -> None:
    report = build_report(Project.load(), TODAY, area="search")
    assert [r.article.id for r in report.recurring] == ["KB-0001"]
    assert report.stale == []
    assert [f.article.id for f in report.quality] == ["KB-0005"]
    assert [(c.area, c.articles) for c in report.coverage] == [("search", 2)]


def test_json_golden(history_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["version"] == 1 and data["generated"] == "2026-11-30"
    check_golden("report.json", out)


def test_text_golden(history_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys)
    assert (code, err) == (0, "")
    check_golden("report.txt", out)


def test_output_file_and_html(history_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--format", "html", "-o", "out/health.html")
    assert (code, out) == (0, "")
    assert err == "kb: wrote html report to out/health.html\n"
    page = (history_repo / "out" / "health.html").read_text()
    assert page.count("<svg") == 2
    assert '<a href="../docs/kb/search-timeout-large-repos.md">' in page
    assert "http" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_second_run_reads_the_caches(
    history_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = run(capsys, "--format", "json")
    cache = history_repo / ".kb-cache"
    assert sorted(p.name for p in cache.iterdir()) == ["report-history.json", "report-tree.json"]
    stored = json.loads((cache / "report-history.json").read_text())
    assert stored["history_key"].startswith(git(history_repo, "rev-parse", "HEAD").strip())
    assert run(capsys, "--format", "json") == first
    # An edit in the working tree is seen at once (the tree cache is keyed by file stats).
    repo = Repo(history_repo)
    repo.write(
        "no-errors.md",
        article("KB-0005", "Indexing is slow", "search", ["ZD-300"], created="2026-11-20"),
    )
    data = json.loads(run(capsys, "--format", "json")[1])
    assert "KB-0005" not in [q["id"] for q in data["quality"]]
    # So is a new commit (the history cache is keyed by HEAD).
    repo.write(
        "no-errors.md",
        article(
            "KB-0005", "Indexing is slow", "search", ["ZD-300", "ZD-301"], created="2026-11-20"
        ),
    )
    repo.commit("2026-11-29", "KB-0005: ZD-301")
    data = json.loads(run(capsys, "--format", "json")[1])
    assert {r["id"]: r["by_month"] for r in data["recurring"]}["KB-0005"] == {"2026-11": 2}


def test_without_git_front_matter_sections_remain(
    history_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.rmtree(history_repo / ".git")
    code, out, err = run(capsys, "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["history"] == {
        "available": False,
        "reason": f"{history_repo} is not in a git repository",
        "commits": 0,
    }
    assert [(r["id"], r["tickets"], r["by_month"], r["rising"]) for r in data["recurring"]] == [
        ("KB-0001", 5, {}, False),
        ("KB-0002", 4, {}, False),
        ("KB-0004", 2, {}, False),
    ]
    assert [s["id"] for s in data["stale"]] == ["KB-0004", "KB-0002", "KB-0003"]
    code, out, _ = run(capsys)
    assert f"History unavailable: {history_repo} is not in a git repository." in out
    # --since needs the history: one error line, exit 2.
    code, out, err = run(capsys, "--since", "2026-01-01")
    assert (code, out) == (2, "")
    assert (
        err == f"kb: error: --since needs git history: {history_repo} is not in a git repository\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "last tuesday"], "--since: 'last tuesday' is not a date"),
        (["--since", "2026-13-01"], "--since: '2026-13-01' is not a date"),
        (["--area", "billing"], "--area: 'billing' is not a product area"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(
    history_repo: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, out, err = run(capsys, *args)
    assert (code, out) == (2, "")
    assert err.startswith(f"kb: error: {message}") and err.count("\n") == 1


def test_bad_config_exits_2(history_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = history_repo / "mkdocs.yml"
    config.write_text(config.read_text().replace('"5.2"', '"5.2"\n        stale_days: soon'))
    code, out, err = run(capsys)
    assert (code, out) == (2, "")
    assert err.startswith("kb: error: ") and "plugins.kb.report: Sub-option 'stale_days'" in err
    assert err.count("\n") == 1


def test_history_of_a_subfolder_project(tmp_path: Path) -> None:
    # mkdocs.yml below the repository's top level: paths stay project-relative.
    from tests.report.conftest import build_history

    build_history(tmp_path / "top" / "handbook")
    top = tmp_path / "top"
    shutil.move(str(top / "handbook" / ".git"), str(top / ".git"))
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "Move the KB into handbook/", when="2026-11-25")
    history = load_history(top / "handbook", top / "handbook" / "docs" / "kb", None)
    assert history.available and history.commits == 1
    assert sorted(history.articles) == [
        "docs/kb/archived.md",
        "docs/kb/clone-eof.md",
        "docs/kb/legacy-upgrade.md",
        "docs/kb/no-errors.md",
        "docs/kb/old-draft.md",
        "docs/kb/search-timeout-large-repos.md",
    ]
    # A move from outside the articles folder starts a new history (the log is limited
    # to the folder, so git sees the move as an addition): documented in the guide.
    assert {h.first_day.isoformat() for h in history.articles.values()} == {"2026-11-25"}


def test_health_page_links_only_articles_of_the_build(history_repo: Path) -> None:
    from kbtools.report.page import MARKER, markdown

    report = build_report(Project.load(), TODAY)
    in_build = {"kb/search-timeout-large-repos.md", "kb/clone-eof.md"}
    text = markdown(report, "kb/health.md", in_build)
    assert f'<div class="{MARKER}"' in text
    assert (
        "- [KB-0001 Search times out on large repositories](search-timeout-large-repos.md):" in text
    )
    assert "5 tickets, 2 in the last 30 days, **rising**" in text
    # An article the build leaves out is named, not linked.
    assert "- KB-0004 Upgrade from 4.5 stalls: 2 tickets" in text
    assert "(legacy-upgrade.md)" not in text
    assert text.count("<svg") == 2
    assert "- networking: 0 articles, 0 tickets, 0 recurring" in text


def test_empty_kb_reports_nothing_and_exits_0(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nplugins:\n  - kb\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796040000")
    code, out, _ = run(capsys)
    assert code == 0
    assert out.endswith("Coverage (0 areas)\n  none\n")


def test_a_ticket_added_on_a_merged_branch_counts_once_at_its_commit(history_repo: Path) -> None:
    repo = Repo(history_repo)
    git(history_repo, "checkout", "-q", "-b", "update-kb-0002")
    clone: dict[str, Any] = dict(created="2025-12-01", review_by="2026-06-01")
    tickets = ["ZD-1", "ZD-2", "ZD-3", "ZD-4", "ZD-5"]
    repo.write(
        "clone-eof.md",
        article("KB-0002", "Clone fails with early EOF", "storage", tickets, **clone),
    )
    repo.commit("2026-11-21", "KB-0002: ZD-5")
    git(history_repo, "checkout", "-q", "main")
    repo.write(
        "notes.md", article("KB-0007", "Proxy drops idle connections", "networking", ["ZD-9"])
    )
    repo.commit("2026-11-22", "Add proxy article")
    git(
        history_repo,
        "merge",
        "-q",
        "--no-ff",
        "-m",
        "Merge update-kb-0002",
        "update-kb-0002",
        when="2026-11-23",
    )
    item = next(
        r for r in build_report(Project.load(), TODAY).recurring if r.article.id == "KB-0002"
    )
    assert item.by_month == {"2025-12": 2, "2026-01": 1, "2026-02": 1, "2026-11": 1}
    assert (item.tickets, item.last_30_days) == (5, 1)
    # 1 ticket in 30 days against 4 in the 11 months before: more than the average of 0.36.
    assert item.rising is True
