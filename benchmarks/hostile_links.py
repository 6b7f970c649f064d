"""How long hostile link targets hold `kb lint --external` (built-in engine, loopback only).

Usage: python benchmarks/hostile_links.py [--timeout 2]
Each case is checked alone; the table shows the outcome, the message and the seconds it
took. With the per-URL bound (`url_timeout`, default 2 x timeout) every case ends by then;
before it, a body dripped one byte per second ended only when the server stopped.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.httpserver

from kbtools.engines.urlcheck import EngineSettings, get_engine
from tests.httpserver import LocalServer


def main(argv: list[str]) -> int:
    """Print one row per hostile case."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--timeout", type=float, default=2.0)
    args = parser.parse_args(argv)
    server = LocalServer().start()
    try:
        big = b"<html>" + b"x" * 100_000 + b"</html>"
        cases = {
            "1 KB body dripped, 1 byte / 1 s": server.route("/drip", drip=1.0, body=big[:1024]),
            "100 KB body dripped (too big to drain)": server.route("/big", drip=1.0, body=big),
            "body dripped, fragment wanted": server.route("/drip2", drip=1.0, body=big) + "#top",
            "headers dripped, 1 byte / 0.5 s": server.route("/head", drip_headers=0.5),
            "silent after accept": server.route("/hang", hang=True),
            "redirect chain, 0.9 s per hop": server.route(
                "/r1", status=302, headers={"Location": "/r2"}, delay=0.9
            ),
            "fast page (control)": server.route("/ok"),
        }
        server.route("/r2", status=302, headers={"Location": "/r3"}, delay=0.9)
        server.route("/r3", status=302, headers={"Location": "/ok"}, delay=0.9)
        settings = EngineSettings(timeout=args.timeout, deadline=120.0, allow_private=True)
        print(f"timeout {args.timeout:g} s, per-URL bound {settings.url_limit:g} s")
        print("| case | outcome | seconds | message |\n| --- | --- | --- | --- |")
        for name, url in cases.items():
            started = time.monotonic()
            result = get_engine("builtin").check([url], settings)[url]
            elapsed = time.monotonic() - started
            print(f"| {name} | {result.outcome.value} | {elapsed:.2f} | {result.message} |")
    finally:
        server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
