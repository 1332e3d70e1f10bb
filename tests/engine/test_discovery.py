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


def test_a_conda_environment_is_skipped_like_a_virtualenv(tmp_path):
    (tmp_path / "train.py").write_text("")
    # Not in site-packages (skipped by its name anyway): a conda environment's own scripts.
    scripts = tmp_path / "condaenv" / "Scripts"
    scripts.mkdir(parents=True)
    (scripts / "convert-caffe2-to-onnx.py").write_text("")
    (tmp_path / "condaenv" / "conda-meta").mkdir()
    assert _names(discover([str(tmp_path)]), tmp_path) == ["train.py"]


def test_a_file_found_first_through_a_link_is_reported_under_its_own_path(tmp_path):
    (tmp_path / "model.py").write_text("")
    (tmp_path / "a_link.py").symlink_to(tmp_path / "model.py")  # sorts first: the walk meets it first
    assert discover([str(tmp_path)]).files == (tmp_path / "model.py",)
    # Named on the command line, the file comes first whichever is named first.
    assert discover([str(tmp_path / "a_link.py"), str(tmp_path / "model.py")]).files == (tmp_path / "model.py",)


def test_a_file_outside_the_run_linked_twice_is_reported_once_under_the_first_link(tmp_path):
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "model.py").write_text("")
    repo = tmp_path / "repo"
    repo.mkdir()
    for name in ("a_model.py", "b_model.py"):
        (repo / name).symlink_to(tmp_path / "shared" / "model.py")
    assert discover([str(repo)]).files == (repo / "a_model.py",)
    assert discover([str(repo / "b_model.py"), str(repo / "a_model.py")]).files == (repo / "b_model.py",)


def test_empty_directory_finds_nothing(tmp_path):
    assert discover([str(tmp_path)]).files == ()


# -- hostile trees: discovery reports what it cannot use, and never raises ----------------------

import errno
import os
import socket

import pytest

from torchup import discovery


def _problems(found):
    return {Path(p.path).name: p.reason for p in found.problems}


def test_symlink_loop_and_dangling_link_are_reported_beside_good_files(tmp_path):
    (tmp_path / "good.py").write_text("x = 1\n")
    (tmp_path / "s1.py").symlink_to(tmp_path / "s2.py")
    (tmp_path / "s2.py").symlink_to(tmp_path / "s1.py")
    (tmp_path / "dangling.py").symlink_to(tmp_path / "nowhere.py")
    found = discover([str(tmp_path)])
    assert _names(found, tmp_path) == ["good.py"]
    problems = _problems(found)
    assert problems["s1.py"].startswith("symlink loop") and problems["s2.py"].startswith("symlink loop")
    assert problems["dangling.py"].startswith("dangling symlink")
    # named on the command line: the same
    assert _problems(discover([str(tmp_path / "s1.py")]))["s1.py"].startswith("symlink loop")


def test_fifo_and_socket_named_py_are_reported_not_read(tmp_path):
    os.mkfifo(tmp_path / "fifo.py")  # reading it would block the run forever
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "sock.py"))
    try:
        found = discover([str(tmp_path)])
        named = discover([str(tmp_path / "fifo.py")])
    finally:
        server.close()
    assert found.files == ()
    assert _problems(found) == {"fifo.py": "not a regular file (a FIFO)", "sock.py": "not a regular file (a socket)"}
    assert _problems(named) == {"fifo.py": "not a regular file (a FIFO)"}


def test_a_missing_named_path_is_a_problem_like_any_other(tmp_path):
    found = discover([str(tmp_path / "nope.py")])
    assert found.problems == (discovery.Problem(str(tmp_path / "nope.py"), "does not exist"),)
    assert found.missing == (str(tmp_path / "nope.py"),)


def _deny(monkeypatch, denied, function_name="scandir", module=os, code=errno.EACCES):
    """Make ``module.function_name`` fail with EACCES (or ``code``) on ``denied``, as for a user
    without permission (tests run as root here, and root reads every directory)."""
    real = getattr(module, function_name)

    def fake(path, *args, **kwargs):
        if Path(path) == denied:
            raise PermissionError(code, os.strerror(code), str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(module, function_name, fake)


def test_an_unlistable_directory_is_reported_and_the_rest_walked(tmp_path, monkeypatch):
    (tmp_path / "good.py").write_text("x = 1\n")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "hidden.py").write_text("x = 1\n")
    _deny(monkeypatch, locked)
    found = discover([str(tmp_path)])
    assert _names(found, tmp_path) == ["good.py"]
    assert found.problems == (discovery.Problem(str(locked), "cannot list directory: permission denied"),)


def test_a_directory_refused_with_eperm_is_permission_denied_too(tmp_path, monkeypatch):
    # EPERM (a sandbox, macOS's protected folders) refuses as EACCES does: the same words, not
    # the system's "Operation not permitted".
    (tmp_path / "good.py").write_text("x = 1\n")
    locked = tmp_path / "locked"
    locked.mkdir()
    _deny(monkeypatch, locked, code=errno.EPERM)
    found = discover([str(tmp_path)])
    assert _names(found, tmp_path) == ["good.py"]
    assert found.problems == (discovery.Problem(str(locked), "cannot list directory: permission denied"),)


@pytest.mark.skipif(os.geteuid() == 0, reason="root lists every directory; the test above simulates it")
def test_an_unlistable_directory_for_real(tmp_path):
    (tmp_path / "good.py").write_text("x = 1\n")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "hidden.py").write_text("x = 1\n")
    locked.chmod(0)
    try:
        found = discover([str(tmp_path)])
    finally:
        locked.chmod(0o755)
    assert _names(found, tmp_path) == ["good.py"]
    assert [p.path for p in found.problems] == [str(locked)]


def test_a_directory_without_search_permission_is_not_a_crash_in_the_virtualenv_test(tmp_path, monkeypatch):
    # Path.is_file raises PermissionError (not False) inside a directory that cannot be searched.
    locked = tmp_path / "locked"
    locked.mkdir()
    real_stat = os.stat

    def fake_stat(path, *args, **kwargs):
        if Path(path).parent == locked:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", fake_stat)
    _deny(monkeypatch, locked)
    found = discover([str(tmp_path)])
    assert [p.path for p in found.problems] == [str(locked)]


def test_a_file_that_vanishes_during_the_walk_is_not_reported(tmp_path, monkeypatch):
    (tmp_path / "stays.py").write_text("x = 1\n")
    (tmp_path / "goes.py").write_text("x = 1\n")
    real_stat = os.stat

    def fake_stat(path, *args, **kwargs):
        if Path(path).name == "goes.py":
            (tmp_path / "goes.py").unlink(missing_ok=True)
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", fake_stat)
    found = discover([str(tmp_path)])
    assert _names(found, tmp_path) == ["stays.py"]
    assert found.problems == ()


def test_a_link_to_a_directory_named_like_a_source_file_is_not_followed(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.py").write_text("")
    (tmp_path / "looks.py").symlink_to(tmp_path / "real")
    found = discover([str(tmp_path)])
    assert _names(found, tmp_path) == ["real/a.py"] and found.problems == ()


def _files(root, names):
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x = 1\n")


def test_a_subdirectory_named_alone_still_follows_the_repository_roots_gitignore(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("generated/\n/pkg/vendored.py\n")
    _files(tmp_path, ["pkg/model.py", "pkg/vendored.py", "pkg/generated/layers.py", "pkg/sub/generated/more.py"])
    pkg = tmp_path / "pkg"
    assert _names(discover([str(pkg)]), pkg) == ["model.py"]
    # without a repository around it, a .gitignore above the named directory is not git's
    (tmp_path / ".git").rmdir()
    assert _names(discover([str(pkg)]), pkg) == ["generated/layers.py", "model.py", "sub/generated/more.py", "vendored.py"]


def test_a_directory_pattern_excludes_the_directory_so_its_files_cannot_be_re_included(tmp_path):
    # git: "it is not possible to re-include a file if a parent directory of that file is excluded"
    (tmp_path / ".gitignore").write_text("data/\n!data/keep.py\n")
    _files(tmp_path, ["main.py", "data/keep.py", "data/other.py", "data.py"])
    assert _names(discover([str(tmp_path)]), tmp_path) == ["data.py", "main.py"]


def test_a_git_worktree_or_submodule_whose_git_is_a_file_is_a_repository_too(tmp_path):
    (tmp_path / ".git").write_text("gitdir: /elsewhere/.git/worktrees/wt\n")
    (tmp_path / ".gitignore").write_text("generated/\n")
    _files(tmp_path, ["pkg/model.py", "pkg/generated/layers.py"])
    pkg = tmp_path / "pkg"
    assert _names(discover([str(pkg)]), pkg) == ["model.py"]


def test_exclude_patterns_are_anchored_at_the_directory_walked(tmp_path):
    project = tmp_path / "project"
    for name in ("a.py", "generated/x.py", "src/generated/y.py", "src/z.py"):
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text("x = 1\n")
    # `/generated` and `src/z.py` (a slash inside) are anchored at the named directory, as in .gitignore
    found = discover([str(project)], exclude=["/generated", "src/z.py"])
    assert _names(found, project) == ["a.py", "src/generated/y.py"]


def test_a_named_dangling_link_says_so_rather_than_does_not_exist(tmp_path):
    (tmp_path / "dangling.py").symlink_to(tmp_path / "nowhere.py")
    found = discover([str(tmp_path / "dangling.py")])
    assert found.problems == (discovery.Problem(str(tmp_path / "dangling.py"), "dangling symlink (its target does not exist)"),)
    assert found.missing == ()


def test_the_prefilter_wants_one_marker_not_all():
    assert discovery.mentions_any("x.cuda(async=True)", ["Variable", "async"])
    assert not discovery.mentions_any("x = 1", ["Variable", "async"])
    assert not discovery.mentions_any("x = 1", [])
