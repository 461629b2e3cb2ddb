"""The board pages' site, shared by the board, voting and dossier page tests: two
groups, their people and a history of meetings, escalations and promises
(the `board_site` fixture of conftest.py), and helpers to sign in and post forms."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from fastapi.testclient import TestClient
from httpx import Response

from api.main import create_app
from service import security
from service.application import Sprachrohr
from service.runtime import Runtime
from service.settings import Settings

ADMIN = "admin@verband.example"
ADMIN_PASSWORD = "admin-password"
PASSWORD = "board-pages-password"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
KEY = re.compile(r'name="key" value="([^"]+)"')
TODAY = "2026-03-01"


class BoardClock:
    """A clock set to a day, ticking a second per reading (events stay ordered)."""

    def __init__(self) -> None:
        self.now = datetime(2026, 1, 10, 9, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now

    def to(self, day: str) -> None:
        self.now = datetime.fromisoformat(f"{day}T09:00:00+00:00")


@dataclass
class BoardSite:
    """Two groups; in G1 `p1` (presented at `january`, then answered with a promise
    due 2026-02-15, overdue by TODAY) and `p2` (new after January, escalated, on
    `february`'s agenda, answered with a promise due 2026-06-30); in G2 `p3`, new."""

    client: TestClient
    runtime: Runtime
    ids: dict[str, UUID]

    def id(self, name: str) -> str:
        return self.ids[name].hex

    def one(self, sql: str, *params: object) -> object:
        with self.runtime.store.reading() as cur:
            cur.execute(sql, params)
            return cur.fetchone()[0]


@contextmanager
def open_board_site(settings: Settings) -> Iterator[BoardSite]:
    """The site on a fresh store, its views caught up, the clock at TODAY."""
    with TestClient(create_app(settings), headers={"Accept-Language": "en"}) as client:
        runtime: Runtime = client.app.state.runtime  # type: ignore[attr-defined]
        clock = BoardClock()
        runtime.app.clock = clock
        ids = _people_and_groups(runtime.app)
        _history(runtime.app, clock, ids)
        clock.to(TODAY)
        runtime.projector.catch_up()
        yield BoardSite(client, runtime, ids)


def _people_and_groups(app: Sprachrohr) -> dict[str, UUID]:
    admin = app.find_person_by_email(ADMIN)
    assert admin is not None
    by = admin.id
    ids = {"admin": by}
    ids["g1"] = app.found_group("Lizenzen", "thematic", "", by=by).id
    ids["g2"] = app.found_group("Süd (München)", "regional", "", by=by).id
    alpha = app.admit_company("Alpha Systemhaus GmbH", by=by).id
    beta = app.admit_company("Beta IT AG", by=by).id
    secret = security.hash_password(PASSWORD)
    for name, company in (("member", alpha), ("lead", beta), ("board", alpha), ("vendor", None)):
        email = f"{name}@board.example"
        ids[name] = app.register_person(email, name.title(), company, secret, by=by).id
    for group in ("g1", "g2"):
        app.enrol(ids[group], ids["member"], by=by)
        app.enrol(ids[group], ids["lead"], by=by)
    app.appoint_lead(ids["g1"], ids["lead"], by=by)
    app.grant_role(ids["board"], "board", by=by)
    app.grant_role(ids["vendor"], "vendor", by=by)
    return ids


def _history(app: Sprachrohr, clock: BoardClock, ids: dict[str, UUID]) -> None:
    admin, member, lead = ids["admin"], ids["member"], ids["lead"]
    ids["p1"] = app.submit_pain_point(ids["g1"], "Lizenzportal langsam", "", [], by=member).id
    ids["p3"] = app.submit_pain_point(ids["g2"], "Supportzeiten zu kurz", "", [], by=member).id
    app.give_support(ids["p1"], by=member)
    clock.to("2026-01-20")
    ids["january"] = app.schedule_meeting("QB Januar", "quality-board", "2026-01-25", by=admin).id
    _escalate(app, ids["p1"], admin)
    clock.to("2026-01-25")
    app.set_agenda(ids["january"], [ids["p1"]], by=admin)
    app.mark_presented(ids["january"], ids["p1"], by=admin)
    clock.to("2026-02-01")
    ids["p2"] = app.submit_pain_point(ids["g1"], "Registrierung dauert Wochen", "", [], by=lead).id
    app.give_support(ids["p2"], by=lead)
    app.give_support(ids["p2"], by=member)
    _escalate(app, ids["p2"], admin)
    clock.to("2026-02-05")
    ids["r1"] = _respond(app, ids["p1"], ids["vendor"], "Ein Schritt", "2026-02-15")
    ids["r2"] = _respond(app, ids["p2"], ids["vendor"], "Zwei Wochen", "2026-06-30")
    items = [{"pain_point_id": str(ids[p]), "rationale": "Breite"} for p in ("p2", "p1")]
    app.publish_curated_list(ids["g1"], items, "Erste Liste", edition=0, by=lead)
    clock.to("2026-02-08")
    ids["february"] = app.schedule_meeting("IC Februar", "inner-circle", "2026-02-20", by=admin).id
    app.set_agenda(ids["february"], [ids["p2"]], by=admin)


def _escalate(app: Sprachrohr, pain_point: UUID, admin: UUID) -> None:
    for status in ("accepted", "escalated"):
        app.change_status(pain_point, status, f"nach Prüfung: {status}", by=admin)


def _respond(app: Sprachrohr, pain_point: UUID, vendor: UUID, promise: str, due: str) -> UUID:
    return app.respond(
        pain_point, kind="planned", text="Wir arbeiten daran.", product_group="Partner Center",
        commitment=promise, due_on=due, by=vendor,
    ).id  # fmt: skip


def sign_in(site: BoardSite, who: str) -> str:
    """Sign in as one of the site's people (or the admin); the session's CSRF token."""
    client = site.client
    client.cookies.clear()
    email, password = (
        (ADMIN, ADMIN_PASSWORD) if who == "admin" else (f"{who}@board.example", PASSWORD)
    )
    login = CSRF.search(client.get("/login").text)
    assert login is not None
    data = {"email": email, "password": password, "csrf": login.group(1), "next": "/"}
    assert client.post("/login", data=data, follow_redirects=False).status_code == 303
    token = CSRF.search(client.get("/").text)
    assert token is not None
    return token.group(1)


def post(site: BoardSite, path: str, csrf: str, **data: str | list[str]) -> Response:
    response: Response = site.client.post(path, data={"csrf": csrf, **data}, follow_redirects=False)
    return response


def follow(site: BoardSite, response: Response, done: str) -> str:
    """The page a successful form redirects to; it confirms what was done."""
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert f"done={done}" in location, location
    page = site.client.get(location)
    assert page.status_code == 200
    text: str = page.text
    assert 'class="flash"' in text
    return text


def text_of(page: str) -> str:
    """The page's text, tags dropped and white space squeezed, for sentences."""
    plain = re.sub(r"<[^>]+>", " ", page).replace("&#34;", '"').replace("&#39;", "'")
    return re.sub(r"\s+", " ", plain.replace("&amp;", "&"))
