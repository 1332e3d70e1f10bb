"""The wheel carries the engine and the codemods (mapped from the top-level codemods/ folder)."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_contains_engine_and_codemods(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("torchup-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    codemods = {p.name for p in (ROOT / "codemods").glob("*.py")}
    assert {f"torchup/codemods/{name}" for name in codemods} <= names
    for module in ("cli.py", "runner.py", "pipeline.py", "analysis/imports.py", "verify/__init__.py"):
        assert f"torchup/{module}" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "torchup = torchup.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_editable_install_finds_codemods():
    import os

    import torchup.codemods

    if "MUTANT_UNDER_TEST" in os.environ:
        pytest.skip("make mutate imports its mutated copy of the codemods, not the editable install's")

    assert Path(torchup.codemods.__file__).resolve().parent == ROOT / "codemods"
