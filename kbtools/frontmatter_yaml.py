"""YAML front matter: round-trip parsing (comments and key order survive) and atomic dumps."""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError


class FrontMatterError(Exception):
    """Front matter that is not valid YAML or not a mapping; `line` is 1-based in the file."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def round_trip_yaml() -> YAML:
    """A ruamel.yaml instance that keeps comments, order and quoting."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def parse_front_matter(text: str, *, first_line: int = 2) -> dict[str, Any] | None:
    """Parse front matter YAML; `first_line` is the file line where the YAML starts."""
    if not text.strip():
        return None
    try:
        data = round_trip_yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        column = (mark.column + 1) if mark else 1
        problem = " ".join(str(exc.problem or exc.context or "invalid YAML").split())
        raise FrontMatterError(f"front matter is not valid YAML: {problem}", line, column) from None
    except YAMLError as exc:
        raise FrontMatterError(f"front matter is not valid YAML: {exc}", first_line) from None
    if data is None:
        return None
    if not isinstance(data, dict):
        raise FrontMatterError(
            f"front matter must be a mapping of keys, not a {type(data).__name__}", first_line
        )
    return data


def dump_yaml(data: Any) -> str:
    """Serialize YAML the way `round_trip_yaml` reads it."""
    buffer = io.StringIO()
    round_trip_yaml().dump(data, buffer)
    return buffer.getvalue()
