"""A working group's voting rules and rounds: what is in force, every version, the
rounds and their results; leads change the rules and open and close rounds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import RuntimeDep
from api.routes.common import when
from api.values import CountPath
from api.web.errors import error_text
from api.web.forms import Text, form_day
from api.web.pages.groups.curation import can_curate, visible_group
from api.web.pages.painpoints.forms import settle
from api.web.render import gettext_for, render
from api.web.session import CsrfChecked, WebPerson
from domain import calendar
from domain.errors import Conflict, Invalid, NotFound
from domain.limits import MAX_BUDGET
from domain.person import Person
from domain.ranking import score_of
from domain.workinggroup import WorkingGroup
from projections.directory_view import find_group
from projections.ranking_view import live_ranking, ranking_as_of
from projections.rules_view import find_round, rounds, rule_versions, rules_in_force
from projections.view import micros
from service.runtime import Runtime

router = APIRouter(include_in_schema=False)
RESULT_SIZE = 50


@router.get("/groups/{group_id}/voting", response_class=HTMLResponse)
def voting_page(
    request: Request, group_id: str, person: WebPerson, runtime: RuntimeDep, done: str = ""
) -> Response:
    group = visible_group(runtime.app, person, group_id)
    return page(request, person, runtime, group, done=done[:20])


def page(
    request: Request,
    person: Person,
    runtime: Runtime,
    group: WorkingGroup,
    *,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    done: str = "",
    status_code: int = 200,
) -> Response:
    app = runtime.app
    now = micros(app.clock())
    with runtime.store.reading() as cur:
        in_force = rules_in_force(cur, group.id.hex, now)
        versions = rule_versions(cur, group.id.hex)
        held = rounds(cur, group.id.hex)
        listed = find_group(cur, group.id.hex)
    for row in [in_force, *versions]:
        row["effective"] = when(row["effective_from"])
        row["recorded"] = when(row["recorded_at"])
        row["scheduled"] = row["effective_from"] is not None and row["effective_from"] > now
    for row in held:
        row["opened"], row["closed"] = when(row["opened_at"]), when(row["closed_at"])
    votes = app.votes(group.id, by=person.id) if group.is_member(person.id) else None
    current = group.current_round()
    default = {
        "vote_budget": "" if in_force["vote_budget"] is None else str(in_force["vote_budget"]),
        "rounds": "on" if in_force["rounds"] else "",
        "effective_from": "",
        "reason": "",
        "title": "",
    }
    return render(
        request, "groups/voting.html", person, status_code=status_code, group=listed,
        in_force=in_force, versions=list(reversed(versions)), rounds=held, votes=votes,
        can_lead=can_curate(app, person, group), open_round=current, form=form or default,
        errors=errors or {}, done=done, max_budget=MAX_BUDGET,
        rounds_now=group.rules_at(app.clock()).rounds, supporter_names=group.supporter_names,
    )  # fmt: skip


@router.post("/groups/{group_id}/privacy", dependencies=[CsrfChecked])
def set_privacy(
    group_id: str,
    person: WebPerson,
    runtime: RuntimeDep,
    supporter_names: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Who sees supporters' names: the group's members, or only leads and the board."""
    group = visible_group(runtime.app, person, group_id)
    outcome = runtime.app.set_supporter_names(group.id, supporter_names, by=person.id)
    settle(runtime, outcome)
    return RedirectResponse(f"/groups/{group.id}/voting?done=privacy", status_code=303)


@router.post("/groups/{group_id}/voting", dependencies=[CsrfChecked])
def change_rules(
    request: Request,
    group_id: str,
    person: WebPerson,
    runtime: RuntimeDep,
    vote_budget: Annotated[str, Form(max_length=10)] = "",
    rounds_: Annotated[str, Form(alias="rounds", max_length=10)] = "",
    effective_from: Annotated[str, Form(max_length=20)] = "",
    reason: Text = "",
) -> Response:
    group = visible_group(runtime.app, person, group_id)
    _ = gettext_for(request, person)
    form = {
        "vote_budget": vote_budget.strip(),
        "rounds": rounds_,
        "effective_from": effective_from.strip(),
        "reason": reason,
        "title": "",
    }
    errors: dict[str, str] = {}
    budget: int | None = None
    if form["vote_budget"]:
        if form["vote_budget"].isdigit() and len(form["vote_budget"]) < 4:
            budget = int(form["vote_budget"])
        else:
            errors["vote_budget"] = _("Enter a whole number, or leave it empty for no limit.")
    start: datetime | None = None
    if form["effective_from"]:
        day = form_day(form["effective_from"])
        if day is None:
            errors["effective_from"] = _("Enter a date like 2026-03-14.")
        else:
            start = calendar.start_of(day, runtime.app.time_zone)
            start = max(start, runtime.app.clock()) if day == _today(runtime) else start
    if errors:
        return page(request, person, runtime, group, form=form, errors=errors, status_code=422)
    try:
        outcome = runtime.app.change_voting_rules(
            group.id, budget, bool(rounds_), reason, effective_from=start, by=person.id
        )
    except (Invalid, Conflict) as exc:
        errors[exc.field or "form"] = _field_message(exc, _)
        return page(request, person, runtime, group, form=form, errors=errors, status_code=422)
    settle(runtime, outcome)
    return RedirectResponse(f"/groups/{group.id}/voting?done=rules", status_code=303)


def _today(runtime: Runtime) -> date:
    return runtime.app.today()


def _field_message(exc: Invalid | Conflict, _: Callable[[str], str]) -> str:
    messages = {
        "vote_budget": _("The vote budget must be between 1 and %(max)s, or empty.")
        % {"max": MAX_BUDGET},
        "effective_from": _("Rules take effect today or later, so no past result changes."),
        "reason": _("Give the reason for the change."),
    }
    return messages.get(exc.field or "", error_text(exc, _))


@router.post("/groups/{group_id}/rounds", dependencies=[CsrfChecked])
def open_round(
    request: Request,
    group_id: str,
    person: WebPerson,
    runtime: RuntimeDep,
    title: Annotated[str, Form(max_length=2_000)] = "",
) -> Response:
    group = visible_group(runtime.app, person, group_id)
    return _round_command(request, person, runtime, group, "opened", title)


@router.post("/groups/{group_id}/rounds/close", dependencies=[CsrfChecked])
def close_round(
    request: Request, group_id: str, person: WebPerson, runtime: RuntimeDep
) -> Response:
    group = visible_group(runtime.app, person, group_id)
    return _round_command(request, person, runtime, group, "closed", "")


def _round_command(
    request: Request, person: Person, runtime: Runtime, group: WorkingGroup, done: str, title: str
) -> Response:
    app = runtime.app
    try:
        if done == "opened":
            outcome = app.open_round(group.id, title, by=person.id)
        else:
            outcome = app.close_round(group.id, by=person.id)
    except (Invalid, Conflict) as exc:
        _ = gettext_for(request, person)
        form = {"vote_budget": "", "rounds": "", "effective_from": "", "reason": "", "title": title}
        errors = {"title" if exc.field == "title" else "round": error_text(exc, _)}
        return page(request, person, runtime, group, form=form, errors=errors, status_code=409)
    settle(runtime, outcome)
    return RedirectResponse(f"/groups/{group.id}/voting?done=round-{done}", status_code=303)


@router.get("/groups/{group_id}/rounds/{number}", response_class=HTMLResponse)
def round_page(
    request: Request, group_id: str, number: CountPath, person: WebPerson, runtime: RuntimeDep
) -> Response:
    group = visible_group(runtime.app, person, group_id)
    with runtime.store.reading() as cur:
        held = find_round(cur, group.id.hex, number)
        if held is None:
            raise NotFound("voting_round.not_found")
        if held["closed_at"] is None:
            items, total = live_ranking(cur, group.id.hex, RESULT_SIZE, 0)
        else:
            items, total = ranking_as_of(cur, group.id.hex, held["closed_at"], RESULT_SIZE, 0)
        rules = rules_in_force(cur, group.id.hex, held["closed_at"] or micros(runtime.app.clock()))
        listed = find_group(cur, group.id.hex)
    rows = [
        {
            "rank": item.rank,
            "id": item.pain_point_id,
            "title": item.title,
            "status": item.status,
            "score": score_of(item.tally.units),
            "companies": item.tally.companies,
            "supporters": item.tally.supporters,
        }
        for item in items
    ]
    held["opened"], held["closed"] = when(held["opened_at"]), when(held["closed_at"])
    return render(
        request, "groups/voting_round.html", person, group=listed, round=held, rows=rows,
        total=total, rules=rules,
    )  # fmt: skip
