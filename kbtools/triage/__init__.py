"""`kb triage`: the article, FAQ entry or docs section that already solved a pasted error.

`triage_text(text, config_file)` returns the `kb triage --json` payload: the parsed query,
the ranked matches with their evidence, and whether it abstained (nothing scored at least
the threshold). The matching itself is `kbtools.match`, shared with `kb new`'s duplicate check.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kbtools.triage.search import search

PAYLOAD_VERSION = 1


def triage_text(
    text: str,
    config_file: Path,
    *,
    audience: str = "internal",
    top: int = 5,
    min_score: float | None = None,
) -> dict[str, Any]:
    """The `kb triage --json` payload for a pasted text, against the site of `config_file`."""
    from kbtools.project import Project

    project = Project.load(str(config_file))
    return search(project, text, audience=audience, top=top, min_score=min_score).as_json()


__all__ = ["PAYLOAD_VERSION", "triage_text"]
