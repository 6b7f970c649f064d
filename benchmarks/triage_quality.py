"""Quality of `kb triage` on the labelled set, beside a plain BM25 over pages (issue 11).

Usage: python benchmarks/triage_quality.py [--cases tests/fixtures/triage/cases.yml]
                                           [--audience internal|public] [--misses]

Rows:
- `BM25 pages`: the baseline, written here on purpose (not kbtools code): every Markdown file
  under the corpus' docs_dir is one document (front matter included), tokens are runs of
  letters and digits in lower case, Okapi BM25 with k1=1.2 and b=0.75, the top 5 pages.
  It never abstains. It is scored at page level (a hit is the right path).
- `kb triage (sections)` and `kb triage (pages)`: `kbtools.triage.triage_text` when it is
  importable, scored at section level (path and anchor, see tests/triage/scoring.py) and at
  page level (path only, comparable with the baseline).

With `--audience public` only the cases marked `public: true` are scored (what a customer
could paste on the public site, issue 17) and BM25 indexes the same pages as for internal.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.triage.scoring import (
    CASES,
    MRR_DEPTH,
    Case,
    Ranked,
    Ranking,
    Scores,
    load_cases,
    score,
    select,
    triage_ranking,
)

K1 = 1.2
B = 0.75
TOKEN = re.compile(r"[a-z0-9]+")


def tokenize(text: str) -> list[str]:
    """Lower-case runs of letters and digits."""
    return TOKEN.findall(text.lower())


class BM25:
    """Okapi BM25 over a list of (key, text) documents."""

    def __init__(self, documents: Sequence[tuple[tuple[str, str | None], str]]) -> None:
        self.keys = [key for key, _ in documents]
        self.freqs: list[Counter[str]] = []
        self.lengths: list[int] = []
        for _, text in documents:
            tokens = tokenize(text)
            self.freqs.append(Counter(tokens))
            self.lengths.append(len(tokens))
        self.average = sum(self.lengths) / max(len(self.lengths), 1)
        df: Counter[str] = Counter()
        for freq in self.freqs:
            df.update(freq.keys())
        n = len(self.keys)
        self.idf = {term: math.log(1 + (n - d + 0.5) / (d + 0.5)) for term, d in df.items()}

    def search(self, text: str, top: int = MRR_DEPTH) -> list[tuple[str, str | None]]:
        """The keys of the best `top` documents for the text, best first."""
        terms = [t for t in set(tokenize(text)) if t in self.idf]
        scored: list[tuple[float, int]] = []
        for index, (freq, length) in enumerate(zip(self.freqs, self.lengths, strict=True)):
            norm = K1 * (1 - B + B * length / self.average)
            total = 0.0
            for term in terms:
                tf = freq.get(term)
                if tf:
                    total += self.idf[term] * tf * (K1 + 1) / (tf + norm)
            if total > 0:
                scored.append((total, index))
        scored.sort(key=lambda item: (-item[0], item[1]))
        return [self.keys[index] for _, index in scored[:top]]


def pages(root: Path, docs_dir: Path) -> list[tuple[tuple[str, str | None], str]]:
    """Every Markdown page under docs_dir as one document, keyed (path, None)."""
    return [
        (
            (file.relative_to(root).as_posix(), None),
            file.read_text(encoding="utf-8", errors="replace"),
        )
        for file in sorted(docs_dir.rglob("*.md"))
    ]


def sections(config_file: Path) -> list[tuple[tuple[str, str | None], str]]:
    """Every heading's section (to the next heading) as a document, keyed (path, anchor).

    The page title is prepended to each section; text above the first heading goes to the
    page top (anchor None). Heading ids come from kbtools' Document, as the site gives them.
    """
    from kbtools import config
    from kbtools.document import load_document

    site = config.load(config_file)
    documents: list[tuple[tuple[str, str | None], str]] = []
    for file in sorted(site.docs_dir.rglob("*.md")):
        rel = file.relative_to(site.docs_dir).as_posix()
        path = file.relative_to(site.root).as_posix()
        doc = load_document(file, rel, site.toc)
        lines = doc.text.split("\n")
        title = doc.headings[0].text if doc.headings else ""
        starts = [(1, None)] + [(h.line, h.anchor) for h in doc.headings]
        for (start, anchor), (end, _) in zip(
            starts, [*starts[1:], (len(lines) + 1, None)], strict=True
        ):
            body = "\n".join(lines[start - 1 : end - 1])
            if body.strip():
                documents.append(((path, anchor), f"{title}\n{body}"))
    return documents


def bm25_ranking(cases: Sequence[Case], *, by_section: bool = False) -> Ranking:
    """One BM25 index per corpus of the cases (pages, or sections), as a Ranking."""
    from kbtools import config

    indexes: dict[Path, BM25] = {}
    for config_file in {c.config_file for c in cases}:
        if by_section:
            indexes[config_file] = BM25(sections(config_file))
        else:
            site = config.load(config_file)
            indexes[config_file] = BM25(pages(site.root, site.docs_dir))

    def rank(case: Case) -> Ranked:
        return Ranked(results=tuple(indexes[case.config_file].search(case.text)))

    return rank


def row(name: str, scores: Scores, seconds: float) -> str:
    """One Markdown table row."""
    return (
        f"| {name} | {scores.covered} | {scores.top1_rate:.1%} | {scores.top3_rate:.1%} | "
        f"{scores.mrr:.3f} | {scores.uncovered} | {scores.abstention_rate:.1%} | "
        f"{scores.wrong_abstention_rate:.1%} | {seconds:.2f} |"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Print the table (and, with --misses, which covered cases each row misses)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=Path, default=CASES)
    parser.add_argument("--audience", choices=["internal", "public"], default="internal")
    parser.add_argument("--misses", action="store_true", help="list the missed case ids")
    args = parser.parse_args(argv)
    cases = load_cases(args.cases)
    if args.audience == "public":
        cases = select(cases, public=True)
    rows: list[tuple[str, Scores, float]] = []
    for by_section, name in ((False, "BM25 pages"), (True, "BM25 sections")):
        began = time.perf_counter()
        bm25 = bm25_ranking(cases, by_section=by_section)
        index_seconds = time.perf_counter() - began
        for corpus in ("demo", "argo-cd", None):
            subset = select(cases, corpus=corpus)
            began = time.perf_counter()
            scores = score(subset, bm25, page=not by_section)
            spent = time.perf_counter() - began + (index_seconds if corpus is None else 0.0)
            rows.append((f"{name}, {corpus or 'all'}", scores, spent))
    triage = triage_ranking(audience=args.audience)
    if triage is not None:
        # Run once per case (timed), then score the same answers at both levels.
        answers: dict[str, Ranked] = {}
        seconds: dict[str, float] = {}
        for case in cases:
            began = time.perf_counter()
            answers[case.id] = triage(case)
            seconds[case.id] = time.perf_counter() - began

        def replay(case: Case) -> Ranked:
            return answers[case.id]

        for corpus in ("demo", "argo-cd", None):
            subset = select(cases, corpus=corpus)
            spent = sum(seconds[c.id] for c in subset)
            for page, level in ((False, "sections"), (True, "pages")):
                label = f"kb triage ({level}), {corpus or 'all'}"
                rows.append((label, score(subset, replay, page=page), spent))
    print(f"audience {args.audience}; {len(cases)} cases (time: ranking; 'all' rows add indexing)")
    print()
    print(
        "| ranking | covered | top-1 | top-3 | MRR@5 | uncovered | abstained "
        "| wrongly abstained | time (s) |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, scores, seconds in rows:
        print(row(name, scores, seconds))
    if triage is None:
        print()
        print("kb triage: kbtools.triage.triage_text is not importable, no rows.")
    if args.misses:
        print()
        for name, scores, _ in rows:
            if name.endswith(", all"):
                print(f"{name}: not in top 3: {' '.join(scores.misses)}")
                if scores.false_answers:
                    print(f"{name}: answered uncovered: {' '.join(scores.false_answers)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
