"""Pages split into answer units: KB articles whole, other pages by H2/H3 section, with anchors."""

from __future__ import annotations

from kbtools.config import _toc_settings
from kbtools.match.sections import page_units

TOC = _toc_settings({"toc": {"permalink": True}})

FAQ = """\
# FAQ

Intro text.

## How do I fix `invalid cookie, longer than max length 4093`?

Lower the number of groups in the token.

### How do I fix the issue?

Use a smaller token.

#### Details

More details.

## Why is my app `OutOfSync`?

```text
ComparisonError: failed to load target state
```
"""

ARTICLE = """\
---
id: KB-0042
title: Migrator fails with relation does not exist
summary: The migrator stops on a missing table.
versions:
  affected: ["5.1.0"]
deployment: [kubernetes]
---

## Problem

The upgrade stops.

## Error messages

- `ERROR: relation "repo" does not exist (SQLSTATE 42P01)`

```text
migrator | failed to apply migration
```

## Resolution

Run the migrator again.
"""


def test_a_faq_page_gives_one_unit_per_entry_with_the_site_anchor() -> None:
    body = FAQ
    units = page_units(FAQ, body, {}, "docs/faq.md", TOC, is_article=False)
    assert [(u.kind, u.anchor) for u in units] == [
        ("page", None),
        ("section", "how-do-i-fix-invalid-cookie-longer-than-max-length-4093"),
        ("section", "how-do-i-fix-the-issue"),
        ("section", "why-is-my-app-outofsync"),
    ]
    entry = units[1]
    assert entry.page_title == "FAQ"
    kinds = {(line.kind, line.text) for line in entry.lines}
    assert ("heading-quote", "invalid cookie, longer than max length 4093") in kinds
    # H4 content stays in its H3; the H3 knows the entry it belongs to.
    assert any(line.text == "More details." for line in units[2].lines)
    assert "cookie" in units[2].heading_words
    code = [line for line in units[3].lines if line.kind == "code"]
    assert code[0].text == "ComparisonError: failed to load target state"
    assert code[0].number == 20


def test_a_kb_article_is_one_unit_with_its_error_messages_marked() -> None:
    body = ARTICLE.split("---\n", 2)[2]
    meta = {
        "id": "KB-0042",
        "title": "Migrator fails with relation does not exist",
        "summary": "The migrator stops on a missing table.",
        "versions": {"affected": ["5.1.0"]},
        "deployment": ["kubernetes"],
    }
    (unit,) = page_units(ARTICLE, body, meta, "docs/kb/x.md", TOC, is_article=True)
    assert (unit.kind, unit.anchor, unit.id) == ("article", None, "KB-0042")
    assert unit.versions == ["5.1.0"] and unit.deployment == ["kubernetes"]
    errors = [line for line in unit.lines if line.kind == "errors"]
    assert {line.text for line in errors} >= {
        'ERROR: relation "repo" does not exist (SQLSTATE 42P01)',
        "migrator | failed to apply migration",
    }
    assert errors[0].number == 16  # line numbers of the file, front matter included
    assert all(
        line.kind != "errors" for line in unit.lines if line.text == "Run the migrator again."
    )
