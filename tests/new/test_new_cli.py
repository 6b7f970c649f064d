"""`kb new` end to end in-process: goldens, exit codes, redaction, writing, nav."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kbtools.frontmatter_yaml import parse_front_matter
from tests.new.support import MKDOCS_YML, KbProject, check_golden, fixture_text, github_token

CASES = [
    ("gitserver-disk-full.md", ()),
    ("summary-template-reordered.md", ()),
    ("no-headings.txt", ()),
    ("chat-thread.txt", ()),
    ("slack-thread.txt", ()),
    ("chat-greetings.txt", ()),
    ("zendesk-proxy.json", ()),
    ("faq-batch-changes.md", ("--product-area", "search")),
]


@pytest.mark.parametrize(("fixture", "extra"), CASES)
def test_dry_run_golden(project: KbProject, run_new, fixture: str, extra: tuple[str, ...]) -> None:
    source = project.source(fixture)
    result = run_new(str(source), "--dry-run", *extra)
    assert result.code == 0, result.err
    check_golden(f"{fixture}.dry-run.md", result.out)
    assert project.articles() == []
    assert "Demo KB" in (project.root / "mkdocs.yml").read_text()
    assert "kb/" not in (project.root / "mkdocs.yml").read_text().split("kb/index.md")[1]


@pytest.mark.parametrize(("fixture", "extra"), CASES)
def test_json_golden(project: KbProject, run_new, fixture: str, extra: tuple[str, ...]) -> None:
    source = project.source(fixture)
    result = run_new(str(source), "--json", *extra)
    assert result.code == 0, result.err
    payload = json.loads(result.out)
    assert set(payload) == {"path", "id", "redactions", "duplicates", "warnings"}
    check_golden(f"{fixture}.json", result.out)
    article = project.root / payload["path"]
    assert article.is_file()
    check_golden(f"{fixture}.article.md", article.read_text(encoding="utf-8"))


@pytest.mark.parametrize(("fixture", "extra"), CASES)
def test_nothing_private_reaches_the_article(
    project: KbProject, run_new, fixture: str, extra: tuple[str, ...]
) -> None:
    result = run_new(str(project.source(fixture)), "--dry-run", *extra)
    text = result.out
    for secret in (
        github_token(),
        "jane.okafor@",
        "Okafor",
        "Acme Robotics",
        "acme-robotics",
        "415 555",
        "Globex",
        "priya",
        "Hooli",
        "hooli",
        "Gavin",
        "Richard",
        "strategic account",
        "Umbrella Health",
        "maria",
        "Initech",
        "slack.com",
        "credit",
        "Souza",
        "Ortega",
        "Initrode",
    ):
        assert secret.lower() not in text.lower(), f"{secret!r} leaked into {fixture}"
    assert "<script" not in text
    assert "javascript:" not in text
    body = text.split("\n---\n", 1)[1]
    for ticket_id in ("48213", "50917", "51230", "52044", "50110"):
        assert ticket_id not in body, f"ticket {ticket_id} is named in the body of {fixture}"


def test_redactions_reported_as_kind_and_count(project: KbProject, run_new) -> None:
    result = run_new(str(project.source("gitserver-disk-full.md")), "--json", "--dry-run")
    payload = json.loads(result.out)
    kinds = {r["kind"]: r["count"] for r in payload["redactions"]}
    assert kinds["email"] >= 1 and kinds["customer"] >= 1 and kinds["person"] >= 1
    assert github_token() not in result.out
    assert all(set(r) == {"kind", "count"} for r in payload["redactions"])


def test_created_article_front_matter(project: KbProject, run_new) -> None:
    result = run_new(str(project.source("gitserver-disk-full.md")))
    assert result.code == 0, result.err
    [path] = project.articles()
    assert path.parent == project.kb / "storage"
    assert re.fullmatch(r"[a-z0-9-]+\.md", path.name)
    meta = parse_front_matter(path.read_text().split("---\n")[1])
    assert meta is not None
    assert meta["id"] == "KB-0001"
    assert meta["status"] == "draft"
    assert meta["visibility"] == "internal"
    assert str(meta["created"]) == "2024-06-01"
    assert str(meta["review_by"]) == "2024-11-28"  # created + 180 days
    assert meta["tickets"] == ["48213"]
    assert meta["versions"]["affected"] == ["5.2.4"]
    assert "created docs/kb/storage/" in result.err


def test_review_days_from_config(project: KbProject, run_new) -> None:
    config = (project.root / "mkdocs.yml").read_text()
    project.write("mkdocs.yml", config + "      new: {review_days: 30}\n")
    run_new(str(project.source("no-headings.txt")))
    [path] = project.articles()
    assert "review_by: 2024-07-01" in path.read_text()


def test_nav_gets_the_article_and_nothing_else_changes(project: KbProject, run_new) -> None:
    before = (project.root / "mkdocs.yml").read_text()
    result = run_new(str(project.source("no-headings.txt")), "--json")
    payload = json.loads(result.out)
    after = (project.root / "mkdocs.yml").read_text()
    added = [line for line in after.splitlines() if line not in before.splitlines()]
    page = payload["path"].removeprefix("docs/")
    # The sibling entry `- kb/index.md` is a bare path, so the new entry is one too.
    assert added == [f"    - {page}"]
    assert [line for line in after.splitlines() if line not in added] == before.splitlines()


def test_next_id_never_reuses_the_id_of_an_article_moved_out(project: KbProject, run_new) -> None:
    # Only the KB folder counts, but its git history remembers an article moved elsewhere.
    project.write("docs/kb/auth/old.md", "---\nid: KB-0041\ntitle: Old\n---\n\n## Problem\n\nx\n")
    project.write("docs/kb/auth/moved.md", "---\nid: 'KB-0042'\ntitle: Moved\n---\n")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@e.invalid"]
    subprocess.run([*git, "init", "-q"], cwd=project.root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=project.root, check=True)
    subprocess.run([*git, "commit", "-qm", "kb"], cwd=project.root, check=True)
    (project.docs / "archive").mkdir()
    subprocess.run(
        [*git, "mv", "docs/kb/auth/moved.md", "docs/archive/moved.md"],
        cwd=project.root,
        check=True,
    )
    subprocess.run([*git, "commit", "-qm", "archive"], cwd=project.root, check=True)
    result = run_new(str(project.source("chat-thread.txt")), "--json")
    assert json.loads(result.out)["id"] == "KB-0043"


def test_likely_duplicate_exits_3_and_writes_nothing(project: KbProject, run_new) -> None:
    first = run_new(str(project.source("gitserver-disk-full.md")), "--json")
    assert first.code == 0
    nav_before = (project.root / "mkdocs.yml").read_text()
    reworded = fixture_text("gitserver-disk-full.md").replace(
        "Repositories stopped updating for Jane's team after the weekend.",
        "Repos are not updating anymore since Monday.",
    )
    source = project.write("../input/again.md", reworded)
    result = run_new(str(source), "--json")
    assert result.code == 3
    payload = json.loads(result.out)
    assert payload["path"] is None and payload["id"] is None
    [dup] = payload["duplicates"]
    assert dup["id"] == "KB-0001" and dup["score"] >= 0.45
    assert dup["path"] == json.loads(first.out)["path"]
    assert "similar article already exists" in result.err
    assert len(project.articles()) == 1
    assert (project.root / "mkdocs.yml").read_text() == nav_before
    again = run_new(str(source), "--allow-duplicate", "--json")
    assert again.code == 0
    payload = json.loads(again.out)
    assert payload["id"] == "KB-0002"
    assert payload["path"] != dup["path"]
    assert len(project.articles()) == 2


def test_unrelated_article_is_not_a_duplicate(project: KbProject, run_new) -> None:
    assert run_new(str(project.source("gitserver-disk-full.md"))).code == 0
    result = run_new(str(project.source("chat-thread.txt")), "--json")
    assert result.code == 0
    assert json.loads(result.out)["duplicates"] == []


def test_troubleshooting_without_resolution_exits_2(project: KbProject, run_new) -> None:
    source = project.write(
        "../input/nofix.md",
        "# Search returns no results on Kubernetes\n\n## Problem\n\nSearch returns nothing.\n\n"
        "## Cause\n\nZoekt shards are missing.\n",
    )
    result = run_new(str(source))
    assert result.code == 2
    assert "'## Resolution'" in result.err and "--allow-incomplete" in result.err
    assert project.articles() == []
    result = run_new(str(source), "--allow-incomplete")
    assert result.code == 0
    [path] = project.articles()
    text = path.read_text()
    assert "status: draft" in text
    assert "## Resolution\n\nTODO: describe the steps that fixed it." in text
    assert "structure.todo" in result.err


def test_hostile_title_stays_in_the_folder(project: KbProject, run_new) -> None:
    source = project.write(
        "../input/evil.md",
        "Title: ../../../etc/passwd $(touch /tmp/pwned) `rm -rf ~` <img src=x onerror=alert(1)>\n\n"
        "## Problem\n\nSearch fails.\n\n## Resolution\n\nRestart searcher.\n",
    )
    result = run_new(str(source), "--json", "--product-area", "search")
    assert result.code == 0, result.err
    path = project.root / json.loads(result.out)["path"]
    assert path.parent == project.kb / "search"
    assert re.fullmatch(r"[a-z0-9-]+\.md", path.name)
    meta = parse_front_matter(path.read_text().split("---\n")[1])
    assert meta is not None
    assert "<" not in meta["title"] and "\n" not in meta["title"]
    assert (
        not Path("/tmp/pwned").exists()
        or Path("/tmp/pwned").stat().st_mtime < path.stat().st_mtime - 60
    )


def test_product_area_flag_wins_and_is_validated(project: KbProject, run_new) -> None:
    source = str(project.source("gitserver-disk-full.md"))
    result = run_new(source, "--product-area", "observability", "--json", "--dry-run")
    assert "product_area: observability" in json.loads(result.out)["article"]
    bad = run_new(source, "--product-area", "billing")
    assert bad.code == 2 and "is not one of" in bad.err


def test_stdin_source(project: KbProject, run_new) -> None:
    result = run_new("-", "--dry-run", stdin=fixture_text("zendesk-proxy.json"))
    assert result.code == 0, result.err
    assert "SSL_CERT_FILE" in result.out


def test_bad_input_exits_2(project: KbProject, run_new) -> None:
    assert run_new("missing.md").code == 2
    empty = project.write("../input/empty.md", "\n\n")
    result = run_new(str(empty))
    assert result.code == 2 and "empty" in result.err
    broken = project.write("../input/t.json", '{"ticket": {')
    assert run_new(str(broken), "--format", "zendesk").code == 2
    binary = project.root.parent / "input" / "b.md"
    binary.write_bytes(b"\x00\x01\x02")
    assert run_new(str(binary)).code == 2
    assert run_new("--no-input").code == 2


def test_questions_on_a_terminal(project: KbProject, run_new, monkeypatch) -> None:
    from kbtools.cli import new

    monkeypatch.setattr(new, "stdin_is_terminal", lambda: True)
    answers = (
        "\n".join(
            [
                "Grafana dashboards are empty after upgrade",  # title
                "troubleshooting",
                "observability",
                "Every Grafana dashboard shows no data since the upgrade.",
                "",
                "",  # no error messages
                "Prometheus was not scraping the new targets.",
                "",
                "Restart prometheus so it reloads its configuration.",
                "",
            ]
        )
        + "\n"
    )
    result = run_new("--dry-run", stdin=answers)
    assert result.code == 0, result.err
    assert "title: Grafana dashboards are empty after upgrade" in result.out
    assert "## Cause\n\nPrometheus was not scraping the new targets." in result.out
    assert "product_area: observability" in result.out


def test_dry_run_reports_a_duplicate_with_exit_3(project: KbProject, run_new) -> None:
    assert run_new(str(project.source("gitserver-disk-full.md"))).code == 0
    result = run_new(str(project.source("gitserver-disk-full.md")), "--dry-run")
    assert result.code == 3
    assert "similar article already exists" in result.err and "KB-0001" in result.err
    assert len(project.articles()) == 1
    allowed = run_new(
        str(project.source("gitserver-disk-full.md")), "--dry-run", "--allow-duplicate"
    )
    assert allowed.code == 0


def test_same_problem_from_another_format_is_a_duplicate(project: KbProject, run_new) -> None:
    # The chat thread and a later Markdown write-up describe one zoekt OOM problem.
    assert run_new(str(project.source("chat-thread.txt"))).code == 0
    result = run_new(str(project.source("zoekt-oom-writeup.md")), "--json")
    assert result.code == 3, result.err
    [dup] = json.loads(result.out)["duplicates"]
    assert dup["id"] == "KB-0001"


def test_product_area_must_be_a_folder_name(project: KbProject, run_new) -> None:
    project.write(
        "mkdocs.yml",
        MKDOCS_YML.replace(
            "      product_areas: [install, upgrades, auth, search, storage, networking, observability]\n",
            "",
        ),
    )
    result = run_new(str(project.source("no-headings.txt")), "--product-area", "../../etc")
    assert result.code == 2 and "folder name" in result.err
    assert not list(project.root.rglob("*.md"))[2:]  # only the two index pages exist


def test_names_from_labels_the_parser_does_not_use_are_redacted(
    project: KbProject, run_new
) -> None:
    source = project.write(
        "../input/email.txt",
        "From: Hank Scorpio\n\nSearch returns no results for Hank since the upgrade to 5.2.1.\n\n"
        "The cause was a missing zoekt shard because the indexserver disk was full.\n\n"
        "We fixed it by resizing the indexserver volume; Hank confirmed search works.\n",
    )
    result = run_new(str(source), "--dry-run", "--product-area", "search")
    assert result.code == 0, result.err
    assert "Hank" not in result.out and "Scorpio" not in result.out


def test_asks_for_the_product_area_on_a_terminal_when_unclear(
    project: KbProject, run_new, monkeypatch
) -> None:
    from kbtools.cli import new

    source = str(project.source("faq-batch-changes.md"))
    # Not a terminal: nobody to ask, so the fallback area with a warning (see test_new_real).
    fallback = run_new(source, "--dry-run")
    assert fallback.code == 0 and "product_area: install" in fallback.out
    assert "could not tell the product area" in fallback.err
    monkeypatch.setattr(new, "stdin_is_terminal", lambda: True)
    result = run_new(source, "--dry-run", stdin="search\n")
    assert result.code == 0, result.err
    assert "product_area: search" in result.out
    assert run_new(source, "--dry-run", "--no-input").code == 0


def test_related_article_below_the_threshold_is_named(project: KbProject, run_new) -> None:
    # The labelled KB without the gitserver disk-full article: the blobstore article has the
    # same root error ("no space left on device") in another service with another cause,
    # so it is named as related, not reported as a duplicate.
    labelled = Path(__file__).parents[1] / "fixtures" / "dedupe"
    shutil.copytree(labelled / "kb", project.kb, dirs_exist_ok=True)
    (project.kb / "storage" / "gitserver-disk-full.md").unlink()
    source = labelled / "writeups" / "gitserver-volume-full.md"
    result = run_new(str(source), "--json", "--dry-run")
    assert result.code == 0, result.err
    payload = json.loads(result.out)
    assert payload["duplicates"] == []
    related = [w for w in payload["warnings"] if w.startswith("possibly related")]
    assert related[0].startswith(
        "possibly related: KB-0102 docs/kb/storage/blobstore-uploads-volume-full.md"
    )
