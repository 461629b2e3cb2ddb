"""A dossier's content: everything it says, from the event log up to one position.

The content is a plain JSON-able dict (the schema in `dossiers/render/__init__.py`'s
docstring) built from views replayed into memory from the log's first event to the
dossier's position — so it depends on nothing recorded later and on no clock: the same
definition and the same log always give the same content, and the renderers turn equal
content into equal bytes. No person is named; company names appear only when the
definition includes them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from eventsourcing.persistence import ApplicationRecorder, Mapper

from domain.curation import departs
from domain.errors import Invalid, NotFound
from domain.promises import OPEN, promise_state
from domain.ranking import RANKING_RULES_VERSION, score_of
from projections.board_changes import changes_between
from projections.board_queries import community_ranks, curated_list, meeting, promises
from projections.board_view import BoardView
from projections.chain_view import ChainView, head_at
from projections.contribution_view import ContributionView
from projections.directory_view import DirectoryView, find_group
from projections.painpoint_view import PainPointView, merged_from
from projections.ranking_view import RankingView, live_ranking, ranking_as_of
from projections.replay import replay_to
from projections.rules_view import RulesView, rounds, rules_in_force
from projections.store import Cursor, rows_as_dicts
from projections.view import View, micros, moment

#: Bump when the content or its rendering changes: a dossier is verified against the
#: template version it was issued with.
TEMPLATE_VERSION = 2
SCHEMA = 1
LANGUAGES = ("de", "en")
#: Community ranking rows per group, and pain points described in detail per group.
RANKING_ROWS = 15
DETAILED = 10
SUMMARY_WITHOUT_LIST = 5
TREND_WEEKS = 40
ABSTRACT = 300
EVERYTHING = 1 << 30

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Definition:
    """What defines a dossier; with the log up to `position` it fixes every byte."""

    association: str
    group_ids: list[str]
    language: str
    position: int
    meeting_id: str | None = None
    include_companies: bool = False
    rules_version: int = RANKING_RULES_VERSION
    template_version: int = TEMPLATE_VERSION
    formats: list[str] = field(default_factory=lambda: ["pdf", "docx", "md", "json"])
    #: The fingerprint of the key that signs it (printed on it; None: not signed).
    key_fingerprint: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def of(cls, data: dict[str, Any]) -> Definition:
        return cls(**data)


def views() -> list[View]:
    """The views a dossier reads (search is not among them)."""
    return [DirectoryView(), RankingView(), PainPointView(), ContributionView(), BoardView(),
            RulesView(), ChainView()]  # fmt: skip


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def content_hash(content: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of the content without its own hash."""
    return hashlib.sha256(canonical({k: v for k, v in content.items() if k != "content_hash"}))\
        .hexdigest()  # fmt: skip


def moment_at(recorder: ApplicationRecorder, mapper: Mapper[Any], position: int) -> datetime | None:
    """When the event at that log position was recorded (None: no event there)."""
    last = recorder.select_notifications(start=position, limit=1)
    if not last or last[0].id != position:
        return None
    at: datetime = mapper.to_domain_event(last[0]).timestamp  # type: ignore[attr-defined]
    return at


def build(
    recorder: ApplicationRecorder,
    mapper: Mapper[Any],
    definition: Definition,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """The content of the dossier `definition` describes, from the log alone."""
    head = recorder.max_notification_id() or 0
    if not 1 <= definition.position <= head:
        raise Invalid("dossier.position_range", field="position", head=head)
    if definition.language not in LANGUAGES:
        raise Invalid("dossier.language", field="language")
    if not definition.group_ids:
        raise Invalid("dossier.no_groups", field="group_ids")
    as_of = moment_at(recorder, mapper, definition.position)
    if as_of is None:
        raise Invalid("dossier.no_event_at_position", field="position")

    def replayed(done: int, total: int) -> None:
        if progress is not None:
            progress("replay", done, total)

    scratch = replay_to(recorder, mapper, views(), definition.position, replayed)
    with scratch.store.reading() as cur:
        content = Composer(cur, definition, as_of.astimezone(UTC), progress).compose()
        content["seal"] = {
            "chain_head": head_at(cur, definition.position),
            "key_fingerprint": definition.key_fingerprint,
        }
    scratch.store.close()
    content["content_hash"] = content_hash(content)
    return content


class Composer:
    def __init__(
        self, cur: Cursor, definition: Definition, as_of: datetime, progress: Progress | None
    ) -> None:
        self.cur = cur
        self.d = definition
        self.as_of = as_of
        self.at = micros(as_of)
        self.today = as_of.date()
        self.progress = progress
        self.german = definition.language == "de"

    def compose(self) -> dict[str, Any]:
        groups = [self.group_row(gid) for gid in self.d.group_ids]
        the_meeting = self.meeting()
        previous = self.previous_meeting(the_meeting)
        sections = []
        for index, group in enumerate(groups, start=1):
            sections.append(self.group_section(group))
            if self.progress is not None:
                self.progress("groups", index, len(groups))
        return {
            "schema": SCHEMA,
            "definition": {
                "meeting_id": self.d.meeting_id,
                "group_ids": list(self.d.group_ids),
                "language": self.d.language,
                "position": self.d.position,
                "rules_version": self.d.rules_version,
                "template_version": self.d.template_version,
                "include_companies": self.d.include_companies,
            },
            "association": {"name": self.d.association, "short": self.d.association},
            "as_of": {
                "position": self.d.position,
                "time": self.as_of.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "date": self.today.isoformat(),
            },
            "meeting": the_meeting and _meeting_out(the_meeting),
            "previous_meeting": previous and _meeting_out(previous),
            "rules": {"groups": [self.rules(group) for group in groups]},
            "summary": [row for section in sections for row in section.pop("_summary")],
            "groups": sections,
            "changes": self.changes(groups, previous),
            "promises": self.promises(groups),
        }

    # -- scope ------------------------------------------------------------------------

    def group_row(self, group_id: str) -> dict[str, Any]:
        group = find_group(self.cur, group_id)
        if group is None:
            raise NotFound("working_group.not_found")
        return group

    def meeting(self) -> dict[str, Any] | None:
        if self.d.meeting_id is None:
            return None
        found = meeting(self.cur, self.d.meeting_id)
        if found is None:
            raise NotFound("meeting.not_found")
        return found

    def previous_meeting(self, current: dict[str, Any] | None) -> dict[str, Any] | None:
        """The last meeting held before this one (or before the as-of day)."""
        before = current["held_on"] if current else (self.today + timedelta(days=1)).isoformat()
        rows = rows_as_dicts(
            self.cur,
            "SELECT id, name, kind, held_on FROM v_meetings WHERE held_on < ?"
            " ORDER BY held_on DESC, scheduled_at DESC, id DESC LIMIT 1",
            (before,),
        )
        return rows[0] if rows else None

    def rules(self, group: dict[str, Any]) -> dict[str, Any]:
        in_force = rules_in_force(self.cur, group["id"], self.at)
        held = rounds(self.cur, group["id"], self.at)
        current = None
        if held:
            last = held[0]
            state = "open" if last["closed_at"] is None else "closed"
            since = last["opened_at"] if state == "open" else last["closed_at"]
            current = {"number": last["number"], "state": state, "since": _day(since)}
        return {
            "group": group["name"],
            "vote_budget": in_force["vote_budget"],
            "rounds": in_force["rounds"],
            "round": current,
        }

    # -- a working group ----------------------------------------------------------------

    def group_section(self, group: dict[str, Any]) -> dict[str, Any]:
        gid = group["id"]
        ranks = community_ranks(self.cur, gid)
        listing = curated_list(self.cur, gid)
        curated = None
        if listing is not None:
            curated = {
                "edition": listing["edition"],
                "published_at": _day(listing["published_at"]),
                "rows": [
                    {
                        "position": row["position"],
                        "pain_point_id": row["pain_point_id"],
                        "title": row["title"],
                        "community_rank": ranks.get(row["pain_point_id"]),
                        "pinned": row["pinned"],
                        "flagged": departs(row["position"], ranks.get(row["pain_point_id"])),
                        "rationale": row["rationale"],
                    }
                    for row in listing["rows"]
                ],
            }
        ranked, _ = live_ranking(self.cur, gid, RANKING_ROWS, 0)
        ranking = [
            {
                "rank": item.rank,
                "pain_point_id": item.pain_point_id,
                "title": item.title,
                "score": round(score_of(item.tally.units), 2),
                "companies": item.tally.companies,
                "people": item.tally.supporters,
                "status": item.status,
            }
            for item in ranked
        ]
        positions = {r["pain_point_id"]: r["position"] for r in (curated or {}).get("rows", [])}
        chosen = list(positions)
        for row in ranking:
            if len(chosen) >= max(DETAILED, len(positions)):
                break
            if row["pain_point_id"] not in positions:
                chosen.append(row["pain_point_id"])
        trends = self.trends(gid, chosen)
        details = [self.pain_point(pid, ranks, positions, trends[pid]) for pid in chosen]
        return {
            "id": gid,
            "name": group["name"],
            "description": group["description"],
            "curated": curated,
            "ranking": ranking,
            "pain_points": details,
            "_summary": self.summary(group["name"], curated, ranking, details),
        }

    def summary(
        self,
        group: str,
        curated: dict[str, Any] | None,
        ranking: list[dict[str, Any]],
        details: list[dict[str, Any]],
    ) -> list[dict[str, Any]]:
        """The key pain points: the curated list's order, else the community's top."""
        by_id = {detail["id"]: detail for detail in details}
        if curated is not None:
            ids = [row["pain_point_id"] for row in curated["rows"]]
        else:
            ids = [row["pain_point_id"] for row in ranking[:SUMMARY_WITHOUT_LIST]]
        return [
            {
                "group": group,
                "curated_position": by_id[pid]["curated_position"],
                "community_rank": by_id[pid]["community_rank"],
                "pain_point_id": pid,
                "title": by_id[pid]["title"],
                "status": by_id[pid]["status"],
                "abstract": _abstract(by_id[pid]["description"]),
                "companies": by_id[pid]["support"]["companies"],
                "people": by_id[pid]["support"]["people"],
            }
            for pid in ids
        ]

    def pain_point(
        self,
        pid: str,
        ranks: dict[str, int],
        positions: dict[str, int],
        trend: dict[str, list[Any]],
    ) -> dict[str, Any]:
        cur = self.cur
        [row] = rows_as_dicts(
            cur,
            "SELECT p.id, p.title, p.description, p.tags, p.status, p.submitted_at,"
            " r.companies, r.supporters FROM v_pain_points p"
            " JOIN v_rank_items r ON r.pain_point_id = p.id WHERE p.id = ?",
            (pid,),
        )
        cur.execute("SELECT MAX(since) FROM v_status_history WHERE pain_point_id = ?", (pid,))
        since = cur.fetchone()[0] or row["submitted_at"]
        raised = moment(row["submitted_at"]).date()
        return {
            "id": pid,
            "title": row["title"],
            "description": row["description"],
            "status": row["status"],
            "status_since": _day(since),
            "first_raised": raised.isoformat(),
            "days_open": (self.today - raised).days,
            "tags": json.loads(row["tags"]),
            "community_rank": ranks.get(pid),
            "curated_position": positions.get(pid),
            "support": {
                "companies": row["companies"],
                "people": row["supporters"],
                "company_names": self.company_names(pid) if self.d.include_companies else None,
            },
            "evidence": self.evidence(pid),
            "trend": trend,
            "responses": self.responses(pid),
            "presented_at": [
                {"meeting": r["name"], "date": r["held_on"]}
                for r in rows_as_dicts(
                    cur,
                    "SELECT m.name, m.held_on FROM v_meeting_presented s"
                    " JOIN v_meetings m ON m.id = s.meeting_id WHERE s.pain_point_id = ?"
                    " ORDER BY m.held_on, m.id",
                    (pid,),
                )
            ],
            "merged_from": [r["title"] for r in merged_from(cur, pid)],
        }

    def company_names(self, pid: str) -> list[str]:
        """Member companies whose people support it (here or through a merged duplicate)."""
        self.cur.execute(
            "SELECT DISTINCT c.name FROM v_support_intervals s"
            " JOIN v_companies c ON c.id = s.company_id"
            " JOIN v_rank_companies m ON m.id = s.company_id"
            " WHERE s.withdrawn_at IS NULL AND m.ended_at IS NULL AND (s.pain_point_id = ?"
            " OR s.pain_point_id IN (SELECT id FROM v_pain_points WHERE merged_into = ?))"
            " ORDER BY c.name",
            (pid, pid),
        )
        return [row[0] for row in self.cur.fetchall()]

    def evidence(self, pid: str) -> dict[str, Any]:
        rows = rows_as_dicts(
            self.cur,
            "SELECT affected_customers, revenue_band, product_area FROM v_evidence"
            " WHERE pain_point_id = ? AND removed_at IS NULL ORDER BY added_at, id",
            (pid,),
        )
        bands: dict[str, int] = {}
        for row in rows:
            bands[row["revenue_band"]] = bands.get(row["revenue_band"], 0) + 1
        return {
            "entries": len(rows),
            "affected_customers": sum(row["affected_customers"] for row in rows),
            "revenue_bands": dict(sorted(bands.items())),
            "product_areas": sorted({row["product_area"] for row in rows if row["product_area"]}),
        }

    def responses(self, pid: str) -> list[dict[str, Any]]:
        rows = rows_as_dicts(
            self.cur,
            "SELECT kind, text, product_group, commitment, due_on, state, posted_at"
            " FROM v_vendor_responses WHERE pain_point_id = ? ORDER BY posted_at, id",
            (pid,),
        )
        return [
            {
                "date": _day(row["posted_at"]),
                "kind": row["kind"],
                "text": row["text"],
                "product_group": row["product_group"],
                "commitment": {
                    "text": row["commitment"],
                    "target": row["due_on"],
                    "state": self.promise_state(row["state"], row["due_on"]),
                }
                if row["commitment"]
                else None,
            }
            for row in rows
        ]

    def promise_state(self, state: str, due_on: str | None) -> str:
        """domain.promises.promise_state on the dossier's day (the UTC date of its log
        position: issued dossiers must stay reproducible byte for byte)."""
        return promise_state(state or OPEN, due_on, self.today) or state

    def trends(self, gid: str, ids: Sequence[str]) -> dict[str, dict[str, list[Any]]]:
        """Companies and people counted for each pain point at the end of each of the
        last weeks: Monday 00:00 UTC, the as-of moment last — exactly as the ranking."""
        monday = datetime.combine(self.today - timedelta(days=self.today.weekday()), time(), UTC)
        moments = [monday - timedelta(weeks=k) for k in range(TREND_WEEKS - 1, 0, -1)]
        moments = [m for m in moments if m > monday - timedelta(weeks=TREND_WEEKS)]
        moments.append(self.as_of)
        first = min(
            (self.first_raised(pid) for pid in ids), default=self.as_of
        )  # no weeks before the oldest pain point shown
        moments = [m for m in moments if m >= first - timedelta(weeks=1)] or [self.as_of]
        wanted = set(ids)
        series: dict[str, dict[str, list[Any]]] = {
            pid: {"weeks": [], "people": [], "companies": []} for pid in ids
        }
        for when in moments:
            items, _ = ranking_as_of(self.cur, gid, micros(when), EVERYTHING, 0)
            counted = {i.pain_point_id: i.tally for i in items if i.pain_point_id in wanted}
            for pid in ids:
                tally = counted.get(pid)
                series[pid]["weeks"].append(when.date().isoformat())
                series[pid]["people"].append(tally.supporters if tally else 0)
                series[pid]["companies"].append(tally.companies if tally else 0)
        return series

    def first_raised(self, pid: str) -> datetime:
        self.cur.execute("SELECT submitted_at FROM v_pain_points WHERE id = ?", (pid,))
        return moment(self.cur.fetchone()[0])

    # -- across groups --------------------------------------------------------------------

    def changes(
        self, groups: list[dict[str, Any]], previous: dict[str, Any] | None
    ) -> dict[str, Any] | None:
        if previous is None:
            return None
        start = datetime.combine(date.fromisoformat(previous["held_on"]), time(), UTC)
        if start >= self.as_of:
            return None
        names = {group["id"]: group["name"] for group in groups}
        found = changes_between(self.cur, micros(start), self.at, list(names))
        resolved = [c for c in found["status_changes"] if c["to_status"] in ("resolved", "closed")]
        return {
            "from": previous["held_on"],
            "to": self.today.isoformat(),
            "new": [
                {"group": names[r["group_id"]], "title": r["title"], **self.breadth(r)}
                for r in found["new_pain_points"]
            ],
            "moved": [
                {
                    "group": names[m["group_id"]],
                    "title": m["title"],
                    "from_rank": m["rank_before"],
                    "to_rank": m["rank_after"],
                    "causes": [self.cause(c) for c in m["causes"]],
                }
                for m in found["rank_moves"]
            ],
            "answered": [
                {
                    "group": names[r["group_id"]],
                    "title": r["title"],
                    "kind": r["kind"],
                    "date": _day(r["posted_at"]),
                }
                for r in found["vendor_responses"]
            ],
            "resolved": [
                {
                    "group": names[c["group_id"]],
                    "title": c["title"],
                    "status": c["to_status"],
                    "date": _day(c["at"]),
                }
                for c in resolved
            ],
        }

    def breadth(self, row: dict[str, Any]) -> dict[str, int]:
        self.cur.execute(
            "SELECT companies, supporters FROM v_rank_items WHERE pain_point_id = ?",
            (row["pain_point_id"],),
        )
        found = self.cur.fetchone()
        return {"companies": found[0] if found else 0, "people": found[1] if found else 0}

    def cause(self, cause: dict[str, Any]) -> str:
        titles = {
            "new": ("neu eingereicht", "newly submitted"),
            "companies-gained": (
                "%(count)s Unternehmen hinzugekommen",
                "%(count)s companies gained",
            ),
            "companies-lost": ("%(count)s Unternehmen weggefallen", "%(count)s companies lost"),
            "supporters-gained": ("%(count)s Personen hinzugekommen", "%(count)s people gained"),
            "supporters-lost": ("%(count)s Personen weggefallen", "%(count)s people lost"),
            "merged-in": ("Duplikat zusammengeführt", "a duplicate merged in"),
            "merge-undone": ("Zusammenführung aufgehoben", "a merge undone"),
            "merged-away": ("in ein anderes Anliegen zusammengeführt", "merged into another"),
            "unmerged": ("wieder eigenständig", "unmerged"),
            "withdrawn": ("zurückgezogen", "withdrawn"),
            "status": ("Status: %(status)s", "status: %(status)s"),
            "others-moved": ("andere Anliegen haben sich bewegt", "other pain points moved"),
        }
        kind = str(cause["kind"])
        german, english = titles.get(kind, (kind, kind))
        text = german if self.german else english
        return text % {"count": cause.get("count", ""), "status": cause.get("status", "")}

    def promises(self, groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
        names = {group["id"]: group["name"] for group in groups}
        return [
            {
                "group": names[row["group_id"]],
                "title": row["title"],
                "made_at": _day(row["posted_at"]),
                "target": row["due_on"],
                "state": row["promise"],
                "product_group": row["product_group"],
                "text": row["commitment"],
                "settled_at": row["settled_at"] and _day(row["settled_at"]),
            }
            for row in promises(self.cur, self.today, list(names))
        ]


def _meeting_out(row: dict[str, Any]) -> dict[str, Any]:
    return {"name": row["name"], "kind": row["kind"], "date": row["held_on"]}


def _day(value: int) -> str:
    return moment(value).date().isoformat()


def _abstract(text: str) -> str:
    """The first paragraph, cut at a word before ABSTRACT characters."""
    first = " ".join(text.strip().split("\n\n")[0].split())
    if len(first) <= ABSTRACT:
        return first
    cut = first[:ABSTRACT].rsplit(" ", 1)[0]
    return cut.rstrip(",;:.") + " …"


def position_at(recorder: ApplicationRecorder, mapper: Mapper[Any], at: datetime) -> int:
    """The position of the last event recorded at or before `at` (0: none).

    A binary search over the log by the events' times, which grow with the position
    (each event is stamped when its command runs, and commands commit in order).
    """
    low, high = 0, recorder.max_notification_id() or 0
    while low < high:
        middle = (low + high + 1) // 2
        found = recorder.select_notifications(start=middle, limit=1, stop=high)
        if not found:  # a gap in the positions up to `high`
            high = middle - 1
            continue
        stamped: datetime = mapper.to_domain_event(found[0]).timestamp  # type: ignore[attr-defined]
        if stamped <= at:
            low = max(middle, int(found[0].id))
        else:
            high = middle - 1
    return low
