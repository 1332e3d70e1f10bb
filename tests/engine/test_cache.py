"""The content-hash cache: hits, misses, invalidation, corrupt files, and the runner replaying it."""

import os
import pickle
from pathlib import Path

import pytest

from torchup import cache as cache_module
from torchup import runner
from torchup.cache import Cache, Entry, Stamp, cache_dir, digest_of, options_key
from torchup.codemod import Edit, Finding, Safety, Settings
from torchup.runner import Job, Status, WriteBack

LEGACY = "import torch\nfrom torch.autograd import Variable\nx = Variable(torch.zeros(3))\n"
MODERN = "import os\nprint(os.sep)\n"
RECORDS = (
    Edit("TU101", 3, 4, "`Variable(x)` is `x`", Safety.UNSAFE),
    Finding("TU102", 5, 0, "volatile flag", fix_available=True, cell=2),
)


def key(**overrides):
    options = dict(codes=("TU101", "TU102"), settings=Settings(), format=False, version="1.0", engine="e")
    options.update(overrides)
    return options_key(options.pop("codes"), options.pop("settings"), **options)


def entry_for(path: Path, status="unchanged", records=RECORDS, classes=()):
    return Entry(Stamp.of(str(path)), digest_of(path.read_bytes()), status, records, classes)


@pytest.fixture
def source(tmp_path):
    path = tmp_path / "model.py"
    path.write_text(LEGACY)
    return path


def stored(tmp_path, path, **entry_options):
    """A cache file holding one entry for ``path``, reloaded from disk."""
    directory = tmp_path / "cache"
    first = Cache.load(key(), directory)
    first.store(str(path), entry_for(path, **entry_options))
    first.save()
    return Cache.load(key(), directory)


def test_hit_replays_the_stored_records(tmp_path, source):
    reloaded = stored(tmp_path, source)
    hit = reloaded.lookup(str(source), Stamp.of(str(source)))
    assert hit is not None
    assert hit.status == "unchanged"
    assert hit.records == RECORDS


def test_miss_when_the_content_changes_with_the_same_size(tmp_path, source):
    reloaded = stored(tmp_path, source)
    source.write_text(LEGACY.replace("zeros", "empty"))  # same length, new bytes
    assert source.stat().st_size == len(LEGACY)
    assert reloaded.lookup(str(source), Stamp.of(str(source))) is None


def test_miss_when_the_size_changes(tmp_path, source):
    reloaded = stored(tmp_path, source)
    source.write_text(LEGACY + "y = 1\n")
    assert reloaded.lookup(str(source), Stamp.of(str(source))) is None


def test_touched_but_unchanged_file_is_a_hit_by_its_hash(tmp_path, source):
    reloaded = stored(tmp_path, source)
    stat = source.stat()
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    hit = reloaded.lookup(str(source), Stamp.of(str(source)))
    assert hit is not None and hit.stamp.mtime_ns == stat.st_mtime_ns + 10**9


def test_miss_when_the_module_classes_seen_in_the_file_differ(tmp_path, source):
    reloaded = stored(tmp_path, source, classes=("Net",))
    assert reloaded.lookup(str(source), Stamp.of(str(source)), ["Net"]) is not None
    assert reloaded.lookup(str(source), Stamp.of(str(source)), []) is None


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"codes": ("TU101",)}, id="selected-codes"),
        pytest.param({"settings": Settings(unsafe_fixes=True)}, id="unsafe-fixes"),
        pytest.param({"settings": Settings(buffers="persistent")}, id="buffers"),
        pytest.param({"format": True}, id="format"),
        pytest.param({"version": "1.1"}, id="version"),
        pytest.param({"engine": "edited-codemod"}, id="torchup-sources"),
    ],
)
def test_options_and_versions_name_another_cache_file(tmp_path, source, change):
    stored(tmp_path, source)
    assert key(**change) != key()
    other = Cache.load(key(**change), tmp_path / "cache")
    assert len(other) == 0
    assert other.lookup(str(source), Stamp.of(str(source))) is None


def test_the_order_of_selected_codes_does_not_matter():
    assert key(codes=("TU102", "TU101")) == key(codes=("TU101", "TU102"))


def test_the_engine_fingerprint_follows_torchup_sources(monkeypatch, tmp_path):
    fake = tmp_path / "torchup"
    fake.mkdir()
    (fake / "__init__.py").write_text("")
    (fake / "a.py").write_text("x = 1\n")
    import torchup

    monkeypatch.setattr(torchup, "__file__", str(fake / "__init__.py"))
    before = cache_module._engine_fingerprint()
    (fake / "a.py").write_text("x = 22\n")
    assert cache_module._engine_fingerprint() != before


def test_the_engine_fingerprint_follows_the_codemods_where_they_lie_apart(monkeypatch, tmp_path):
    # An editable install maps torchup.codemods to codemods/, beside src/torchup: editing a
    # codemod there must not replay the old codemod's outcomes.
    import importlib.util
    import types

    import torchup

    engine, codemods = tmp_path / "src" / "torchup", tmp_path / "codemods"
    engine.mkdir(parents=True)
    codemods.mkdir()
    (engine / "__init__.py").write_text("")
    (codemods / "variable.py").write_text("CODE = 'TU101'\n")
    monkeypatch.setattr(torchup, "__file__", str(engine / "__init__.py"))
    real_find_spec = importlib.util.find_spec

    def find_spec(name, *args):
        if name == "torchup.codemods":
            return types.SimpleNamespace(submodule_search_locations=[str(codemods)])
        return real_find_spec(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    before = cache_module._engine_fingerprint()
    (codemods / "variable.py").write_text("CODE = 'TU101'  # edited\n")
    assert cache_module._engine_fingerprint() != before
    (engine / "a.py").write_text("x = 1\n")
    assert cache_module._engine_fingerprint() != before


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"not a pickle at all", id="garbage"),
        pytest.param(b"", id="empty"),
        pytest.param(pickle.dumps({"layout": cache_module.LAYOUT, "entries": {"x": ("bad",)}}), id="bad-entry"),
        pytest.param(pickle.dumps(["a", "list"]), id="wrong-shape"),
        pytest.param(pickle.dumps({"layout": -1, "entries": {}}), id="other-layout"),
    ],
)
def test_a_corrupt_cache_file_is_ignored_and_replaced(tmp_path, source, content):
    directory = tmp_path / "cache"
    path = Cache.load(key(), directory).path
    directory.mkdir()
    path.write_bytes(content)
    broken = Cache.load(key(), directory)
    assert len(broken) == 0
    broken.store(str(source), entry_for(source))
    broken.save()
    assert Cache.load(key(), directory).lookup(str(source), Stamp.of(str(source))) is not None


def test_a_cache_file_of_another_layout_is_not_read_even_when_its_entries_would_be(tmp_path, source):
    # Entries of another layout may mean something else: a file that says it holds one is empty.
    cache = stored(tmp_path, source)
    payload = pickle.loads(cache.path.read_bytes())
    assert len(cache) == 1 and payload["layout"] == cache_module.LAYOUT
    payload["layout"] = cache_module.LAYOUT + 1
    cache.path.write_bytes(pickle.dumps(payload))
    assert len(Cache.load(key(), tmp_path / "cache")) == 0


def test_save_is_atomic_and_merges_what_another_run_wrote(tmp_path, source):
    other_file = tmp_path / "other.py"
    other_file.write_text(MODERN)
    directory = tmp_path / "cache"
    ours, theirs = Cache.load(key(), directory), Cache.load(key(), directory)
    theirs.store(str(other_file), entry_for(other_file, status="skipped", records=()))
    theirs.save()
    ours.store(str(source), entry_for(source))
    ours.save()
    merged = Cache.load(key(), directory)
    assert merged.lookup(str(source), Stamp.of(str(source))) is not None
    assert merged.lookup(str(other_file), Stamp.of(str(other_file))) is not None
    assert [p.name for p in directory.iterdir()] == [merged.path.name]  # no temporary left behind


def test_failures_cannot_be_stored(tmp_path, source):
    with pytest.raises(ValueError):
        Cache.load(key(), tmp_path).store(str(source), entry_for(source, status="failed"))


def test_location_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("TORCHUP_CACHE_DIR", str(tmp_path / "explicit"))
    assert cache_dir() == tmp_path / "explicit"
    monkeypatch.delenv("TORCHUP_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "torchup"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")  # the XDG spec ignores relative paths
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "torchup"


# -- the runner with a cache ------------------------------------------------------------------


def job(write_back=WriteBack.CHECK, codes=("TU101",)):
    return Job(codes, Settings(), write_back)


def cached_run(tmp_path, files, run_job):
    return runner.run(files, run_job, jobs=1, cache=Cache.load(key(codes=run_job.codes), tmp_path / "cache"))


def forbid_processing(monkeypatch):
    def processed(path, *args, **kwargs):
        raise AssertionError(f"{path} was processed again")

    monkeypatch.setattr(runner, "process_file", processed)


def test_second_run_replays_every_file_without_processing_it(tmp_path, monkeypatch):
    legacy, modern = tmp_path / "legacy.py", tmp_path / "modern.py"
    legacy.write_text(LEGACY)
    modern.write_text(MODERN)
    first = cached_run(tmp_path, [legacy, modern], job())
    assert [o.status for o in first] == [Status.CHANGED, Status.SKIPPED]
    forbid_processing(monkeypatch)
    second = cached_run(tmp_path, [legacy, modern], job())
    assert second == first


def test_a_replayed_file_is_reported_done_as_a_processed_one_is(tmp_path, monkeypatch):
    # `on_done` prints `check -v`'s line per file and moves the progress bar: a file replayed
    # from the cache is done too.
    legacy, modern = tmp_path / "legacy.py", tmp_path / "modern.py"
    legacy.write_text(LEGACY)
    modern.write_text(MODERN)
    cached_run(tmp_path, [legacy, modern], job())
    forbid_processing(monkeypatch)
    done = []
    cache = Cache.load(key(codes=job().codes), tmp_path / "cache")
    second = runner.run([legacy, modern], job(), jobs=1, cache=cache, on_done=done.append)
    assert done == list(second)
    assert [o.status for o in done] == [Status.CHANGED, Status.SKIPPED]


def test_an_edited_file_is_processed_again(tmp_path):
    legacy = tmp_path / "legacy.py"
    legacy.write_text(LEGACY)
    cached_run(tmp_path, [legacy], job())
    legacy.write_text(MODERN)
    assert [o.status for o in cached_run(tmp_path, [legacy], job())] == [Status.SKIPPED]


def test_a_file_that_would_change_is_rewritten_in_write_mode_not_replayed(tmp_path):
    legacy = tmp_path / "legacy.py"
    legacy.write_text(LEGACY)
    assert cached_run(tmp_path, [legacy], job(WriteBack.CHECK))[0].status is Status.CHANGED
    assert cached_run(tmp_path, [legacy], job(WriteBack.YES))[0].status is Status.CHANGED
    assert "Variable" not in legacy.read_text()


def test_failures_are_reported_afresh(tmp_path):
    broken = tmp_path / "broken.py"
    broken.write_text("import torch\nx = Variable(\n")
    for _ in range(2):
        assert [o.status for o in cached_run(tmp_path, [broken], job())] == [Status.FAILED]


def test_a_file_sharing_volatile_helpers_with_others_is_replayed(tmp_path, monkeypatch):
    # lm.py's key holds its Module classes and the helpers it imports, which sort before them:
    # the key must be stored as it is looked up (it was stored unsorted: every run reprocessed it).
    import shutil

    case = Path(__file__).resolve().parents[2] / "corpus" / "volatile_helpers_repo" / "legacy"
    shutil.copytree(case, tmp_path / "repo")
    files = sorted((tmp_path / "repo").glob("*.py"))
    run_job = job(codes=("TU101", "TU102"))
    first = cached_run(tmp_path, files, run_job)
    assert Status.CHANGED in [o.status for o in first]
    forbid_processing(monkeypatch)
    assert cached_run(tmp_path, files, run_job) == first


def test_the_stored_first_pass_index_is_used_only_for_the_same_file_stamps(tmp_path):
    from torchup.cache import tree_digest

    stamps = {"/repo/a.py": Stamp(120, 1_000), "/repo/b.py": Stamp(80, 2_000)}
    directory = tmp_path / "cache"
    first = Cache.load(key(), directory)
    first.store_module_index(tree_digest(stamps), {"/repo/a.py": ["Net", "Base"], "/repo/b.py": []})
    first.save()
    loaded = Cache.load(key(), directory)
    assert loaded.module_index(tree_digest(dict(stamps))) == {"/repo/a.py": ("Base", "Net"), "/repo/b.py": ()}
    # a.py saved again with other classes of the same length: only its mtime tells
    touched = {**stamps, "/repo/a.py": Stamp(120, 1_001)}
    resized = {**stamps, "/repo/a.py": Stamp(121, 1_000)}
    added = {**stamps, "/repo/c.py": Stamp(1, 1)}
    for changed in (touched, resized, added):
        assert loaded.module_index(tree_digest(changed)) is None


def test_the_engine_fingerprint_follows_an_edit_that_keeps_the_size(monkeypatch, tmp_path):
    # `x = 1` -> `x = 2`: a changed constant; only the modification time tells.
    fake = tmp_path / "torchup"
    fake.mkdir()
    (fake / "__init__.py").write_text("")
    edited = fake / "a.py"
    edited.write_text("x = 1\n")
    os.utime(edited, ns=(1_000_000_000, 1_000_000_000))
    import torchup

    monkeypatch.setattr(torchup, "__file__", str(fake / "__init__.py"))
    before = cache_module._engine_fingerprint()
    edited.write_text("x = 2\n")
    os.utime(edited, ns=(2_000_000_000, 2_000_000_000))
    assert cache_module._engine_fingerprint() != before


def test_the_stored_function_index_is_used_only_for_the_same_file_stamps(tmp_path):
    from torchup.cache import tree_digest

    stamps = {"/repo/a.py": Stamp(120, 1_000)}
    directory = tmp_path / "cache"
    first = Cache.load(key(), directory)
    first.store_module_index(tree_digest(stamps), {"/repo/a.py": []}, {"/repo/a.py": ("to_var",)})
    first.save()
    loaded = Cache.load(key(), directory)
    assert loaded.function_index(tree_digest(stamps)) == {"/repo/a.py": ("to_var",)}
    assert loaded.function_index(tree_digest({"/repo/a.py": Stamp(120, 1_001)})) is None


def test_the_index_this_run_built_replaces_the_one_on_disk(tmp_path):
    from torchup.cache import tree_digest

    old, new = {"/repo/a.py": Stamp(1, 1)}, {"/repo/a.py": Stamp(2, 2)}
    directory = tmp_path / "cache"
    first = Cache.load(key(), directory)
    first.store_module_index(tree_digest(old), {"/repo/a.py": ["Old"]})
    first.save()
    second = Cache.load(key(), directory)
    second.store_module_index(tree_digest(new), {"/repo/a.py": ["New"]})
    second.save()
    assert Cache.load(key(), directory).module_index(tree_digest(new)) == {"/repo/a.py": ("New",)}


def test_a_touched_file_s_new_stamp_is_saved_and_trusted_next_time(tmp_path, source):
    cache = stored(tmp_path, source)
    os.utime(source, ns=(5_000_000_000, 5_000_000_000))
    touched = Stamp.of(str(source))
    assert cache.lookup(str(source), touched) is not None
    cache.save()
    # Same size, other bytes, the touched stamp put back: the saved stamp is trusted, unread.
    source.write_text(LEGACY.replace("zeros", "empty"))
    os.utime(source, ns=(5_000_000_000, 5_000_000_000))
    assert Cache.load(key(), tmp_path / "cache").lookup(str(source), touched) is not None


def test_an_entry_stored_in_this_run_answers_before_the_one_loaded(tmp_path, source):
    cache = stored(tmp_path, source)
    cache.store(str(source), entry_for(source, status="skipped", records=()))
    assert cache.lookup(str(source), Stamp.of(str(source))).status == "skipped"


def test_entries_are_keyed_by_absolute_path(tmp_path, source, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cache = Cache.load(key(), tmp_path / "cache")
    cache.store("model.py", entry_for(source))
    assert cache.lookup(str(source), Stamp.of(str(source))) is not None
    cache.save()
    assert Cache.load(key(), tmp_path / "cache").lookup("model.py", Stamp.of(str(source))) is not None


def test_a_cache_entry_with_an_unknown_status_makes_the_cache_read_as_empty(tmp_path, source):
    cache = stored(tmp_path, source)
    payload = pickle.loads(cache.path.read_bytes())
    ((path, data),) = payload["entries"].items()
    payload["entries"][path] = (*data[:3], "failed", *data[4:])
    cache.path.write_bytes(pickle.dumps(payload))
    assert len(Cache.load(key(), tmp_path / "cache")) == 0


def test_a_cached_shard_still_indexes_the_classes_of_every_file(tmp_path):
    # A shard processes child.py only, but Net is an nn.Module through base.py's Base.
    (tmp_path / "models").mkdir()
    base, child = tmp_path / "models" / "base.py", tmp_path / "models" / "child.py"
    base.write_text("import torch.nn as nn\n\nclass Base(nn.Module):\n    pass\n")
    child.write_text(
        "import torch\nfrom torch.autograd import Variable\nfrom models.base import Base\n\nclass Net(Base):\n"
        "    def __init__(self):\n        super(Net, self).__init__()\n        self.scale = Variable(torch.ones(3))\n"
    )
    run_job = job(codes=("TU101", "TU201"))
    cache = Cache.load(key(codes=run_job.codes), tmp_path / "cache")
    (outcome,) = runner.run([child], run_job, jobs=1, cache=cache, index_files=[base, child])
    assert sorted(r.code for r in outcome.records) == ["TU101", "TU201"]


def test_a_stored_index_without_the_function_index_is_built_again(tmp_path):
    # A cache written before the function index was stored: its classes alone are not reused.
    import shutil

    case = Path(__file__).resolve().parents[2] / "corpus" / "volatile_helpers_repo" / "legacy"
    shutil.copytree(case, tmp_path / "repo")
    files = sorted((tmp_path / "repo").glob("*.py"))
    run_job = job(codes=("TU101", "TU102"))
    first = cached_run(tmp_path, files, run_job)
    path = Cache.load(key(codes=run_job.codes), tmp_path / "cache").path
    payload = pickle.loads(path.read_bytes())
    payload["helpers"], payload["entries"] = None, {}
    path.write_bytes(pickle.dumps(payload))
    assert cached_run(tmp_path, files, run_job) == first


def test_a_cache_that_cannot_be_written_only_costs_speed(tmp_path, source):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    cache = Cache.load(key(), blocker / "cache")
    cache.store(str(source), entry_for(source))
    cache.save()  # mkdir fails under a file: nothing raised
    assert not (blocker / "cache").exists()


def test_a_file_that_vanished_since_its_entry_is_processed(tmp_path, source):
    cache = stored(tmp_path, source)
    moved = Stamp(Stamp.of(str(source)).size, 1)  # same size, another time: its bytes must be read
    source.unlink()
    assert cache.lookup(str(source), moved) is None
