"""The wheel ships every file the package reads at run time (templates, site assets)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.helpers import build_wheel

ROOT = Path(__file__).parents[1]


@pytest.mark.slow
def test_wheel_holds_every_data_file_of_the_package(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path)
    shipped = set(zipfile.ZipFile(wheel).namelist())
    package = ROOT / "kbtools"
    wanted = {  # every data file of the package: templates, the site's assets, py.typed
        path.relative_to(ROOT).as_posix()
        for path in package.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".py"
    }
    assert "kbtools/py.typed" in wanted and "kbtools/site/assets/kb-search.js" in wanted
    assert sorted(wanted - shipped) == []
    assert any(name.endswith(".dist-info/entry_points.txt") for name in shipped)
    entry_points = next(n for n in shipped if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "kb = kbtools.cli:main" in text
    assert "[mkdocs.plugins]" in text
