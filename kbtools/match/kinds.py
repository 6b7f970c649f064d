"""Kinds of document lines and the command shape: shared by the splitter and the ranking.

Kept apart from `sections.py` so ranking a query never imports the Markdown parser.
"""

from __future__ import annotations

from kbtools.match import rules

LINE_KINDS = ("errors", "heading-quote", "heading", "code", "quote", "prose", "command")
"""How a document line says something; `rules.json` weighs each kind (`ranking.line_kind`)."""


def is_command(line: str) -> bool:
    """True for a command someone runs (`$ kubectl ...`, `helm upgrade ...`): not an error."""
    return any(p.search(line) for p in rules.load().patterns("command"))
