"""The process pool gives what one process gives: the same outcomes, in the files' order."""

from __future__ import annotations

from pathlib import Path
from typing import List

from torchup import registry
from torchup.codemod import Settings
from torchup.runner import Job, WriteBack, module_index_for, run

BASE = "import torch.nn as nn\n\nclass Base(nn.Module):\n    pass\n"
# A Module only through `Base`, defined in another file: the first pass must see both.
CHILD = (
    "import torch\nfrom torch.autograd import Variable\nfrom models.base import Base\n\n"
    "class Net{n}(Base):\n    def __init__(self):\n        super(Net{n}, self).__init__()\n"
    "        self.scale = Variable(torch.ones({n}))\n"
)
MODERN = "import os\n\nclass Plain:\n    pass\n" + "# padding\n" * 40


def _tree(root: Path) -> List[Path]:
    (root / "models").mkdir(parents=True)
    (root / "models" / "base.py").write_text(BASE)
    for n in range(1, 120):
        # Sizes vary, so the pool's largest-first order differs from the files' order.
        path = root / "models" / f"m{n:03}.py"
        path.write_text(CHILD.format(n=n) if n % 3 else MODERN * (n % 7 + 1))
    return sorted(root.rglob("*.py"))


def test_two_processes_give_one_process_outcomes_in_order(tmp_path: Path) -> None:
    files = _tree(tmp_path / "repo")
    codes = tuple(cls.CODE for cls in registry.select())
    job = Job(codes, Settings(), WriteBack.CHECK)
    assert len(files) >= 100  # enough for the first pass to use the pool too
    serial = run(files, job, jobs=1)
    pooled = run(files, job, jobs=2)
    assert [o.path for o in pooled] == [str(f) for f in files]
    assert pooled == serial
    assert sum(1 for o in serial if any(r.code == "TU201" for r in o.records)) == 80  # n % 3 != 0 of 1..119


def test_the_first_pass_in_two_processes_finds_the_same_classes(tmp_path: Path) -> None:
    files = _tree(tmp_path / "repo")
    codes = registry.all_codes()
    alone = module_index_for(files, codes, jobs=1)
    pooled = module_index_for(files, codes, jobs=2)
    assert pooled == alone
    assert pooled.module_classes(str(files[1])) == frozenset({"Net1"})


def test_jobs_0_where_the_core_count_cannot_be_told_runs_in_one_process(tmp_path: Path, monkeypatch) -> None:
    from torchup import runner

    files = _tree(tmp_path / "repo")
    codes = registry.all_codes()
    job = Job(codes, Settings(), WriteBack.CHECK)
    serial, alone = run(files, job, jobs=1), module_index_for(files, codes, jobs=1)
    monkeypatch.setattr(runner.os, "cpu_count", lambda: None)  # documented: None when undetermined
    assert module_index_for(files, codes, jobs=0) == alone
    assert run(files, job, jobs=0) == serial


def test_no_first_pass_when_no_selected_codemod_uses_it(tmp_path: Path) -> None:
    files = _tree(tmp_path / "repo")
    # TU403 follows `nn` through the run's star imports since the tenth round: it uses the index.
    assert module_index_for(files, ("TU401", "TU420"), jobs=2) is None
    assert module_index_for(files, ("TU401", "TU403"), jobs=2) is not None
    assert module_index_for(files, ("TU401",), jobs=1) is None


def test_one_process_builds_the_index_only_when_a_file_needs_it(tmp_path: Path, monkeypatch) -> None:
    from torchup import runner

    built = []
    real = runner.module_index_for
    monkeypatch.setattr(runner, "module_index_for", lambda *args: built.append(1) or real(*args))
    files = _tree(tmp_path / "repo")
    job = Job(registry.all_codes(), Settings(), WriteBack.CHECK)
    modern = [f for f in files if "Variable" not in f.read_text()]
    assert {o.status.value for o in run(modern, job, jobs=1)} == {"skipped"}
    assert built == []
    outcomes = run(files, job, jobs=1)
    assert built == [1]  # once, for all the files that need it
    assert sum(1 for o in outcomes if any(r.code == "TU201" for r in o.records)) == 80


def test_a_bug_in_one_file_fails_that_file_not_the_run(tmp_path: Path, monkeypatch) -> None:
    from torchup import runner
    from torchup.records import Settings

    (tmp_path / "a.py").write_text("from torch.autograd import Variable\nx = Variable(y)\n")
    real = runner._process_source

    def broken(path, *args):
        if path.endswith("a.py"):
            raise KeyError("a bug")
        return real(path, *args)

    monkeypatch.setattr(runner, "_process_source", broken)
    (tmp_path / "b.py").write_text("from torch.autograd import Variable\nx = Variable(y)\n")
    job = runner.Job(("TU101",), Settings(), runner.WriteBack.CHECK)
    outcomes = runner.run([tmp_path / "a.py", tmp_path / "b.py"], job, jobs=1)
    assert [o.status for o in outcomes] == [runner.Status.FAILED, runner.Status.CHANGED]
    assert outcomes[0].error == "internal error (KeyError: 'a bug')"


def test_one_process_finds_a_caller_of_a_helper_in_a_file_without_markers(tmp_path: Path) -> None:
    # The prefilter asks the (lazy) index whether a file calls another file's volatile helper:
    # with one process, that builds the first pass when a file of the run names `volatile`.
    from torchup import runner

    (tmp_path / "utils.py").write_text("from torch.autograd import Variable\n\ndef var(a):\n    return Variable(a, volatile=True)\n")
    (tmp_path / "translate.py").write_text("from utils import var\n\ndef f(model, a):\n    return model(var(a))\n")
    job = Job(registry.all_codes(), Settings(unsafe_fixes=True), WriteBack.CHECK)
    outcomes = {Path(o.path).name: o for o in runner.run(sorted(tmp_path.glob("*.py")), job, jobs=1)}
    assert outcomes["translate.py"].status.value == "changed"
    assert any(r.code == "TU102" for r in outcomes["translate.py"].records)


def test_workers_fork_with_every_codemod_made_once() -> None:
    # The codemods are imported and each made once before the pool forks, not once per worker:
    # a fresh interpreter, as a run's.
    import subprocess
    import sys

    script = (
        "from torchup import codemod, registry, runner\n"
        "codes = registry.select_codes()\n"
        "assert codemod.uses_matcher_decorators.cache_info().currsize == 0\n"
        "runner._import_engine(codes)\n"
        "print(codemod.uses_matcher_decorators.cache_info().currsize == len(codes))\n"
    )
    shown = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == "True"


def test_a_pooled_run_reports_every_file_done(tmp_path: Path) -> None:
    # `-v`'s line per file and the progress bar come from `on_done`, in the pool as in one process.
    files = []
    for n in range(6):
        files.append(tmp_path / f"m{n}.py")
        files[-1].write_text("from torch.autograd import Variable\nx = Variable(y)\n" if n % 2 else MODERN)
    job = Job(("TU101",), Settings(), WriteBack.CHECK)
    done: list = []
    outcomes = run(files, job, jobs=2, on_done=done.append)
    assert sorted(done, key=lambda o: o.path) == sorted(outcomes, key=lambda o: o.path)
    assert len(done) == 6


def test_a_file_whose_worker_dies_fails_and_its_leftover_is_removed(tmp_path: Path, monkeypatch) -> None:
    import os

    from torchup import runner
    from torchup.writeback import TEMPORARY_SUFFIX

    files = []
    for n in range(6):
        files.append(tmp_path / f"m{n}.py")
        files[-1].write_text("from torch.autograd import Variable\nx = Variable(y)\n")
    dying = files[3]
    leftover = tmp_path / f".{dying.name}.abc{TEMPORARY_SUFFIX}"
    real = runner._process_source

    def killed(path, *args):
        if path == str(dying):
            leftover.write_text("half written")  # as a worker killed inside write_atomic leaves it
            os._exit(9)
        return real(path, *args)

    monkeypatch.setattr(runner, "_process_source", killed)
    outcomes = {o.path: o for o in run(files, Job(("TU101",), Settings(), WriteBack.YES), jobs=2)}
    lost = outcomes[str(dying)]
    assert (lost.status, lost.error_kind) == (runner.Status.FAILED, "internal")
    assert lost.error == "the worker process died (killed, or out of memory); the file is as it was or fully migrated"
    assert not leftover.exists()
