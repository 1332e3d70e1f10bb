"""Settings every test shares."""

import json
import os
from pathlib import Path

import pytest

import pipeline_outputs


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    # A run's cache must never leak into another test's run, nor into the developer's ~/.cache.
    monkeypatch.setenv("TORCHUP_CACHE_DIR", str(tmp_path_factory.mktemp("torchup-cache")))


def pytest_collection_modifyitems(config, items):
    """Under ``make mutate``, a mutant's tests run fastest first (mutmut's recorded durations).

    mutmut hands pytest a mutant's tests in a set's order and stops at the first failure (``-x``),
    so a mutant the quick unit tests kill could first wait minutes for the corpus tests. Only the
    order changes: a surviving mutant still runs every test. mutmut runs the tests in ``mutants/``,
    beside its ``mutmut-stats.json``; its stats run itself (``MUTANT_UNDER_TEST=stats``) is left alone.
    """
    stats = Path("mutmut-stats.json")
    if os.environ.get("MUTANT_UNDER_TEST") in (None, "stats", "list_all_tests") or not stats.is_file():
        return
    duration = json.loads(stats.read_text())["duration_by_test"]
    items.sort(key=lambda item: (duration.get(item.nodeid, 0.0), item.nodeid))


# Taken out of the environment: a pytest that a test starts (on a copy of the tree) records nothing.
_PIPELINE_OUTPUTS = pipeline_outputs.Checker(pipeline_outputs.load(), os.environ.pop(pipeline_outputs.RECORD_TO, None))


@pytest.fixture(autouse=True)
def _pipeline_outputs_as_recorded(monkeypatch):
    """Every pipeline run of the test gives its recorded result, whole (``tests/pipeline_outputs.py``)."""
    from torchup import pipeline

    run = pipeline._run
    here = os.getpid()

    def compared(source, parsed, codemods, settings, facts, filename, full_module_name):
        result = run(source, parsed, codemods, settings, facts, filename, full_module_name)
        if os.getpid() == here:  # a worker forked by the runner cannot report
            key = pipeline_outputs.input_key(source, codemods, settings, filename, full_module_name, facts)
            if key is not None:
                _PIPELINE_OUTPUTS.seen(key, result, source, ",".join(cls.CODE for cls in codemods))
        return result

    monkeypatch.setattr(pipeline, "_run", compared)
    _PIPELINE_OUTPUTS.differences.clear()
    yield
    differences = list(_PIPELINE_OUTPUTS.differences)
    _PIPELINE_OUTPUTS.differences.clear()
    assert not differences, (
        "pipeline results differ from tests/pipeline_outputs.json (after a deliberate change, "
        "regenerate it: .venv/bin/python tests/pipeline_outputs.py):\n" + "\n".join(differences)
    )
