"""Notebooks and ``--output-format`` through the real CLI (a subprocess, as a user runs it)."""

import json
import subprocess
import sys

NOTEBOOK = {
    "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Legacy training"]},
        {
            "cell_type": "code",
            "execution_count": 1,
            "metadata": {},
            "outputs": [],
            "source": ["%matplotlib inline\n", "import torch\n", "from torch.autograd import Variable"],
        },
        {
            "cell_type": "code",
            "execution_count": 2,
            "metadata": {"scrolled": True},
            "outputs": [{"name": "stdout", "output_type": "stream", "text": ["é\n"]}],
            "source": ["!nvidia-smi\n", "x = Variable(torch.zeros(3))\n", "x = x.to(d, async=True)"],
        },
    ],
    "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
    "nbformat": 4,
    "nbformat_minor": 2,
}


def torchup(*args):
    return subprocess.run([sys.executable, "-m", "torchup", *map(str, args)], capture_output=True, text=True)


def test_notebook_is_migrated_and_keeps_magics_and_formatting(tmp_path):
    path = tmp_path / "train.ipynb"
    path.write_text(json.dumps(NOTEBOOK, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    diff = torchup("fix", "--diff", tmp_path)
    assert f"{path}:cell 3" in diff.stdout
    result = torchup("fix", tmp_path)
    assert result.returncode == 0, result.stderr
    text = path.read_text(encoding="utf-8")
    migrated = json.loads(text)
    assert migrated["cells"][1]["source"] == ["%matplotlib inline\n", "import torch"]
    assert migrated["cells"][2]["source"] == ["!nvidia-smi\n", "x = torch.zeros(3)\n", "x = x.to(d, non_blocking=True)"]
    assert migrated["cells"][2]["outputs"] == NOTEBOOK["cells"][2]["outputs"]
    expected = dict(NOTEBOOK, cells=[NOTEBOOK["cells"][0], *migrated["cells"][1:]])
    assert text == json.dumps(expected, indent=1, ensure_ascii=False) + "\n"  # same layout
    check = torchup("check", path)
    assert check.returncode == 0 and check.stdout == ""


def test_findings_in_a_notebook_name_the_cell(tmp_path):
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(NOTEBOOK, indent=1))
    result = torchup("check", path)
    assert f"{path}:cell 3:3:" in result.stdout and "TU303" in result.stdout


def test_json_output_is_one_document(tmp_path):
    target = tmp_path / "a.py"
    target.write_text("import torch\nx = torch.zeros(3).to(d, async=True)\n")
    result = torchup("check", "--output-format", "json", target)
    document = json.loads(result.stdout)
    assert result.returncode == 1
    assert document["files"][0]["records"][0]["code"] == "TU303"


def test_github_annotations(tmp_path):
    target = tmp_path / "a.py"
    target.write_text("import torch\nx = torch.zeros(3).cuda(async=True)\n")
    result = torchup("fix", "--check", "--output-format", "github", target)
    assert result.returncode == 1
    assert f"file={target},line=2," in result.stdout and "TU303" in result.stdout


def test_add_noqa_leaves_a_notebook_as_it_is_and_says_so(tmp_path):
    path = tmp_path / "nb.ipynb"
    text = json.dumps(NOTEBOOK, indent=1) + "\n"
    path.write_text(text)
    result = torchup("check", "--no-cache", "--add-noqa", path)
    assert result.returncode == 0, result.stderr
    assert path.read_text() == text  # its JSON is not source lines to append comments to
    assert f"warning: {path}: --add-noqa does not edit notebooks" in result.stderr
    # whole: it says how many of the notebook's records it leaves unmarked
    assert result.stderr == f"warning: {path}: --add-noqa does not edit notebooks; 2 left\nAdded 0 noqa directives to 0 files.\n"


def test_add_noqa_says_nothing_of_a_notebook_with_nothing_to_mark(tmp_path):
    modern = dict(NOTEBOOK, cells=[{"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [], "source": ["import torch\n", "x = torch.zeros(3)"]}])
    (tmp_path / "clean.ipynb").write_text(json.dumps(modern, indent=1) + "\n")
    (tmp_path / "legacy.ipynb").write_text(json.dumps(NOTEBOOK, indent=1) + "\n")
    result = torchup("check", "--no-cache", "--add-noqa", tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"warning: {tmp_path / 'legacy.ipynb'}: --add-noqa does not edit notebooks" in result.stderr
    assert "clean.ipynb" not in result.stderr
