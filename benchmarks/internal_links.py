"""Internal links on a real tree: kb's links check against `mkdocs build` validation.

Copies /work/shared/corpora/argo-cd (read-only) to a temp dir twice over the same files:
- `mkdocs.yml` gets the `kb` plugin (kb reads only the `kb` options, so the site's other
  plugins and extensions need not be installed);
- `mkdocs-plain.yml` is what MkDocs can build here: `markdown_include.include`, the
  `gh-admonitions` plugin and the theme's `custom_dir` (not in the corpus) are removed,
  `site_url: !ENV` and `strict` dropped, and `validation: {links: {not_found: warn,
  anchors: warn}}` added.

Then, in one run: times `mkdocs build` and kb's internal-link lint (wall and CPU time of
child processes), compares their findings link by link, and times a `--changed-since` run
in a git repo where 3 files changed (a linked heading renamed, a linked page deleted, a page edited).

    /work/venv/bin/python benchmarks/internal_links.py [--repeat N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CORPUS = Path("/work/shared/corpora/argo-cd")
ROOT = Path(__file__).resolve().parent.parent
KB_LINKS = """
import json, sys
from kbtools.project import Project
from kbtools.lint.runner import run_lint
from kbtools.checks.links import LinksCheck
changed = sys.argv[2] if len(sys.argv) > 2 else None
project = Project.load(sys.argv[1])
target_filter = None
if changed:
    from kbtools.lint.changed import changed_targets
    target_filter = lambda ctx: changed_targets(ctx.project, changed, ctx.documents)
result = run_lint(project, checks=[LinksCheck()], target_filter=target_filter)
print(json.dumps({"files": result.files, "findings": [
    [f.rule, f.path, f.line, f.column, f.match, f.message] for f in result.findings]}))
"""
WARNING_RE = re.compile(
    r"Doc file '(?P<src>[^']+)' contains a(?:n unrecognized relative)? link '(?P<url>[^']+)'"
)


def timed(cmd: list[str], cwd: Path) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """Run a command; return wall seconds, CPU seconds (user+sys of the child) and result."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_MKDOCS_2_WARNING="1")
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, result


def prepare(work: Path) -> Path:
    """Copy the corpus and write both configs."""
    tree = work / "argo-cd"
    shutil.copytree(CORPUS, tree)
    text = (tree / "mkdocs.yml").read_text(encoding="utf-8")
    kb = text.replace("plugins:\n- search\n", "plugins:\n- search\n- kb\n", 1)
    (tree / "mkdocs.yml").write_text(kb, encoding="utf-8")
    plain = text.replace("- markdown_include.include\n", "").replace("- gh-admonitions\n", "")
    plain = plain.replace("  custom_dir: overrides\n", "")
    plain = re.sub(r"^site_url: .*\n", "", plain, flags=re.MULTILINE)
    plain = plain.replace("strict: true\n", "strict: false\n")
    plain += "validation:\n  links:\n    not_found: warn\n    anchors: warn\n"
    (tree / "mkdocs-plain.yml").write_text(plain, encoding="utf-8")
    return tree


def mkdocs_warnings(stderr: str) -> list[tuple[str, str, str]]:
    """(source page, link as written, message) of every link warning of mkdocs build."""
    found = []
    for line in stderr.splitlines():
        line = re.sub(r"\x1b\[[0-9;]*m", "", line)
        match = WARNING_RE.search(line)
        if match and line.startswith(("WARNING", "INFO")):
            found.append((match.group("src"), match.group("url"), line.split("-  ", 1)[-1]))
    return found


def compare(tree: Path, mkdocs_stderr: str, kb_out: str) -> None:
    import json

    kb = json.loads(kb_out)["findings"]
    kb_links = {(f[1].removeprefix("docs/"), f[4]) for f in kb if f[0] != "links.orphan"}
    mk = mkdocs_warnings(mkdocs_stderr)
    mk_links = {(src, url) for src, url, _ in mk}
    rules: dict[str, int] = {}
    for f in kb:
        rules[f[0]] = rules.get(f[0], 0) + 1
    print(f"kb findings by rule: {dict(sorted(rules.items()))}")
    print(f"mkdocs link warnings: {len(mk)} ({len(mk_links)} distinct page+link)")
    print(f"both: {len(kb_links & mk_links)} distinct page+link")
    print("only mkdocs:")
    for src, url, message in sorted(set(mk)):
        if (src, url) not in kb_links:
            print(f"  {message}")
    print("only kb:")
    for f in kb:
        if f[0] != "links.orphan" and (f[1].removeprefix("docs/"), f[4]) not in mk_links:
            print(f"  {f[1]}:{f[2]}:{f[3]} {f[0]} {f[5]}")
    orphans = [f[1] for f in kb if f[0] == "links.orphan"]
    print(f"kb links.orphan: {len(orphans)} pages (mkdocs: INFO 'not included in the nav' only)")


def changed_run(tree: Path, python: str, repeat: int) -> None:
    """Three files change in a git repo; time the --changed-since run."""

    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.name=b", "-c", "user.email=b@example.com", *args],
            cwd=tree,
            check=True,
            capture_output=True,
        )

    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-qm", "corpus")
    docs = tree / "docs"
    page = docs / "user-guide/projects.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace("## Project Roles", "## Roles of a project"),
        encoding="utf-8",
    )
    (docs / "user-guide/app_deletion.md").unlink()
    edited = docs / "faq.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    runs = []
    for _ in range(repeat):
        wall, cpu, result = timed([python, "-c", KB_LINKS, "mkdocs.yml", "main"], tree)
        runs.append((wall, cpu))
    import json

    out = json.loads(result.stdout)
    print(f"changed-since: 3 files changed; {len(out['files'])} files linted: {out['files']}")
    for f in out["findings"]:
        print(f"  {f[1]}:{f[2]}:{f[3]} {f[0]} {f[5]}")
    print(
        f"changed-since links lint: wall {statistics.median(w for w, _ in runs):.2f} s, "
        f"CPU {statistics.median(c for _, c in runs):.2f} s (median of {repeat})"
    )
    wall, cpu, _ = timed(
        [str(Path(python).parent / "kb"), "lint", "--changed-since", "main", "--style", "off"], tree
    )
    print(f"changed-since full `kb lint --style off` CLI: wall {wall:.2f} s, CPU {cpu:.2f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="work in DIR and keep it")
    args = parser.parse_args()
    python = sys.executable
    work = args.keep or Path(tempfile.mkdtemp(prefix="kb-links-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        tree = prepare(work)
        mk_runs, kb_runs = [], []
        for _ in range(args.repeat):
            mk_runs.append(
                timed(
                    [
                        str(Path(python).parent / "mkdocs"),
                        "build",
                        "-f",
                        "mkdocs-plain.yml",
                        "-d",
                        str(work / "site"),
                    ],
                    tree,
                )
            )
            kb_runs.append(timed([python, "-c", KB_LINKS, "mkdocs.yml"], tree))
        mk_wall = statistics.median(r[0] for r in mk_runs)
        mk_cpu = statistics.median(r[1] for r in mk_runs)
        kb_wall = statistics.median(r[0] for r in kb_runs)
        kb_cpu = statistics.median(r[1] for r in kb_runs)
        print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        print(f"mkdocs build (validation on): wall {mk_wall:.2f} s, CPU {mk_cpu:.2f} s")
        print(f"kb internal-link lint:        wall {kb_wall:.2f} s, CPU {kb_cpu:.2f} s")
        print(
            f"ratio: wall {mk_wall / kb_wall:.1f}x, CPU {mk_cpu / kb_cpu:.1f}x "
            f"(median of {args.repeat} interleaved runs)"
        )
        compare(tree, mk_runs[-1][2].stderr, kb_runs[-1][2].stdout)
        changed_run(tree, python, args.repeat)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
