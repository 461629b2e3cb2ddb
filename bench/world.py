"""A populated association, built through the Application like real users would.

Setup goes through the commands (ensure_admin, admit_company, register_person,
found_group, enrol, submit_pain_point); bench.supportlog adds the bulk supports of
large logs.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from uuid import UUID

from service.application import Sprachrohr
from service.runtime import Runtime, build_runtime
from service.security import hash_password, new_token, token_digest
from service.settings import Settings

Pair = tuple[UUID, UUID]  # (person, pain point)


@cache
def password_hash() -> str:
    """One argon2id hash shared by every benchmark person: hashing costs ~50 ms each."""
    return hash_password("bench-password-not-secret")


@dataclass
class World:
    app: Sprachrohr
    admin: UUID
    group: UUID
    companies: list[UUID]
    people: list[UUID]
    company_of: dict[UUID, UUID]
    pain_points: list[UUID]
    tokens: dict[UUID, str] = field(default_factory=dict)

    def all_pairs(self, seed: int = 7) -> list[Pair]:
        """Every (person, pain point) pair once, in a fixed shuffled order."""
        pairs = [(p, i) for p in self.people for i in self.pain_points]
        random.Random(seed).shuffle(pairs)
        return pairs

    def open_sessions(self, people: list[UUID]) -> None:
        """A bearer token per person, stored like the login route stores it."""
        expires = datetime.now(UTC) + timedelta(days=1)
        for person in people:
            token = new_token()
            self.app.open_session(token_digest(token), person, expires)
            self.tokens[person] = token


#: Title words: a search for two of them (as prefixes) finds a few dozen pain points.
WORDS = [
    "Lizenz",
    "Schnittstelle",
    "Export",
    "Rechnung",
    "Abrechnung",
    "Berechtigung",
    "Migration",
    "Update",
    "Dokumentation",
    "Performance",
    "Suche",
    "Filter",
    "Bericht",
    "Vorlage",
    "Drucken",
    "Archiv",
    "Mandant",
    "Kalender",
    "Benachrichtigung",
    "Anmeldung",
    "Passwort",
    "Datenschutz",
    "Protokoll",
    "Import",
    "Zeitzone",
    "Sprache",
    "Wartung",
    "Support",
    "Lieferung",
    "Vertrag",
]


def title(i: int) -> str:
    """A pain point title of three words from WORDS and a number, fixed by `i`."""
    rng = random.Random(i)
    return " ".join(rng.sample(WORDS, 3)) + f" {i:04d}"


def runtime_in(data_dir: Path) -> Runtime:
    """The production runtime (SQLite event store + view store) in `data_dir`."""
    return build_runtime(Settings(data_dir=data_dir, run_projector=False))


def populate(app: Sprachrohr, *, companies: int, people: int, pain_points: int) -> World:
    """An admin, member companies, one working group with every person enrolled."""
    app.ensure_admin("admin@bench.example", "Bench Admin", password_hash())
    admin = app.find_person_by_email("admin@bench.example")
    assert admin is not None
    company_ids = [app.admit_company(f"Firma {c:03d}", by=admin.id).id for c in range(companies)]
    company_of: dict[UUID, UUID] = {}
    for n in range(people):
        company = company_ids[n % companies]
        person = app.register_person(
            f"person{n}@bench.example", f"Person {n}", company, password_hash(), by=admin.id
        ).id
        company_of[person] = company
    group = app.found_group("Bench group", "thematic", "", by=admin.id).id
    person_ids = list(company_of)
    for person in person_ids:
        app.enrol(group, person, by=admin.id)
    items = [
        app.submit_pain_point(group, title(i), "", [], by=person_ids[i % people]).id
        for i in range(pain_points)
    ]
    return World(app, admin.id, group, company_ids, person_ids, company_of, items)
