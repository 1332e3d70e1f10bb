"""Settings every test shares."""

import json
import os
from pathlib import Path

import pytest


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
