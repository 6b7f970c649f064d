"""The error panel's static index: the files hold the index kb triage ranks, nothing else."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from kbtools.match import index as index_module
from kbtools.match.sections import Line, Unit
from kbtools.match.words import error_sequence, text_words
from kbtools.site import errorindex

NODE = shutil.which("node")
SCRIPT = Path(errorindex.__file__).parent / "assets" / "kb-error-panel.js"


def unit(path: str, title: str, lines: list[str]) -> tuple[Unit, str]:
    result = Unit(path, None, title, title, "article")
    result.heading_words = text_words(title)
    result.title_words = text_words(title)
    for number, text in enumerate(lines, start=1):
        result.body_words.extend(text_words(text))
        result.lines.append(Line(text, number, "errors", error_sequence(text, names=True)))
    return result, path.removesuffix(".md") + "/"


@pytest.fixture
def small() -> index_module.Index:
    units = [
        unit(
            f"docs/kb/a{n}.md",
            f"Sync fails {n}",
            ["x509: certificate signed by unknown authority", f"dial tcp: lookup host{n}"],
        )
        for n in range(30)
    ]
    units.append(unit("docs/kb/oom.md", "Pod OOMKilled", ["container OOMKilled exit code 137"]))
    return index_module.build(units)


def test_every_term_is_in_its_hash_shard_with_its_postings(small: index_module.Index) -> None:
    files = errorindex.files(small, "public")
    manifest = json.loads(files["manifest.json"])
    assert manifest["units"] == small.unit_count == 31
    shards = manifest["shards"]
    for number, term in enumerate(small.terms):
        shard = errorindex.fnv1a(term) % shards
        entry = json.loads(files[f"t/{shard}.json"])[term]
        assert entry[0] == number
        assert entry[1] == small.idf[number]
        assert entry[2] == len(small.line_postings(number))
        units, position = [], 0
        for gap in entry[3][::2]:
            position += gap
            units.append(position)
        assert units == small.unit_postings(number).tolist()[::2]


def test_common_words_have_their_lines_apart(small: index_module.Index) -> None:
    files = errorindex.files(small, "public")
    heavy = errorindex.heavy_lines(small)
    x509 = small.term_ids["x509"]
    assert len(small.line_postings(x509)) > heavy
    shard = errorindex.fnv1a("x509") % json.loads(files["manifest.json"])["shards"]
    assert "x509" in json.loads(files[f"h/{shard}.json"])
    assert "x509" not in json.loads(files.get(f"e/{shard}.json", "{}"))
    word = error_sequence("OOMKilled")[0]
    oom = errorindex.fnv1a(word) % json.loads(files["manifest.json"])["shards"]
    lines = json.loads(files[f"e/{oom}.json"])[word]
    assert [entry[2] for entry in lines] == [30]


def test_line_entries_store_lines_and_units_as_gaps(small: index_module.Index) -> None:
    files = errorindex.files(small, "public")
    word = error_sequence("dial")[0]
    shard = errorindex.fnv1a(word) % json.loads(files["manifest.json"])["shards"]
    entries = json.loads(files[f"h/{shard}.json"])[word]  # 30 lines: a common word
    lines, units, line, unit = [], [], 0, 0
    for entry in entries:
        line, unit = line + entry[0], unit + entry[2]
        lines.append(line)
        units.append(unit)
    assert lines == small.line_postings(small.term_ids[word]).tolist()
    assert units == [small.line_unit[n] for n in lines] == list(range(30))
    assert [entry[2] for entry in entries] == [0] + [1] * 29


def test_rules_are_the_package_file(small: index_module.Index) -> None:
    files = errorindex.files(small, "public")
    assert (
        files["rules.json"]
        == (Path(errorindex.__file__).parents[1] / "match" / "rules.json").read_text()
    )


@pytest.mark.skipif(NODE is None, reason="needs node")
def test_the_script_hashes_terms_like_python() -> None:
    words = ["x509", "comparisonerror", "42p01", "<ts>", "a.b-c_d", "ünïcode"]
    program = (
        f"const K = require({json.dumps(str(SCRIPT))});"
        f"console.log(JSON.stringify({json.dumps(words)}.map(K.fnv1a)))"
    )
    done = subprocess.run([NODE, "-e", program], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == [errorindex.fnv1a(w) for w in words]


@pytest.mark.skipif(NODE is None, reason="needs node")
def test_the_script_masks_like_python() -> None:
    lines = [
        'time="2025-03-11T09:12:44Z" level=error msg="sync failed" error="x509: certificate'
        ' signed by unknown authority" app=acme-payments',
        '{"level":"error","ts":1700000000.1,"msg":"failed to get cluster info","error":'
        '"dial tcp 10.0.3.44:6443: i/o timeout"}',
        "ComparisonError: rpc error: code = Unknown desc = Manifest generation error (cached)",
        "pq: password authentication failed for user 'acme_prod_rw' at /var/run/pg.sock",
    ]
    program = (
        f"const K = require({json.dumps(str(SCRIPT))});"
        "const R = K.compile(require(process.argv[1]));"
        f"console.log(JSON.stringify({json.dumps(lines)}.map(l => K.errorSequence(R, l, true))))"
    )
    rules = Path(errorindex.__file__).parents[1] / "match" / "rules.json"
    done = subprocess.run(
        [NODE, "-e", program, str(rules)], capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout) == [list(error_sequence(line, names=True)) for line in lines]
