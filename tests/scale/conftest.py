"""Fixtures for the scale-out tests: a cluster of real processes on each backend."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from service.settings import Settings
from tests.scale.cluster import Cluster


@pytest.fixture
def cluster(settings: Settings, tmp_path: Path) -> Iterator[Cluster]:
    """Processes started through it are killed at the end; their logs are printed
    (pytest shows them when the test failed)."""
    running = Cluster(settings, tmp_path)
    try:
        yield running
    finally:
        running.close()
        print(running.logs())
