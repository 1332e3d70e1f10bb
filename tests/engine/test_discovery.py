from pathlib import Path

from torchup.discovery import discover


def _names(found, root):
    return sorted(Path(p).relative_to(root).as_posix() for p in found.files)


def test_walks_python_files_and_skips_the_usual(tmp_path):
    for name in [
        "a.py",
        "pkg/b.py",
        "pkg/notes.txt",
        ".hidden/c.py",
        "build/d.py",
        "dist/e.py",
        "pkg/__pycache__/f.py",
        "env1/lib/g.py",
        "ignored/h.py",
        "pkg/gen_pb2.py",
    ]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x = 1\n")
    (tmp_path / "env1" / "pyvenv.cfg").write_text("home = /usr\n")
    (tmp_path / ".gitignore").write_text("ignored/\n")
    (tmp_path / "pkg" / ".gitignore").write_text("*_pb2.py\n")
    assert _names(discover([str(tmp_path)]), tmp_path) == ["a.py", "pkg/b.py"]


def test_exclude_and_explicit_files(tmp_path):
    (tmp_path / "keep.py").write_text("")
    (tmp_path / "skip_me.py").write_text("")
    found = discover([str(tmp_path)], exclude=["skip_*.py"])
    assert _names(found, tmp_path) == ["keep.py"]
    explicit = discover([str(tmp_path / "skip_me.py")], exclude=["skip_*.py"])
    assert _names(explicit, tmp_path) == ["skip_me.py"]


def test_symlinked_file_found_once_and_missing_paths_listed(tmp_path):
    (tmp_path / "real.py").write_text("")
    (tmp_path / "link.py").symlink_to(tmp_path / "real.py")
    found = discover([str(tmp_path), str(tmp_path / "nope")])
    assert len(found.files) == 1
    assert found.missing == (str(tmp_path / "nope"),)


def test_empty_directory_finds_nothing(tmp_path):
    assert discover([str(tmp_path)]).files == ()
