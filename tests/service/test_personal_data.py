"""Personal fields are stored encrypted per person; erasure shreds them and keeps counts."""

from __future__ import annotations

from uuid import UUID

import pytest

from domain.comment import Comment
from domain.errors import Conflict, PermissionDenied
from domain.evidence import Evidence
from domain.ids import support_id
from domain.person import Person
from domain.personal import Personal
from domain.support import Support
from service.application import Sprachrohr
from tests.service.conftest import Association


def stored_bytes(app: Sprachrohr) -> bytes:
    notifications = app.recorder.select_notifications(start=1, limit=100_000)
    return b"".join(n.state for n in notifications)


def test_personal_fields_never_reach_the_store_in_plain_text(assoc: Association) -> None:
    app = assoc.app
    person = assoc.person()
    pain_point = assoc.pain_point(person)
    app.post_comment(pain_point, "Geheimer Kommentar", by=person)
    app.add_evidence(pain_point, affected_customers=3, revenue_band="unknown",
                     product_area="Lizenzen", link="https://x.example/geheim",
                     note="Geheime Notiz", by=person)  # fmt: skip

    stored = stored_bytes(app)

    for secret in (b"person1@partner.example", b"Person 1", b"Geheimer", b"Geheime", b"geheim"):
        assert secret not in stored
    assert b"Lizenzen" in stored  # the association's figures stay plain
    loaded = app.load(Person, person, "person")
    assert (loaded.email, loaded.display_name) == ("person1@partner.example", "Person 1")


def test_person_snapshots_are_encrypted_too(assoc: Association) -> None:
    app = assoc.app
    person = assoc.person()
    app.take_snapshot(person)
    assert app.snapshots is not None

    (snapshot,) = app.snapshots.recorder.select_events(person)

    assert b"person1@partner.example" not in snapshot.state
    assert app.load(Person, person, "person").email == "person1@partner.example"


def test_erasure_shreds_texts_and_keeps_the_support(assoc: Association) -> None:
    app = assoc.app
    person = assoc.person()
    pain_point = assoc.pain_point(person)
    app.give_support(pain_point, by=person)
    comment = app.post_comment(pain_point, "Mein Text", by=person).id
    evidence = app.add_evidence(pain_point, affected_customers=3, revenue_band="unknown",
                                product_area="", link="", note="Notiz", by=person).id  # fmt: skip

    app.erase_person(person, "Art. 17", by=assoc.admin)

    erased = app.load(Person, person, "person")  # no aggregate cache here: from the store
    assert (erased.erased, erased.email, erased.display_name) == (True, "", "")
    assert app.load(Comment, comment, "comment").text == ""
    assert app.load(Evidence, evidence, "evidence").facts["note"] == Personal(person, None)
    support = app.load(Support, support_id(pain_point, person), "support")
    assert support.active
    assert app.find_person_by_email("person1@partner.example") is None


def test_after_erasure_every_personal_value_decodes_as_erased(assoc: Association) -> None:
    app = assoc.app
    person = assoc.person()
    pain_point = assoc.pain_point(person)
    app.post_comment(pain_point, "Mein Text", by=person)

    app.erase_person(person, "Art. 17", by=assoc.admin)

    decoded = [
        app.mapper.to_domain_event(n)
        for n in app.recorder.select_notifications(start=1, limit=100_000)
    ]
    values = [
        v
        for e in decoded
        for v in vars(e).values()
        if isinstance(v, Personal) and v.subject == person
    ]
    assert values
    assert all(v.erased for v in values)


def test_an_erased_person_gets_no_new_key_and_only_admins_erase(assoc: Association) -> None:
    app = assoc.app
    person, other = assoc.person(), assoc.person()

    with pytest.raises(PermissionDenied):
        app.erase_person(person, "x", by=other)
    app.erase_person(person, "Art. 17", by=assoc.admin)

    with pytest.raises(Conflict):
        app.make_key(person)
    with pytest.raises(Conflict):
        app.erase_person(assoc.admin, "x", by=assoc.admin)
    assert not app.erase_person(person, "again", by=assoc.admin).changed


def test_a_released_address_can_be_registered_again(assoc: Association) -> None:
    app = assoc.app
    person = assoc.person()
    app.erase_person(person, "Art. 17", by=assoc.admin)

    again = app.register_person("person1@partner.example", "Neu", assoc.company, "h",
                                by=assoc.admin).id  # fmt: skip

    assert again != person
    found = app.find_person_by_email("Person1@Partner.example")
    assert found is not None
    assert found.id == again


def test_email_claim_ids_depend_on_the_installation_secret(assoc: Association) -> None:
    other = Sprachrohr(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})

    assert assoc.app.email_claim_id("a@b.example") != other.email_claim_id("a@b.example")
    assert assoc.app.email_claim_id("A@b.example ") == assoc.app.email_claim_id("a@b.example")
    assert isinstance(other.email_claim_id("a@b.example"), UUID)
