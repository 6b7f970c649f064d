"""`kb init`: copy the scaffold templates into a new KB repository, never overwriting a file.

The templates live in `kbtools/templates/scaffold/` (package data) and are copied as a tree:
- a name ending in `.tmpl` is rendered (`{{ key }}` tokens) and loses the suffix;
- a path part starting with `dot-` becomes a dot file or folder (`dot-gitignore` ->
  `.gitignore`), so the package itself holds no live `.gitignore` or `.github/`;
- a path part `__area__` becomes the first product area;
- every other file (the house Vale style, for example) is copied byte for byte.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from kbtools import __version__
from kbtools.atomic import create_bytes_atomic
from kbtools.config import SiteConfigFile
from kbtools.errors import InputError

DEFAULT_SITE_NAME = "Help center"
DEFAULT_PRODUCT_AREAS = ("install", "upgrades", "general")
EXAMPLE_TITLE = 'Web service exits at startup with "connect: connection refused"'
REVIEW_DAYS = 180
TEMPLATE_SUFFIX = ".tmpl"
EXAMPLE_KB_DIR = "docs/kb"
AREA_PLACEHOLDER = "__area__"
_AREA_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_TOKEN_RE = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")


@dataclass(frozen=True)
class ScaffoldFile:
    """One file to write: its path relative to the target folder and its bytes."""

    path: str
    content: bytes


@dataclass
class ScaffoldResult:
    """What `scaffold()` did: root-relative POSIX paths created and skipped, with reasons."""

    root: Path
    created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    """Things the user should change by hand (an existing mkdocs.yml is never edited)."""

    def skip(self, path: str, reason: str) -> None:
        """Record a file that was not written."""
        self.skipped.append(path)
        self.reasons[path] = reason


def template_root() -> Traversable:
    """The scaffold template tree shipped with kbtools."""
    return resources.files("kbtools").joinpath("templates", "scaffold")


def check_options(site_name: str, product_areas: Sequence[str]) -> tuple[str, tuple[str, ...]]:
    """Validated (site name, product areas); raises InputError naming the bad value."""
    name = site_name.strip()
    if not name or "\n" in name or "\r" in name:
        raise InputError("--site-name: expected a non-empty name on one line")
    areas: list[str] = []
    for area in product_areas or DEFAULT_PRODUCT_AREAS:
        if not _AREA_RE.match(area):
            raise InputError(
                f"--product-area {area!r}: use lower-case letters, digits and hyphens "
                "(it becomes a folder name)"
            )
        if area not in areas:
            areas.append(area)
    return name, tuple(areas)


def template_values(site_name: str, product_areas: Sequence[str], today: dt.date) -> dict[str, str]:
    """The `{{ key }}` values the templates use."""
    # JSON strings are valid YAML double-quoted scalars, so any site name stays one value.
    return {
        "site_name": site_name,
        "site_name_yaml": json.dumps(site_name, ensure_ascii=False),
        "product_areas": "[" + ", ".join(product_areas) + "]",
        "first_area": product_areas[0],
        "example_title": EXAMPLE_TITLE,
        "example_title_yaml": json.dumps(EXAMPLE_TITLE),
        "today": today.isoformat(),
        "review_by": (today + dt.timedelta(days=REVIEW_DAYS)).isoformat(),
        "kbtools_version": __version__,
    }


def render(text: str, values: Mapping[str, str], name: str = "template") -> str:
    """Replace `{{ key }}` tokens; an unknown key is a packaging bug, so it raises."""

    def replace(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in values:
            raise KeyError(f"{name}: unknown template key {key!r}")
        return values[key]

    return _TOKEN_RE.sub(replace, text)


def plan(
    site_name: str = DEFAULT_SITE_NAME,
    product_areas: Sequence[str] = (),
    *,
    today: dt.date | None = None,
    templates: Traversable | None = None,
    example: bool = True,
) -> list[ScaffoldFile]:
    """Every file of a new KB repository, in path order (nothing is written).

    With `example` false, the KB home does not link to the example article.
    """
    name, areas = check_options(site_name, product_areas)
    values = template_values(name, areas, today or dt.date.today())
    files: list[ScaffoldFile] = []
    for parts, source in _walk(templates or template_root(), ()):
        target = [_target_part(part, areas[0]) for part in parts]
        data = source.read_bytes()
        if target[-1].endswith(TEMPLATE_SUFFIX):
            target[-1] = target[-1][: -len(TEMPLATE_SUFFIX)]
            data = render(data.decode("utf-8"), values, "/".join(parts)).encode("utf-8")
        files.append(ScaffoldFile("/".join(target), data))
    return sorted(files, key=lambda f: f.path)


def scaffold(
    directory: Path,
    site_name: str = DEFAULT_SITE_NAME,
    product_areas: Sequence[str] = (),
    *,
    today: dt.date | None = None,
    templates: Traversable | None = None,
) -> ScaffoldResult:
    """Write the scaffold into `directory`; files that already exist are kept and listed.

    An existing mkdocs.yml is kept, and its product areas place the example article; the
    example is left out when the KB folder already holds articles (a second id KB-0001).
    """
    root = Path(directory)
    if root.exists() and not root.is_dir():
        raise InputError(f"{root}: exists and is not a directory")
    check_options(site_name, product_areas)
    existing = existing_config(root)
    areas = _product_areas(existing) or tuple(product_areas)
    has_articles = _has_articles(root / EXAMPLE_KB_DIR)
    files = plan(site_name, areas, today=today, templates=templates, example=not has_articles)
    result = ScaffoldResult(root=root)
    for item in files:
        path = root.joinpath(*item.path.split("/"))
        if os.path.lexists(path):
            result.skip(item.path, "exists")
            continue
        if item.path == "mkdocs.yml" and existing is not None:
            result.skip(item.path, f"{existing[0].name} exists")
            continue
        if has_articles and _is_article(item.path):
            result.skip(item.path, "the KB already has articles")
            continue
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            created = create_bytes_atomic(path, item.content)
        except OSError as exc:
            raise InputError(f"{path}: cannot write ({exc.strerror or exc})") from None
        if created:
            result.created.append(item.path)
        else:
            result.skip(item.path, "exists")
    result.notes = config_notes(existing)
    return result


def existing_config(root: Path) -> tuple[Path, SiteConfigFile | None] | None:
    """An existing mkdocs.yml/mkdocs.yaml in `root`, read when possible (None when absent)."""
    from kbtools import config
    from kbtools.errors import ConfigError

    for name in config.CONFIG_NAMES:
        path = root / name
        if path.is_file():
            try:
                return path, config.load(path)
            except (ConfigError, OSError):
                return path, None
    return None


def config_notes(existing: tuple[Path, SiteConfigFile | None] | None) -> list[str]:
    """What a kept mkdocs.yml needs before the scaffold works with it."""
    if existing is None:
        return []
    path, site = existing
    if site is None:
        return [f"{path.name} was kept but cannot be read; kb lint will say why"]
    notes = []
    if not site.has_kb_plugin:
        notes.append(f"{path.name} was kept and has no kb plugin: add '- kb' under plugins")
    if site.docs_dir != (site.root / "docs").resolve() or site.kb.articles_dir.strip("/") != "kb":
        notes.append(
            f"{path.name} was kept and uses other folders than docs/ and docs/kb/: "
            "move the new pages there"
        )
    return notes


def _product_areas(existing: tuple[Path, SiteConfigFile | None] | None) -> tuple[str, ...]:
    if existing is None or existing[1] is None:
        return ()
    areas = existing[1].kb.product_areas
    return tuple(a for a in areas if isinstance(a, str) and _AREA_RE.match(a))


def _has_articles(kb_dir: Path) -> bool:
    if not kb_dir.is_dir():
        return False
    return any(p.name not in ("index.md", "README.md") for p in kb_dir.rglob("*.md"))


def _is_article(path: str) -> bool:
    prefix = EXAMPLE_KB_DIR + "/"
    return path.startswith(prefix) and path.rsplit("/", 1)[-1] not in ("index.md", "README.md")


def _walk(
    node: Traversable, parts: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], Traversable]]:
    for child in sorted(node.iterdir(), key=lambda c: c.name):
        if child.name in ("__pycache__", ".DS_Store") or child.name.endswith((".pyc", "~")):
            continue
        if child.is_dir():
            yield from _walk(child, (*parts, child.name))
        elif child.is_file():
            yield (*parts, child.name), child


def _target_part(part: str, first_area: str) -> str:
    if part == AREA_PLACEHOLDER:
        return first_area
    if part.startswith("dot-"):
        return "." + part[len("dot-") :]
    return part
