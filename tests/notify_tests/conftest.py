"""Fixtures for mail delivery: a real SMTP server on a free loopback port."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from smtp_server import SmtpServer


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()
