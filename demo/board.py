"""The demo's leads, board and vendor: triage, merges, curated lists, vendor board
meetings, official responses and the commitments the board settles.

Planned like the rest of the demo (see api.demo). What takes a pain point out of the
ranking (a decline, a merge, the resolution) is planned before the supports, so nobody
supports a closed pain point; curated lists, escalations, meetings and responses are
planned after them, from the loader's own tally counted the way the ranking counts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from functools import partial
from uuid import UUID

from demo import texts
from demo.plan import DemoGroup, DemoPainPoint, DemoPerson, PendingDossier, Plan
from domain.curation import departs
from domain.ids import idempotent_id
from domain.ranking import Tally, rank
from domain.workflow import (
    ACCEPTED,
    ANSWERED,
    DECLINED,
    ESCALATED,
    MERGED,
    NEEDS_INFO,
    NEW,
    PRESENTED,
    RESOLVED,
)
from projections.view import micros
from service.application import Outcome
from service.dossiers import define, issue

#: Mean days from submission (or the lead's appointment) to the lead's triage.
TRIAGE_DELAY = 8
DECLINES = 5
NEEDS_INFO_REQUESTS = 8
#: Needs-info requests that end in a decline because nothing was added.
UNANSWERED_REQUESTS = 2
#: True duplicates merged into their target, and hasty merges undone again.
DUPLICATES = 2
HASTY_MERGES = 1
#: When the vendor boards met, in days before `now`.
QUALITY_BOARD_DAYS_AGO = 212
INNER_CIRCLE_DAYS_AGO = 61
#: The statuses a lead lists, and how long the lists are.
LISTED = frozenset({ACCEPTED, ESCALATED, PRESENTED, ANSWERED})
LIST_LENGTH = (5, 8)
PROMOTION_CHANCE = 0.6
PER_GROUP = 2
QUALITY_BOARD_ITEMS = 7
INNER_CIRCLE_ITEMS = 5
LATE_ESCALATIONS = 2
#: Days after the Quality Board: the vendor plans the registration change, ships it,
#: the board confirms the commitment and resolves the pain point; the target date.
REGISTRATION_DAYS = (18, 95, 100, 102)
REGISTRATION_DUE = 110


@dataclass(frozen=True)
class WorkSummary:
    """What the demo's leads, board and vendor did (status changes: the leads' and the
    board's own, not those that presenting and responding bring about)."""

    vendor_representatives: int
    status_changes: int
    escalations: int
    merges: int
    unmerges: int
    curated_list_editions: int
    meetings: int
    items_presented: int
    vendor_responses: int
    commitments_met: int
    commitments_missed: int
    voting_rule_changes: int
    voting_rounds: int
    dossiers: int

    @classmethod
    def of(cls, counts: Counter[str]) -> WorkSummary:
        return cls(
            vendor_representatives=counts["vendor-representatives"],
            status_changes=sum(n for what, n in counts.items() if what.startswith("status:")),
            escalations=counts["status:escalated"],
            merges=counts["merges"],
            unmerges=counts["unmerges"],
            curated_list_editions=counts["curated-lists"],
            meetings=counts["meetings"],
            items_presented=counts["items-presented"],
            vendor_responses=counts["vendor-responses"],
            commitments_met=counts["commitments-met"],
            commitments_missed=counts["commitments-missed"],
            voting_rule_changes=counts["voting-rules"],
            voting_rounds=counts["rounds-opened"],
            dossiers=counts["dossiers"],
        )


@dataclass(frozen=True)
class Answer:
    """How the vendor answers a presented item: when (days after), what, which promise.

    `due` is the commitment's target in days after the response; `met` is how the board
    settles it (None: left open); `follow_up` answers a missed commitment.
    """

    kind: str
    writer: int
    after: float
    due: float | None = None
    met: bool | None = None
    follow_up: bool = False


#: The Quality Board's items after the registration, in agenda order (None: no answer).
QUALITY_BOARD_ANSWERS: tuple[Answer | None, ...] = (
    Answer("planned", 1, 24, due=115, met=False),
    Answer("workaround", 0, 30),
    Answer("declined", 1, 41),
    Answer("acknowledged", 0, 19),
    None,
    Answer("planned", 0, 33, due=70, met=True),
)
INNER_CIRCLE_ANSWERS: tuple[Answer | None, ...] = (
    Answer("planned", 1, 11, due=30),
    Answer("acknowledged", 0, 9),
    Answer("workaround", 0, 16),
    Answer("acknowledged", 1, 26),
)
FOLLOW_UP = Answer("planned", 0, 14, due=135, follow_up=True)
LATE_ANSWER = Answer("acknowledged", 1, 5)
SAME = frozenset(frozenset(pair) for pair in texts.SAME_SYMPTOMS)
REGISTRATION_SYMPTOMS = frozenset(
    symptom
    for topic in texts.TOPICS
    if topic.label_de == texts.REGISTRATION_TOPIC
    for symptom, _ in (*topic.symptoms_de, *topic.symptoms_en)
)


@dataclass(frozen=True)
class Row:
    """A row of a published list: its position, community rank and score (in units)."""

    pain_point: DemoPainPoint
    position: int
    community_rank: int
    units: int


@dataclass(frozen=True)
class Curation:
    """One published edition of a group's curated list."""

    group: DemoGroup
    at: datetime
    rows: tuple[Row, ...]


@dataclass
class Desk:
    """What the board planning remembers between its steps."""

    lists: dict[int, list[Curation]] = field(default_factory=dict)
    escalated: list[DemoPainPoint] = field(default_factory=list)
    missed: list[DemoPainPoint] = field(default_factory=list)

    def latest(self, before: datetime) -> list[Curation]:
        editions = [[c for c in cs if c.at < before] for cs in self.lists.values()]
        return [published[-1] for published in editions if published]


# -- helpers ---------------------------------------------------------------------------


def meeting_at(plan: Plan, days_ago: int) -> datetime:
    """Half past nine (UTC) on the day a meeting was held about `days_ago` days ago."""
    day = (plan.now - timedelta(days=days_ago)).date()
    return datetime.combine(day, time(9, 30), UTC)


def german_date(at: datetime) -> str:
    return f"{at:%d.%m.%Y}"


def say(german: bool, pair: tuple[str, str]) -> str:
    """The German or the English of a pair of texts."""
    return pair[0] if german else pair[1]


def lead_of(group: DemoGroup) -> DemoPerson:
    if group.lead is None:
        raise RuntimeError(f"the demo group {group.name} has no lead")
    return group.lead


def change_status(
    plan: Plan, pain_point: DemoPainPoint, at: datetime, status: str, reason: str, by: UUID
) -> None:
    plan.add(at, f"status:{status}", plan.app.change_status, pain_point.id, status, reason, by=by)
    pain_point.set_status(at, status)


def triage(plan: Plan, pain_point: DemoPainPoint, at: datetime, status: str, reason: str) -> None:
    change_status(plan, pain_point, at, status, reason, lead_of(pain_point.group).id)


# -- vendor accounts -------------------------------------------------------------------


def plan_vendor_representatives(plan: Plan) -> None:
    """Two of the vendor's people get accounts two months before the Quality Board."""
    opened = meeting_at(plan, QUALITY_BOARD_DAYS_AGO + 60)
    for index, (name, email, function, _) in enumerate(texts.VENDOR_REPRESENTATIVES):
        key = f"demo-vendor-{index}"
        person_id = idempotent_id("person", plan.admin, key)
        at = plan.after(opened, index * 2)
        args = (email, f"{name} ({function})", None, plan.password_hash)
        register, grant = plan.app.register_person, plan.app.grant_role
        what = "vendor-representatives"
        plan.add(at, what, register, *args, by=plan.admin, key=key, creates=person_id)
        plan.add(plan.after(at, 1 / 24), "roles", grant, person_id, "vendor", by=plan.admin)
        plan.vendors.append(person_id)
        plan.logins.append((email, f"Hersteller, {function}"))


# -- triage and merges (before the supports) -------------------------------------------


@dataclass(frozen=True)
class Decisions:
    """Which pain points the leads merge, decline, or ask about (and never hear back)."""

    #: duplicate → (target, whether the merge is undone)
    merges: dict[UUID, tuple[DemoPainPoint, bool]]
    declines: frozenset[UUID]
    asks: frozenset[UUID]
    unanswered: frozenset[UUID]
    #: The likeliest pain point for the source's example, spared from the other decisions.
    registration: DemoPainPoint | None

    @property
    def paired(self) -> set[UUID]:
        return {*self.merges, *(target.id for target, _ in self.merges.values())}


def plan_triage(plan: Plan) -> None:
    """Leads accept most pain points, ask about a few, decline a few, merge duplicates."""
    decisions = decide(plan)
    for pain_point in plan.pain_points:
        at = triage_time(plan, pain_point)
        if at is None:
            continue
        if pain_point.id in decisions.merges:
            target, undo = decisions.merges[pain_point.id]
            plan_merge(plan, pain_point, target, at, undo=undo)
        elif pain_point.id in decisions.declines:
            triage(plan, pain_point, at, DECLINED, decline_reason(plan, pain_point))
        elif pain_point.id in decisions.asks:
            plan_needs_info(plan, pain_point, at, pain_point.id in decisions.unanswered)
        else:
            accept(plan, pain_point, at)
    choose_registration(plan, decisions)


def decide(plan: Plan) -> Decisions:
    """Declines among unpopular pain points; neither they nor requests touch duplicates."""
    early = plan.after(meeting_at(plan, QUALITY_BOARD_DAYS_AGO), -100)
    live = [p for p in plan.pain_points if p.withdrawn_at is None]
    registration = max((p for p in live if p.submitted_at < early), key=fit, default=None)
    spared = {registration.id} if registration else set()
    merges = choose_merges(plan, [p for p in live if p.id not in spared])
    spared |= {*merges, *(target.id for target, _ in merges.values())}
    candidates = [p for p in live if p.id not in spared]
    unpopular = sorted(candidates, key=lambda p: p.popularity)[: DECLINES * 3]
    declines = [p.id for p in plan.rng.sample(unpopular, DECLINES)]
    askable = [p for p in candidates if p.id not in declines]
    asks = [p.id for p in plan.rng.sample(askable, NEEDS_INFO_REQUESTS)]
    unanswered = frozenset(asks[:UNANSWERED_REQUESTS])
    return Decisions(merges, frozenset(declines), frozenset(asks), unanswered, registration)


def decline_reason(plan: Plan, pain_point: DemoPainPoint) -> str:
    """The next of the decline reasons that fit the pain point's topic."""
    topic = pain_point.text.topic.label_de
    fitting = [
        (de, en) for de, en, topics in texts.DECLINE_REASONS if topic in topics or not topics
    ]
    return say(pain_point.text.german, fitting[plan.counts["status:declined"] % len(fitting)])


def triage_time(plan: Plan, pain_point: DemoPainPoint) -> datetime | None:
    """When the lead triages the pain point; None if it is withdrawn first or still new."""
    appointed = pain_point.group.lead_since or pain_point.submitted_at
    since = max(pain_point.submitted_at, appointed)
    at = plan.after(since, plan.rng.expovariate(1 / TRIAGE_DELAY) + 0.3)
    return at if at < (pain_point.withdrawn_at or plan.now) else None


def accept(plan: Plan, pain_point: DemoPainPoint, at: datetime) -> None:
    reason = say(pain_point.text.german, plan.rng.choice(texts.ACCEPT_REASONS))
    triage(plan, pain_point, at, ACCEPTED, reason)


def plan_needs_info(plan: Plan, pain_point: DemoPainPoint, at: datetime, unanswered: bool) -> None:
    """Ask for details; the author adds them (accepted) or never does (declined)."""
    german = pain_point.text.german
    question = say(german, plan.rng.choice(texts.NEEDS_INFO_REASONS))
    triage(plan, pain_point, at, NEEDS_INFO, question)
    later = plan.after(at, plan.rng.uniform(10, 30))
    if later >= plan.now:
        return
    if unanswered:
        triage(plan, pain_point, later, DECLINED, say(german, texts.NO_INFO_REASON))
    else:
        triage(plan, pain_point, later, ACCEPTED, say(german, texts.INFO_ADDED_REASON))


def choose_merges(plan: Plan, live: list[DemoPainPoint]) -> dict[UUID, tuple[DemoPainPoint, bool]]:
    """Duplicates (the same issue in German and English) merged into the earlier pain
    point, and a hasty merge of two pain points on one topic that is undone later."""
    latest = plan.after(plan.now, -60)
    pairs = [
        (source, target)
        for source in live
        for target in live
        if source.group is target.group
        and source.text.topic is target.text.topic
        and target.submitted_at < source.submitted_at < latest
    ]
    plan.rng.shuffle(pairs)
    pairs.sort(key=lambda pair: not same_symptom(*pair))
    chosen: dict[UUID, tuple[DemoPainPoint, bool]] = {}
    used: set[UUID] = set()
    for source, target in pairs:
        exact = same_symptom(source, target)
        hasty = sum(undo for _, undo in chosen.values())
        wanted = len(chosen) - hasty < DUPLICATES if exact else hasty < HASTY_MERGES
        if wanted and not {source.id, target.id} & used:
            chosen[source.id] = (target, not exact)
            used |= {source.id, target.id}
    return chosen


def same_symptom(one: DemoPainPoint, other: DemoPainPoint) -> bool:
    """Whether two pain points name the same symptom, one in German, one in English."""
    return frozenset((one.text.symptom, other.text.symptom)) in SAME


def plan_merge(
    plan: Plan, source: DemoPainPoint, target: DemoPainPoint, at: datetime, *, undo: bool
) -> None:
    """Merge a duplicate; if `undo`, separate it again and accept it on its own."""
    lead, german = lead_of(source.group).id, source.text.german
    reason = say(german, texts.MERGE_REASON).format(title=target.text.title)
    plan.add(at, "merges", plan.app.merge, source.id, target.id, reason, by=lead)
    source.set_status(at, MERGED)
    undone = plan.after(at, plan.rng.uniform(10, 21)) if undo else plan.now
    source.merges.append((target, at, undone if undone < plan.now else None))
    if undone >= plan.now:
        return
    reason = say(german, texts.UNMERGE_REASON).format(title=target.text.title)
    plan.add(undone, "unmerges", plan.app.unmerge, source.id, reason, by=lead)
    source.set_status(undone, NEW)
    accepted = plan.after(undone, plan.rng.uniform(1, 4))
    if accepted < plan.now:
        accept(plan, source, accepted)


def choose_registration(plan: Plan, decisions: Decisions) -> None:
    """The pain point behind the source's example: resolved after the vendor shipped.

    The favourite chosen beforehand, if it was accepted in time; else the best fit of
    the pain points accepted by then."""
    accepted_by = plan.after(meeting_at(plan, QUALITY_BOARD_DAYS_AGO), -45)
    chosen = decisions.registration
    if chosen is None or chosen.status_at(accepted_by) != ACCEPTED:
        accepted = [
            p
            for p in plan.pain_points
            if p.status_at(accepted_by) == ACCEPTED
            and p.withdrawn_at is None
            and p.id not in decisions.paired
        ]
        chosen = max(accepted, key=fit, default=None)
    if chosen is None:
        return
    plan.registration = chosen
    resolved = plan.after(meeting_at(plan, QUALITY_BOARD_DAYS_AGO), REGISTRATION_DAYS[3])
    plan.registration.set_status(resolved, RESOLVED)


def fit(pain_point: DemoPainPoint) -> tuple[bool, bool, bool, bool, float]:
    """How well a pain point fits the source's example (simpler partner registration)."""
    text = pain_point.text
    topic = text.topic.label_de == texts.REGISTRATION_TOPIC
    symptom = text.symptom in REGISTRATION_SYMPTOMS
    return (topic, symptom, "registrierung" in text.tags, text.german, pain_point.popularity)


# -- the community ranking and curated lists --------------------------------------------


def community_ranking(
    plan: Plan, group: DemoGroup, at: datetime
) -> list[tuple[DemoPainPoint, Tally]]:
    """The group's ranking at `at`, counted as projections.ranking_view counts as of then."""
    mine = [p for p in plan.pain_points if p.group is group and p.submitted_at <= at]
    listed = {p.id: p for p in mine if p.is_open_at(at)}
    people: dict[UUID, dict[UUID, set[UUID]]] = {pid: defaultdict(set) for pid in listed}
    firsts: dict[UUID, int] = {}
    for pain_point in mine:
        counted = pain_point.counts_for(at).id
        if counted not in listed:
            continue
        for backing in pain_point.backings:
            if backing.active_at(at) and backing.person.company.active_at(at):
                people[counted][backing.person.company.id].add(backing.person.id)
                given = micros(backing.given)
                firsts[counted] = min(given, firsts.get(counted, given))
    tallies = rank(
        Tally.from_counts(pid.hex, [len(s) for s in people[pid].values()], firsts.get(pid, 0))
        for pid in listed
    )
    by_hex = {pid.hex: p for pid, p in listed.items()}
    return [(by_hex[tally.pain_point_id], tally) for tally in tallies]


def publish(plan: Plan, desk: Desk, group: DemoGroup, at: datetime) -> None:
    """The lead publishes the group's list: the community order, with reasoned changes."""
    ranked = community_ranking(plan, group, at)
    listable = [p for p, _ in ranked if p.status_at(at) in LISTED]
    if not listable:
        return
    forced = plan.registration if plan.registration in listable else None
    chosen, promoted = curate(plan, listable, forced)
    ranks = {p.id: (rank, tally.units) for rank, (p, tally) in enumerate(ranked, start=1)}
    rows = [Row(p, position, *ranks[p.id]) for position, p in enumerate(chosen, start=1)]
    items = [list_item(plan, row, promoted=row.pain_point is promoted) for row in rows]
    editions = desk.lists.setdefault(group.index, [])
    note = texts.CURATED_NOTES[min(len(editions), 1)]
    publish_list = plan.app.publish_curated_list
    by = lead_of(group).id
    plan.add(at, "curated-lists", publish_list, group.id, items, note, edition=len(editions), by=by)
    editions.append(Curation(group, at, tuple(rows)))


def curate(
    plan: Plan, listable: list[DemoPainPoint], forced: DemoPainPoint | None
) -> tuple[list[DemoPainPoint], DemoPainPoint | None]:
    """The top 5–8 listable pain points; often one from further down moved to second."""
    length = min(len(listable), plan.rng.randint(*LIST_LENGTH))
    chosen = listable[:length]
    promoted = None
    if forced is not None and forced not in chosen:
        promoted = forced
    elif len(listable) > length + 1 and plan.rng.random() < PROMOTION_CHANCE:
        promoted = plan.rng.choice(listable[length : length + 4])
    if promoted is not None:
        chosen = [*chosen[:1], promoted, *chosen[1 : length - 1]]
    return chosen, promoted


def list_item(plan: Plan, row: Row, *, promoted: bool) -> dict[str, object]:
    """A row as the command takes it, with the lead's rationale where it departs."""
    rationale = ""
    if promoted:
        rationale = plan.rng.choice(texts.PROMOTION_RATIONALES)
    elif departs(row.position, row.community_rank):
        moved_up = row.position < row.community_rank
        rationale = texts.SKIPPED_RATIONALE if moved_up else texts.DEMOTION_RATIONALE
    return {
        "pain_point_id": str(row.pain_point.id),
        "community_rank": row.community_rank,
        "pinned": promoted,
        "rationale": rationale,
    }


def publish_first_lists(plan: Plan, desk: Desk) -> None:
    """Every lead publishes once the group has accepted pain points, most before the QB."""
    quality_board = meeting_at(plan, QUALITY_BOARD_DAYS_AGO)
    for group in plan.groups:
        at = plan.after(quality_board, plan.rng.uniform(-36, -22))
        accepted = first_acceptance(plan, group)
        if accepted is None:
            continue
        at = max(at, plan.after(accepted, plan.rng.uniform(5, 20)))
        if at < plan.after(plan.now, -1):
            publish(plan, desk, group, at)


def first_acceptance(plan: Plan, group: DemoGroup) -> datetime | None:
    accepted = [
        since
        for pain_point in plan.pain_points
        if pain_point.group is group
        for since, status in pain_point.history
        if status == ACCEPTED
    ]
    return min(accepted, default=None)


def publish_second_lists(plan: Plan, desk: Desk) -> None:
    """Leads of groups with an older list update it before the Inner Circle."""
    inner_circle = meeting_at(plan, INNER_CIRCLE_DAYS_AGO)
    for group in plan.groups:
        at = plan.after(inner_circle, plan.rng.uniform(-33, -20))
        editions = desk.lists.get(group.index, [])
        if editions and editions[0].at < plan.after(at, -30):
            publish(plan, desk, group, at)


# -- escalations and meetings ----------------------------------------------------------


@dataclass(frozen=True)
class Meeting:
    """A vendor board meeting: its name and kind, and when it is held."""

    name: str
    kind: str
    held: datetime

    @property
    def agenda_at(self) -> datetime:
        return self.held - timedelta(days=7)

    def fits(self, pain_point: DemoPainPoint) -> bool:
        """Licensing for the Inner Circle, everything else for the Quality Board."""
        licensing = pain_point.text.topic.label_de in texts.LICENSING_TOPICS
        return licensing == (self.kind == "inner-circle")


def escalate(
    plan: Plan, desk: Desk, count: int, window: tuple[datetime, datetime], meeting: Meeting | None
) -> list[DemoPainPoint]:
    """Leads escalate the top rows of their latest lists within `window`, fitting first."""
    start, end = window
    rows = [(c, row) for c in desk.latest(plan.after(end, -1)) for row in c.rows]
    rows.sort(key=lambda cr: escalation_order(plan, cr[1], meeting))
    chosen: list[DemoPainPoint] = []
    for curation, row in rows:
        pain_point, group = row.pain_point, curation.group
        crowded = sum(p.group is group for p in chosen) == PER_GROUP
        done = pain_point in desk.escalated or pain_point.withdrawn_at is not None
        if len(chosen) == count or done or crowded:
            continue
        since = max(start, curation.at)
        at = plan.after(since, plan.rng.uniform(0.1, 0.9) * (end - since) / timedelta(days=1))
        if pain_point.status_at(at) == ACCEPTED:
            triage(plan, pain_point, at, ESCALATED, escalation_reason(row.position, meeting))
            chosen.append(pain_point)
    desk.escalated += chosen
    return chosen


def escalation_order(plan: Plan, row: Row, meeting: Meeting | None) -> tuple[bool, bool, int, int]:
    """The registration first, then fitting topics, list positions, support."""
    fits = meeting is None or meeting.fits(row.pain_point)
    return (row.pain_point is not plan.registration, not fits, row.position, -row.units)


def escalation_reason(position: int, meeting: Meeting | None) -> str:
    if meeting is None:
        return texts.LATE_ESCALATION_REASON.format(position=position)
    date = german_date(meeting.held)
    return texts.ESCALATION_REASON.format(position=position, meeting=meeting.name, date=date)


def hold_meeting(
    plan: Plan, meeting: Meeting, agenda: list[DemoPainPoint], presented: int, chair: DemoPerson
) -> list[tuple[DemoPainPoint, datetime]]:
    """The board schedules the meeting, sets its agenda and presents the first items."""
    key = f"demo-meeting-{meeting.kind}"
    meeting_id = idempotent_id("meeting", chair.id, key)
    held_on = meeting.held.date().isoformat()
    scheduled = plan.after(meeting.held, -40)
    args = (meeting.name, meeting.kind, held_on)
    schedule = plan.app.schedule_meeting
    plan.add(scheduled, "meetings", schedule, *args, by=chair.id, key=key, creates=meeting_id)
    items = [p.id for p in agenda]
    plan.add(meeting.agenda_at, "agendas", plan.app.set_agenda, meeting_id, items, by=chair.id)
    groups = [g.id for g in plan.groups if any(p.group is g for p in agenda)]
    briefing = plan.after(meeting.held, -2)
    plan.add(briefing, "dossiers", issue_briefing, plan, meeting_id, groups, chair.id)
    shown = []
    for index, pain_point in enumerate(agenda[:presented]):
        at = meeting.held + timedelta(minutes=25 * index)
        present = plan.app.mark_presented
        plan.add(at, "items-presented", present, meeting_id, pain_point.id, by=chair.id)
        pain_point.set_status(at, PRESENTED)
        shown.append((pain_point, at))
    return shown


# -- the vendor's responses and the board's settlements --------------------------------


def respond(
    plan: Plan, pain_point: DemoPainPoint, answer: Answer, at: datetime, **text: str
) -> UUID:
    """Post the vendor's response (texts given or from the templates); its id."""
    writer = plan.vendors[answer.writer]
    german = texts.VENDOR_REPRESENTATIVES[answer.writer][3]
    topic = pain_point.text.topic
    label = topic.label_de if german else topic.label_en
    templates = texts.FOLLOW_UP_TEXT if answer.follow_up else texts.RESPONSE_TEXTS[answer.kind]
    body = text.get("text") or say(german, templates).format(label=label, date=text.get("date"))
    commitment, due_on = "", ""
    if answer.due is not None:
        variant = plan.rng.choice(texts.COMMITMENTS)
        promises = texts.FOLLOW_UP_COMMITMENT if answer.follow_up else variant
        commitment = text.get("commitment") or say(german, promises).format(label=label)
        due_on = plan.after(at, answer.due).date().isoformat()
    key = f"demo-response-{plan.counts['vendor-responses']}"
    response_id = idempotent_id("response", writer, key)
    product_group = texts.PRODUCT_GROUPS[topic.label_de]
    post = partial(
        plan.app.respond,
        pain_point.id,
        kind=answer.kind,
        text=body,
        product_group=product_group,
        commitment=commitment,
        due_on=due_on,
    )
    plan.add(at, "vendor-responses", post, by=writer, key=key, creates=response_id)
    if pain_point.status_at(at) in (ESCALATED, PRESENTED):
        pain_point.set_status(at, ANSWERED)
    return response_id


def answer(
    plan: Plan, desk: Desk, pain_point: DemoPainPoint, spec: Answer, since: datetime
) -> None:
    """A response `spec.after` days after `since`; the board settles its commitment."""
    at = plan.after(since, spec.after)
    if at >= plan.now:
        return
    response_id = respond(plan, pain_point, spec, at)
    if spec.due is None or spec.met is None:
        return
    due = plan.after(at, spec.due)
    settled = plan.after(due, -4 if spec.met else 3)
    note = texts.COMMITMENT_MET if spec.met else texts.COMMITMENT_MISSED
    settle(plan, response_id, settled, met=spec.met, note=note)
    if not spec.met:
        desk.missed.append(pain_point)


def settle(plan: Plan, response_id: UUID, at: datetime, *, met: bool, note: str) -> None:
    what = "commitments-met" if met else "commitments-missed"
    chair = plan.board[0].id
    plan.add(at, what, plan.app.settle_commitment, response_id, met, note, by=chair)


def answer_registration(plan: Plan, pain_point: DemoPainPoint, presented: datetime) -> None:
    """The source's example: planned, shipped, promise kept, resolved by the board."""
    planned, shipped, confirmed, resolved = (
        plan.after(presented, days) for days in REGISTRATION_DAYS
    )
    if resolved != next(at for at, status in pain_point.history if status == RESOLVED):
        raise RuntimeError("the registration example is not resolved when it was planned")
    special = pain_point.text.topic.label_de == texts.REGISTRATION_TOPIC
    spec = Answer("planned", 0, 0, due=REGISTRATION_DUE - REGISTRATION_DAYS[0])
    promise = {"text": texts.REGISTRATION_PLANNED, "commitment": texts.REGISTRATION_COMMITMENT}
    response_id = respond(plan, pain_point, spec, planned, **(promise if special else {}))
    live = german_date(plan.after(shipped, -3))
    done = {"text": texts.REGISTRATION_SHIPPED.format(date=live)} if special else {}
    respond(plan, pain_point, Answer("shipped", 0, 0), shipped, date=live, **done)
    note = texts.REGISTRATION_MET if special else texts.COMMITMENT_MET
    settle(plan, response_id, confirmed, met=True, note=note)
    resolve = partial(plan.app.change_status, pain_point.id, RESOLVED, texts.RESOLVED_REASON)
    plan.add(resolved, "status:resolved", resolve, by=plan.board[0].id)


# -- the board's year ------------------------------------------------------------------


def plan_board_work(plan: Plan) -> None:
    """Lists, the Quality Board, updated lists, the Inner Circle, recent escalations."""
    desk = Desk()
    publish_first_lists(plan, desk)
    plan_quality_board(plan, desk)
    publish_second_lists(plan, desk)
    plan_inner_circle(plan, desk)
    plan_late_escalations(plan, desk)


def plan_quality_board(plan: Plan, desk: Desk) -> None:
    name, kind = texts.QUALITY_BOARD
    meeting = Meeting(name, kind, meeting_at(plan, QUALITY_BOARD_DAYS_AGO))
    window = (plan.after(meeting.held, -35), meeting.agenda_at)
    agenda = escalate(plan, desk, QUALITY_BOARD_ITEMS, window, meeting)
    if plan.registration is not None and plan.registration not in agenda:
        raise RuntimeError("the registration example did not reach the Quality Board")
    shown = hold_meeting(plan, meeting, agenda, len(agenda), plan.board[0])
    answers = iter(QUALITY_BOARD_ANSWERS)
    for pain_point, at in shown:
        if pain_point is plan.registration:
            answer_registration(plan, pain_point, at)
            continue
        spec = next(answers, None)
        if spec is not None:
            answer(plan, desk, pain_point, spec, at)


def plan_inner_circle(plan: Plan, desk: Desk) -> None:
    """New licensing items, plus a missed promise followed up; the last is not reached."""
    name, kind = texts.INNER_CIRCLE
    meeting = Meeting(name, kind, meeting_at(plan, INNER_CIRCLE_DAYS_AGO))
    window = (plan.after(meeting.held, -35), meeting.agenda_at)
    fresh = escalate(plan, desk, INNER_CIRCLE_ITEMS, window, meeting)
    follow_ups = [p for p in desk.missed if p.status_at(meeting.agenda_at) == ANSWERED][:1]
    agenda = follow_ups + fresh
    not_reached = 1 if len(fresh) >= 3 else 0
    presented = len(agenda) - not_reached
    shown = hold_meeting(plan, meeting, agenda, presented, plan.board[1 % len(plan.board)])
    answers = iter(INNER_CIRCLE_ANSWERS)
    for pain_point, at in shown:
        spec = FOLLOW_UP if pain_point in follow_ups else next(answers, None)
        if spec is not None:
            answer(plan, desk, pain_point, spec, at)


def plan_late_escalations(plan: Plan, desk: Desk) -> None:
    """Two items escalated in the last weeks; the vendor has acknowledged the first."""
    window = (plan.after(plan.now, -35), plan.after(plan.now, -6))
    late = escalate(plan, desk, LATE_ESCALATIONS, window, None)
    escalated = [(at, p) for p in late for at, status in p.history if status == ESCALATED]
    for at, pain_point in sorted(escalated, key=lambda pair: pair[0])[:1]:
        answer(plan, desk, pain_point, LATE_ANSWER, at)


# -- voting rules ----------------------------------------------------------------------

#: The group that votes in rounds with a vote budget, and the budget it sets.
VOTING_GROUP = "Süd (München)"
VOTE_BUDGET = 5


def plan_voting_rules(plan: Plan) -> None:
    """One group turns to dot voting in rounds: round 1 closed before the Inner Circle,
    round 2 is open now. The budget covers every vote its members are planned to cast
    (a planned vote the budget refused would stop the loader)."""
    group = next(g for g in plan.groups if g.name == VOTING_GROUP)
    lead = lead_of(group)
    start = plan.after(plan.now, -(INNER_CIRCLE_DAYS_AGO + 59))
    first_closed = plan.after(meeting_at(plan, INNER_CIRCLE_DAYS_AGO), -14)
    second_opened = plan.after(plan.now, -45)
    votes: Counter[tuple[UUID, int]] = Counter()
    for pain_point in plan.pain_points:
        if pain_point.group is group:
            for backing in pain_point.backings:
                if backing.given >= start:
                    votes[backing.person.id, 1 if backing.given < first_closed else 2] += 1
    budget = max(VOTE_BUDGET, *votes.values(), 0)
    reason = "Punktabstimmung: jede Person priorisiert, was ihr am wichtigsten ist."
    app = plan.app
    plan.add(start, "voting-rules", app.change_voting_rules, group.id, budget, True, reason,
             by=lead.id)  # fmt: skip
    opened = plan.after(start, 1 / 24)
    plan.add(opened, "rounds-opened", app.open_round, group.id, "Vor dem Inner Circle", by=lead.id)
    plan.add(first_closed, "rounds-closed", app.close_round, group.id, by=lead.id)
    title = "Vor dem nächsten Quality Board"
    plan.add(second_opened, "rounds-opened", app.open_round, group.id, title, by=lead.id)


# -- briefing dossiers -----------------------------------------------------------------

#: The association the demo's dossiers name (the default of SPRACHROHR_ASSOCIATION_NAME).
ASSOCIATION = "MSPN e.V."


def issue_briefing(plan: Plan, meeting_id: UUID, groups: list[UUID], by: UUID) -> Outcome:
    """The board issues the meeting's dossier two days ahead, as of that moment, signed
    with the plan's key (if it has one)."""
    app = plan.app
    definition = define(
        app, association=ASSOCIATION, head=app.recorder.max_notification_id() or 0,
        group_ids=[group.hex for group in groups], language="de", meeting_id=meeting_id.hex,
        signing_key=plan.signing_key,
    )  # fmt: skip
    key = f"demo-dossier-{meeting_id}"
    if plan.deferred_dossiers is not None:  # composed and recorded after the demo is loaded
        plan.deferred_dossiers.append(PendingDossier(definition, by, key))
        return Outcome(meeting_id, True, None)
    _, outcome = issue(app, definition, by=by, key=key, signing_key=plan.signing_key)
    return outcome
