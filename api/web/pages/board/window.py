"""The period a meeting page reports on ("what changed since the previous meeting"),
and what changed in it, made ready to be read as sentences (see board/_changes.html)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from api.web.pages.admin.common import Gettext
from api.web.pages.board.common import end_of, parse_day, shown_day, start_of
from domain import calendar
from domain.calendar import DEFAULT_TIME_ZONE
from projections.board_changes import changes_between
from projections.board_queries import group_ids, previous_meeting
from projections.directory_view import group_names, person_names
from projections.painpoint_view import pain_point_titles
from projections.store import Cursor
from projections.view import micros, moment

FALLBACK_DAYS = 30
MOMENTS = frozenset({"submitted_at", "at", "posted_at", "settled_at", "published_at"})


@dataclass(frozen=True)
class Window:
    """From the start of `since` to the end of `until` (Berlin days), never past now.

    `basis` says where the days come from: "previous" (the previous meeting's day),
    "fallback" (no previous meeting: FALLBACK_DAYS before) or "chosen" (the query).
    """

    since: date
    until: date
    start: datetime
    end: datetime
    basis: str
    previous: dict[str, Any] | None
    values: dict[str, str]

    @property
    def empty(self) -> bool:
        return self.end <= self.start

    @property
    def shown(self) -> tuple[datetime | None, datetime | None]:
        return shown_day(self.since.isoformat()), shown_day(self.until.isoformat())


def choose_window(
    cur: Cursor,
    row: dict[str, Any],
    now: datetime,
    chosen: dict[str, str],
    _: Gettext,
    time_zone: str = DEFAULT_TIME_ZONE,
) -> tuple[Window, dict[str, str]]:
    """The period to report on for meeting `row`, and errors of the chosen days by field."""
    today = calendar.today(now, time_zone)
    previous = previous_meeting(cur, row)
    until = min(date.fromisoformat(row["held_on"]), today)
    if previous is not None:
        since, basis = date.fromisoformat(previous["held_on"]), "previous"
    else:
        since, basis = until - timedelta(days=FALLBACK_DAYS), "fallback"
    days, errors = _chosen_days(chosen, _)
    if days:
        wanted = {"since": since, "until": until, **days}
        if wanted["since"] > wanted["until"]:
            errors["since"] = _("The first day must not be after the last day.")
        else:
            since, until, basis = wanted["since"], wanted["until"], "chosen"
    values = {"since": since.isoformat(), "until": until.isoformat()}
    values.update({name: chosen[name] for name in errors})
    start, end = start_of(since, time_zone), min(end_of(until, time_zone), now)
    return Window(since, until, start, end, basis, previous, values), errors


def _chosen_days(chosen: dict[str, str], _: Gettext) -> tuple[dict[str, date], dict[str, str]]:
    days: dict[str, date] = {}
    errors: dict[str, str] = {}
    for name in ("since", "until"):
        raw = chosen.get(name, "")
        if not raw:
            continue
        day = parse_day(raw)
        if day is None:
            errors[name] = _("Enter a date like 2026-03-14.")
        else:
            days[name] = day
    return days, errors


def readable_changes(cur: Cursor, window: Window) -> dict[str, Any]:
    """What changed in every working group during the window, with the names the
    sentences need: groups, pain points a rank move refers to, publishers of lists."""
    found = changes_between(cur, micros(window.start), micros(window.end), group_ids(cur))
    lists = {
        key: [{k: _moment(k, v) for k, v in row.items()} for row in rows]
        for key, rows in found.items()
    }
    groups = {row["group_id"] for rows in found.values() for row in rows}
    referred = {
        cause["pain_point_id"]
        for move in found["rank_moves"]
        for cause in move["causes"]
        if "pain_point_id" in cause
    }
    publishers = {row["published_by"] for row in found["curated_editions"]}
    names_of_groups = group_names(cur, groups)
    return {
        **lists,
        "moves_by_group": _by_group(lists["rank_moves"], names_of_groups),
        "groups": names_of_groups,
        "titles": pain_point_titles(cur, referred),
        "people": person_names(cur, publishers),
        "total": sum(len(rows) for rows in found.values()),
    }


def _by_group(
    moves: list[dict[str, Any]], group_names: dict[str, str]
) -> list[tuple[str, list[dict[str, Any]]]]:
    """Rank moves per working group (ranks are a group's), groups by name."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for move in moves:
        grouped.setdefault(move["group_id"], []).append(move)
    named = [(group_names.get(group, ""), rows) for group, rows in grouped.items()]
    return sorted(named, key=lambda pair: pair[0].casefold())


def _moment(key: str, value: Any) -> Any:
    """Moments as datetimes, target days as moments that show as that day."""
    if key == "due_on":
        return shown_day(value)
    return moment(value) if key in MOMENTS and value is not None else value
