"""Slugs, ids, never-overwriting writes, and two `kb new` processes at once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kbtools.article import store
from kbtools.article.sanitize import is_dangerous_url, sanitize_markdown
from tests.new.support import EPOCH, KbProject


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        (
            "Search returns no results after upgrading to 5.2.4",
            "search-returns-no-results-after-upgrading-to-5-2-4",
        ),
        ("../../etc/passwd", "etc-passwd"),
        ("$(rm -rf ~); `id`", "rm-rf-id"),
        ("Ünïcödé títle", "unicode-title"),
        ("", "article"),
        ("日本語", "article"),
        ("a" * 80, "a" * 60),
        (
            "The frontend pods fail to start with a migration error on Kubernetes",
            "the-frontend-pods-fail-to-start-with-a-migration-error",
        ),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert store.slugify(title) == slug


def test_article_folder_refuses_escape(tmp_path: Path) -> None:
    assert store.article_folder(tmp_path, "search") == (tmp_path / "search").resolve()
    assert store.article_folder(tmp_path, "../x").parent == tmp_path.resolve()


def test_write_new_never_overwrites(tmp_path: Path) -> None:
    first = store.write_new(tmp_path, "a", "one\n")
    second = store.write_new(tmp_path, "a", "two\n")
    assert first.name == "a.md" and second.name == "a-2.md"
    assert first.read_text() == "one\n" and second.read_text() == "two\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-2.md", "a.md"]


def test_next_id_keeps_gaps(tmp_path: Path) -> None:
    (tmp_path / "x.md").write_text("---\nid: KB-0003\n---\n")
    (tmp_path / "y.md").write_text("---\nid: KB-0010  # moved\n---\n")
    (tmp_path / "z.md").write_text("---\ntitle: no id\n---\nid: KB-9999\n")
    assert store.next_id(tmp_path) == "KB-0011"


def test_sanitizer() -> None:
    text = sanitize_markdown(
        "<script>alert(1)</script> <iframe src=x></iframe> <b onclick=x>b</b> <br>\n"
        "[a](javascript:alert(1)) [b](JAVA\tSCRIPT:x) [c](https://ok.example/a_(b))\n"
        "`<script>in code</script>`\n```\n<style>kept in code</style>\n```\n"
    )
    # Raw HTML is dropped, not escaped: no markup and no `&lt;` reach the article.
    prose = text.split("`<script>")[0]
    assert "alert(1)" not in prose and "<" not in prose and "&lt;" not in text
    assert "iframe" not in text and "onclick" not in text and "b\n" in text
    assert "javascript" not in text.lower().replace("`<script>in code</script>`", "")
    assert "[c](https://ok.example/a_(b))" in text
    assert "`<script>in code</script>`" in text
    assert "<style>kept in code</style>" in text
    assert is_dangerous_url("jav&#x61;script:alert(1)")
    assert not is_dangerous_url("https://example.com")


def _spawn(project: KbProject, source: Path, *extra: str) -> subprocess.Popen[str]:
    code = "import sys; from kbtools.cli import main; raise SystemExit(main(sys.argv[1:]))"
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    return subprocess.Popen(
        [sys.executable, "-c", code, "new", str(source), "--json", *extra],
        cwd=project.root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("allow_duplicate", [False, True])
def test_two_processes_same_title(project: KbProject, allow_duplicate: bool) -> None:
    source = project.source("chat-thread.txt")
    extra = ("--allow-duplicate",) if allow_duplicate else ()
    procs = [_spawn(project, source, *extra) for _ in range(2)]
    results = [(p.wait(timeout=60), p.stdout.read(), p.stderr.read()) for p in procs]  # type: ignore[union-attr]
    codes = sorted(code for code, _, _ in results)
    articles = project.articles()
    if allow_duplicate:
        assert codes == [0, 0], results
        ids = {json.loads(out)["id"] for _, out, _ in results}
        assert ids == {"KB-0001", "KB-0002"}
        assert len(articles) == 2
    else:
        assert codes == [0, 3], results
        assert len(articles) == 1
    nav = (project.root / "mkdocs.yml").read_text()
    for path in articles:
        assert path.relative_to(project.docs).as_posix() in nav
    assert not list(project.kb.rglob("*.tmp"))


def _git(project: KbProject, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@e.invalid", *args],
        cwd=project.root,
        check=True,
        capture_output=True,
    )


GUIDE_PAGE = """\
---
id: KB-0040
title: Article schema
---

# Article schema

```markdown
---
id: KB-0042
title: Repository clone fails
---
```
"""


def test_next_id_counts_only_articles_under_the_kb_folder(project: KbProject, run_new) -> None:
    # A guide page shows an example article (`id: KB-0042`, in its body and, for good
    # measure, in its own front matter), committed to git: none of it is a KB article.
    project.write("docs/guide/article-schema.md", GUIDE_PAGE)
    project.write("docs/kb/auth/sso.md", "---\nid: KB-0003\ntitle: SSO\n---\n")
    _git(project, "init", "-q")
    _git(project, "add", "-A")
    _git(project, "commit", "-qm", "docs")
    result = run_new(str(project.source("no-headings.txt")), "--json", "--dry-run")
    assert json.loads(result.out)["id"] == "KB-0004"
    assert store.next_id(project.docs / "guide") == "KB-0041"  # the folder passed decides


def test_next_id_with_a_custom_articles_dir(project: KbProject, run_new) -> None:
    project.write(
        "mkdocs.yml",
        (project.root / "mkdocs.yml").read_text().replace("articles_dir: kb", "articles_dir: kb2"),
    )
    project.write("docs/kb/auth/old-layout.md", "---\nid: KB-0090\ntitle: Old\n---\n")
    project.write("docs/kb2/auth/sso.md", "---\nid: KB-0005\ntitle: SSO\n---\n")
    result = run_new(str(project.source("no-headings.txt")), "--json")
    payload = json.loads(result.out)
    assert payload["id"] == "KB-0006"
    assert payload["path"].startswith("docs/kb2/")


def test_ids_of_deleted_articles_are_never_reused(project: KbProject, run_new) -> None:
    def git(*args: str) -> None:
        _git(project, *args)

    git("init", "-q")
    old = project.write("docs/kb/auth/old.md", "---\nid: KB-0007\ntitle: Old\n---\n")
    git("add", "-A")
    git("commit", "-qm", "old article")
    old.unlink()
    git("commit", "-qam", "remove it")
    result = run_new(str(project.source("no-headings.txt")), "--json")
    assert json.loads(result.out)["id"] == "KB-0008"
