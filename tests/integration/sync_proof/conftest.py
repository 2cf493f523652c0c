"""Fixtures of the sync proofs: the realistic device folder, built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.sync_proof.devices import build_small_template, build_template


@pytest.fixture(scope="session")
def device_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_template(tmp_path_factory.mktemp("sync-proof") / "template")


@pytest.fixture(scope="session")
def small_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_small_template(tmp_path_factory.mktemp("sync-proof-small") / "template")
