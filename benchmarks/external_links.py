"""Benchmark `kb lint --external` against LinkChecker and lychee on local slow hosts.

A server process answers on 20 loopback addresses (127.0.0.2 to 127.0.0.21, which Linux
routes without setup) after a fixed latency; a generated docs tree holds 1,000 distinct URLs
(3,000 occurrences) spread over those hosts. Every tool checks the same URLs; the server counts
the requests of each run. Only 127.0.0.x is ever contacted and every run has a time limit.

    python benchmarks/external_links.py                 # every tool
    python benchmarks/external_links.py --only kb lychee --latency 0.1
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HOSTS = [f"127.0.0.{n}" for n in range(2, 22)]
BIN = Path(sys.executable).parent
RUN_LIMIT = 600.0
"""Seconds one tool may run before it is stopped (bounded benchmark)."""


# --------------------------------------------------------------------------- server


def serve(port: int, latency: float, ready: multiprocessing.synchronize.Event) -> None:
    """Answer every GET after `latency` seconds (keep-alive); /__stats and /__reset are instant."""
    counts = {"requests": 0, "max_in_flight": 0, "in_flight": 0}

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                line = head.split(b"\r\n", 1)[0].decode("latin-1")
                path = line.split(" ")[1] if " " in line else "/"
                if path == "/__stats":
                    body = json.dumps(counts).encode()
                elif path == "/__reset":
                    counts.update(requests=0, max_in_flight=0)
                    body = b"{}"
                else:
                    counts["requests"] += 1
                    counts["in_flight"] += 1
                    counts["max_in_flight"] = max(counts["max_in_flight"], counts["in_flight"])
                    await asyncio.sleep(latency)
                    counts["in_flight"] -= 1
                    body = b"<html><body><h1 id='top'>page</h1></body></html>"
                status = b"404 Not Found" if path == "/robots.txt" else b"200 OK"
                writer.write(
                    b"HTTP/1.1 " + status + b"\r\nContent-Type: text/html\r\n"
                    b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    async def main() -> None:
        servers = [await asyncio.start_server(handle, host, port, backlog=1024) for host in HOSTS]
        ready.set()
        await asyncio.gather(*(s.serve_forever() for s in servers))

    asyncio.run(main())


def server_get(port: int, path: str) -> dict[str, int]:
    with urllib.request.urlopen(f"http://{HOSTS[0]}:{port}{path}", timeout=5) as response:
        data: dict[str, int] = json.loads(response.read())
        return data


# --------------------------------------------------------------------------- tree


def make_tree(
    root: Path, port: int, urls: int, per_url: int, pages: int, kb_options: list[str]
) -> list[str]:
    """A MkDocs project whose pages use `urls` distinct URLs `per_url` times each."""
    addresses = [f"http://{HOSTS[i % len(HOSTS)]}:{port}/docs/page-{i}.html" for i in range(urls)]
    occurrences = [u for _ in range(per_url) for u in addresses]
    (root / "docs").mkdir(parents=True)
    (root / "mkdocs.yml").write_text(
        "site_name: bench\nplugins:\n  - kb:\n      lint:\n        external:\n"
        "          cache_dir: .kb-cache\n          deadline: 600\n"
        # The benchmark servers listen on loopback addresses: allowed explicitly.
        "          allow_private: true\n"
        + "".join(f"          {option}\n" for option in kb_options),
        encoding="utf-8",
    )
    size = -(-len(occurrences) // pages)
    for n in range(pages):
        chunk = occurrences[n * size : (n + 1) * size]
        lines = [f"# Page {n}", ""] + [f"- See [link {i}]({u})." for i, u in enumerate(chunk)]
        (root / "docs" / f"page-{n:03d}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "urls.txt").write_text("\n".join(addresses) + "\n", encoding="utf-8")
    return addresses


# --------------------------------------------------------------------------- tools


def kb_command(root: Path, engine: str) -> list[str]:
    return [str(BIN / "kb"), "lint", "--external", "--style", "off", "-f", str(root / "mkdocs.yml")]


def set_engine(root: Path, engine: str) -> None:
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if "engine:" not in ln]
    lines.insert(lines.index("        external:") + 1, f"          engine: {engine}")
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")


TOOLS = {
    "kb": "kb lint --external (built-in engine)",
    "kb-cached": "kb lint --external again (cache fresh)",
    "kb-linkchecker": "kb lint --external with engine: linkchecker",
    "linkchecker": "linkchecker -r0 --stdin (defaults: 10 threads, 0.1-0.6 s between requests to a host)",
    "linkchecker-fast": "linkchecker -r0 --stdin -t100, maxrequestspersecond=1000",
    "lychee": "lychee docs (defaults: 128 requests in flight, 10 per host, 50 ms per-host interval)",
}


def command(tool: str, root: Path, shared: Path) -> tuple[list[str], str | None]:
    """(argv, stdin file) for one tool."""
    if tool in ("kb", "kb-cached"):
        return kb_command(root, "builtin"), None
    if tool == "kb-linkchecker":
        return kb_command(root, "linkchecker"), None
    if tool == "linkchecker":
        return [str(BIN / "linkchecker"), "--no-status", "-r0", "--stdin"], str(shared / "urls.txt")
    if tool == "linkchecker-fast":
        return [
            str(BIN / "linkchecker"),
            "--no-status",
            "-r0",
            "-t100",
            "-f",
            str(shared / "linkcheckerrc"),
            "--stdin",
        ], str(shared / "urls.txt")
    if tool == "lychee":
        return [str(BIN / "lychee"), "--no-progress", "--timeout", "20", str(root / "docs")], None
    raise ValueError(tool)


def run_tool(tool: str, root: Path, shared: Path, port: int) -> dict[str, object]:
    if tool in ("kb", "kb-linkchecker"):
        shutil.rmtree(root / ".kb-cache", ignore_errors=True)
        set_engine(root, "linkchecker" if tool == "kb-linkchecker" else "builtin")
    if tool == "kb-cached":
        set_engine(root, "builtin")
    argv, stdin = command(tool, root, shared)
    server_get(port, "/__reset")
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    started = time.perf_counter()
    with open(stdin or os.devnull, "rb") as handle:
        try:
            proc = subprocess.run(
                argv, stdin=handle, capture_output=True, timeout=RUN_LIMIT, env=env, cwd=root
            )
            code: object = proc.returncode
            tail = (proc.stdout + proc.stderr).decode(errors="replace").strip().splitlines()[-2:]
        except subprocess.TimeoutExpired:
            code, tail = f"stopped after {RUN_LIMIT:g} s", []
    seconds = time.perf_counter() - started
    stats = server_get(port, "/__stats")
    return {
        "tool": tool,
        "seconds": round(seconds, 2),
        "requests": stats["requests"],
        "max_in_flight": stats["max_in_flight"],
        "exit": code,
        "tail": tail,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=1000)
    parser.add_argument("--per-url", type=int, default=3)
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--port", type=int, default=18080)
    parser.add_argument(
        "--kb-option",
        action="append",
        default=[],
        help="extra `key: value` for kb.lint.external, e.g. 'per_host: 2' (repeatable)",
    )
    parser.add_argument("--only", nargs="*", choices=list(TOOLS), default=list(TOOLS))
    args = parser.parse_args(argv)

    ready = multiprocessing.Event()
    server = multiprocessing.Process(
        target=serve, args=(args.port, args.latency, ready), daemon=True
    )
    server.start()
    if not ready.wait(10):
        print("server did not start", file=sys.stderr)
        return 2
    # LinkChecker's command line runs as `nobody` when started as root: give it a
    # world-readable folder for its input and config.
    shared = Path(tempfile.mkdtemp(prefix="kb-bench-shared-"))
    shared.chmod(0o755)
    root = Path(tempfile.mkdtemp(prefix="kb-bench-tree-"))
    try:
        urls = make_tree(
            root / "site", args.port, args.urls, args.per_url, args.pages, args.kb_option
        )
        shutil.copy(root / "site" / "urls.txt", shared / "urls.txt")
        (shared / "linkcheckerrc").write_text(
            "[checking]\nmaxrequestspersecond=1000\nthreads=100\n", encoding="utf-8"
        )
        for path in shared.iterdir():
            path.chmod(0o644)
        print(
            f"{len(urls)} URLs, {len(urls) * args.per_url} occurrences, {args.pages} pages, "
            f"{len(HOSTS)} hosts, latency {args.latency * 1000:.0f} ms"
        )
        results = []
        for tool in args.only:
            result = run_tool(tool, root / "site", shared, args.port)
            results.append(result)
            print(json.dumps(result), flush=True)
        print()
        print("| tool | what | seconds | requests | max in flight | exit |")
        print("| --- | --- | --- | --- | --- | --- |")
        for r in results:
            print(
                f"| {r['tool']} | {TOOLS[str(r['tool'])]} | {r['seconds']} | {r['requests']} "
                f"| {r['max_in_flight']} | {r['exit']} |"
            )
    finally:
        server.terminate()
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(shared, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
