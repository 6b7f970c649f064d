"""`kb new` then `kb lint` and `kb build`: the new article is clean and lands per audience."""

from __future__ import annotations

import json
import re

import pytest

from kbtools.cli import main
from tests.new.support import KbProject

pytestmark = pytest.mark.slow

SITE = """\
site_name: Demo KB
site_url: https://kb.example.com/
docs_dir: docs
theme:
  name: material
nav:
  - Home: index.md
  - Knowledge base:
    - kb/index.md
plugins:
  - search
  - kb:
      product_areas: [install, upgrades, auth, search, storage, networking, observability]
"""


@pytest.mark.parametrize(
    "fixture",
    [
        "gitserver-disk-full.md",
        "zendesk-proxy.json",
        "chat-thread.txt",
        "chat-greetings.txt",
        "no-headings.txt",
    ],
)
def test_new_article_lints_clean_and_builds_per_audience(
    project: KbProject, run_new, capsys, fixture: str
) -> None:
    project.write("mkdocs.yml", SITE)
    result = run_new(str(project.source(fixture)), "--json")
    assert result.code == 0, result.err
    path = json.loads(result.out)["path"]
    page = path.removeprefix("docs/").removesuffix(".md")

    capsys.readouterr()
    code = main(["lint", path, "--format", "json", "--style", "off", "--fail-on", "error"])
    report = capsys.readouterr().out
    assert code == 0, report
    errors = [f for f in json.loads(report)["findings"] if f["severity"] == "error"]
    assert errors == []

    internal = project.root / "site-internal"
    assert main(["build", "--audience", "internal", "-d", str(internal)]) == 0
    assert (internal / page / "index.html").is_file()
    public = project.root / "site-public"
    assert main(["build", "--audience", "public", "-d", str(public)]) == 0
    assert not (public / page / "index.html").exists()  # a draft never reaches the public site


def test_published_public_article_reaches_the_public_site(project: KbProject, run_new) -> None:
    project.write("mkdocs.yml", SITE)
    result = run_new(str(project.source("no-headings.txt")), "--json", "--visibility", "public")
    path = project.root / json.loads(result.out)["path"]
    path.write_text(re.sub(r"^status: draft$", "status: published", path.read_text(), flags=re.M))
    public = project.root / "site-public"
    assert main(["build", "--audience", "public", "-d", str(public)]) == 0
    html = (public / path.relative_to(project.docs).with_suffix("") / "index.html").read_text()
    assert "serviceProviderIssuer" in html
    assert "51230" not in html  # tickets are never rendered publicly
    assert "Initech" not in html
