"""rules.json is data both Python and the site's JavaScript load: same patterns, same matches."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest

from kbtools.match import rules

LINES = [
    't=2024-03-04T09:12:44Z lvl=eror msg="failed to fetch" repo=github.com/acme/fw err="no space"',
    '{"level":"error","msg":"Failed to sync app","app":"acme-payments","error":"x509: expired"}',
    "dial tcp 10.0.4.17:5432: connect: connection refused id=8a2f0c9e-1b7d",
    "notification service 'slackk' is not supported; see /var/log/argocd/x.log",
    "FATA[0000] rpc error: code = Unknown desc = authentication required",
    "\tat com.acme.billing.Loader.load(Loader.java:42)",
    '2026-06-03 09:14:02.118 UTC [4411] FATAL:  password authentication failed for user "sg"',
]


def _patterns(data: Any, path: str = "") -> Iterator[tuple[str, dict[str, str]]]:
    if isinstance(data, dict):
        if "pattern" in data:
            yield path, data
        for key, value in data.items():
            yield from _patterns(value, f"{path}.{key}")
    elif isinstance(data, list):
        for number, value in enumerate(data):
            yield from _patterns(value, f"{path}[{number}]")


def test_every_pattern_uses_the_syntax_python_and_javascript_share() -> None:
    data = json.loads(rules.raw_text())
    found = list(_patterns(data))
    assert len(found) >= 10
    for path, spec in found:
        assert set(spec.get("flags", "")) <= set("ims"), path
        # Named groups, inline flags, possessive runs, \A \Z: Python-only syntax.
        assert not re.search(r"\(\?P|\(\?[aiLmsux]+[):]|\\[AZ]|[*+?]\+", spec["pattern"]), path
        re.compile(spec["pattern"])


def test_the_ranking_weights_are_all_in_the_file() -> None:
    ranking = rules.load().ranking
    for key in ("line_kind", "threshold", "error_weight", "text_weight", "order_weight"):
        assert key in ranking
    assert 0 < ranking["threshold"] < 1


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_javascript_finds_the_same_matches_as_python() -> None:
    data = json.loads(rules.raw_text())
    specs = dict(_patterns(data))
    expected = {
        path: [
            [m.group(0) for m in re.compile(spec["pattern"], _flags(spec)).finditer(line)]
            for line in LINES
        ]
        for path, spec in specs.items()
    }
    script = """
const specs = JSON.parse(process.argv[1]), lines = JSON.parse(process.argv[2]);
const out = {};
for (const [path, spec] of Object.entries(specs)) {
  const re = new RegExp(spec.pattern, (spec.flags || "") + "g");
  out[path] = lines.map((line) => Array.from(line.matchAll(re), (m) => m[0]));
}
console.log(JSON.stringify(out));
"""
    result = subprocess.run(
        ["node", "-e", script, json.dumps(specs), json.dumps(LINES)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert json.loads(result.stdout) == expected


def _flags(spec: dict[str, str]) -> int:
    value = 0
    for letter in spec.get("flags", ""):
        value |= {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL}[letter]
    return value
