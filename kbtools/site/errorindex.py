"""The error panel's static index: what `kb triage` matches on, written into the built site.

At the end of a build (`on_post_build` of the kb plugin) the section index of
`kbtools.match` for the audience being built (the one `kb triage --audience` loads, same
pages, same units, same weights) is split into small JSON files under `kb-error/`, and
`kbtools/site/assets/kb-error-panel.js` ranks a pasted error in the browser with the same
rules (`kb-error/rules.json`, the file `kbtools.match` loads). No ranking is written here.

Files (ids are those of the index):

- `manifest.json`: counts, the shard layout and per-unit numbers the ranking needs for
  every unit (length for BM25, page number for the page prior and the per-page limit,
  title norm, whether the title is a question, the deployments a unit names);
- `t/N.json`: the terms whose FNV-1a hash falls in shard N, each
  `[id, idf, line count, unit postings, short id, title postings]` (unit postings `[unit,
  count, ...]` with each unit as the gap from the previous one, title postings the units
  whose own title holds the term, as gaps; the short id numbers terms by how many lines
  hold them, so the word lists below are small numbers; ties still break on `id`);
- `e/N.json`: for the same terms, the lines holding each, `[line gap, kind, unit gap,
  norm, [short ids in line order]]`: the candidate lines with all their words. A term more than
  `heavy_lines` lines hold has its lines in `h/N.json` instead: the ranking only reads
  them when that word is the rarest of a query line (it stops at such a word otherwise);
- `u/N.json`, `l/N.json`: the units and line texts in blocks, fetched for the results shown.

A first search fetches the manifest, the `t/` shard of each distinct query word, the `e/`
shard of each error word the ranking reads candidates from, and the blocks of the three
results (benchmarks/site_scale.py measures the bytes at 2,000 articles).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kbtools.match import rules as rules_module
from kbtools.match.index import Index
from kbtools.match.rank import _QUESTION_RE as QUESTION_RE

FOLDER = "kb-error"
SCRIPT = "assets/javascripts/kb-error-panel.js"
FORMAT = 2
UNIT_BLOCK = 32
LINE_BLOCK = 128
TERMS_PER_SHARD = 4
"""About this many terms share a shard file: fewer files than one per word, little waste."""


@dataclass(frozen=True)
class Written:
    """What `write` wrote (for the build log, tests and benchmarks)."""

    folder: Path
    files: int
    bytes: int
    units: int


def fnv1a(text: str) -> int:
    """32-bit FNV-1a of the UTF-8 bytes of `text` (the script computes the same)."""
    value = 0x811C9DC5
    for byte in text.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def shard_count(terms: int) -> int:
    """A power of two near `terms / TERMS_PER_SHARD` (at least 1)."""
    count = 1
    while count * TERMS_PER_SHARD < terms:
        count *= 2
    return count


def heavy_lines(index: Index) -> int:
    """Line count above which the ranking stops at a word (`rank._error_scores`' cap * 4)."""
    share = float(rules_module.load().ranking["candidate_share"])
    return 4 * max(1, int(share * index.unit_count))


def _dump(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _gaps(postings: Iterable[int]) -> list[int]:
    """Unit postings `[unit, count, ...]` with each unit as the gap from the previous one."""
    flat = list(postings)
    result: list[int] = []
    previous = 0
    for position in range(0, len(flat), 2):
        unit = flat[position]
        result.extend((unit - previous, flat[position + 1]))
        previous = unit
    return result


def compact_ids(index: Index) -> list[int]:
    """Per term, a short id: terms on more lines first, so line word lists have small numbers."""
    lines = [0] * len(index.terms)
    for line in range(index.line_count):
        for term in index.line_words(line):
            lines[term] += 1
    order = sorted(range(len(lines)), key=lambda term: (-lines[term], term))
    result = [0] * len(lines)
    for short, term in enumerate(order):
        result[term] = short
    return result


def _ascending_gaps(numbers: Iterable[int]) -> list[int]:
    """Ascending numbers (units, lines) as gaps."""
    result: list[int] = []
    previous = 0
    for number in numbers:
        result.append(number - previous)
        previous = number
    return result


def _line_entries(index: Index, lines: Iterable[int], short: list[int]) -> list[list[Any]]:
    """`[line gap, kind, unit gap, norm, [short ids in line order]]` for lines in ascending
    order (a unit's lines are consecutive, so the unit gap is mostly 0: small files)."""
    numbers = list(lines)
    units = _ascending_gaps(index.line_unit[line] for line in numbers)
    return [
        [
            gap,
            index.line_kind[line],
            unit_gap,
            index.line_norm[line],
            [short[term] for term in index.line_words(line)],
        ]
        for line, gap, unit_gap in zip(numbers, _ascending_gaps(numbers), units, strict=True)
    ]


def files(index: Index, audience: str) -> dict[str, str]:
    """The index as site files: relative path under `kb-error/` -> JSON text."""
    shards = shard_count(len(index.terms))
    heavy = heavy_lines(index)
    term_shards: list[dict[str, Any]] = [{} for _ in range(shards)]
    line_shards: list[dict[str, Any]] = [{} for _ in range(shards)]
    heavy_shards: list[dict[str, Any]] = [{} for _ in range(shards)]
    short = compact_ids(index)
    for number, term in enumerate(index.terms):
        shard = fnv1a(term) % shards
        lines = index.line_postings(number)
        if lines:
            target = line_shards if len(lines) <= heavy else heavy_shards
            target[shard][term] = _line_entries(index, lines, short)
        term_shards[shard][term] = [
            number,
            index.idf[number],
            len(lines),
            _gaps(index.unit_postings(number)),
            short[number],
            _ascending_gaps(index.title_postings(number)),
        ]
    kinds = sorted({d for row in index.units for d in row[8]})[:30]
    pages: dict[str, int] = {}
    unit_page = [pages.setdefault(row[0], len(pages)) for row in index.units]
    result: dict[str, str] = {
        "rules.json": rules_module.raw_text(),
        "manifest.json": _dump(
            {
                "format": FORMAT,
                "audience": audience,
                "units": index.unit_count,
                "lines": index.line_count,
                "terms": len(index.terms),
                "shards": shards,
                "heavy_lines": heavy,
                "unit_block": UNIT_BLOCK,
                "line_block": LINE_BLOCK,
                "average_length": index.average_length,
                "unit_length": index.unit_length.tolist(),
                "unit_page": unit_page,
                "title_norm": index.title_norm.tolist(),
                # The deployments a unit names (KB front matter), a tie-breaker: per unit a
                # bit mask over `deployment_kinds`.
                "deployment_kinds": kinds,
                "deployment": [
                    sum(1 << kinds.index(d) for d in set(row[8]) if d in kinds)
                    for row in index.units
                ],
                # Units whose title asks a question (FAQ entries), as `rank.rank` tests them.
                "questions": [n for n, row in enumerate(index.units) if QUESTION_RE.search(row[2])],
            }
        ),
    }
    for shard in range(shards):
        result[f"t/{shard}.json"] = _dump(term_shards[shard])
        for folder, family in (("e", line_shards), ("h", heavy_shards)):
            if family[shard]:
                result[f"{folder}/{shard}.json"] = _dump(family[shard])
    for start in range(0, index.unit_count, UNIT_BLOCK):
        rows = [row[:7] for row in index.units[start : start + UNIT_BLOCK]]
        result[f"u/{start // UNIT_BLOCK}.json"] = _dump(rows)
    count = index.line_count
    for start in range(0, count, LINE_BLOCK):
        end = min(count, start + LINE_BLOCK)
        block = [[index.line_text(n), index.line_number[n]] for n in range(start, end)]
        result[f"l/{start // LINE_BLOCK}.json"] = _dump(block)
    return result


def write(site_dir: Path, index: Index, audience: str) -> Written:
    """Replace `site_dir/kb-error/` with the files of `index`."""
    folder = site_dir / FOLDER
    if folder.exists():
        shutil.rmtree(folder)
    size = 0
    written = files(index, audience)
    for rel, text in written.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        path.write_bytes(data)
        size += len(data)
    return Written(folder, len(written), size, index.unit_count)


def build(site_dir: Path, config_file: Path, audience: str) -> Written:
    """Index the site of `config_file` for `audience` as `kb triage` does, and write it."""
    from kbtools.match.cache import load_index
    from kbtools.project import Project

    project = Project.load(str(config_file))
    return write(site_dir, load_index(project, audience).index, audience)


def script() -> str:
    """The text of the error panel script."""
    return (Path(__file__).parent / "assets" / "kb-error-panel.js").read_text(encoding="utf-8")


def add_script(config: Any) -> bool:
    """Load the panel script on every page of a site that has a search box; True if added."""
    from kbtools.site.tuning import material_search_plugins

    if not material_search_plugins(config) and "pagefind" not in config.plugins:
        return False
    if SCRIPT not in (str(item) for item in config.extra_javascript):
        config.extra_javascript.append(SCRIPT)
    return True


def add_script_file(files: Any, config: Any) -> None:
    """Add the script to the site's files (unless the site ships its own copy)."""
    from mkdocs.structure.files import File

    if files.get_file_from_path(SCRIPT) is None:
        files.append(File.generated(config, SCRIPT, content=script()))
