"""The vendor's area: escalated pain points with support in numbers only (never who),
and the form for an official response. Also the vendor section of a pain point's page.

Only people with the "vendor" role reach the area; everyone else gets 404.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import RuntimeDep
from api.web.errors import error_text
from api.web.forms import Text, new_key
from api.web.pages.painpoints.forms import Key, settle
from api.web.pages.painpoints.search import page_number
from api.web.render import gettext_for, render
from api.web.session import CsrfChecked, WebPerson
from domain.errors import Conflict, Invalid, NotFound
from domain.evidence import REVENUE_BANDS
from domain.limits import MAX_CODE
from domain.person import Person
from domain.promises import promise_state
from domain.ranking import score_of
from domain.vendor import OPEN, RESPONSE_KINDS
from domain.visibility import sees_vendor_area, vendor_sees_status
from projections.board_queries import (
    curated_list,
    latest_responses,
    meetings_presenting,
    promises,
    responses_of,
    vendor_pain_points,
)
from projections.contribution_view import evidence_of
from projections.directory_view import person_names
from projections.store import Cursor
from projections.view import moment
from service.runtime import Runtime

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
Row = dict[str, Any]


def require_vendor(person: Person) -> None:
    """The area does not exist for anyone but the vendor's representatives, the board
    and admins (domain.visibility.sees_vendor_area); only the vendor responds."""
    if not sees_vendor_area(person.roles):
        raise NotFound("page.not_found")


# -- responses and promises (shared with the pain point's page) ------------------------


def today_of(runtime: Runtime) -> date:
    return runtime.app.today()


def row_promise(row: Row, today: date) -> str | None:
    """open, met, missed or overdue (domain.promises); None: no commitment."""
    if not row["commitment"]:
        return None
    return promise_state(str(row["state"] or OPEN), row["due_on"], today)


def responses(cur: Cursor, pain_point_id: str, today: date) -> list[Row]:
    """The vendor's responses, oldest first, with the promise's state."""
    rows = responses_of(cur, pain_point_id)
    people = person_names(cur, {r["posted_by"] for r in rows})
    return [
        {
            **row,
            "posted_at": moment(row["posted_at"]),
            "settled_at": moment(row["settled_at"]) if row["settled_at"] else None,
            "by_name": people.get(row["posted_by"], "Sprachrohr"),
            "promise": row_promise(row, today),
        }
        for row in rows
    ]


def vendor_section(runtime: Runtime, cur: Cursor, row: Row) -> Row:
    """The pain point page's "answers and promises" section."""
    answers = responses(cur, row["id"], today_of(runtime))
    meetings = meetings_presenting(cur, row["id"])
    shown = bool(answers or meetings or vendor_sees_status(row["status"]))
    return {"shown": shown, "responses": answers, "meetings": meetings}


# -- the vendor's list ------------------------------------------------------------------


def listed(row: Row) -> Row:
    escalated = row["escalated_at"]
    return {
        **row,
        "score": score_of(row["units"]),
        "escalated_at": moment(escalated) if escalated is not None else None,
    }


@router.get("/vendor", response_class=HTMLResponse)
def vendor_list(request: Request, person: WebPerson, runtime: RuntimeDep, page: str = "") -> Any:
    require_vendor(person)
    number = page_number(page)
    with runtime.store.reading() as cur:
        rows, total = vendor_pain_points(cur, PAGE_SIZE, (number - 1) * PAGE_SIZE)
        latest = latest_responses(cur, [row["id"] for row in rows])
        ledger = promises(cur, runtime.app.today())
    items = [{**listed(row), "latest": latest.get(row["id"])} for row in rows]
    pages = max(1, -(-total // PAGE_SIZE))
    # What the vendor still owes, the most urgent first: overdue, then by target date.
    owed = sorted(
        (row for row in ledger if row["promise"] in ("open", "overdue")),
        key=lambda row: (not row["overdue"], row["due_on"]),
    )
    return render(
        request,
        "vendor/index.html",
        person,
        items=items,
        total=total,
        page=number,
        pages=pages,
        owed=owed,
    )


# -- one pain point, and the response form ----------------------------------------------


def evidence_summary(cur: Cursor, pain_point_id: str) -> Row:
    """Evidence in numbers: pieces, companies, affected customers, revenue bands."""
    rows = evidence_of(cur, pain_point_id)
    bands = Counter(row["revenue_band"] for row in rows)
    return {
        "pieces": len(rows),
        "companies": len({row["company_id"] for row in rows if row["company_id"]}),
        "customers": sum(int(row["affected_customers"]) for row in rows),
        "bands": [(band, bands[band]) for band in REVENUE_BANDS if bands[band]],
    }


def curated_position(cur: Cursor, group_id: str, pain_point_id: str) -> Row | None:
    """Where the group's current curated list puts the pain point (without reasons)."""
    listing = curated_list(cur, group_id)
    if listing is None:
        return None
    for row in listing["rows"]:
        if row["pain_point_id"] == pain_point_id:
            return {
                "position": row["position"],
                "of": len(listing["rows"]),
                "edition": listing["edition"],
                "published_at": moment(listing["published_at"]),
            }
    return None


def show_item(
    request: Request,
    person: Person,
    runtime: Runtime,
    pain_point_id: UUID,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    done: str = "",
    status_code: int = 200,
) -> Response:
    with runtime.store.reading() as cur:
        found, _ = vendor_pain_points(cur, 1, 0, pain_point_id.hex)
        if not found:
            raise NotFound("pain_point.not_found")
        item = listed(found[0])
        context = {
            "item": item,
            "evidence": evidence_summary(cur, item["id"]),
            "curated": curated_position(cur, item["group_id"], item["id"]),
            "responses": responses(cur, item["id"], today_of(runtime)),
        }
    return render(
        request, "vendor/pain_point.html", person, status_code=status_code, **context,
        kinds=RESPONSE_KINDS, values=values or {"key": new_key()}, errors=errors or {},
        done=done, today=today_of(runtime).isoformat(),
    )  # fmt: skip


@router.get("/vendor/pain-points/{pain_point_id}", response_class=HTMLResponse)
def vendor_item(
    request: Request, pain_point_id: UUID, person: WebPerson, runtime: RuntimeDep, done: str = ""
) -> Response:
    require_vendor(person)
    return show_item(request, person, runtime, pain_point_id, done=done[:20])


@router.post("/vendor/pain-points/{pain_point_id}/responses", dependencies=[CsrfChecked])
def post_response(
    request: Request,
    pain_point_id: UUID,
    person: WebPerson,
    runtime: RuntimeDep,
    kind: Annotated[str, Form(max_length=MAX_CODE)] = "",
    text: Text = "",
    product_group: Text = "",
    commitment: Text = "",
    due_on: Annotated[str, Form(max_length=40)] = "",
    key: Key = "",
) -> Response:
    require_vendor(person)
    values = {"kind": kind, "text": text, "product_group": product_group}
    values |= {"commitment": commitment, "due_on": due_on, "key": key or new_key()}
    _ = gettext_for(request, person)
    try:
        outcome = runtime.app.respond(
            pain_point_id, kind=kind, text=text, product_group=product_group,
            commitment=commitment, due_on=due_on, by=person.id, key=values["key"],
        )  # fmt: skip
    except (Invalid, Conflict) as exc:
        errors = {exc.field or "form": error_text(exc, _)}
        return show_item(
            request, person, runtime, pain_point_id, values=values, errors=errors, status_code=422
        )
    settle(runtime, outcome)
    return RedirectResponse(
        f"/vendor/pain-points/{pain_point_id}?done=responded#responses", status_code=303
    )
