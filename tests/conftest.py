"""Settings every test shares."""

import pytest


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    # A run's cache must never leak into another test's run, nor into the developer's ~/.cache.
    monkeypatch.setenv("TORCHUP_CACHE_DIR", str(tmp_path_factory.mktemp("torchup-cache")))
