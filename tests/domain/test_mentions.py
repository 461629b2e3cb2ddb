"""@mentions (domain/mentions.py, domain/visibility.py, the Comment aggregate): ids in
the text, never names; who may mention whom."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain import mentions as m
from domain import visibility as v
from domain.comment import Comment
from domain.errors import Invalid

ANNA, ANNABELL = uuid4(), uuid4()
AT = datetime(2026, 5, 1, 9, tzinfo=UTC)
names = st.text(st.characters(categories=("L",)), min_size=1, max_size=12)


def test_tokenize_takes_the_longest_name_and_stops_at_a_word_boundary() -> None:
    # given two people whose names share a start
    people = {ANNA: "Anna", ANNABELL: "Anna Bell"}
    # when a text names both, and a third word merely starts like one
    text = m.tokenize("@Anna Bell und @Anna, nicht @Annalena", people)
    # then each mention is a token, and the rest is left alone
    assert text == f"<@{ANNABELL.hex}> und <@{ANNA.hex}>, nicht @Annalena"
    assert m.mentioned(text) == [ANNABELL, ANNA]


def test_a_name_two_people_share_is_no_mention_without_an_id() -> None:
    twin = uuid4()
    assert m.named_in("Hallo @Anna", {ANNA: "Anna", twin: "Anna"}) == []
    assert m.named_in("Hallo @Anna", {ANNA: "Anna", twin: "Bernd"}) == [ANNA]


@given(st.lists(names, min_size=1, max_size=4, unique=True), st.text(max_size=30))
def test_rendering_a_tokenized_text_gives_back_what_was_written(
    people: list[str], filler: str
) -> None:
    filler = filler.replace("@", "").replace("<", "")
    ids = {uuid4(): name for name in people}
    written = filler + " ".join(f"@{name} ." for name in people)
    stored = m.tokenize(written, ids)
    assert not any(f"@{name} " in stored for name in people)  # names gone from the text
    assert m.render(stored, ids.__getitem__) == written
    assert set(m.mentioned(stored)) <= set(ids)


def test_a_comment_stores_the_ids_its_text_names() -> None:
    text = f"Bitte prüfen, <@{ANNA.hex}>"
    comment = Comment.post(uuid4(), uuid4(), text, by=uuid4(), for_company=None, at=AT, id=uuid4())
    assert comment.mentions == [ANNA]
    event = comment.collect_events()[0]
    assert event.mentions == [ANNA]  # type: ignore[attr-defined]


def test_a_listed_mention_must_be_in_the_text_and_at_most_ten() -> None:
    with pytest.raises(Invalid) as missing:
        m.check("kein Name", [ANNA])
    assert (missing.value.code, missing.value.field) == ("comment.mention_not_in_text", "mentions")
    many = " ".join(m.token(uuid4()) for _ in range(m.MAX_MENTIONS + 1))
    with pytest.raises(Invalid) as too_many:
        m.check(many, [])
    assert too_many.value.code == "comment.too_many_mentions"


@pytest.mark.parametrize(
    ("roles", "member", "lead", "setting", "of_lead", "of_author", "may"),
    [
        ((), True, False, "leads", False, False, False),  # a member's name: not under "leads"
        ((), True, False, "members", False, False, True),
        ((), True, False, "leads", True, False, True),  # leads: the group's directory
        ((), True, False, "leads", False, True, True),  # the author: the pain point's page
        ((), True, True, "leads", False, False, True),  # a lead sees every name
        (("board",), False, False, "leads", False, False, True),
        (("vendor",), True, False, "members", True, True, False),  # the vendor: never
    ],
)
def test_whom_a_writer_may_mention(
    roles: tuple[str, ...],
    member: bool,
    lead: bool,
    setting: str,
    of_lead: bool,
    of_author: bool,
    may: bool,
) -> None:
    rule = {"member": member, "lead": lead, "setting": setting}
    assert v.may_mention(roles, **rule, of_member=True, of_lead=of_lead, of_author=of_author) is may
    assert not v.may_mention(roles, **rule, of_member=False, of_lead=True, of_author=True)


@given(st.frozensets(st.sampled_from(("admin", "board", "vendor"))), st.booleans(), st.booleans())
def test_a_vendor_who_is_no_member_sees_no_mentioned_name(
    roles: frozenset[str], of_lead: bool, of_author: bool
) -> None:
    if "vendor" in roles and not ({"admin", "board"} & roles):
        assert not v.sees_name_in_group(
            roles, member=False, lead=False, setting="members", of_lead=of_lead,
            of_author=of_author,
        )  # fmt: skip


def test_ids_are_hex_in_the_text() -> None:
    assert m.token(UUID(int=1)) == "<@00000000000000000000000000000001>"
