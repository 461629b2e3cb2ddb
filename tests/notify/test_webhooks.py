"""Webhook rules without a server: URLs, signatures, the Teams card's golden file."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from standardwebhooks import Webhook as Verifier
from standardwebhooks.webhooks import WebhookVerificationError

from notify.webhooks import UnsafeTarget, check_url, new_secret, sign, teams_card

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8080/x", "http://localhost/x", "https://10.1.2.3/", "http://[::1]/",
     "http://169.254.169.254/latest", "ftp://example.org/", "file:///etc/passwd", "nonsense"],
)  # fmt: skip
def test_loopback_private_and_other_schemes_are_refused(url: str) -> None:
    with pytest.raises(UnsafeTarget):
        check_url(url, allow_private=False)


def test_private_targets_are_allowed_when_configured() -> None:
    assert check_url("http://127.0.0.1:9/x", allow_private=True) == "http://127.0.0.1:9/x"
    with pytest.raises(UnsafeTarget):
        check_url("ftp://127.0.0.1/", allow_private=True)


def test_our_signature_is_the_reference_librarys() -> None:
    secret = new_secret()
    body = b'{"type":"round.opened"}'
    now = int(time.time())
    headers = {
        "webhook-id": "msg_1",
        "webhook-timestamp": str(now),
        "webhook-signature": sign(secret, "msg_1", now, body),
    }
    assert Verifier(secret).verify(body, headers) == {"type": "round.opened"}
    with pytest.raises(WebhookVerificationError):
        Verifier(new_secret()).verify(body, headers)


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_teams_card_matches_the_golden_file(language: str) -> None:
    event = {
        "type": "pain_point.status_changed",
        "kind": "pain_point.status_changed",
        "timestamp": "2026-03-02T09:00:00+00:00",
        "data": {
            "id": "3f0c2a9e-6c4b-4f1e-9a8d-7c6b5a493827",
            "group_id": None,
            "title": "Lizenzportal meldet falsche Restlaufzeiten",
            "detail": "escalated|Betrifft alle Partner",
            "link": "https://sprachrohr.verband.example/pain-points/3f0c2a9e",
            "position": 42,
        },
    }
    actual = json.dumps(teams_card(event, language), indent=2, ensure_ascii=False) + "\n"
    golden = GOLDEN / f"teams_card.{language}.json"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(actual, encoding="utf-8")
    assert actual == golden.read_text(encoding="utf-8")
