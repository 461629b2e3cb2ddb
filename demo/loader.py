"""Load a deterministic demo association: 18 months of history, made by the commands.

The loader first plans every step (who does what, when) with one seeded random
generator, then replays the steps in time order through the Application's command
methods while a simulated clock stands at each step's time. The event log is thus a
real, plausible history; the same seed and `now` give the same log. What leads, the
board and the vendor do (triage, curated lists, meetings, responses) is planned in
demo.board.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from uuid import UUID

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from demo import texts
from demo.board import (
    WorkSummary,
    plan_board_work,
    plan_triage,
    plan_vendor_representatives,
    plan_voting_rules,
)
from demo.plan import (
    ADMIN_EMAIL,
    HISTORY,
    Backing,
    DemoCompany,
    DemoGroup,
    DemoPainPoint,
    DemoPerson,
    PendingDossier,
    Plan,
    Step,
    slug,
)
from demo.presence import DEMO_PASSWORD as DEMO_PASSWORD  # re-exported
from demo.presence import holds_association
from domain.errors import Conflict
from domain.ids import SYSTEM, idempotent_id
from domain.workflow import WITHDRAWN
from service.application import Sprachrohr
from service.dossiers import issue
from storage.quiet import quietly

ADMIN_NAME = "Geschäftsstelle MSPN"
PAIN_POINTS = 120
ENGLISH_SHARE = 0.25
FOUNDING_COMPANIES = 12
ENDED_COMPANIES = 2
#: How much more likely a pain point lands in a fitting thematic group than elsewhere.
THEMATIC_PULL = 4
#: Chance that a person of a supporting company supports too, that a support is
#: later withdrawn, and that a withdrawn support is given again.
ENGAGEMENT = 0.9
SUPPORT_WITHDRAWAL = 0.08
SUPPORT_RETURN = 0.5


@dataclass(frozen=True)
class DemoSummary:
    """What the loader created. `people` counts the member companies' people (the admin
    and the vendor's representatives come on top); `work` is what leads, the board and
    the vendor did; `logins` are (e-mail, role) pairs to try the demo with."""

    companies: int
    ended_memberships: int
    people: int
    groups: int
    pain_points: int
    withdrawn_pain_points: int
    supports: int
    support_withdrawals: int
    supports_given_again: int
    work: WorkSummary
    commands: int
    logins: tuple[tuple[str, str], ...]
    #: The briefing dossiers still to issue (with `defer_dossiers`; see issue_pending).
    pending_dossiers: tuple[PendingDossier, ...] = ()


class SimulatedClock:
    """A clock that stands still until the loader moves it forward."""

    def __init__(self, start: datetime) -> None:
        self._now = start

    def __call__(self) -> datetime:
        return self._now

    def advance_to(self, at: datetime) -> None:
        if at < self._now:
            raise ValueError("the demo clock cannot run backwards")
        self._now = at


# -- the association: admin, groups, companies, people ---------------------------------


def plan_admin(plan: Plan) -> None:
    register = plan.app.register_person
    args = (ADMIN_EMAIL, ADMIN_NAME, None, plan.password_hash)
    plan.add(plan.start, "admins", register, *args, by=SYSTEM, key="demo-admin", creates=plan.admin)
    plan.add(plan.day(1 / 1440), "roles", plan.app.grant_role, plan.admin, "admin", by=SYSTEM)


def plan_groups(plan: Plan) -> None:
    kinds = ["thematic"] * len(texts.THEMATIC_GROUPS) + ["regional"] * len(texts.REGIONAL_GROUPS)
    named = texts.THEMATIC_GROUPS + texts.REGIONAL_GROUPS
    for index, ((name, description), kind) in enumerate(zip(named, kinds, strict=True)):
        key = f"demo-group-{index}"
        group = DemoGroup(index, name, idempotent_id("group", plan.admin, key))
        found = plan.app.found_group
        at = plan.day(1 + index / 2)
        plan.add(
            at, "groups", found, name, kind, description, by=plan.admin, key=key, creates=group.id
        )
        plan.groups.append(group)


def plan_companies(plan: Plan) -> None:
    """A dozen founding companies in the first weeks, the others over the first year."""
    order = list(range(len(texts.COMPANIES)))
    plan.rng.shuffle(order)
    sizes = list(texts.COMPANY_SIZES)
    sizes += [plan.rng.choice(texts.SMALL_COMPANY_SIZES) for _ in order[len(sizes) :]]
    for rank, (index, size) in enumerate(zip(order, sizes, strict=True)):
        name, region = texts.COMPANIES[index]
        key = f"demo-company-{index}"
        founding = rank < FOUNDING_COMPANIES
        admitted = plan.day(plan.rng.uniform(8, 25) if founding else 30 + rank * 7)
        company = DemoCompany(
            name, region, size, idempotent_id("company", plan.admin, key), admitted
        )
        admit = plan.app.admit_company
        plan.add(admitted, "companies", admit, name, by=plan.admin, key=key, creates=company.id)
        plan.companies.append(company)


def plan_people(plan: Plan) -> None:
    firsts, lasts = texts.FIRST_NAMES, texts.LAST_NAMES
    total = sum(company.size for company in plan.companies)
    names = plan.rng.sample(range(len(firsts) * len(lasts)), total)
    for company in plan.companies:
        for position in range(company.size):
            first, last = divmod(names[len(plan.people)], len(lasts))
            delay = 0.1 if position == 0 else plan.rng.uniform(0.5, 120)
            person = register_person(plan, company, firsts[first], lasts[last], delay)
            enrol_person(plan, person)


def register_person(
    plan: Plan, company: DemoCompany, first: str, last: str, delay: float
) -> DemoPerson:
    key = f"demo-person-{len(plan.people)}"
    email = f"{slug(first)}.{slug(last)}@{company.domain}"
    at = plan.after(company.admitted_at, delay)
    person = DemoPerson(
        idempotent_id("person", plan.admin, key), f"{first} {last}", email, company, at
    )
    args = (email, person.name, company.id, plan.password_hash)
    register = plan.app.register_person
    plan.add(at, "people", register, *args, by=plan.admin, key=key, creates=person.id)
    plan.people.append(person)
    return person


def enrol_person(plan: Plan, person: DemoPerson) -> None:
    """Enrol in the regional group at once, then in up to two thematic groups."""
    regional = len(texts.THEMATIC_GROUPS) + person.company.region
    enrolments = [(regional, plan.after(person.registered_at, 1 / 72))]
    how_many = plan.rng.choices((0, 1, 2), weights=(1, 3, 6))[0]
    thematic: set[int] = set()
    while len(thematic) < how_many:
        weights = texts.THEMATIC_WEIGHTS
        thematic.add(plan.rng.choices(range(len(weights)), weights=weights)[0])
    for index in sorted(thematic):
        enrolments.append((index, plan.after(person.registered_at, plan.rng.uniform(0.5, 30))))
    for index, at in enrolments:
        group = plan.groups[index]
        plan.add(at, "enrolments", plan.app.enrol, group.id, person.id, by=plan.admin)
        person.enrolled[index] = at
        group.members.append(person)


def plan_membership_ends(plan: Plan) -> None:
    """Two small companies that joined in the first year leave in the second."""
    candidates = [
        company
        for company in plan.companies[FOUNDING_COMPANIES:]
        if company.size <= 3 and company.admitted_at < plan.day(200)
    ]
    chosen = plan.rng.sample(candidates, ENDED_COMPANIES)
    for company, reason in zip(chosen, texts.MEMBERSHIP_END_REASONS, strict=False):
        company.ended_at = plan.day(plan.rng.uniform(360, 480))
        end = plan.app.end_membership
        plan.add(company.ended_at, "ended-memberships", end, company.id, reason, by=plan.admin)
        person = next(p for p in plan.people if p.company is company)
        plan.logins.append((person.email, f"Mitglied, {company.name} {ENDED_MARK}"))


ENDED_MARK = "(ausgetreten)"


def active_first(logins: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """The logins to print: people who can act first, those whose company left last."""
    return tuple(sorted(logins, key=lambda login: ENDED_MARK in login[1]))


def plan_board(plan: Plan) -> None:
    """Two people of founding companies are elected to the board after a month."""
    for company in plan.rng.sample(plan.companies[:FOUNDING_COMPANIES], 2):
        person = next(p for p in plan.people if p.company is company)
        at = max(plan.after(person.registered_at, 1), plan.day(30))
        plan.add(at, "roles", plan.app.grant_role, person.id, "board", by=plan.admin)
        plan.board.append(person)
        plan.logins.append((person.email, f"Vorstand, {company.name}"))


def plan_leads(plan: Plan) -> None:
    """Each group gets an early member of a staying company as its lead."""
    leads: set[UUID] = set()
    for group in plan.groups:
        staying = [p for p in group.members if p.company.ended_at is None and p.id not in leads]
        person = plan.rng.choice(sorted(staying, key=lambda p: p.enrolled[group.index])[:5])
        leads.add(person.id)
        at = plan.after(person.enrolled[group.index], plan.rng.uniform(1, 10))
        group.lead, group.lead_since = person, at
        plan.add(at, "leads", plan.app.appoint_lead, group.id, person.id, by=plan.admin)
        plan.logins.append((person.email, f"Leitung Arbeitskreis {group.name}"))
    biggest = max(plan.companies, key=lambda company: company.size)
    member = next(p for p in plan.people if p.company is biggest and p.id not in leads)
    plan.logins.append((member.email, f"Mitglied, {biggest.name}"))


# -- pain points and support -----------------------------------------------------------


def plan_pain_points(plan: Plan) -> None:
    """120 pain points, each a distinct pairing of topic and symptom, a quarter in English."""
    english = round(PAIN_POINTS * ENGLISH_SHARE)
    languages = [False] * english + [True] * (PAIN_POINTS - english)
    plan.rng.shuffle(languages)
    written: set[tuple[str, str]] = set()
    for index, german in enumerate(languages):
        text = texts.compose(plan.rng, german=german)
        while (text.topic.label_de, text.symptom) in written:
            text = texts.compose(plan.rng, german=german)
        written.add((text.topic.label_de, text.symptom))
        submit_pain_point(plan, index, text)


def submit_pain_point(plan: Plan, index: int, text: texts.PainPointText) -> None:
    group, author, at = place_pain_point(plan, text.topic)
    key = f"demo-pain-point-{index}"
    popularity = plan.rng.betavariate(1.6, 1.1)
    pain_point_id = idempotent_id("pain-point", author.id, key)
    plan.pain_points.append(DemoPainPoint(group, author, at, popularity, pain_point_id, text))
    args = (group.id, text.title, text.description, text.tags)
    submit = plan.app.submit_pain_point
    plan.add(at, "pain-points", submit, *args, by=author.id, key=key, creates=pain_point_id)


def place_pain_point(plan: Plan, topic: texts.Topic) -> tuple[DemoGroup, DemoPerson, datetime]:
    """A fitting group (big groups raise more), a time, and a member who can act."""
    regional = range(len(texts.THEMATIC_GROUPS), len(plan.groups))
    groups = [plan.groups[i] for i in (*topic.groups, *regional)]
    weights = [
        len(group.members) ** 2 * (THEMATIC_PULL if i < len(topic.groups) else 1)
        for i, group in enumerate(groups)
    ]
    while True:
        group = plan.rng.choices(groups, weights=weights)[0]
        at = plan.day(plan.rng.uniform(45, HISTORY.days - 1))
        authors = [p for p in group.members if p.can_act_in(group.index, at)]
        if authors:
            return group, plan.rng.choice(authors), at


def plan_pain_point_withdrawals(plan: Plan) -> None:
    """Authors withdraw a few unpopular pain points a few weeks after submitting."""
    unpopular = sorted(plan.pain_points, key=lambda p: p.popularity)[:30]
    plan.rng.shuffle(unpopular)
    reasons = iter(texts.PAIN_POINT_WITHDRAWAL_REASONS)
    for pain_point in unpopular:
        at = plan.after(pain_point.submitted_at, plan.rng.uniform(10, 45))
        if at >= plan.now or not pain_point.author.company.active_at(at):
            continue
        reason = next(reasons, None)
        if reason is None:
            return
        pain_point.withdrawn_at = at
        pain_point.set_status(at, WITHDRAWN)
        withdraw = plan.app.withdraw_pain_point
        author = pain_point.author.id
        plan.add(at, "withdrawn-pain-points", withdraw, pain_point.id, reason, by=author)


def plan_supports(plan: Plan) -> None:
    """Whole companies rally behind popular pain points, big ones with many people."""
    for pain_point in plan.pain_points:
        plan_support(plan, pain_point, pain_point.author)
        joins: dict[UUID, bool] = {pain_point.author.company.id: True}
        for person in pain_point.group.members:
            company = person.company.id
            if company not in joins:
                joins[company] = plan.rng.random() < pain_point.popularity
            engaged = plan.rng.random() < ENGAGEMENT
            if joins[company] and engaged and person is not pain_point.author:
                plan_support(plan, pain_point, person)


def plan_support(plan: Plan, pain_point: DemoPainPoint, person: DemoPerson) -> None:
    """Give support while the pain point is open, and sometimes withdraw it."""
    since = max(pain_point.submitted_at, person.enrolled[pain_point.group.index])
    given = plan.after(since, plan.rng.expovariate(1 / 12) + 0.01)
    limits = (plan.now, pain_point.withdrawn_at, person.company.ended_at)
    deadline = min(limit for limit in limits if limit is not None)
    if given >= deadline or not pain_point.is_open_at(given):
        return
    backing = Backing(person, given)
    pain_point.backings.append(backing)
    plan.add(given, "supports", plan.app.give_support, pain_point.id, by=person.id)
    if plan.rng.random() < SUPPORT_WITHDRAWAL:
        plan_support_withdrawal(plan, pain_point, backing, deadline)


def plan_support_withdrawal(
    plan: Plan, pain_point: DemoPainPoint, backing: Backing, deadline: datetime
) -> None:
    """Withdraw a support, and sometimes give it again later."""
    withdrawn = plan.after(backing.given, plan.rng.expovariate(1 / 40) + 0.05)
    if withdrawn >= deadline:
        return
    backing.withdrawn = withdrawn
    by = backing.person.id
    plan.add(withdrawn, "support-withdrawals", plan.app.withdraw_support, pain_point.id, by=by)
    again = plan.after(withdrawn, plan.rng.expovariate(1 / 30) + 0.05)
    if plan.rng.random() < SUPPORT_RETURN and again < deadline and pain_point.is_open_at(again):
        pain_point.backings.append(Backing(backing.person, again))
        plan.add(again, "supports-given-again", plan.app.give_support, pain_point.id, by=by)


PLANNERS: tuple[Callable[[Plan], None], ...] = (
    plan_admin,
    plan_groups,
    plan_companies,
    plan_people,
    plan_membership_ends,
    plan_board,
    plan_leads,
    plan_pain_points,
    plan_pain_point_withdrawals,
    plan_vendor_representatives,
    plan_triage,
    plan_supports,
    plan_board_work,
    plan_voting_rules,
)


# -- running ---------------------------------------------------------------------------


def load_demo(
    app: Sprachrohr,
    password_hash: str,
    *,
    seed: int = 2004,
    now: datetime | None = None,
    signing_key: Ed25519PrivateKey | None = None,
    defer_dossiers: bool = False,
) -> DemoSummary:
    """Fill an empty store with the demo association; Conflict if it is not empty.

    A store holding only people without a company (the bootstrap admin) counts as
    empty: the bootstrap admin is created before the demo is loaded. With
    `defer_dossiers`, the briefing dossiers are defined as of their moment but not
    composed (rendering them takes seconds): the summary lists them for issue_pending,
    which records them later (with the time they are recorded at as their issue time).
    """
    if holds_association(app):
        raise Conflict("demo.store_not_empty")
    if now is None:
        now = datetime.now(UTC).replace(second=0, microsecond=0)
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    plan = Plan(app, password_hash, random.Random(seed), now)
    plan.signing_key = signing_key
    if defer_dossiers:
        plan.deferred_dossiers = []
    for planner in PLANNERS:
        planner(plan)
    with quietly():  # the demo's history is nobody's news (storage.quiet)
        run(app, plan.steps)
    summary = summarise(plan)
    return replace(summary, pending_dossiers=tuple(plan.deferred_dossiers or ()))


def issue_pending(
    app: Sprachrohr,
    pending: Sequence[PendingDossier],
    signing_key: Ed25519PrivateKey | None = None,
) -> int:
    """Compose and record the deferred briefing dossiers; how many were recorded now
    (one recorded before under its idempotency key is not recorded twice)."""
    recorded = 0
    for dossier in pending:
        with quietly():
            _, outcome = issue(
                app, dossier.definition, by=dossier.by, key=dossier.key, signing_key=signing_key
            )
        recorded += outcome.changed
    return recorded


def run(app: Sprachrohr, steps: list[Step]) -> None:
    """Replay the steps in time order with the app's clock standing at each step."""
    ordered = sorted(steps)
    clock = SimulatedClock(ordered[0].at)
    original = app.clock
    app.clock = clock
    try:
        for step in ordered:
            clock.advance_to(step.at)
            outcome = step.command()
            if not outcome.changed or step.creates not in (None, outcome.id):
                raise RuntimeError(f"demo step at {step.at} did not do what it meant")
    finally:
        app.clock = original


def summarise(plan: Plan) -> DemoSummary:
    counts = plan.counts
    return DemoSummary(
        companies=counts["companies"],
        ended_memberships=counts["ended-memberships"],
        people=counts["people"],
        groups=counts["groups"],
        pain_points=counts["pain-points"],
        withdrawn_pain_points=counts["withdrawn-pain-points"],
        supports=counts["supports"],
        support_withdrawals=counts["support-withdrawals"],
        supports_given_again=counts["supports-given-again"],
        work=WorkSummary.of(counts),
        commands=len(plan.steps),
        logins=active_first(plan.logins),
    )
