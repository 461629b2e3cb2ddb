"""The digest: due times, coalescing, tokens, and golden mails in German and English."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notify.digest import Settings, is_due, lines_of, token_person, unsubscribe_token
from notify.texts import catalog, status_label
from service.mail import render

GOLDEN = Path(__file__).parent / "golden"
BERLIN = ZoneInfo("Europe/Berlin")
PP = "3f0c2a9e6c4b4f1e9a8d7c6b5a493827"


def row(kind: str, detail: str = "", subject: str = PP, n: int = 0) -> dict[str, Any]:
    return {
        "kind": kind, "subject_id": subject, "title": "Lizenzportal meldet falsche Restlaufzeiten",
        "detail": detail, "link": f"/pain-points/{subject}", "position": n,
    }  # fmt: skip


def lines(rows: list[dict[str, Any]], language: str) -> list[str]:
    gettext = catalog(language).gettext
    return [
        f"{x.title}: {x.text}" for x in lines_of(rows, gettext, lambda s: status_label(s, gettext))
    ]


def test_five_comments_on_one_item_are_one_line_four_are_four() -> None:
    five = [row("pain_point.commented", n=n) for n in range(5)]
    assert lines(five, "de") == ["Lizenzportal meldet falsche Restlaufzeiten: 5 neue Kommentare"]
    assert len(lines(five[:4], "en")) == 4


def test_thirty_supports_are_one_line() -> None:
    supports = [row("pain_point.supported", n=n) for n in range(30)]
    assert lines(supports, "en") == ["Lizenzportal meldet falsche Restlaufzeiten: 30 new supports"]


def test_a_daily_digest_is_due_once_its_hour_has_passed_after_the_oldest() -> None:
    daily = Settings("daily", 7)
    oldest = datetime(2026, 3, 2, 9, 0, tzinfo=BERLIN)
    assert not is_due(datetime(2026, 3, 3, 6, 59, tzinfo=BERLIN), daily, BERLIN, oldest)
    assert is_due(datetime(2026, 3, 3, 7, 0, tzinfo=BERLIN), daily, BERLIN, oldest)
    weekly = Settings("weekly", 7)  # 2026-03-02 is a Monday
    assert not is_due(datetime(2026, 3, 8, 23, 0, tzinfo=BERLIN), weekly, BERLIN, oldest)
    assert is_due(datetime(2026, 3, 9, 7, 0, tzinfo=BERLIN), weekly, BERLIN, oldest)
    assert not is_due(datetime(2027, 1, 1, tzinfo=UTC), Settings("off"), BERLIN, oldest)
    assert is_due(oldest, Settings("immediately"), BERLIN, oldest)


@given(st.uuids(), st.uuids())
def test_an_unsubscribe_token_names_its_person_and_no_other(a: UUID, b: UUID) -> None:
    secret = b"s" * 32
    token = unsubscribe_token(secret, a)
    assert token_person(secret, token) == a
    assert token_person(b"t" * 32, token) is None
    if a != b:
        forged = f"{b.hex}.{token.partition('.')[2]}"
        assert token_person(secret, forged) is None


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("immediately", [False, True])
def test_the_digest_matches_the_golden_files(language: str, immediately: bool) -> None:
    rows = [
        row("pain_point.status_changed", "escalated|Betrifft alle Partner", n=1),
        *[row("pain_point.commented", n=n) for n in range(2, 7)],
        row("pain_point.vendor_responded", "planned|", n=8),
        row("pain_point.submitted", "G1 Lizenzen", subject="9" * 32, n=9),
    ]
    base = "https://sprachrohr.verband.example"
    gettext = catalog(language).gettext
    digest = lines_of(rows, gettext, lambda s: status_label(s, gettext))
    context = {
        "association": "Verband der Partner e. V.",
        "display_name": "Anna",
        "lines": [{"title": x.title, "text": x.text, "link": base + x.link} for x in digest],
        "immediately": immediately,
        "count": 4,
        "unsubscribe": f"{base}/unsubscribe/TOKEN",
        "settings_link": f"{base}/notifications/settings",
    }
    mail = render("digest", language, context)
    actual = f"Subject: {mail.subject}\n\n{mail.text}\n----- HTML -----\n{mail.html}"
    name = f"digest{'-immediately' if immediately else ''}.{language}.txt"
    golden = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(actual, encoding="utf-8")
    assert actual == golden.read_text(encoding="utf-8")
