"""Time detection and redaction on a large Markdown file (default 5 MB of argo-cd docs).

Usage: python benchmarks/secrets_speed.py [/work/shared/corpora/argo-cd/docs] [--mb 5]
Also times adversarial inputs (one long token-character run, many `@` and dots) that
would expose quadratic regular expressions.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from kbtools.sensitive import RedactionContext, Redactor, find


def build(root: Path, megabytes: float) -> str:
    """Concatenate the Markdown files under root until the text is `megabytes` long."""
    pages = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(root.rglob("*.md"))]
    target = int(megabytes * 1024 * 1024)
    parts: list[str] = []
    size = 0
    while size < target:
        for page in pages:
            parts.append(page)
            size += len(page)
            if size >= target:
                break
    return "".join(parts)[:target]


def timed(label: str, func: object, *args: object) -> None:
    started = time.perf_counter()
    result = func(*args)  # type: ignore[operator]
    elapsed = time.perf_counter() - started
    count = len(result) if isinstance(result, list) else len(str(result))
    print(f"{label:<48} {elapsed:6.2f} s  ({count} items/chars)")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("root", nargs="?", default="/work/shared/corpora/argo-cd/docs", type=Path)
    parser.add_argument("--mb", type=float, default=5.0)
    args = parser.parse_args(argv)
    text = build(args.root, args.mb)
    context = RedactionContext(
        people=["Jane Doe", "Peter Gibbons"], organizations=["Acme Corp", "acme.com"]
    )
    print(f"input: {len(text) / 1024 / 1024:.1f} MB of Markdown from {args.root}")
    timed("find(text)", find, text)
    timed("find(text, context)", find, text, context)
    timed(
        "find(text, private_addresses=False) [lint]",
        lambda t: find(t, private_addresses=False),
        text,
    )
    timed("Redactor(context).redact(text)", Redactor(context).redact, text)
    size = int(args.mb * 1024 * 1024)
    timed("adversarial: one token-character run", find, "a1B2" * (size // 4))
    timed("adversarial: dots and @", find, "a.b@c." * (size // 6))
    timed("adversarial: key=value repeated", find, "password=" * (size // 9))
    timed("adversarial: digits and dashes", find, "12-34-56 " * (size // 9))
    timed("adversarial: hex and colons", find, "ab:cd:" * (size // 6))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
