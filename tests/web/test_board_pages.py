"""The board's pages: meetings, agendas, what changed since the last meeting, promises.

Only the board and admins reach them (a 404 to everyone else); every form works end
to end without JavaScript, refuses a wrong CSRF token, and re-renders with its errors.
"""

from __future__ import annotations

import re
from html import unescape
from uuid import UUID

import pytest

from tests.web.board_site import KEY, BoardSite, follow, post, sign_in, text_of


def board_urls(site: BoardSite) -> list[str]:
    return [
        "/board",
        f"/board/meetings/{site.id('january')}",
        f"/board/meetings/{site.id('february')}",
        f"/board/meetings/{site.id('february')}?since=2026-01-01&until=2026-02-28",
        "/board/promises",
        "/board/promises?state=overdue",
    ]


def board_posts(site: BoardSite) -> list[tuple[str, dict[str, str | list[str]]]]:
    meeting = site.id("february")
    return [
        ("/board/meetings", {"name": "X", "kind": "other", "held_on": "2026-04-01"}),
        (f"/board/meetings/{meeting}/agenda", {"items": [site.id("p1")]}),
        (f"/board/meetings/{meeting}/agenda/order", {"items": [site.id("p2")]}),
        (f"/board/meetings/{meeting}/presented", {"pain_point": site.id("p2")}),
        (f"/board/promises/{site.id('r1')}/settle", {"outcome": "met", "note": ""}),
    ]


# -- who may enter ------------------------------------------------------------------


@pytest.mark.parametrize("who", ["board", "admin"])
def test_the_board_and_admins_see_every_page(board_site: BoardSite, who: str) -> None:
    sign_in(board_site, who)
    for url in board_urls(board_site):
        page = board_site.client.get(url)
        assert page.status_code == 200, url
        assert 'href="/board/promises"' in page.text


@pytest.mark.parametrize("who", ["member", "lead", "vendor"])
def test_to_everyone_else_the_area_does_not_exist(board_site: BoardSite, who: str) -> None:
    """Except the promises ledger, which a lead reads (their groups' promises)."""
    csrf = sign_in(board_site, who)
    for url in [*board_urls(board_site), f"/board/meetings/{UUID(int=7).hex}", "/board/x"]:
        expected = 200 if who == "lead" and url.startswith("/board/promises") else 404
        assert board_site.client.get(url).status_code == expected, url
    for path, data in board_posts(board_site):
        assert post(board_site, path, csrf, **data).status_code == 404, path
    assert board_site.one("SELECT COUNT(*) FROM v_meetings") == 2
    assert (
        board_site.one("SELECT state FROM v_vendor_responses WHERE id = ?", board_site.id("r1"))
        == "open"
    )


def test_signed_out_people_are_sent_to_sign_in(board_site: BoardSite) -> None:
    response = board_site.client.get("/board/promises", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


def test_a_wrong_csrf_token_is_refused(board_site: BoardSite) -> None:
    sign_in(board_site, "board")
    for path, data in board_posts(board_site):
        assert post(board_site, path, "forged", **data).status_code == 403, path
    assert board_site.one("SELECT COUNT(*) FROM v_meetings") == 2
    assert board_site.one("SELECT COUNT(*) FROM v_meeting_presented") == 1


def test_an_unknown_meeting_is_not_found(board_site: BoardSite) -> None:
    csrf = sign_in(board_site, "board")
    for meeting in (UUID(int=7).hex, "not-an-id"):
        assert board_site.client.get(f"/board/meetings/{meeting}").status_code == 404
        agenda = post(board_site, f"/board/meetings/{meeting}/agenda", csrf, items=[])
        assert agenda.status_code == 404


# -- meetings -----------------------------------------------------------------------


def test_meetings_are_listed_upcoming_first_then_past(board_site: BoardSite) -> None:
    csrf = sign_in(board_site, "board")
    key = KEY.search(board_site.client.get("/board").text)
    assert key is not None
    data = {"name": "QB Frühjahr", "kind": "quality-board", "held_on": "2026-04-15"}
    follow(
        board_site, post(board_site, "/board/meetings", csrf, key=key.group(1), **data), "scheduled"
    )
    page = text_of(board_site.client.get("/board").text)
    upcoming, past = page.index("Upcoming meetings"), page.index("Past meetings")
    assert upcoming < page.index("QB Frühjahr Quality Board Apr 15, 2026 0 0") < past
    assert past < page.index("IC Februar Inner Circle Feb 20, 2026 1 0")
    assert page.index("IC Februar") < page.index("QB Januar Quality Board Jan 25, 2026 1 1")


def test_scheduling_a_meeting_once_per_form(board_site: BoardSite) -> None:
    csrf = sign_in(board_site, "board")
    key = KEY.search(board_site.client.get("/board").text)
    assert key is not None
    data = {"name": "Inner Circle Lizenzen", "kind": "inner-circle", "held_on": "2026-03-10"}
    first = post(board_site, "/board/meetings", csrf, key=key.group(1), **data)
    page = follow(board_site, first, "scheduled")
    assert "The meeting has been scheduled." in page
    assert "<h1>Inner Circle Lizenzen</h1>" in page
    assert "Takes place on Mar 10, 2026." in text_of(page)
    again = post(board_site, "/board/meetings", csrf, key=key.group(1), **data)
    assert again.headers["location"] == first.headers["location"]
    assert board_site.one("SELECT COUNT(*) FROM v_meetings") == 3


@pytest.mark.parametrize(
    ("field", "data", "message"),
    [
        ("held_on", {"held_on": "2026-02-30"}, "Enter a date like 2026-03-14."),
        ("held_on", {"held_on": "next week"}, "Enter a date like 2026-03-14."),
        ("held_on", {"held_on": "1999-12-31"}, "Choose a day in the years 2000 to 2036."),
        ("held_on", {"held_on": ""}, "Please fill in this field."),
        ("name", {"name": " "}, "Please fill in this field."),
        ("kind", {"kind": "party"}, "Choose one of the listed kinds of meeting."),
    ],
)
def test_scheduling_errors_show_next_to_their_field(
    board_site: BoardSite, field: str, data: dict[str, str], message: str
) -> None:
    csrf = sign_in(board_site, "board")
    form = {"name": "Quality Board <Mai>", "kind": "other", "held_on": "2026-05-04", **data}
    response = post(board_site, "/board/meetings", csrf, key="k" * 20, **form)
    assert response.status_code == 422
    page = response.text
    assert f'<p class="error" id="schedule-{field}-error">{message}</p>' in page
    assert f'aria-describedby="schedule-{field}-hint schedule-{field}-error"' in page or (
        f'aria-describedby="schedule-{field}-error"' in page
    )
    if field != "name":
        assert 'value="Quality Board &lt;Mai&gt;"' in page
    assert board_site.one("SELECT COUNT(*) FROM v_meetings") == 2


# -- the agenda -----------------------------------------------------------------------


def test_the_agenda_editor_offers_escalated_pain_points(board_site: BoardSite) -> None:
    sign_in(board_site, "admin")
    page = board_site.client.get(f"/board/meetings/{board_site.id('february')}").text
    editor = page[page.index('id="edit-agenda"') :]
    p1, p2 = board_site.id("p1"), board_site.id("p2")
    assert f'name="items" value="{p2}" checked>' in editor
    assert f'name="items" value="{p1}">' in editor
    assert editor.index(p2) < editor.index(p1)  # the agenda first
    assert board_site.id("p3") not in page  # new: not escalated
    agenda = text_of(page[page.index('id="agenda"') : page.index('id="edit-agenda"')])
    assert (
        "1 Registrierung dauert Wochen Lizenzen answered by the vendor 2 2 Mark presented" in agenda
    )


def test_items_no_longer_escalated_are_listed_apart(board_site: BoardSite) -> None:
    app, p1 = board_site.runtime.app, board_site.ids["p1"]
    app.change_status(p1, "resolved", "Umgesetzt", by=board_site.ids["admin"])
    board_site.runtime.projector.catch_up()
    sign_in(board_site, "board")
    page = board_site.client.get(f"/board/meetings/{board_site.id('january')}").text
    editor = page[page.index('id="edit-agenda"') : page.index('id="changes"')]
    assert f'value="{p1.hex}"' not in editor
    assert "no longer escalated, presented or answered; saving the agenda removes them" in editor
    assert f'<a href="/pain-points/{p1.hex}">Lizenzportal langsam</a> (resolved)' in editor


def test_setting_the_agenda_and_marking_items_presented(board_site: BoardSite) -> None:
    csrf = sign_in(board_site, "board")
    meeting, p1, p2 = board_site.id("february"), board_site.id("p1"), board_site.id("p2")
    saved = post(board_site, f"/board/meetings/{meeting}/agenda", csrf, items=[p2, p1])
    page = follow(board_site, saved, "agenda")
    assert "The agenda has been saved." in page
    agenda = text_of(page[page.index('id="agenda"') : page.index('id="edit-agenda"')])
    assert agenda.index("Registrierung dauert Wochen") < agenda.index("Lizenzportal langsam")
    assert f'<a href="/pain-points/{p1}">Lizenzportal langsam</a>' in page
    same = post(board_site, f"/board/meetings/{meeting}/agenda", csrf, items=[p2, p1])
    assert "Nothing to change" in follow(board_site, same, "unchanged")

    marked = post(board_site, f"/board/meetings/{meeting}/presented", csrf, pain_point=p2)
    page = follow(board_site, marked, "presented")
    assert "Presented on Mar 1, 2026" in page
    assert page.count("Mark presented</button>") == 1  # p1 still to present
    assert board_site.one("SELECT status FROM v_pain_points WHERE id = ?", p2) == "presented"
    listing = text_of(board_site.client.get("/board").text)
    assert "IC Februar Inner Circle Feb 20, 2026 2 1" in listing


def test_the_board_reorders_the_agenda_without_javascript(board_site: BoardSite) -> None:
    csrf = sign_in(board_site, "board")
    meeting, p1, p2 = board_site.id("february"), board_site.id("p1"), board_site.id("p2")
    path = f"/board/meetings/{meeting}/agenda/order"
    assert 'id="agenda-order"' not in board_site.client.get(f"/board/meetings/{meeting}").text
    post(board_site, f"/board/meetings/{meeting}/agenda", csrf, items=[p2, p1])

    moved = post(board_site, path, csrf, items=[p2, p1], move=f"down:{p2}")
    assert moved.status_code == 200
    order = moved.text[moved.text.index('id="agenda-order"') :]
    assert order.index(f'value="{p1}"') < order.index(f'value="{p2}"')
    assert "“Registrierung dauert Wochen” is now at position 2 of 2." in order
    assert re.search(rf'value="down:{p2}" data-move="down"\s+aria-label="[^"]+" autofocus', order)
    assert 'hidden id="agenda-order-dirty"' not in order  # "not saved yet" is shown
    agenda = board_site.one(
        "SELECT pain_point_id FROM v_meeting_agenda WHERE meeting_id = ? AND position = 1", meeting
    )
    assert agenda == p2  # moving is not saving

    page = follow(board_site, post(board_site, path, csrf, items=[p1, p2]), "order")
    assert (
        "The agenda&#39;s new order has been saved." in page or "new order has been saved" in page
    )
    table = text_of(page[page.index('id="agenda"') : page.index('id="agenda-order"')])
    assert table.index("Lizenzportal langsam") < table.index("Registrierung dauert Wochen")
    assert "Nothing to change" in follow(
        board_site, post(board_site, path, csrf, items=[p1, p2]), "unchanged"
    )

    short = post(board_site, path, csrf, items=[p1])
    assert short.status_code == 409
    assert 'id="agenda-order-error"' in short.text
    assert "A new order lists exactly the agenda" in short.text
    wrong = post(board_site, path, csrf, items=[p1, p2], move="sideways:x")
    assert wrong.status_code == 422


def test_a_pain_point_that_is_not_escalated_cannot_go_on_the_agenda(board_site: BoardSite) -> None:
    csrf = sign_in(board_site, "board")
    meeting, p1, p3 = board_site.id("february"), board_site.id("p1"), board_site.id("p3")
    for items, message in (
        ([p1, p3], "Only escalated pain points go on an agenda"),
        ([p1, "nonsense"], "Choose pain points from the list."),
    ):
        response = post(board_site, f"/board/meetings/{meeting}/agenda", csrf, items=items)
        assert response.status_code == 422
        assert f'<p class="error" id="agenda-items-error" role="alert">{message}' in response.text
        assert f'name="items" value="{p1}" checked>' in response.text  # as ticked
    agenda = board_site.one("SELECT COUNT(*) FROM v_meeting_agenda WHERE meeting_id = ?", meeting)
    assert agenda == 1


def test_only_agenda_items_can_be_marked_presented(board_site: BoardSite) -> None:
    csrf = sign_in(board_site, "board")
    meeting = board_site.id("february")
    for item in (board_site.id("p1"), "nonsense"):
        response = post(board_site, f"/board/meetings/{meeting}/presented", csrf, pain_point=item)
        assert response.status_code == 422
        assert '<p class="flash bad" role="alert">' in response.text
    assert board_site.one("SELECT COUNT(*) FROM v_meeting_presented") == 1


def test_items_of_a_meeting_still_to_come_cannot_be_marked_presented(
    board_site: BoardSite,
) -> None:
    csrf = sign_in(board_site, "board")
    app, p2 = board_site.runtime.app, board_site.ids["p2"]
    march = app.schedule_meeting(
        "QB März", "quality-board", "2026-03-02", by=board_site.ids["admin"]
    )
    app.set_agenda(march.id, [p2], by=board_site.ids["admin"])
    board_site.runtime.projector.catch_up()
    path = f"/board/meetings/{march.id.hex}"

    page = unescape(board_site.client.get(path).text)
    response = post(board_site, f"{path}/presented", csrf, pain_point=p2.hex)

    assert "Mark presented</button>" not in page
    assert "From the meeting's day" in page
    assert response.status_code == 422
    assert "Items can be marked presented from the meeting's day (Mar 2, 2026) on" in (
        unescape(response.text)
    )
    presented = "SELECT COUNT(*) FROM v_meeting_presented WHERE meeting_id = ?"
    assert board_site.one(presented, march.id.hex) == 0
    assert board_site.one("SELECT status FROM v_pain_points WHERE id = ?", p2.hex) == "answered"


# -- what changed since the previous meeting -----------------------------------------


def changes_of(page: str) -> str:
    return text_of(page[page.index('id="changes"') :])


def test_what_changed_since_the_previous_meeting(board_site: BoardSite) -> None:
    sign_in(board_site, "board")
    page = board_site.client.get(f"/board/meetings/{board_site.id('february')}").text
    changes = changes_of(page)
    assert "Since the previous meeting, QB Januar on Jan 25, 2026:" in changes
    assert "from Jan 25, 2026 to Feb 20, 2026, in every working group." in changes
    assert (
        "“Registrierung dauert Wochen” (Lizenzen) was submitted on Feb 1, 2026;"
        " it is now answered by the vendor." in changes
    )
    assert (
        "“Registrierung dauert Wochen” entered the ranking at rank 1: it was submitted" in changes
    )
    assert "“Lizenzportal langsam” fell from rank 1 to rank 2: other pain points moved." in changes
    assert (
        "“Lizenzportal langsam” (Lizenzen) went from “escalated to the board”"
        " to “presented to the vendor” on Jan 25, 2026." in changes
    )
    assert "Reason: presented at QB Januar on Jan 25, 2026" in changes
    assert (
        "On Feb 5, 2026 the vendor answered “Lizenzportal langsam” (Lizenzen): planned."
        " Product group: Partner Center. It promised “Ein Schritt” by Feb 15, 2026." in changes
    )
    assert (
        "On Feb 5, 2026 Lizenzen published edition 1 of its curated list, with 2 pain points."
        " Published by Lead. Note: Erste Liste" in changes
    )
    assert "Supportzeiten" not in changes  # submitted before the previous meeting


def test_without_an_earlier_meeting_the_30_days_before(board_site: BoardSite) -> None:
    sign_in(board_site, "board")
    page = board_site.client.get(f"/board/meetings/{board_site.id('january')}").text
    changes = changes_of(page)
    assert "There was no earlier meeting; the 30 days before:" in changes
    assert "from Dec 26, 2025 to Jan 25, 2026" in changes
    assert (
        "“Supportzeiten zu kurz” (Süd (München)) was submitted on Jan 10, 2026; it is now new."
        in changes
    )
    assert "Registrierung" not in changes


def test_an_upcoming_meeting_reports_until_today(board_site: BoardSite) -> None:
    csrf = sign_in(board_site, "board")
    data = {"name": "QB März", "kind": "quality-board", "held_on": "2026-03-20", "key": "m" * 20}
    page = follow(board_site, post(board_site, "/board/meetings", csrf, **data), "scheduled")
    changes = changes_of(page)
    assert "Since the previous meeting, IC Februar on Feb 20, 2026:" in changes
    assert "from Feb 20, 2026 to Mar 1, 2026" in changes
    assert "Nothing changed in this period." in changes
    data = {**data, "name": "IC April", "held_on": "2026-04-02", "key": "n" * 20}
    page = follow(board_site, post(board_site, "/board/meetings", csrf, **data), "scheduled")
    changes = changes_of(page)
    assert "Since the previous meeting, QB März on Mar 20, 2026:" in changes
    assert "The previous meeting is still to come; nothing to report yet." in changes
    assert "Nothing changed" not in changes


def test_the_period_can_be_chosen(board_site: BoardSite) -> None:
    sign_in(board_site, "board")
    url = f"/board/meetings/{board_site.id('february')}"
    page = board_site.client.get(f"{url}?since=2026-02-05&until=2026-02-05").text
    changes = changes_of(page)
    assert "From Feb 5, 2026 to Feb 5, 2026, in every working group." in changes
    assert "2 new answers from the vendor" in changes
    assert "new pain point" not in changes
    assert 'name="since" value="2026-02-05"' in page
    later = changes_of(board_site.client.get(f"{url}?since=2026-02-21").text)
    assert "from Feb 21, 2026 to Feb 20, 2026" not in later  # since after the default end
    assert "The first day must not be after the last day." in later


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("since=2026-13-01", "since", "Enter a date like 2026-03-14."),
        ("until=yesterday", "until", "Enter a date like 2026-03-14."),
        (
            "since=2026-02-10&until=2026-02-01",
            "since",
            "The first day must not be after the last day.",
        ),
    ],
)
def test_a_bad_period_shows_its_error_next_to_the_field(
    board_site: BoardSite, query: str, field: str, message: str
) -> None:
    sign_in(board_site, "board")
    response = board_site.client.get(f"/board/meetings/{board_site.id('february')}?{query}")
    assert response.status_code == 422
    assert f'<p class="error" id="window-{field}-error" role="alert">{message}</p>' in response.text
    assert f'aria-describedby="window-{field}-error"' in response.text
    assert "Since the previous meeting, QB Januar" in response.text  # the default period


# -- promises -----------------------------------------------------------------------


def test_the_promises_ledger(board_site: BoardSite) -> None:
    sign_in(board_site, "board")
    page = text_of(board_site.client.get("/board/promises").text)
    assert "all (2) · open (2) · overdue (1) · met (0) · missed (0)" in page
    assert (
        "Lizenzportal langsam Lizenzen Partner Center Ein Schritt Feb 15, 2026 open overdue"
        " Feb 5, 2026" in page
    )
    assert (
        "Registrierung dauert Wochen Lizenzen Partner Center Zwei Wochen Jun 30, 2026 open Feb 5"
        in page
    )
    overdue = text_of(board_site.client.get("/board/promises?state=overdue").text)
    assert "Ein Schritt" in overdue
    assert "Zwei Wochen" not in overdue
    nothing = text_of(board_site.client.get("/board/promises?state=missed").text)
    assert "No promise in this state." in nothing


def test_settling_promises(board_site: BoardSite) -> None:
    csrf = sign_in(board_site, "board")
    r1, r2 = board_site.id("r1"), board_site.id("r2")
    early = post(board_site, f"/board/promises/{r2}/settle", csrf, outcome="missed", note="")
    assert early.status_code == 422  # its target date has not come yet
    assert "only after its target date" in text_of(early.text)
    met = post(
        board_site,
        f"/board/promises/{r2}/settle",
        csrf,
        outcome="met",
        note="Geliefert",
        state="open",
    )
    assert met.headers["location"] == "/board/promises?state=open&done=met"
    page = follow(board_site, met, "met")
    assert "The promise has been marked as met." in page
    assert "Zwei Wochen" not in page  # no longer open
    missed = post(board_site, f"/board/promises/{r1}/settle", csrf, outcome="missed", note="")
    page = text_of(follow(board_site, missed, "missed"))
    assert "met (1) · missed (1)" in page
    assert "Ein Schritt Feb 15, 2026 missed" in page
    assert "Zwei Wochen Jun 30, 2026 met Feb 5, 2026 Recorded on Mar 1, 2026. Geliefert" in page
    assert "Mark met" not in page


def test_settling_errors_show_next_to_the_promise(board_site: BoardSite) -> None:
    csrf = sign_in(board_site, "board")
    r1 = board_site.id("r1")
    path = f"/board/promises/{r1}/settle"
    no_choice = post(board_site, path, csrf, outcome="", note="bald")
    assert no_choice.status_code == 422
    assert f'<p class="error" id="settle-{r1}-error" role="alert">Choose whether' in no_choice.text
    assert f'id="settle-{r1}-note" name="note" maxlength="2000" value="bald"' in no_choice.text
    too_long = post(board_site, path, csrf, outcome="met", note="x" * 5000)
    assert too_long.status_code == 422
    assert f'aria-describedby="settle-{r1}-error" aria-invalid="true"' in too_long.text
    follow(board_site, post(board_site, path, csrf, outcome="met"), "met")
    twice = post(board_site, path, csrf, outcome="missed")
    assert twice.status_code == 422
    assert "already been marked met" in twice.text
    assert board_site.one("SELECT state FROM v_vendor_responses WHERE id = ?", r1) == "met"
    unknown = post(board_site, f"/board/promises/{UUID(int=9).hex}/settle", csrf, outcome="met")
    assert unknown.status_code == 404
