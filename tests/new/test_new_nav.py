"""The nav edit inserts one line and keeps every other byte of mkdocs.yml."""

from __future__ import annotations

from pathlib import Path

from kbtools.article.nav import add_to_nav
from tests.new.support import check_golden

BEFORE = Path(__file__).resolve().parents[1] / "fixtures" / "new" / "mkdocs-nav.before.yml"


def test_golden_before_after() -> None:
    before = BEFORE.read_text(encoding="utf-8")
    edit = add_to_nav(
        before, "kb/auth/okta-scim-sync-fails.md", 'Okta SCIM sync fails: "401"', "kb"
    )
    assert edit.text is not None, edit.reason
    check_golden("mkdocs-nav.after.yml", edit.text)
    before_lines = before.splitlines(keepends=True)
    after_lines = edit.text.splitlines(keepends=True)
    assert len(after_lines) == len(before_lines) + 1
    inserted = after_lines.pop(edit.line - 1)
    assert after_lines == before_lines
    assert (
        inserted
        == '          - "Okta SCIM sync fails: \\"401\\"": kb/auth/okta-scim-sync-fails.md\n'
    )


def test_new_area_goes_into_the_kb_section() -> None:
    before = BEFORE.read_text(encoding="utf-8")
    edit = add_to_nav(before, "kb/storage/disk-full.md", "Disk full", "kb")
    assert edit.text is not None
    lines = edit.text.splitlines()
    index = lines.index("      - kb/storage/disk-full.md")
    assert (
        lines[index - 1] == "          - 'Indexed search is slow': kb/search/indexed-search-slow.md"
    )
    assert lines[index + 1] == "  - About: about.md"


def test_no_nav_or_no_kb_section_leaves_the_file_alone() -> None:
    assert add_to_nav("site_name: x\n", "kb/a/b.md", "T", "kb").text is None
    edit = add_to_nav("nav:\n  - Home: index.md\n", "kb/a/b.md", "T", "kb")
    assert edit.text is None and "no kb/ pages" in edit.reason
    flow = add_to_nav("nav: [kb/index.md]\n", "kb/a/b.md", "T", "kb")
    assert flow.text is None


def test_crlf_files_keep_crlf() -> None:
    text = "nav:\r\n  - KB:\r\n    - kb/index.md\r\n  - About: about.md\r\n"
    edit = add_to_nav(text, "kb/a/b.md", "T", "kb")
    assert (
        edit.text
        == "nav:\r\n  - KB:\r\n    - kb/index.md\r\n    - kb/a/b.md\r\n  - About: about.md\r\n"
    )
