"""Fixtures shared by the verifier's tests (the helpers are in verify_runs.py)."""

from __future__ import annotations

from typing import Dict

import pytest
from verify_runs import SCALER, Verified, verify_scaler


@pytest.fixture(scope="session")
def scaler_migrated(tmp_path_factory) -> Verified:
    """The correct migration of the legacy Scaler, verified once for all the tests that read it."""
    return verify_scaler(tmp_path_factory.mktemp("scaler"), SCALER / "new")


@pytest.fixture(scope="session")
def mutant_verified(tmp_path_factory):
    """Verify ``fixtures/scaler/mutants/NAME`` against the legacy Scaler, once per mutant per session."""
    results: Dict[str, Verified] = {}

    def verified(name: str) -> Verified:
        if name not in results:
            results[name] = verify_scaler(tmp_path_factory.mktemp(name), SCALER / "mutants" / name)
        return results[name]

    return verified
