"""Load a deterministic demo association: 18 months of history, made by the commands.

The loader first plans every step (who does what, when) with one seeded random
generator, then replays the steps in time order through the Application's command
methods while a simulated clock stands at each step's time. The event log is thus a
real, plausible history; the same seed and `now` give the same log.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from uuid import UUID

from api import demo_texts as texts
from domain.application import Outcome, Sprachrohr
from domain.errors import Conflict
from domain.ids import SYSTEM, idempotent_id

DEMO_PASSWORD = "sprachrohr-demo"
ADMIN_EMAIL = "admin@mspn.example"
ADMIN_NAME = "Geschäftsstelle MSPN"
#: A little under 18 calendar months, so the whole history fits in any 18 months.
HISTORY = timedelta(days=540)
PAIN_POINTS = 120
ENGLISH_SHARE = 0.25
FOUNDING_COMPANIES = 12
ENDED_COMPANIES = 2
#: Chance that a person of a supporting company supports too, and that a support
#: is later withdrawn, and then given again.
ENGAGEMENT = 0.85
#: How much more likely a pain point lands in a fitting thematic group.
THEMATIC_PULL = 4
SUPPORT_WITHDRAWAL = 0.08
SUPPORT_RETURN = 0.5
LEGAL_FORMS = (" GmbH", " AG", " KG", " e.K.")
UMLAUTS = (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"), ("ı", "i"), ("&", "und"))


@dataclass(frozen=True)
class DemoSummary:
    """What the loader created; `logins` are (e-mail, role) pairs for the demo."""

    companies: int
    ended_memberships: int
    people: int
    groups: int
    pain_points: int
    withdrawn_pain_points: int
    supports: int
    support_withdrawals: int
    supports_given_again: int
    commands: int
    logins: tuple[tuple[str, str], ...]


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


@dataclass
class DemoCompany:
    name: str
    region: int
    size: int
    id: UUID
    admitted_at: datetime
    ended_at: datetime | None = None

    @property
    def domain(self) -> str:
        base = self.name
        for form in LEGAL_FORMS:
            base = base.removesuffix(form)
        return f"{slug(base)}.example"

    def active_at(self, at: datetime) -> bool:
        return self.ended_at is None or at < self.ended_at


@dataclass
class DemoPerson:
    id: UUID
    name: str
    email: str
    company: DemoCompany
    registered_at: datetime
    enrolled: dict[int, datetime] = field(default_factory=dict)

    def can_act_in(self, group: int, at: datetime) -> bool:
        since = self.enrolled.get(group)
        return since is not None and since < at and self.company.active_at(at)


@dataclass
class DemoGroup:
    index: int
    name: str
    id: UUID
    members: list[DemoPerson] = field(default_factory=list)


@dataclass
class DemoPainPoint:
    group: DemoGroup
    author: DemoPerson
    submitted_at: datetime
    popularity: float
    id: UUID
    withdrawn_at: datetime | None = None


@dataclass(order=True)
class Step:
    at: datetime
    seq: int
    command: Callable[[], Outcome] = field(compare=False)
    creates: UUID | None = field(default=None, compare=False)


class Plan:
    """Everything the loader will do, with its time, planned before anything runs."""

    def __init__(
        self, app: Sprachrohr, password_hash: str, rng: random.Random, now: datetime
    ) -> None:
        self.app = app
        self.password_hash = password_hash
        self.rng = rng
        self.now = now
        self.start = now - HISTORY
        self.admin = idempotent_id("person", SYSTEM, "demo-admin")
        self.steps: list[Step] = []
        self.counts: Counter[str] = Counter()
        self.companies: list[DemoCompany] = []
        self.people: list[DemoPerson] = []
        self.groups: list[DemoGroup] = []
        self.pain_points: list[DemoPainPoint] = []
        self.logins: list[tuple[str, str]] = [(ADMIN_EMAIL, "Admin (Geschäftsstelle)")]

    def day(self, days: float) -> datetime:
        """The moment `days` after the start of the history, in whole seconds."""
        return self.after(self.start, days)

    def after(self, at: datetime, days: float) -> datetime:
        return at + timedelta(seconds=round(days * 86_400))

    def add(
        self,
        at: datetime,
        what: str,
        command: Callable[[], Outcome],
        creates: UUID | None = None,
    ) -> None:
        if not self.start <= at < self.now:
            raise ValueError(f"demo step {what!r} planned outside the history")
        self.steps.append(Step(at, len(self.steps), command, creates))
        self.counts[what] += 1


def slug(text: str) -> str:
    """Lower-case ASCII with dashes, for invented domains and e-mail addresses."""
    text = text.casefold()
    for umlaut, ascii_ in UMLAUTS:
        text = text.replace(umlaut, ascii_)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


# -- the association: admin, groups, companies, people ---------------------------


def plan_admin(plan: Plan) -> None:
    register = partial(
        plan.app.register_person,
        ADMIN_EMAIL,
        ADMIN_NAME,
        None,
        plan.password_hash,
        by=SYSTEM,
        key="demo-admin",
    )
    plan.add(plan.start, "admins", register, plan.admin)
    grant = partial(plan.app.grant_role, plan.admin, "admin", by=SYSTEM)
    plan.add(plan.day(1 / 1440), "roles", grant)


def plan_groups(plan: Plan) -> None:
    kinds = ["thematic"] * len(texts.THEMATIC_GROUPS)
    kinds += ["regional"] * len(texts.REGIONAL_GROUPS)
    named = texts.THEMATIC_GROUPS + texts.REGIONAL_GROUPS
    for index, ((name, description), kind) in enumerate(zip(named, kinds, strict=True)):
        key = f"demo-group-{index}"
        group = DemoGroup(index, name, idempotent_id("group", plan.admin, key))
        found = partial(plan.app.found_group, name, kind, description, by=plan.admin, key=key)
        plan.add(plan.day(1 + index / 2), "groups", found, group.id)
        plan.groups.append(group)


def plan_companies(plan: Plan) -> None:
    order = list(range(len(texts.COMPANIES)))
    plan.rng.shuffle(order)
    sizes = list(texts.COMPANY_SIZES)
    sizes += [plan.rng.choice(texts.SMALL_COMPANY_SIZES) for _ in order[len(sizes) :]]
    for rank, (index, size) in enumerate(zip(order, sizes, strict=True)):
        name, region = texts.COMPANIES[index]
        key = f"demo-company-{index}"
        founding = rank < FOUNDING_COMPANIES
        admitted = plan.day(plan.rng.uniform(8, 25) if founding else 30 + rank * 7)
        company_id = idempotent_id("company", plan.admin, key)
        company = DemoCompany(name, region, size, company_id, admitted)
        admit = partial(plan.app.admit_company, name, by=plan.admin, key=key)
        plan.add(admitted, "companies", admit, company_id)
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
    person_id = idempotent_id("person", plan.admin, key)
    at = plan.after(company.admitted_at, delay)
    person = DemoPerson(person_id, f"{first} {last}", email, company, at)
    register = partial(
        plan.app.register_person,
        email,
        person.name,
        company.id,
        plan.password_hash,
        by=plan.admin,
        key=key,
    )
    plan.add(at, "people", register, person_id)
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
        delay = plan.rng.uniform(0.5, 30)
        enrolments.append((index, plan.after(person.registered_at, delay)))
    for index, at in enrolments:
        group = plan.groups[index]
        enrol = partial(plan.app.enrol, group.id, person.id, by=plan.admin)
        plan.add(at, "enrolments", enrol)
        person.enrolled[index] = at
        group.members.append(person)


def plan_membership_ends(plan: Plan) -> None:
    candidates = [
        company
        for company in plan.companies[FOUNDING_COMPANIES:]
        if company.size <= 3 and company.admitted_at < plan.day(200)
    ]
    chosen = plan.rng.sample(candidates, ENDED_COMPANIES)
    for company, reason in zip(chosen, texts.MEMBERSHIP_END_REASONS, strict=False):
        company.ended_at = plan.day(plan.rng.uniform(360, 480))
        end = partial(plan.app.end_membership, company.id, reason, by=plan.admin)
        plan.add(company.ended_at, "ended-memberships", end)
        person = next(p for p in plan.people if p.company is company)
        plan.logins.append((person.email, f"Mitglied, {company.name} (ausgetreten)"))


def plan_board(plan: Plan) -> None:
    """Two people of founding companies are elected to the board after a month."""
    founders = plan.rng.sample(plan.companies[:FOUNDING_COMPANIES], 2)
    for company in founders:
        person = next(p for p in plan.people if p.company is company)
        at = max(plan.after(person.registered_at, 1), plan.day(30))
        grant = partial(plan.app.grant_role, person.id, "board", by=plan.admin)
        plan.add(at, "roles", grant)
        plan.logins.append((person.email, f"Vorstand, {company.name}"))


def plan_leads(plan: Plan) -> None:
    leads: set[UUID] = set()
    for group in plan.groups:
        candidates = sorted(
            (p for p in group.members if p.company.ended_at is None),
            key=lambda p: p.enrolled[group.index],
        )
        person = plan.rng.choice([p for p in candidates if p.id not in leads][:5])
        leads.add(person.id)
        at = plan.after(person.enrolled[group.index], plan.rng.uniform(1, 10))
        appoint = partial(plan.app.appoint_lead, group.id, person.id, by=plan.admin)
        plan.add(at, "leads", appoint)
        plan.logins.append((person.email, f"Leitung Arbeitskreis {group.name}"))
    biggest = max(plan.companies, key=lambda company: company.size)
    member = next(p for p in plan.people if p.company is biggest and p.id not in leads)
    plan.logins.append((member.email, f"Mitglied, {biggest.name}"))


# -- pain points and support -----------------------------------------------------


@dataclass(frozen=True)
class Draft:
    topic: texts.Topic
    symptom: str
    title: str
    description: str
    tags: list[str]


def plan_pain_points(plan: Plan) -> None:
    """120 pain points, each a distinct pairing of topic and symptom."""
    english = round(PAIN_POINTS * ENGLISH_SHARE)
    languages = ["en"] * english + ["de"] * (PAIN_POINTS - english)
    plan.rng.shuffle(languages)
    written: set[tuple[str, str]] = set()
    for index, language in enumerate(languages):
        draft = write_draft(plan.rng, language)
        while (draft.topic.label_de, draft.symptom) in written:
            draft = write_draft(plan.rng, language)
        written.add((draft.topic.label_de, draft.symptom))
        submit_pain_point(plan, index, draft)


def write_draft(rng: random.Random, language: str) -> Draft:
    """A title and 2–4 sentences: topic context, symptom, maybe impact and ask."""
    topic = rng.choice(texts.TOPICS)
    german = language == "de"
    label = topic.label_de if german else topic.label_en
    specific = topic.symptoms_de if german else topic.symptoms_en
    generic = texts.GENERIC_SYMPTOMS_DE if german else texts.GENERIC_SYMPTOMS_EN
    symptom, detail = rng.choice(specific if rng.random() < 0.5 else generic)
    formats = texts.TITLE_FORMATS_DE if german else texts.TITLE_FORMATS_EN
    title = rng.choice(formats).format(label=label, symptom=symptom)
    sentences = [topic.context_de if german else topic.context_en]
    sentences.append(detail.format(label=label if german else label.lower()))
    impacts = texts.IMPACTS_DE if german else texts.IMPACTS_EN
    asks = texts.ASKS_DE if german else texts.ASKS_EN
    sentences += [rng.choice(extra) for extra in (impacts, asks) if rng.random() < 0.7]
    tags = list(topic.tags)
    if rng.random() < 0.35:
        tags.append(rng.choice(texts.EXTRA_TAGS))
    return Draft(topic, symptom, title, " ".join(sentences), tags[:3])


def submit_pain_point(plan: Plan, index: int, draft: Draft) -> None:
    group, author, at = place_pain_point(plan, draft.topic)
    key = f"demo-pain-point-{index}"
    pain_point_id = idempotent_id("pain-point", author.id, key)
    popularity = plan.rng.betavariate(1.6, 1.1)
    pain_point = DemoPainPoint(group, author, at, popularity, pain_point_id)
    submit = partial(
        plan.app.submit_pain_point,
        group.id,
        draft.title,
        draft.description,
        draft.tags,
        by=author.id,
        key=key,
    )
    plan.add(at, "pain-points", submit, pain_point_id)
    plan.pain_points.append(pain_point)


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
        withdraw = partial(
            plan.app.withdraw_pain_point, pain_point.id, reason, by=pain_point.author.id
        )
        plan.add(at, "withdrawn-pain-points", withdraw)


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
    """Give support, and sometimes withdraw it and give it again later."""
    since = max(pain_point.submitted_at, person.enrolled[pain_point.group.index])
    given = plan.after(since, plan.rng.expovariate(1 / 12) + 0.01)
    limits = (plan.now, pain_point.withdrawn_at, person.company.ended_at)
    deadline = min(limit for limit in limits if limit is not None)
    give = partial(plan.app.give_support, pain_point.id, by=person.id)
    if given >= deadline:
        return
    plan.add(given, "supports", give)
    if plan.rng.random() >= SUPPORT_WITHDRAWAL:
        return
    withdrawn = plan.after(given, plan.rng.expovariate(1 / 40) + 0.05)
    if withdrawn >= deadline:
        return
    withdraw = partial(plan.app.withdraw_support, pain_point.id, by=person.id)
    plan.add(withdrawn, "support-withdrawals", withdraw)
    again = plan.after(withdrawn, plan.rng.expovariate(1 / 30) + 0.05)
    if plan.rng.random() < SUPPORT_RETURN and again < deadline:
        plan.add(again, "supports-given-again", give)


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
    plan_supports,
)


# -- running ---------------------------------------------------------------------


def load_demo(
    app: Sprachrohr,
    password_hash: str,
    *,
    seed: int = 2004,
    now: datetime | None = None,
) -> DemoSummary:
    """Fill an empty store with the demo association; Conflict if it is not empty."""
    if app.recorder.max_notification_id():
        raise Conflict("the demo can only be loaded into an empty store")
    if now is None:
        now = datetime.now(UTC).replace(second=0, microsecond=0)
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    plan = Plan(app, password_hash, random.Random(seed), now)
    for planner in PLANNERS:
        planner(plan)
    run(app, plan.steps)
    return summarise(plan)


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
        commands=len(plan.steps),
        logins=tuple(plan.logins),
    )
