"""The temporary file of an atomic write lies beside its target: ``os.replace`` cannot cross filesystems."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from torchup.writeback import replacing, write_atomic


def test_the_temporary_is_created_in_the_targets_directory(tmp_path, monkeypatch):
    target = tmp_path / "project" / "model.py"
    target.parent.mkdir()
    target.write_bytes(b"old\n")
    elsewhere = tmp_path / "system-temp"
    elsewhere.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(elsewhere))  # what mkstemp uses without dir=
    replaced = []
    real_replace = os.replace

    def spy(source, destination):
        replaced.append((Path(source), Path(destination)))
        real_replace(source, destination)

    monkeypatch.setattr(os, "replace", spy)
    write_atomic(target, b"new\n")
    [(source, destination)] = replaced
    assert source.parent == target.parent and destination == target
    assert source.name.startswith(".model.py.")
    assert list(elsewhere.iterdir()) == []
    assert target.read_bytes() == b"new\n"


def test_replacing_yields_a_path_beside_the_target(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "nowhere"))  # mkstemp there would fail
    target = tmp_path / "checkpoint.pt"
    target.write_bytes(b"old")
    with replacing(target) as temporary:
        assert temporary.parent == tmp_path
        temporary.write_bytes(b"new")
    assert target.read_bytes() == b"new" and sorted(p.name for p in tmp_path.iterdir()) == ["checkpoint.pt"]
