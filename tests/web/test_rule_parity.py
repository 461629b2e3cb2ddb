"""One rule, one answer: the JSON API and the web pages agree on each rule that has a
home in the domain (issue 11).

- promise states and "today": the board's ledger (API and web) and the "mark missed"
  command judge a promise on the association's date (Europe/Berlin), never the UTC
  date, so around midnight they cannot disagree;
- a target date needs a commitment: both ways in refuse it with the same code;
- a working group's contents are not visible to a non-member: 404 on both;
- errors as codes: the API names the code, the web says it in the reader's language.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from api.main import create_app
from api.web.errors import error_text
from api.web.i18n import translations
from domain.errors import Conflict, Invalid
from domain.ids import SYSTEM
from domain.limits import MAX_TITLE
from service import security
from service.runtime import Runtime
from service.settings import Settings

API = "/api/v1"
PASSWORD = "parity-password"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
DUE_ON = "2026-06-30"
PROMISE = "Ein Schritt statt fünf"


class Clock:
    """A clock at a set moment, ticking a millisecond per reading."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        self.now += timedelta(milliseconds=1)
        return self.now


@dataclass
class Site:
    client: TestClient
    runtime: Runtime
    clock: Clock
    ids: dict[str, UUID]

    def at(self, moment: datetime) -> None:
        self.clock.now = moment

    def token(self, who: str) -> dict[str, str]:
        data = {"username": f"{who}@parity.example", "password": PASSWORD}
        answer = self.client.post(f"{API}/auth/token", data=data)
        assert answer.status_code == 200, answer.text
        return {"Authorization": f"Bearer {answer.json()['access_token']}"}

    def api(self, method: str, path: str, who: str, **kw: Any) -> Response:
        self.runtime.projector.catch_up()
        headers = {**self.token(who), **kw.pop("headers", {})}
        answer: Response = self.client.request(method, f"{API}{path}", headers=headers, **kw)
        return answer

    def web_sign_in(self, who: str, language: str = "en") -> str:
        """Sign in on the web as `who`, reading pages in `language`; the CSRF token."""
        client = self.client
        client.cookies.clear()
        client.headers["Accept-Language"] = language
        login = CSRF.search(client.get("/login").text)
        assert login is not None
        data = {"email": f"{who}@parity.example", "password": PASSWORD, "csrf": login[1]}
        done = client.post("/login", data={**data, "next": "/"}, follow_redirects=False)
        assert done.status_code == 303, done.text
        token = CSRF.search(client.get("/").text)
        assert token is not None
        return token[1]

    def web(self, path: str) -> Response:
        self.runtime.projector.catch_up()
        answer: Response = self.client.get(path, follow_redirects=False)
        return answer


@pytest.fixture
def site(settings: Settings) -> Iterator[Site]:
    """Groups G1 and G2; `member` is in G1 only; `lead` leads G1, `board` is the board,
    `vendor` answered G1's escalated pain point `escalated` with a promise due DUE_ON."""
    with TestClient(create_app(settings), headers={"Accept-Language": "en"}) as client:
        runtime: Runtime = client.app.state.runtime  # type: ignore[attr-defined]
        clock = Clock(datetime(2026, 5, 4, 9, tzinfo=UTC))
        app = runtime.app
        app.clock = clock
        secret = security.hash_password(PASSWORD)
        ids = {"g1": app.found_group("Lizenzen", "thematic", "", by=SYSTEM).id}
        ids["g2"] = app.found_group("Partner", "thematic", "", by=SYSTEM).id
        ids["company"] = company = app.admit_company("Alpha Systemhaus GmbH", by=SYSTEM).id
        for who in ("member", "lead", "board", "vendor", "outsider"):
            of = None if who == "vendor" else company
            email = f"{who}@parity.example"
            ids[who] = app.register_person(email, f"Xq{who.title()}", of, secret, by=SYSTEM).id
        for who in ("member", "lead"):
            app.enrol(ids["g1"], ids[who], by=SYSTEM)
        app.enrol(ids["g2"], ids["outsider"], by=SYSTEM)
        app.appoint_lead(ids["g1"], ids["lead"], by=SYSTEM)
        app.grant_role(ids["board"], "board", by=SYSTEM)
        app.grant_role(ids["vendor"], "vendor", by=SYSTEM)
        title = "Partnerregistrierung dauert Wochen"
        ids["escalated"] = app.submit_pain_point(ids["g1"], title, "", [], by=ids["member"]).id
        for status in ("accepted", "escalated"):
            app.change_status(ids["escalated"], status, "geprüft", by=ids["lead"])
        ids["response"] = app.respond(
            ids["escalated"], kind="planned", text="Wir arbeiten daran.", product_group="",
            commitment=PROMISE, due_on=DUE_ON, by=ids["vendor"],
        ).id  # fmt: skip
        runtime.projector.catch_up()
        yield Site(client, runtime, clock, ids)


# -- promise states and the association's "today" ----------------------------------


@pytest.mark.parametrize(
    ("moment", "overdue"),
    [
        # 23:30 in Berlin on the due date: still open, not yet missable.
        (datetime(2026, 6, 30, 21, 30, tzinfo=UTC), False),
        # 23:30 UTC is 01:30 on 1 July in Berlin: the UTC date is still the due date.
        (datetime(2026, 6, 30, 23, 30, tzinfo=UTC), True),
        # 00:30 UTC on 1 July: both calendars agree that the day has passed.
        (datetime(2026, 7, 1, 0, 30, tzinfo=UTC), True),
    ],
)
def test_the_ledger_and_marking_missed_agree_around_midnight(
    site: Site, moment: datetime, overdue: bool
) -> None:
    site.at(moment)
    ledger = site.api("GET", "/promises", "board")
    assert ledger.status_code == 200, ledger.text
    [promise] = ledger.json()["items"]
    site.web_sign_in("board")
    on_the_web = site.web("/board/promises?state=overdue")
    assert on_the_web.status_code == 200
    settle = f"/responses/{site.ids['response']}/settle"
    marked = site.api("POST", settle, "board", json={"met": False, "note": ""})

    assert promise["overdue"] is overdue
    assert (PROMISE in on_the_web.text) is overdue
    assert marked.status_code == (200 if overdue else 409), marked.text
    if not overdue:
        assert marked.json()["code"] == "commitment.missed_too_early"


def test_the_time_zone_is_a_setting(settings: Settings) -> None:
    chosen = settings.model_copy(update={"time_zone": "America/New_York"})
    with TestClient(create_app(chosen)) as client:
        runtime: Runtime = client.app.state.runtime  # type: ignore[attr-defined]
        runtime.app.clock = Clock(datetime(2026, 7, 1, 2, 30, tzinfo=UTC))
        assert runtime.app.today().isoformat() == "2026-06-30"


def test_an_unknown_time_zone_is_refused_at_start() -> None:
    with pytest.raises(ValueError, match="unknown time zone"):
        Settings(time_zone="Europe/Atlantis")


# -- a target date needs a commitment -----------------------------------------------


def test_a_target_date_without_a_commitment_is_refused_by_api_and_web(site: Site) -> None:
    body = {"kind": "planned", "text": "Kommt bald.", "due_on": "2026-09-30"}
    path = f"/pain-points/{site.ids['escalated']}/responses"
    by_api = site.api("POST", path, "vendor", json=body)
    csrf = site.web_sign_in("vendor", "de")
    form = {"csrf": csrf, "key": "parity-1", "commitment": "", **body}
    by_web = site.client.post(f"/vendor{path}", data=form, follow_redirects=False)

    assert by_api.status_code == by_web.status_code == 422
    problem = by_api.json()
    assert problem["code"] == "target_date.needs_commitment"
    assert problem["errors"] == [
        {
            "field": "commitment",
            "message": "describe what is promised by the target date",
            "code": "target_date.needs_commitment",
        }
    ]
    assert "Beschreiben Sie, was bis zum Zieldatum zugesagt wird" in by_web.text


# -- a working group's contents are for its members -----------------------------------


@pytest.mark.parametrize(
    ("api_path", "web_path"),
    [
        ("/working-groups/{g1}/ranking", "/groups/{g1}"),
        ("/working-groups/{g1}/curated-list", "/groups/{g1}"),
        ("/working-groups/{g1}/voting", "/groups/{g1}/voting"),
        ("/pain-points/{escalated}", "/pain-points/{escalated}"),
    ],
)
def test_a_groups_contents_are_not_found_for_a_non_member_on_api_and_web(
    site: Site, api_path: str, web_path: str
) -> None:
    ids = {name: str(value) for name, value in site.ids.items()}
    by_api = site.api("GET", api_path.format(**ids), "outsider")
    site.web_sign_in("outsider")
    by_web = site.web(web_path.format(**ids))
    as_member = site.api("GET", api_path.format(**ids), "member")

    assert (by_api.status_code, by_web.status_code) == (404, 404)
    assert as_member.status_code == 200, as_member.text


def test_the_group_directory_is_visible_to_every_member(site: Site) -> None:
    entry = site.api("GET", f"/working-groups/{site.ids['g1']}", "outsider")

    assert entry.status_code == 200, entry.text
    assert entry.json()["name"] == "Lizenzen"


# -- errors as codes -----------------------------------------------------------------


def test_the_api_names_the_code_and_its_parameters(site: Site) -> None:
    body = {"title": "x" * 201, "description": "", "tags": []}
    path = f"/working-groups/{site.ids['g1']}/pain-points"
    answer = site.api("POST", path, "member", json=body)

    assert answer.status_code == 422
    problem = answer.json()
    assert problem["code"] == "text.too_long"
    assert problem["params"] == {"max": 200, "got": 201}
    assert problem["detail"] == "title must be at most 200 characters (got 201)"


def test_a_domain_refusal_reaches_a_german_page_in_german(site: Site) -> None:
    csrf = site.web_sign_in("member", "de")
    form = {"csrf": csrf, "key": "parity-2", "group": site.ids["g1"].hex, "title": " "}
    answer = site.client.post("/pain-points/new", data={**form, "description": "", "tags": ""})

    assert answer.status_code == 422
    assert "Titel darf nicht leer sein" in answer.text
    assert "must not be empty" not in answer.text


def test_an_ended_membership_is_said_in_german(site: Site) -> None:
    csrf = site.web_sign_in("member", "de")
    site.runtime.app.end_membership(site.ids["company"], "Austritt", by=SYSTEM)
    site.runtime.projector.catch_up()
    path = f"/pain-points/{site.ids['escalated']}/support"
    answer = site.client.post(path, data={"csrf": csrf, "action": "give"})

    assert answer.status_code == 403
    assert "Die Mitgliedschaft Ihres Unternehmens ist beendet" in answer.text
    assert "membership has ended" not in answer.text


# -- the vendor's area, and the names the vendor never sees ---------------------------------


@pytest.mark.parametrize(("who", "status"), [("member", 404), ("lead", 404), ("board", 200)])
def test_the_vendor_area_answers_alike_on_api_and_web(site: Site, who: str, status: int) -> None:
    item = site.ids["escalated"]
    by_api = [
        site.api("GET", path, who)
        for path in ("/vendor/pain-points", f"/vendor/pain-points/{item}")
    ]
    site.web_sign_in(who)
    by_web = [site.web(path) for path in ("/vendor", f"/vendor/pain-points/{item}")]

    assert [r.status_code for r in by_api] == [r.status_code for r in by_web] == [status] * 2


@pytest.mark.parametrize(
    ("who", "ledger", "dossiers"),
    [("member", 404, 404), ("vendor", 404, 404), ("lead", 200, 404), ("board", 200, 200)],
)
def test_the_board_area_answers_alike_on_api_and_web(
    site: Site, who: str, ledger: int, dossiers: int
) -> None:
    """The promises ledger exists for the board, admins and leads (their groups'), the
    dossiers for the board and admins; to everyone else neither exists (404)."""
    by_api = [site.api("GET", path, who).status_code for path in ("/promises", "/dossiers")]
    site.web_sign_in(who)
    by_web = [site.web(path).status_code for path in ("/board/promises", "/board/dossiers")]

    assert by_api == by_web == [ledger, dossiers]


def test_a_lead_reads_the_ledger_of_their_groups_without_settling(site: Site) -> None:
    site.web_sign_in("lead")
    page = site.web("/board/promises")

    assert PROMISE in page.text
    assert "/settle" not in page.text


def test_the_vendor_sees_support_in_numbers_never_a_name(site: Site) -> None:
    app = site.runtime.app
    app.give_support(site.ids["escalated"], by=site.ids["lead"])
    item = site.ids["escalated"]
    by_api = site.api("GET", f"/vendor/pain-points/{item}", "vendor")
    site.web_sign_in("vendor")
    by_web = site.web(f"/vendor/pain-points/{item}")
    elsewhere = site.api("GET", f"/pain-points/{item}", "vendor")

    assert by_api.status_code == by_web.status_code == 200
    assert by_api.json()["supporters"] == 1
    for name in ("XqMember", "XqLead", "Alpha Systemhaus GmbH"):
        assert name not in by_api.text
        assert name not in by_web.text
    assert elsewhere.status_code == 404  # the pain point's own page shows names


# -- field limits --------------------------------------------------------------------------


def test_a_title_over_the_limit_is_refused_alike_on_api_and_web(site: Site) -> None:
    title = "x" * (MAX_TITLE + 1)
    path = f"/working-groups/{site.ids['g1']}/pain-points"
    by_api = site.api("POST", path, "member", json={"title": title})
    csrf = site.web_sign_in("member")
    form = {"csrf": csrf, "key": "parity-3", "group": site.ids["g1"].hex, "title": title}
    by_web = site.client.post("/pain-points/new", data={**form, "description": "", "tags": ""})

    assert by_api.status_code == by_web.status_code == 422
    assert by_api.json()["params"] == {"max": MAX_TITLE, "got": MAX_TITLE + 1}
    assert f"Title must be at most {MAX_TITLE} characters" in by_web.text


def test_openapi_documents_the_code_and_its_parameters(site: Site) -> None:
    schema = site.client.get(f"{API}/openapi.json").json()["components"]["schemas"]

    assert {"code", "params"} <= set(schema["Problem"]["properties"])
    assert "code" in schema["FieldError"]["properties"]


def test_statuses_and_states_in_a_message_are_said_in_german_on_the_web() -> None:
    german_text = translations("de").gettext
    moved = Invalid("pain_point.move_not_allowed", field="status", status="new", target="closed")
    marked = Conflict("commitment.already_marked", state="met")

    assert error_text(moved, german_text) == (
        "Ein Pain-Point im Status „neu“ kann von Ihnen nicht auf „geschlossen“ gesetzt werden"
    )
    assert error_text(marked, german_text) == "Die Zusage wurde bereits als „eingehalten“ markiert"
