"""Editing a pain point: given its history, when someone edits, then `Edited` or a refusal.

The rule (domain.workflow.may_edit): its author edits until the group's leads triage it
(new, needs-info); leads and admins edit in every status but withdrawn and merged.
"""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain.errors import Conflict, Invalid, PermissionDenied
from domain.painpoint import PainPoint
from domain.workflow import ALL_STATUSES, LEAD_MOVES, may_edit
from tests.domain.test_aggregates import AUTHOR, LATER, given, history, submitted, then

LEAD = uuid4()
STRANGER = uuid4()


def triaged(status: str) -> list[object]:
    """The submission, then the leads' move to `status`."""
    pain_point = given(*submitted())
    pain_point.change_status(status, "checked", allowed=LEAD_MOVES["new"], by=LEAD, at=LATER)
    return [*submitted(), *history(pain_point)]


def test_the_author_edits_a_new_pain_point_and_only_the_changed_fields_are_recorded() -> None:
    pain_point = given(*submitted())

    changed = pain_point.edit(
        title="  Partner registration takes six weeks ",
        description="Online registration needs three manual approvals.",  # unchanged
        tags=["Registration", "Portal"],
        by=AUTHOR,
        moderator=False,
        at=LATER,
    )

    (event,) = then(pain_point, PainPoint.Edited)
    assert changed
    assert event.title == "Partner registration takes six weeks"
    assert event.description is None
    assert event.tags == ["portal", "registration"]
    assert (event.by, event.timestamp) == (AUTHOR, LATER)
    assert pain_point.title == "Partner registration takes six weeks"
    assert pain_point.tags == ["portal", "registration"]


def test_an_edit_that_changes_nothing_records_nothing() -> None:
    pain_point = given(*submitted())

    changed = pain_point.edit(
        title="Partner registration takes weeks ", tags=["REGISTRATION"], by=AUTHOR,
        moderator=False, at=LATER,
    )  # fmt: skip

    assert not changed
    then(pain_point)


def test_the_author_edits_while_the_leads_ask_for_more_information() -> None:
    pain_point = given(*triaged("needs-info"))

    pain_point.edit(description="Three approvals, each takes a week.", by=AUTHOR,
                    moderator=False, at=LATER)  # fmt: skip

    (event,) = then(pain_point, PainPoint.Edited)
    assert event.description == "Three approvals, each takes a week."


@pytest.mark.parametrize("status", ["accepted", "declined"])
def test_the_author_cannot_edit_once_the_leads_have_triaged_it(status: str) -> None:
    pain_point = given(*triaged(status))

    with pytest.raises(Conflict) as error:
        pain_point.edit(title="Another title", by=AUTHOR, moderator=False, at=LATER)
    assert error.value.code == "pain_point.edit_after_triage"
    assert error.value.params == {"status": status}
    then(pain_point)


def test_a_lead_edits_after_triage() -> None:
    pain_point = given(*triaged("accepted"))

    pain_point.edit(title="Partner registration: three approvals", by=LEAD, moderator=True,
                    at=LATER)  # fmt: skip

    (event,) = then(pain_point, PainPoint.Edited)
    assert event.by == LEAD


def test_someone_else_may_not_edit() -> None:
    pain_point = given(*submitted())

    with pytest.raises(PermissionDenied) as error:
        pain_point.edit(title="Mine now", by=STRANGER, moderator=False, at=LATER)
    assert error.value.code == "pain_point.edit_not_allowed"
    then(pain_point)


def test_nobody_edits_a_withdrawn_pain_point() -> None:
    pain_point = given(*submitted())
    pain_point.withdraw("", by=AUTHOR, at=LATER)
    pain_point = given(*submitted(), *history(pain_point))

    with pytest.raises(Conflict) as error:
        pain_point.edit(title="Back again", by=LEAD, moderator=True, at=LATER)
    assert error.value.code == "pain_point.edit_closed"


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"title": "  "}, "title", "text.empty"),
        ({"title": "t" * 201}, "title", "text.too_long"),
        ({"description": "d" * 20_001}, "description", "text.too_long"),
        ({"tags": [f"tag{n}" for n in range(11)]}, "tags", "tags.too_many"),
        ({"tags": ["x" * 41]}, "tags", "text.too_long"),
    ],
)
def test_an_edit_follows_the_rules_of_submission(
    fields: dict[str, object], field: str, code: str
) -> None:
    pain_point = given(*submitted())

    with pytest.raises(Invalid) as error:
        pain_point.edit(**fields, by=AUTHOR, moderator=False, at=LATER)  # type: ignore[arg-type]
    assert (error.value.field, error.value.code) == (field, code)
    then(pain_point)


def test_who_may_edit_in_which_status() -> None:
    def editable(*, author: bool, moderator: bool) -> set[str]:
        return {s for s in ALL_STATUSES if may_edit(s, author=author, moderator=moderator)}

    assert editable(author=True, moderator=False) == {"new", "needs-info"}
    assert editable(author=False, moderator=True) == set(ALL_STATUSES) - {"withdrawn", "merged"}
    assert editable(author=True, moderator=True) == set(ALL_STATUSES) - {"withdrawn", "merged"}
    assert editable(author=False, moderator=False) == set()
