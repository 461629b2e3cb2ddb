"""A dossier's content comes from the log up to its position and from nothing else."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from domain.errors import Invalid
from dossiers.content import build, canonical, content_hash, position_at
from service.application import Sprachrohr
from tests.dossiers.history import History, definition, record_history

POPO = {"PERSISTENCE_MODULE": "eventsourcing.popo"}


@pytest.fixture
def history() -> History:
    return record_history(Sprachrohr(env=POPO))


def test_later_events_never_change_a_dossier_as_of_an_earlier_position(history: History) -> None:
    h = history
    before = build(h.app.recorder, h.app.mapper, definition(h))
    h.clock.to(datetime(2026, 4, 1, tzinfo=UTC))
    for person in h.people:
        h.app.give_support(h.ids["p2"], by=person)
    h.app.change_status(h.ids["p3"], "declined", "kein Thema", by=h.people[0])

    again = build(h.app.recorder, h.app.mapper, definition(h, position=before["as_of"]["position"]))
    later = build(h.app.recorder, h.app.mapper, definition(h))

    assert again == before
    assert later["content_hash"] != before["content_hash"]
    assert before["content_hash"] == content_hash(before)


def test_the_content_is_what_the_log_says(history: History) -> None:
    h = history
    content = build(h.app.recorder, h.app.mapper, definition(h))
    licensing, south = content["groups"]

    assert content["meeting"] == {"name": "Inner Circle Lizenzen", "kind": "inner-circle",
                                  "date": "2026-04-15"}  # fmt: skip
    assert content["previous_meeting"]["name"] == "Quality Board Frühjahr"
    assert [r["title"] for r in licensing["curated"]["rows"]] == [
        "Lizenzportal zeigt falsche Restlaufzeiten", "Preislisten kommen zu spät"
    ]  # fmt: skip
    ranking = {r["title"]: (r["rank"], r["companies"], r["people"]) for r in licensing["ranking"]}
    assert ranking["Lizenzportal zeigt falsche Restlaufzeiten"] == (1, 3, 5)
    assert ranking["Preislisten kommen zu spät"][1:] == (2, 2)
    p1 = licensing["pain_points"][0]
    assert (p1["status"], p1["curated_position"], p1["community_rank"]) == ("answered", 1, 1)
    assert p1["evidence"]["affected_customers"] == 120
    assert p1["presented_at"] == [{"meeting": "Quality Board Frühjahr", "date": "2026-02-25"}]
    assert p1["responses"][0]["commitment"] == {
        "text": "Laufzeiten korrekt", "target": "2026-05-31", "state": "open"
    }  # fmt: skip
    assert p1["trend"]["people"][-1] == 5
    assert p1["trend"]["people"] == sorted(p1["trend"]["people"])  # only ever grew
    assert [s["title"] for s in content["summary"]][:2] == [
        "Lizenzportal zeigt falsche Restlaufzeiten", "Preislisten kommen zu spät"
    ]  # fmt: skip
    assert south["curated"] is None
    assert content["promises"][0]["state"] == "open"
    assert content["changes"]["answered"][0]["kind"] == "planned"


def test_no_person_is_named_and_companies_only_when_asked(history: History) -> None:
    h = history
    anonymous = canonical(build(h.app.recorder, h.app.mapper, definition(h))).decode()
    named = canonical(
        build(h.app.recorder, h.app.mapper, definition(h, include_companies=True))
    ).decode()

    for name in h.names:
        assert name not in anonymous
        assert name not in named
    for company in ("Alpenblick IT GmbH", "Isartal Systemhaus AG", "Chiemsee Consulting KG"):
        assert company not in anonymous
        assert company in named


def test_an_english_dossier_differs_only_in_language_dependent_parts(history: History) -> None:
    h = history
    german = build(h.app.recorder, h.app.mapper, definition(h))
    english = build(h.app.recorder, h.app.mapper, definition(h, language="en"))

    assert german["groups"] == english["groups"]
    assert german["content_hash"] != english["content_hash"]
    assert json.dumps(english["changes"]).count("companies gained") >= 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"position": 0}, "position"),
        ({"position": 10**9}, "position"),
        ({"language": "fr"}, "language"),
        ({"group_ids": []}, "group_ids"),
    ],
)
def test_bad_definitions_are_refused(
    history: History, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(Invalid) as refused:
        build(history.app.recorder, history.app.mapper, definition(history, **changes))
    assert refused.value.field == field


def test_position_at_finds_the_last_event_by_a_moment(history: History) -> None:
    h = history
    recorder, mapper = h.app.recorder, h.app.mapper
    head = recorder.max_notification_id()
    stamps = [mapper.to_domain_event(n).timestamp for n in recorder.select_notifications(1, head)]
    for index in (0, 5, len(stamps) // 2, len(stamps) - 1):
        for moment in (stamps[index], stamps[index] - timedelta(microseconds=1)):
            by_then = sum(1 for stamp in stamps if stamp <= moment)  # one command, one time
            assert position_at(recorder, mapper, moment) == by_then
    assert position_at(recorder, mapper, stamps[-1] + timedelta(days=1)) == head
