"""Score `kb new` on the labelled set of real write-ups in tests/fixtures/writeups/ (issue 10).

Each write-up `X` has a label file `X.expect.json` (the golden judge): the expected title terms,
type, product area, versions, deployment, services, the error lines that must survive
byte-identical, short verbatim phrases that must land in one named section and in no other,
text that must not appear, and every planted sensitive value that must be gone.

`score_set()` runs `kb new X --no-input --dry-run --json --allow-duplicate --allow-incomplete`
in process, inside one temporary project made by `kb init`, and scores every field. Used by
tests/new/test_writeup_set.py (targets) and benchmarks/writeup_quality.py (the table).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kbtools.article import schema
from kbtools.extract import KNOWN_SERVICES
from tests.sensitive.planted import fill

SET = Path(__file__).resolve().parents[1] / "fixtures" / "writeups"
EPOCH = "1733097600"  # 2024-12-02: fixed date, reproducible output
AREAS = (
    "install",
    "upgrades",
    "auth",
    "search",
    "storage",
    "networking",
    "observability",
    "code-hosts",
    "general",
)
DEFAULT_AREA = "general"
"""The area `kb new --no-input` must fall back to when the label says "not decidable" (null)."""

FORMATS = ("notes", "template", "chat", "zendesk", "email")
FIELDS = (
    "runs",
    "title",
    "type",
    "area",
    "versions",
    "deployment",
    "services",
    "error_lines",
    "placement",
    "readable",
    "planted",
    "no_edit",
)
"""Scored fields, in table order. `no_edit` = runs, title, type and placement all ok."""

LABEL_KEYS: dict[str, type | tuple[type, ...]] = {
    "format": str,
    "covers": list,
    "title": str,
    "title_terms": list,
    "type": str,
    "product_area": (str, type(None)),
    "versions": list,
    "fixed_version": (str, type(None)),
    "deployment": list,
    "services": list,
    "error_lines": list,
    "sections": dict,
    "must_not_contain": list,
    "planted": list,
}

MAX_TITLE = 90
_PLACEHOLDER_RE = re.compile(
    r"<(?:redacted|email|person|phone|host|ip|customer|internal|url|user|org)[\w:-]*>"
    r"|\[(?:redacted|email|person|phone|host|ip|customer|internal|url|user|org)[\w:-]*\]"
    r"|&lt;|&gt;|&amp;|\{\{|\bTODO\b|\bredacted\b",
    re.I,
)
_MARKUP_RE = re.compile(r"\*\*|__|~~|`|<[a-z/][^>]*>|\]\(|^#")
_FRAGMENT_STARTS = frozenset(
    [
        "and",
        "but",
        "so",
        "or",
        "which",
        "that",
        "then",
        "also",
        "because",
        "since",
        "ok",
        "oh",
        "hey",
        "hi",
        "hello",
        "thanks",
        "re",
        "fwd",
        "fw",
        "anyway",
        "basically",
        "wait",
    ]
)
_CODE_WORDS = frozenset(KNOWN_SERVICES) | frozenset(
    ["kubectl", "helm", "git", "docker", "zoekt", "redis", "npm", "x509", "pq", "jq", "src"]
)
_FENCE_RE = re.compile(r"^\s*(```|~~~)")


# ---------------------------------------------------------------------------- the set


def writeups(root: Path = SET) -> list[Path]:
    """Every write-up of the set (the files that are not label files), sorted by name."""
    return sorted(p for p in root.iterdir() if p.is_file() and not p.name.endswith(".expect.json"))


def label_path(writeup: Path) -> Path:
    return writeup.with_name(writeup.name + ".expect.json")


def load_label(writeup: Path) -> dict[str, Any]:
    """The label of a write-up, with token markers filled in."""
    raw = json.loads(label_path(writeup).read_text(encoding="utf-8"))
    label: dict[str, Any] = json.loads(fill(json.dumps(raw, ensure_ascii=False), json_strings=True))
    return label


def source_text(writeup: Path) -> str:
    """The write-up as `kb new` reads it: token markers filled in (JSON-escaped in JSON)."""
    text = writeup.read_text(encoding="utf-8")
    return fill(text, json_strings=writeup.suffix == ".json")


def plain_text(writeup: Path) -> str:
    """The write-up's readable text: a JSON export's string values, one per line."""
    text = source_text(writeup)
    if writeup.suffix != ".json":
        return text
    strings: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            strings.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(json.loads(text))
    return "\n".join(strings)


def label_problems(writeup: Path) -> list[str]:
    """Why a write-up's label is malformed or disagrees with the write-up (empty: fine)."""
    problems: list[str] = []
    try:
        label = load_label(writeup)
    except (OSError, ValueError) as exc:
        return [f"label unreadable: {exc}"]
    for key, kind in LABEL_KEYS.items():
        if key not in label:
            problems.append(f"label lacks {key!r}")
        elif not isinstance(label[key], kind):
            problems.append(f"label {key!r} has the wrong type")
    if problems:
        return problems
    text = plain_text(writeup)
    flat = _norm(text)
    if label["format"] not in FORMATS:
        problems.append(f"unknown format {label['format']!r}")
    if label["type"] not in schema.ARTICLE_TYPES:
        problems.append(f"unknown type {label['type']!r}")
    if label["product_area"] is not None and label["product_area"] not in AREAS:
        problems.append(f"area {label['product_area']!r} is not configured")
    for name in label["deployment"]:
        if name not in schema.KNOWN_DEPLOYMENTS:
            problems.append(f"unknown deployment {name!r}")
    allowed = schema.sections_for(label["type"])
    for section, phrases in label["sections"].items():
        if section not in allowed:
            problems.append(f"section {section!r} is not a {label['type']} section")
        for phrase in phrases:
            if _norm(phrase) not in flat:
                problems.append(f"{section} phrase not in the write-up: {phrase!r}")
    for section in schema.required_sections(label["type"]):
        if section not in label["sections"] and section not in ("Environment", "Affected versions"):
            problems.append(f"no phrase for required section {section!r}")
    for term in label["title_terms"]:
        if _norm(term) not in flat:
            problems.append(f"title term not in the write-up: {term!r}")
    for line in label["error_lines"]:
        if line.strip() not in text:
            problems.append(f"error line not in the write-up: {line!r}")
    if not label["planted"]:
        problems.append("no planted values")
    for value in label["planted"]:
        if not _contains_value(text, value):
            problems.append(f"planted value not in the write-up: {value!r}")
        kept = [
            *label["title_terms"],
            *label["error_lines"],
            *(p for phrases in label["sections"].values() for p in phrases),
        ]
        for item in kept:
            if _contains_value(item, value):
                problems.append(f"planted value {value!r} inside kept text {item!r}")
    return problems


# ---------------------------------------------------------------------------- running kb


@dataclass
class Run:
    """One `kb new` run: exit code, output and the article it printed."""

    code: int
    out: str
    err: str
    payload: dict[str, Any] | None = None


@contextlib.contextmanager
def _in_project(root: Path) -> Iterator[None]:
    old_cwd = Path.cwd()
    old_epoch = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    os.chdir(root)
    try:
        yield
    finally:
        os.chdir(old_cwd)
        if old_epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old_epoch


def _kb(root: Path, args: Sequence[str]) -> Run:
    from kbtools.cli import main

    out, err = io.StringIO(), io.StringIO()
    with _in_project(root), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:  # a crash must be scored, not abort the whole set
            code = int(exc.code) if isinstance(exc.code, int) else 1
        except Exception as exc:
            err.write(f"crash: {type(exc).__name__}: {exc}\n")
            code = 99
    return Run(code, out.getvalue(), err.getvalue())


def make_project(base: Path) -> Path:
    """A KB project made by `kb init` with the set's product areas."""
    root = base / "kb"
    args = ["init", str(root), "--site-name", "Writeup set"]
    for area in AREAS:
        args += ["--product-area", area]
    run = _kb(base, args)
    if run.code != 0:
        raise RuntimeError(f"kb init failed ({run.code}): {run.err}")
    return root


def run_new(project: Path, writeup: Path, inputs: Path) -> Run:
    """`kb new` on one write-up (token markers filled in) in dry-run JSON mode."""
    source = inputs / writeup.name
    source.write_text(source_text(writeup), encoding="utf-8")
    run = _kb(
        project,
        [
            "new",
            str(source),
            "--no-input",
            "--dry-run",
            "--json",
            "--allow-duplicate",
            "--allow-incomplete",
        ],
    )
    with contextlib.suppress(ValueError):
        payload = json.loads(run.out)
        if isinstance(payload, dict):
            run.payload = payload
    return run


# ---------------------------------------------------------------------------- the article


@dataclass
class Article:
    """A printed article: front matter and H2 sections (name -> text)."""

    text: str
    meta: dict[str, Any]
    sections: dict[str, str]
    order: list[str]


def parse_article(text: str) -> Article:
    """Front matter (YAML) and the H2 sections of an article's Markdown."""
    meta: dict[str, Any] = {}
    body = text
    match = re.match(r"---\n(.*?)\n---\n", text, re.S)
    if match:
        loaded = yaml.safe_load(match.group(1))
        meta = loaded if isinstance(loaded, dict) else {}
        body = text[match.end() :]
    sections: dict[str, str] = {}
    order: list[str] = []
    current: str | None = None
    fenced = False
    for line in body.splitlines():
        if _FENCE_RE.match(line):
            fenced = not fenced
        if not fenced and line.startswith("## "):
            current = line[3:].strip()
            order.append(current)
            sections.setdefault(current, "")
            continue
        if current is not None:
            sections[current] += line + "\n"
    return Article(text, meta, sections, order)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def _contains_value(text: str, value: str) -> bool:
    """Whether a planted value occurs (case-insensitive; whole words for word-like ends)."""
    start = r"(?<![A-Za-z0-9])" if value[:1].isalnum() else ""
    end = r"(?![A-Za-z0-9])" if value[-1:].isalnum() else ""
    return re.search(start + re.escape(value) + end, text, re.I) is not None


def _paragraphs(body: str) -> list[str]:
    """Prose paragraphs of a section text (code blocks left out), normalized."""
    result: list[str] = []
    fenced = False
    current: list[str] = []
    for line in [*body.splitlines(), ""]:
        if _FENCE_RE.match(line):
            fenced = not fenced
            continue
        if fenced or line.startswith("    "):
            continue
        if line.strip():
            current.append(line)
        elif current:
            result.append(_norm(" ".join(current)))
            current = []
    return result


def _outside_code(text: str) -> str:
    kept: list[str] = []
    fenced = False
    for line in text.splitlines():
        if _FENCE_RE.match(line):
            fenced = not fenced
            continue
        if not fenced and not line.startswith("    "):
            kept.append(re.sub(r"`[^`]*`", "", line))
    return "\n".join(kept)


# ---------------------------------------------------------------------------- scoring


@dataclass
class WriteupScore:
    """The checks of one write-up: field -> ok, and what failed."""

    name: str
    format: str
    covers: list[str] = field(default_factory=list)
    checks: dict[str, bool] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    planted_total: int = 0
    planted_left: int = 0
    error_total: int = 0
    error_kept: int = 0
    article: str = ""
    """The article `kb new` printed (empty when it failed): compared with its golden."""

    def check(self, name: str, ok: bool, why: Sequence[str] = ()) -> None:
        self.checks[name] = ok
        if not ok:
            self.failures.extend(f"{name}: {w}" for w in why or ["wrong"])


def title_problems(title: str, terms: Sequence[str]) -> list[str]:
    """Why a title would need an edit (empty: fine)."""
    problems: list[str] = []
    flat = _norm(title)
    problems += [f"lacks {t!r}" for t in terms if _norm(t) not in flat]
    if len(title) > MAX_TITLE:
        problems.append(f"{len(title)} characters (> {MAX_TITLE})")
    if _PLACEHOLDER_RE.search(title):
        problems.append("holds a placeholder")
    if _MARKUP_RE.search(title):
        problems.append("holds markup")
    first = re.split(r"[\s:,]+", title.strip(), maxsplit=1)[0] if title.strip() else ""
    word = first.strip("\"'(").lower()
    if not first:
        problems.append("empty")
    elif word in _FRAGMENT_STARTS:
        problems.append(f"starts mid-sentence ({first!r})")
    elif (
        first[:1].islower()
        and word.isalpha()
        and word not in _CODE_WORDS
        and not re.search(r"[\d_./-]", first)
    ):
        problems.append(f"starts with a lowercase fragment ({first!r})")
    if title.rstrip().endswith((",", ":", "...", "…", ";", "-")):
        problems.append("ends mid-sentence")
    return problems


def _as_set(value: Any) -> set[str]:
    if value is None:
        return set()
    if isinstance(value, (list, tuple)):
        return {str(v) for v in value}
    return {str(value)}


def score_one(writeup: Path, run: Run) -> WriteupScore:
    """Score one `kb new` run against the write-up's label."""
    label = load_label(writeup)
    result = WriteupScore(writeup.name, label["format"], list(label["covers"]))
    result.planted_total = len(label["planted"])
    result.error_total = len(label["error_lines"])
    article_text = (run.payload or {}).get("article")
    if run.code != 0 or not isinstance(article_text, str):
        reason = f"exit {run.code}: {run.err.strip().splitlines()[-1] if run.err.strip() else ''}"
        for name in FIELDS:
            result.check(name, False, [reason] if name == "runs" else ["no article"])
        result.planted_left = result.planted_total
        return result
    result.check("runs", True)
    result.article = article_text
    article = parse_article(article_text)
    meta = article.meta

    title = str(meta.get("title", ""))
    result.check(
        "title",
        not title_problems(title, label["title_terms"]),
        [f"{title!r} {p}" for p in title_problems(title, label["title_terms"])],
    )
    result.check(
        "type",
        meta.get("type") == label["type"],
        [f"{meta.get('type')!r}, expected {label['type']!r}"],
    )
    area = label["product_area"] or DEFAULT_AREA
    result.check(
        "area",
        meta.get("product_area") == area,
        [f"{meta.get('product_area')!r}, expected {area!r}"],
    )

    raw_versions = meta.get("versions")
    versions: dict[str, Any] = raw_versions if isinstance(raw_versions, dict) else {}
    affected = _as_set(versions.get("affected"))
    fixed = None if versions.get("fixed") is None else str(versions.get("fixed"))
    why: list[str] = []
    if affected != set(label["versions"]):
        why.append(f"affected {sorted(affected)}, expected {sorted(label['versions'])}")
    if fixed != label["fixed_version"]:
        why.append(f"fixed {fixed!r}, expected {label['fixed_version']!r}")
    result.check("versions", not why, why)

    for name, key in (("deployment", "deployment"), ("services", "services")):
        got = _as_set(meta.get(key))
        result.check(
            name, got == set(label[key]), [f"{sorted(got)}, expected {sorted(label[key])}"]
        )

    lines = article_text.splitlines()
    missing = [e for e in label["error_lines"] if not any(e.strip() in ln for ln in lines)]
    result.error_kept = result.error_total - len(missing)
    result.check(
        "error_lines", not missing, [f"not verbatim: {e.strip()[:100]!r}" for e in missing]
    )

    result.check("placement", *_placement(article, label))

    prose = _outside_code(article_text)
    escapes = sorted(set(re.findall(r"&(?:lt|gt|amp|quot|#\d+);", prose)))
    result.check("readable", not escapes, [f"HTML escapes in the Markdown: {escapes}"])

    left = [v for v in label["planted"] if _contains_value(article_text, v)]
    result.planted_left = len(left)
    result.check("planted", not left, [f"still there: {v!r}" for v in left])

    result.check(
        "no_edit",
        all(result.checks[n] for n in ("runs", "title", "type", "placement")),
        ["title, type or placement needs an edit"],
    )
    return result


def _placement(article: Article, label: dict[str, Any]) -> tuple[bool, list[str]]:
    why: list[str] = []
    normalized = {name: _norm(text) for name, text in article.sections.items()}
    for section, phrases in label["sections"].items():
        for phrase in phrases:
            wanted = _norm(phrase)
            if section not in normalized:
                why.append(f"no section {section!r} for {phrase!r}")
            elif wanted not in normalized[section]:
                why.append(f"{phrase!r} not in {section}")
            elsewhere = [n for n, t in normalized.items() if n != section and wanted in t]
            if elsewhere:
                why.append(f"{phrase!r} also in {', '.join(elsewhere)}")
    seen: dict[str, str] = {}
    for name, text in article.sections.items():
        for paragraph in _paragraphs(text):
            if len(paragraph) < 30:
                continue
            if paragraph in seen:
                why.append(f"paragraph repeated ({seen[paragraph]}, {name}): {paragraph[:60]!r}")
            seen[paragraph] = name
    for text in label["must_not_contain"]:
        if text in article.text:
            why.append(f"contains {text!r}")
    return not why, why


# ---------------------------------------------------------------------------- the set


@dataclass
class SetScore:
    """Scores of every write-up and the aggregates."""

    results: list[WriteupScore]

    def count(self, name: str) -> int:
        return sum(1 for r in self.results if r.checks.get(name))

    def share(self, name: str) -> float:
        return self.count(name) / len(self.results) if self.results else 0.0

    @property
    def planted_removed_share(self) -> float:
        total = sum(r.planted_total for r in self.results)
        left = sum(r.planted_left for r in self.results)
        return (total - left) / total if total else 1.0

    def table(self) -> str:
        """The per-field score table (Markdown), with a column per format."""
        formats = [f for f in FORMATS if any(r.format == f for r in self.results)]
        head = ["field", "ok", "%", *formats]
        rows = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
        for name in FIELDS:
            per_format = []
            for fmt in formats:
                group = [r for r in self.results if r.format == fmt]
                per_format.append(f"{sum(1 for r in group if r.checks.get(name))}/{len(group)}")
            rows.append(
                f"| {name} | {self.count(name)}/{len(self.results)} | {100 * self.share(name):.0f}"
                f" | {' | '.join(per_format)} |"
            )
        total = sum(r.planted_total for r in self.results)
        left = sum(r.planted_left for r in self.results)
        errors = sum(r.error_total for r in self.results)
        kept = sum(r.error_kept for r in self.results)
        rows.append("")
        rows.append(
            f"Planted values removed: {total - left}/{total} "
            f"({100 * self.planted_removed_share:.1f}%). "
            f"Error lines kept verbatim: {kept}/{errors}."
        )
        return "\n".join(rows)

    def class_table(self) -> str:
        """Per failure class (the labels' `covers`): write-ups and how many pass each check."""
        classes = sorted({c for r in self.results for c in r.covers})
        checks = ("no_edit", "title", "type", "placement", "planted", "area")
        rows = [
            "| class | write-ups | " + " | ".join(checks) + " |",
            "| --- | --- |" + " --- |" * len(checks),
        ]
        for name in classes:
            group = [r for r in self.results if name in r.covers]
            counts = [f"{sum(1 for r in group if r.checks.get(c))}" for c in checks]
            rows.append(f"| {name} | {len(group)} | " + " | ".join(counts) + " |")
        return "\n".join(rows)

    def failures(self) -> str:
        lines: list[str] = []
        for r in self.results:
            if r.failures:
                lines.append(f"{r.name}:")
                lines.extend(f"  - {f}" for f in r.failures)
        return "\n".join(lines)


def score_set(paths: Sequence[Path] | None = None) -> SetScore:
    """Run `kb new` on every write-up (or the given ones) and score them."""
    chosen = list(paths) if paths is not None else writeups()
    with tempfile.TemporaryDirectory(prefix="kb-writeups-") as tmp:
        base = Path(tmp)
        project = make_project(base)
        inputs = base / "input"
        inputs.mkdir()
        results = [score_one(p, run_new(project, p, inputs)) for p in chosen]
    return SetScore(results)
