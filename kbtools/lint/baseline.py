"""Baselines: adopt the linter without fixing history first; only new findings count.

A baseline is a JSON file of finding fingerprints (rule, path, offending text: never the
line), with a count per fingerprint so that a second identical problem is still new.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from kbtools.atomic import write_text_atomic
from kbtools.errors import InputError
from kbtools.findings import Finding

BASELINE_VERSION = 1


def load_baseline(path: Path) -> Counter[str]:
    """Fingerprint counts from a baseline file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(
            f"{path}: baseline file not found (create it with --write-baseline)"
        ) from None
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: not a kb baseline file ({exc})") from None
    if not isinstance(data, dict) or data.get("version") != BASELINE_VERSION:
        raise InputError(f"{path}: not a kb baseline file (expected version {BASELINE_VERSION})")
    counts: Counter[str] = Counter()
    for entry in data.get("findings", []):
        if isinstance(entry, dict) and isinstance(entry.get("fingerprint"), str):
            counts[entry["fingerprint"]] += 1
    return counts


def filter_new(findings: Iterable[Finding], baseline: Counter[str]) -> list[Finding]:
    """Findings not covered by the baseline (each baseline entry absorbs one finding)."""
    remaining = Counter(baseline)
    new: list[Finding] = []
    for finding in findings:
        key = finding.fingerprint()
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            new.append(finding)
    return new


def write_baseline(path: Path, findings: Iterable[Finding]) -> int:
    """Write every finding into a baseline file; returns how many entries it holds."""
    entries = [
        {"fingerprint": f.fingerprint(), "rule": f.rule, "path": f.path, "message": f.message}
        for f in findings
    ]
    payload = {"version": BASELINE_VERSION, "findings": entries}
    write_text_atomic(path, json.dumps(payload, indent=2, sort_keys=True) + "\n")
    return len(entries)
