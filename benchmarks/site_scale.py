"""Site build at scale: a generated KB of N articles built with the kb plugin and with plain
Material defaults on the same content; prints build time, site size, average page size and
search index size.

    python benchmarks/site_scale.py --articles 2000 [--keep DIR] [--json]

The KB is generated with a fixed seed: articles in product-area folders, realistic sizes
(troubleshooting sections, log excerpts, code blocks), 85% public and published, the rest
internal, draft or archived. Configurations, each built once in a fresh process:

- kb:             Material + search + kb plugin, defaults (what `kb init` sets up); `kb build`
                  (staged, engine MkDocs, `site.kb_nav: areas`)
- kb-articles:    the same with `site.kb_nav: articles` (every article in the nav, by area)
- kb-properdocs:  `kb build --engine properdocs` (defaults)
- kb-zensical:    `kb build --engine zensical` (defaults)
- no-prune:       `kb` with `site: {material_defaults: false}` (no navigation.prune, Material's
                  search defaults): isolates the effect of the Material tuning
- material-prune: Material + search + navigation.prune, no kb plugin: `mkdocs build`, every page
- material:       Material + search only (no kb plugin: every page, no generated pages); `mkdocs build`
- kb-material, kb-pagefind: `kb` with `site.search` set to one backend (`kb` itself uses
                  the default, `auto`: Pagefind from 500 articles on)
- no-panel:       `kb` with `site: {error_panel: false}`: isolates the cost of the error panel's index

Per page: build CPU seconds divided by the pages built (kb builds fewer pages: only the
public ones). Article page: the average size of the article pages alone (not the listings).

With `--argo PATH` the Argo CD docs are copied under docs/argo-cd/ (issue 17's scale: 2,000
articles plus the Argo CD docs). After the kb build, the error panel is measured in node
(tests/site/error_panel_node.js --first): every `public: true` paste of the triage set
(tests/fixtures/triage) as a first search, nothing fetched before it; the bytes it fetches
(as stored, and gzip-compressed as a static host serves JSON) and the time to rank in node.
The Zendesk exports, which nobody pastes into a search box, are reported apart.

With `--search`, each built site is also searched once in headless Chromium
(benchmarks/first_search.py): bytes downloaded for the first search (<= 300 KB is the target
at 2,000 articles) and time to the first result, for three pasted error lines of one article.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kbtools.site.stats import SiteStats, human, measure  # noqa: E402

AREAS = ["install", "upgrades", "auth", "search", "storage", "networking", "observability", "batch"]
SERVICES = [
    "frontend",
    "gitserver",
    "searcher",
    "zoekt",
    "blobstore",
    "pgsql",
    "codeintel-db",
    "redis-cache",
    "worker",
    "migrator",
    "precise-code-intel-worker",
    "syntect-server",
]
DEPLOYMENTS = ["kubernetes", "docker-compose", "helm", "docker-single-container"]
TAGS = [
    "proxy",
    "tls",
    "timeouts",
    "memory",
    "disk",
    "database",
    "upgrades",
    "sso",
    "ingress",
    "performance",
    "permissions",
    "indexing",
    "backups",
    "dns",
    "certificates",
    "logging",
    "metrics",
    "git",
    "ssh",
    "rate-limits",
    "migrations",
    "helm-values",
    "sidecars",
    "cpu",
]
_WORD_TEXT = (
    "the instance pod container deployment service request response timeout connection "
    "configuration value default limit repository index search query user site admin log "
    "restart upgrade version cluster node volume disk memory cpu network proxy certificate "
    "token secret database migration schema lock worker queue job retry error warning fails "
    "after before when while because which shows returns waits stops starts reads writes"
)
WORDS = _WORD_TEXT.split()
ERRORS = [
    "dial tcp {ip}:{port}: connect: connection refused",
    "context deadline exceeded (Client.Timeout exceeded while awaiting headers)",
    "exit status 128: fatal: early EOF",
    "x509: certificate signed by unknown authority",
    'pq: password authentication failed for user "{user}"',
    "OOMKilled: container {svc} exceeded memory limit {mem}Mi",
    'ERROR: relation "{table}" does not exist (SQLSTATE 42P01)',
    "write {path}: no space left on device",
    "rpc error: code = Unavailable desc = connection error: {svc}:{port}",
    "failed to acquire migration lock after {n} attempts",
]


def sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(sentence(rng, rng.randint(8, 18)) for _ in range(sentences))


def error_line(rng: random.Random, index: int) -> str:
    template = rng.choice(ERRORS)
    return template.format(
        ip=f"10.{rng.randint(0, 9)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
        port=rng.choice([443, 5432, 6379, 9000, 3178]),
        user=rng.choice(["sg", "acme", "admin"]),
        svc=rng.choice(SERVICES),
        mem=rng.choice([512, 1024, 2048]),
        table=rng.choice(["repo", "users", "lsif_uploads", "batch_changes"]),
        path=f"/data/repos/{index}/objects",
        n=rng.randint(3, 30),
    )


def article(rng: random.Random, index: int) -> tuple[str, str, str]:
    area = AREAS[index % len(AREAS)]
    roll = rng.random()
    visibility, status = "public", "published"
    if roll > 0.85:
        visibility, status = rng.choice(
            [("internal", "published"), ("public", "draft"), ("public", "archived")]
        )
    kind = "known-issue" if index % 10 == 0 else "troubleshooting"
    errors = [
        f"{rng.choice(SERVICES)} | {error_line(rng, index)}" for _ in range(rng.randint(1, 3))
    ]
    title = (
        f"{rng.choice(SERVICES)} {rng.choice(['fails', 'stops', 'restarts', 'hangs'])} "
        f"with {error_line(rng, index).split(':')[0]} (case {index})"
    )
    slug = f"{area}-case-{index:05d}"
    versions = sorted({f"5.{rng.randint(0, 5)}" for _ in range(rng.randint(1, 3))})
    fixed = (
        f'\n  fixed: "5.{rng.randint(6, 9)}.0"'
        if kind == "known-issue" and rng.random() > 0.4
        else ""
    )
    front = f"""---
id: KB-{index + 1:05d}
title: {json.dumps(title)}
summary: {json.dumps(sentence(rng, 16))}
type: {kind}
product_area: {area}
visibility: {visibility}
status: {status}
versions:
  affected: {json.dumps(versions)}{fixed}
deployment: {json.dumps(rng.sample(DEPLOYMENTS, rng.randint(1, 2)))}
services: {json.dumps(rng.sample(SERVICES, rng.randint(1, 3)))}
tags: {json.dumps(rng.sample(TAGS, rng.randint(2, 4)))}
tickets: [ZD-{rng.randint(10000, 99999)}]
owner: support-{rng.choice(["emea", "amer", "apac"])}
created: 2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d}
updated: 2026-11-{rng.randint(1, 27):02d}
review_by: 2027-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}
---
"""
    if kind == "known-issue":
        body = f"""
## Problem

{paragraph(rng, 4)}

## Affected versions

{", ".join(versions)}.

## Workaround

{paragraph(rng, 3)}

```sh
kubectl -n acme rollout restart deployment/{rng.choice(SERVICES)}
```

## Status

{paragraph(rng, 2)}
"""
    else:
        errors_md = "\n".join(errors)
        body = f"""
## Problem

{paragraph(rng, 4)}

## Error messages

```text
{errors_md}
```

## Environment

- Acme Search {versions[-1]}
- {paragraph(rng, 1)}

## Troubleshooting

1. {paragraph(rng, 2)}

    ```sh
    kubectl -n acme logs deploy/{rng.choice(SERVICES)} --since=1h | grep -i error
    ```

2. {paragraph(rng, 2)}

## Cause

{paragraph(rng, 3)}

## Resolution

{paragraph(rng, 3)}

```yaml
{rng.choice(SERVICES)}:
  env:
    TIMEOUT: "{rng.randint(10, 120)}s"
    MAX_CONNECTIONS: "{rng.randint(10, 500)}"
```

## Additional information

{paragraph(rng, 2)}
"""
    return f"{area}/{slug}.md", front + body, visibility + "/" + status


MKDOCS_YML = """site_name: Acme Search KB (benchmark)
site_url: https://kb.example.com/
theme:
  name: material
{features}markdown_extensions:
  - toc:
      permalink: true
  - admonition
  - tables
  - pymdownx.superfences
  - pymdownx.highlight
plugins:
  - search
{kb}"""
KB_PLUGIN = f"""  - kb:
      articles_dir: kb
      product_areas: {json.dumps(AREAS)}
"""


def generate(root: Path, articles: int, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    docs = root / "docs"
    (docs / "kb").mkdir(parents=True)
    (docs / "index.md").write_text("# Acme Search documentation\n\nSee the [KB](kb/index.md).\n")
    counts: dict[str, int] = {}
    for index in range(articles):
        rel, text, kind = article(rng, index)
        path = docs / "kb" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        counts[kind] = counts.get(kind, 0) + 1
    return counts


def configure(project: Path, name: str) -> None:
    features = "  features:\n    - navigation.sections\n    - navigation.indexes\n"
    if name in ("kb", "kb-properdocs", "kb-zensical"):
        text = MKDOCS_YML.format(features=features, kb=KB_PLUGIN)
    elif name == "kb-articles":
        kb = KB_PLUGIN + "      site: {kb_nav: articles}\n"
        text = MKDOCS_YML.format(features=features, kb=kb)
    elif name == "material-prune":
        text = MKDOCS_YML.format(features=features + "    - navigation.prune\n", kb="")
    elif name == "no-panel":
        kb = KB_PLUGIN + "      site: {error_panel: false}\n"
    elif name in ("kb-material", "kb-pagefind"):
        kb = KB_PLUGIN + f"      site: {{search: {name.removeprefix('kb-')}}}\n"
        text = MKDOCS_YML.format(features=features, kb=kb)
    elif name == "no-prune":
        kb = KB_PLUGIN + "      site: {material_defaults: false}\n"
        text = MKDOCS_YML.format(features=features, kb=kb)
    else:
        text = MKDOCS_YML.format(features=features, kb="")
    (project / "mkdocs.yml").write_text(text, encoding="utf-8")


def build(project: Path, name: str) -> tuple[float, float, SiteStats]:
    site = project / f"site-{name}"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1"}
    if name.startswith("material"):
        command = [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)]
    else:
        command = [
            sys.executable,
            "-m",
            "kbtools",
            "build",
            "--audience",
            "public",
            "-d",
            str(site),
        ]
        if name in ("kb-properdocs", "kb-zensical"):
            command += ["--engine", name.removeprefix("kb-")]
    # CPU time of the build process too: wall time swings on a shared, busy machine.
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    subprocess.run(command, cwd=project, env=env, check=True, stdout=subprocess.DEVNULL)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, measure(site)


def article_pages(site: Path) -> tuple[int, int]:
    """Number and total bytes of the article pages (`kb/AREA/SLUG/index.html`)."""
    count = size = 0
    for path in site.glob("kb/*/*/index.html"):
        if path.parts[-3] in ("areas", "tags"):
            continue
        count += 1
        size += path.stat().st_size
    return count, size


def error_panel(site: Path) -> dict[str, float] | None:
    """First-search bytes and time of the error panel over the triage set's public pastes
    (the Zendesk exports apart)."""
    node = shutil.which("node")
    if node is None or not (site / "kb-error").is_dir():
        return None
    sys.path.insert(0, str(ROOT / "tests" / "triage"))
    from scoring import load_cases

    # What a customer pastes into a search box; the Zendesk exports (support engineers give
    # those to `kb triage`) are measured apart, as the worst case.
    cases = [case for case in load_cases() if case.public]
    cases.sort(key=lambda case: case.kind == "zendesk")
    texts = [case.text for case in cases]
    exports = sum(1 for case in cases if case.kind == "zendesk")
    done = subprocess.run(
        [node, str(ROOT / "tests" / "site" / "error_panel_node.js"), str(site), "3", "--first"],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        check=True,
    )
    every = json.loads(done.stdout)
    runs = every[: len(every) - exports]

    def pick(key: str) -> list[float]:
        return sorted(float(run[key]) for run in runs)

    raw, gz, ms = pick("bytes"), pick("gzip_bytes"), pick("ms")
    p90 = int(0.9 * (len(runs) - 1))
    return {
        "pastes": len(runs),
        "index_bytes": sum(p.stat().st_size for p in (site / "kb-error").rglob("*.json")),
        "index_files": sum(1 for _ in (site / "kb-error").rglob("*.json")),
        "bytes_median": statistics.median(raw),
        "bytes_p90": raw[p90],
        "bytes_max": raw[-1],
        "gzip_median": statistics.median(gz),
        "gzip_p90": gz[p90],
        "gzip_max": gz[-1],
        "over_300kb_gzip": sum(1 for b in gz if b > 300_000),
        "over_300kb": sum(1 for b in raw if b > 300_000),
        "ms_median": statistics.median(ms),
        "ms_max": ms[-1],
        "exports": exports,
        "exports_gzip_max": max(
            (float(run["gzip_bytes"]) for run in every[len(runs) :]), default=0
        ),
    }


def error_query(docs: Path) -> tuple[str, str]:
    """Three error lines of the first article that lists three, and that article's URL."""
    for path in sorted((docs / "kb").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        if "visibility: public" not in text or "status: published" not in text:
            continue
        _, _, rest = text.partition("## Error messages\n\n```text\n")
        lines = rest.partition("```")[0].splitlines()
        if len(lines) >= 3:
            url = path.relative_to(docs).with_suffix("").as_posix() + "/"
            return "\n".join(lines[:3]), url
    raise SystemExit("no article with three error lines")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--only",
        nargs="*",
        default=["kb", "kb-articles", "kb-properdocs", "kb-zensical", "material-prune"],
    )
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    parser.add_argument("--argo", type=Path, help="also copy these Argo CD docs under docs/argo-cd")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument(
        "--search", action="store_true", help="measure the first search in Chromium too"
    )
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="kb-site-scale-"))
    if root.exists() and any(root.iterdir()):
        shutil.rmtree(root)
    root.mkdir(parents=True, exist_ok=True)
    try:
        counts = generate(root, args.articles, args.seed)
        if args.argo:
            shutil.copytree(args.argo, root / "docs" / "argo-cd")
        markdown = sum(p.stat().st_size for p in (root / "docs").rglob("*.md"))
        results = {}
        for name in args.only:
            configure(root, name)
            seconds, cpu, stats = build(root, name)
            count, size = article_pages(root / f"site-{name}")
            results[name] = {
                "seconds": round(seconds, 1),
                "cpu_seconds": round(cpu, 1),
                "cpu_ms_per_page": round(1000 * cpu / max(stats.pages, 1), 1),
                **stats.__dict__,
                "average_page_bytes": round(stats.average_page_bytes),
                "article_pages": count,
                "average_article_bytes": round(size / max(count, 1)),
            }
            if name == "kb":
                panel = error_panel(root / f"site-{name}")
                if panel is not None:
                    results[name]["error_panel"] = panel
            if args.search and name != "no-prune":
                from benchmarks.first_search import measure as first_search

                query, expected = error_query(root / "docs")
                found = first_search(root / f"site-{name}", query)
                found["first_is_the_article"] = found["first_result"] == expected
                results[name]["first_search"] = found
        if args.json:
            print(
                json.dumps(
                    {
                        "articles": args.articles,
                        "kinds": counts,
                        "markdown_bytes": markdown,
                        "results": results,
                    },
                    indent=2,
                )
            )
            return 0
        print(f"{args.articles} articles ({counts}), {human(markdown)} of Markdown")
        print(
            "| config | build wall (s) | build CPU (s) | CPU per page (ms) | pages | site size "
            "| average page | average article page | search index |"
        )
        print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        for name, r in results.items():
            print(
                f"| {name} | {r['seconds']} | {r['cpu_seconds']} | {r['cpu_ms_per_page']} | "
                f"{r['pages']} | {human(r['total_bytes'])} | "
                f"{human(r['average_page_bytes'])} | {human(r['average_article_bytes'])} | "
                f"{human(r['search_index_bytes'])} |"
            )
        panel = results.get("kb", {}).get("error_panel")
        if panel:
            print(
                f"error panel: {panel['pastes']} search-box pastes as first searches: fetched "
                f"{human(panel['bytes_median'])} median, {human(panel['bytes_p90'])} p90, "
                f"{human(panel['bytes_max'])} max ({human(panel['gzip_median'])} / "
                f"{human(panel['gzip_p90'])} / {human(panel['gzip_max'])} gzip; "
                f"{panel['over_300kb_gzip']} over 300 KB gzip, {panel['over_300kb']} as stored); "
                f"ranked in {panel['ms_median']:.0f} ms median, {panel['ms_max']:.0f} ms max (node); "
                f"index {human(panel['index_bytes'])} in {panel['index_files']} files; "
                f"the {panel['exports']} Zendesk exports apart: "
                f"{human(panel['exports_gzip_max'])} gzip at most"
            )
        base = next((b for b in ("material-prune", "material") if b in results), None)
        for name in results:
            if base and name.startswith("kb"):
                ratio = results[name]["cpu_ms_per_page"] / results[base]["cpu_ms_per_page"]
                print(f"CPU per page, {name} / {base}: {ratio:.2f}")
        searched = {name: r["first_search"] for name, r in results.items() if "first_search" in r}
        if searched:
            print()
            print(
                "| config | first search: requests | bytes | uncompressed | ms from paste "
                "| ms from page open | first result is the article |"
            )
            print("| --- | --- | --- | --- | --- | --- | --- |")
            for name, f in searched.items():
                print(
                    f"| {name} | {f['requests']} | {human(f['bytes'])} | "
                    f"{human(f['uncompressed_bytes'])} | {f['ms_from_typing']} | {f['ms_from_open']} | "
                    f"{f['first_is_the_article']} |"
                )
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
