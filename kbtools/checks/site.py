"""`site.engine-bypass`: the repository can be built by a command that skips the audience filter.

Zensical reads mkdocs.yml (or a zensical.toml, first) and skips plugins it does not know, so
`zensical build` publishes every internal and draft article; a workflow that runs an engine
directly instead of `kb build` depends on the `kb` plugin being there and honoured. Only
reported when the KB has pages the public site must not hold.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from kbtools.checks.base import Check, LintContext, finding
from kbtools.document import DocumentError, front_matter_of, read_text
from kbtools.findings import Finding, Severity
from kbtools.rules import RuleInfo
from kbtools.site import audience

ENGINE_BYPASS = RuleInfo(
    "site.engine-bypass",
    Severity.WARNING,
    "The site can be built by an engine that skips the audience filter (`kb build` does not).",
    "Build with `kb build --engine ENGINE`: it stages only the audience's pages, so no engine "
    "can publish an internal or draft article.",
)
_ENGINE_RUN_RE = re.compile(
    r"(?<![\w./-])(?:python3?\s+-m\s+)?(zensical|mkdocs|properdocs)\s+(build|gh-deploy|serve)\b"
)


class SiteCheck(Check):
    """`site.*`: how the repository's site gets built."""

    name = "site"
    rules = (ENGINE_BYPASS,)

    def check_project(self, ctx: LintContext) -> Iterator[Finding]:
        project = ctx.project
        candidates = list(_candidates(project.root))
        if not candidates or not _has_non_public_articles(ctx):
            return
        for path, line, column, text in candidates:
            yield finding(ENGINE_BYPASS, project.rel(path), line, column, text)


def _candidates(root: Path) -> Iterator[tuple[Path, int, int, str]]:
    toml = root / "zensical.toml"
    if toml.is_file():
        yield (
            toml,
            1,
            1,
            "zensical.toml: `zensical build` reads it and skips the kb plugin, publishing "
            "internal and draft articles; remove it and build with `kb build --engine zensical`",
        )
    for workflows in _workflow_dirs(root):
        for path in sorted([*workflows.glob("*.yml"), *workflows.glob("*.yaml")]):
            try:
                lines = path.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                continue
            for number, line in enumerate(lines, 1):
                code = line.split("#", 1)[0] if line.lstrip().startswith("#") else line
                for match in _ENGINE_RUN_RE.finditer(code):
                    engine, verb = match.groups()
                    yield (
                        path,
                        number,
                        match.start() + 1,
                        f"`{engine} {verb}` builds the site without kb's staging; "
                        f"use `kb {'serve' if verb == 'serve' else 'build'} --engine {engine}`"
                        + (
                            " (Zensical skips the kb plugin and publishes every article)"
                            if engine == "zensical"
                            else ""
                        ),
                    )


def _workflow_dirs(root: Path) -> Iterator[Path]:
    """`.github/workflows` of the folder of mkdocs.yml, or of the repository holding it."""
    for folder in (root, *root.parents):
        workflows = folder / ".github" / "workflows"
        if workflows.is_dir():
            yield workflows
            return
        if (folder / ".git").exists():
            return


def _has_non_public_articles(ctx: LintContext) -> bool:
    project = ctx.project
    default_public = project.kb.pages_public_by_default
    for path in sorted(project.articles_dir.rglob("*.md")) if project.articles_dir.is_dir() else []:
        rel = project.docs_rel(path)
        if rel is None or not project.is_article(rel):
            continue
        try:
            meta = front_matter_of(read_text(path))
        except DocumentError:  # an unreadable article is never public
            return True
        if not audience.includes(meta, "public", is_article=True, default_public=default_public):
            return True
    return False
