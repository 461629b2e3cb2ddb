"""Reasons the system writes itself are read back in the reader's language."""

from __future__ import annotations

from datetime import date

from api.web.i18n import Formats, translations
from api.web.widgets import reason_text
from domain.reasons import IMPORTED, VENDOR_RESPONDED, presented_at, system_reason


def german(reason: str) -> str:
    return reason_text(reason, translations("de").gettext, Formats("de").date)


def test_the_systems_reasons_read_german() -> None:
    assert german(VENDOR_RESPONDED) == "der Hersteller hat geantwortet"
    assert german(IMPORTED) == "aus dem bisherigen Werkzeug übernommen"
    assert german(presented_at("Vorstand Q1 on tour", date(2027, 2, 28))) == (
        "vorgestellt in der Sitzung „Vorstand Q1 on tour“ am 28.02.2027"
    )


def test_a_persons_own_words_stay_as_written() -> None:
    for words in ("Doppelt eingereicht", "presented at the fair", "presented at X on Monday"):
        assert system_reason(words) is None
        assert german(words) == words


def test_english_readers_see_english() -> None:
    english = reason_text(VENDOR_RESPONDED, translations("en").gettext, Formats("en").date)
    assert english == "the vendor responded"
