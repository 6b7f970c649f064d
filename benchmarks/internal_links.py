"""Internal links on a real tree: kb's links check against `mkdocs build` validation.

Copies /work/shared/corpora/argo-cd (read-only) to a temp dir and writes three configs over
the same files:
- `mkdocs.yml` gets the `kb` plugin (kb reads only the `kb` options, so the site's other
  plugins and extensions need not be installed);
- `mkdocs-links.yml` is the same with every check but the links check `off`
  (`plugins.kb.lint.rules`), the way a user runs only the links check from the CLI;
- `mkdocs-plain.yml` is what MkDocs can build here: `markdown_include.include`, the
  `gh-admonitions` plugin and the theme's `custom_dir` (not in the corpus) are removed,
  `site_url: !ENV` and `strict` dropped, and `validation: {links: {not_found: warn,
  anchors: warn}}` added.

Then, in one run: times `mkdocs build` and kb's internal-link lint, both through the API
(`run_lint(project, checks=[LinksCheck()])`) and through the CLI (`kb lint -f
mkdocs-links.yml`), interleaved (wall and CPU time of child processes); compares their
findings link by link; and times `--changed-since` runs in a git repo where 3 files changed
(a linked heading renamed, a linked page deleted, a page edited).

Every kb run is cold: a new process that imports, reads the config and parses every page it
needs. kbtools' bytecode is compiled first (as `pip install` does; MkDocs' is, in the venv).

    /work/venv/bin/python benchmarks/internal_links.py [--repeat N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import compileall
import json
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


LINKS_ONLY = """- kb:
    lint:
      rules:
        frontmatter: "off"
        structure: "off"
        secrets: "off"
        style: "off"
"""


def prepare(work: Path) -> Path:
    """Copy the corpus and write the three configs."""
    tree = work / "argo-cd"
    shutil.copytree(CORPUS, tree)
    text = (tree / "mkdocs.yml").read_text(encoding="utf-8")
    kb = text.replace("plugins:\n- search\n", "plugins:\n- search\n- kb\n", 1)
    (tree / "mkdocs.yml").write_text(kb, encoding="utf-8")
    links = text.replace("plugins:\n- search\n", "plugins:\n- search\n" + LINKS_ONLY, 1)
    (tree / "mkdocs-links.yml").write_text(links, encoding="utf-8")
    plain = text.replace("- markdown_include.include\n", "").replace("- gh-admonitions\n", "")
    plain = plain.replace("  custom_dir: overrides\n", "")
    plain = re.sub(r"^site_url: .*\n", "", plain, flags=re.MULTILINE)
    plain = plain.replace("strict: true\n", "strict: false\n")
    plain += "validation:\n  links:\n    not_found: warn\n    anchors: warn\n"
    (tree / "mkdocs-plain.yml").write_text(plain, encoding="utf-8")
    return tree


def cli_findings(stdout: str) -> list[list[object]]:
    """The findings of `kb lint --format json` as [rule, path, line, column, message].

    A nav finding of the links-only config names `mkdocs.yml`, like the API run's.
    """
    return [
        [
            f["rule"],
            f["path"].replace("mkdocs-links.yml", "mkdocs.yml"),
            f["line"],
            f["column"],
            f["message"],
        ]
        for f in json.loads(stdout)["findings"]
    ]


def api_findings(stdout: str) -> list[list[object]]:
    """The findings of the API run, in the same shape as `cli_findings`."""
    return [[f[0], f[1], f[2], f[3], f[5]] for f in json.loads(stdout)["findings"]]


def median(
    runs: list[tuple[float, float, subprocess.CompletedProcess[str]]],
) -> tuple[float, float]:
    """Median wall and median CPU seconds of some timed runs."""
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


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
    """Three files change in a git repo; time the --changed-since runs."""

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
    kb = [python, "-m", "kbtools", "lint", "--changed-since", "main", "--format", "json"]
    commands = {
        "api": [python, "-c", KB_LINKS, "mkdocs.yml", "main"],
        "cli-links": [*kb, "-f", "mkdocs-links.yml"],
        "cli-style-off": [*kb, "--style", "off"],
    }
    runs: dict[str, list[tuple[float, float, subprocess.CompletedProcess[str]]]] = {
        name: [] for name in commands
    }
    for _ in range(repeat):
        for name, command in commands.items():
            runs[name].append(timed(command, tree))
    out = json.loads(runs["api"][-1][2].stdout)
    print(f"changed-since: 3 files changed; {len(out['files'])} files linted: {out['files']}")
    for f in out["findings"]:
        print(f"  {f[1]}:{f[2]}:{f[3]} {f[0]} {f[5]}")
    same = cli_findings(runs["cli-links"][-1][2].stdout) == api_findings(runs["api"][-1][2].stdout)
    print(f"changed-since CLI links-only findings equal the API run's: {same}")
    every = cli_findings(runs["cli-style-off"][-1][2].stdout)
    print(f"changed-since CLI --style off: {len(every)} findings")
    labels = {
        "api": "changed-since links lint (API)",
        "cli-links": "changed-since `kb lint -f mkdocs-links.yml` (links only, CLI)",
        "cli-style-off": "changed-since `kb lint --style off` (every check, CLI)",
    }
    for name, label in labels.items():
        wall, cpu = median(runs[name])
        print(f"{label}: wall {wall:.2f} s, CPU {cpu:.2f} s (median of {repeat})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="work in DIR and keep it")
    args = parser.parse_args()
    python = sys.executable
    compileall.compile_dir(str(ROOT / "kbtools"), quiet=1)
    work = args.keep or Path(tempfile.mkdtemp(prefix="kb-links-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        tree = prepare(work)
        print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        mkdocs = [str(Path(python).parent / "mkdocs"), "build", "-f", "mkdocs-plain.yml"]
        commands = {
            "mkdocs": [*mkdocs, "-d", str(work / "site")],
            "api": [python, "-c", KB_LINKS, "mkdocs.yml"],
            "cli": [python, "-m", "kbtools", "lint", "-f", "mkdocs-links.yml", "--format", "json"],
        }
        runs: dict[str, list[tuple[float, float, subprocess.CompletedProcess[str]]]] = {
            name: [] for name in commands
        }
        for _ in range(args.repeat):
            for name, command in commands.items():
                runs[name].append(timed(command, tree))
        mk_wall, mk_cpu = median(runs["mkdocs"])
        print(f"load average after the runs: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        print(f"mkdocs build (validation on):   wall {mk_wall:.2f} s, CPU {mk_cpu:.2f} s")
        for name, label in (
            ("api", "kb links lint (API):         "),
            ("cli", "kb lint, links only (CLI):   "),
        ):
            wall, cpu = median(runs[name])
            print(
                f"{label}  wall {wall:.2f} s, CPU {cpu:.2f} s; ratio wall "
                f"{mk_wall / wall:.1f}x, CPU {mk_cpu / cpu:.1f}x"
            )
        walls = ", ".join(f"{r[0]:.2f}" for r in runs["api"])
        print(f"  (median of {args.repeat} interleaved runs; API walls: {walls})")
        api_out = runs["api"][-1][2].stdout
        same = cli_findings(runs["cli"][-1][2].stdout) == api_findings(api_out)
        print(f"CLI links-only findings equal the API run's: {same}")
        compare(tree, runs["mkdocs"][-1][2].stderr, api_out)
        changed_run(tree, python, args.repeat)
        print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
