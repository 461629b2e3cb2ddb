"""Fixtures for the web tests: the board pages' site (tests.web.board_site)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from service.settings import Settings
from tests.web.board_site import BoardSite, open_board_site


@pytest.fixture
def board_site(settings: Settings) -> Iterator[BoardSite]:
    with open_board_site(settings) as site:
        yield site
