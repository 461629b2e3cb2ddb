"""A fixed, realistic dossier content of two working groups, as the content builder makes it.

`german()` withholds company names; `english()` is the same dossier in English with the board's
decision to include them.
"""

from __future__ import annotations

import copy
import hashlib
import json
from datetime import date, timedelta
from typing import Any

AS_OF = date(2026, 3, 14)
LAST_MONDAY = date(2026, 3, 9)
MAX_WEEKS = 40

LICENSING = "0b6f2c1e-5d7a-4a51-9c43-1a2b3c4d5e01"
SECURITY = "0b6f2c1e-5d7a-4a51-9c43-1a2b3c4d5e02"

COMPANY_NAMES = (
    "Nordlicht IT GmbH",
    "Alpensystemhaus AG",
    "Rheinwerk Cloud Services GmbH",
    "Elbdata Consulting GmbH",
    "Mainufer Software KG",
    "Isarnetz Solutions GmbH",
    "Hanse Cloudpartner GmbH",
    "Schwarzwald Datentechnik GmbH",
    "Spree Digital GmbH",
    "Ruhrpott Managed Services GmbH",
    "Bodensee IT-Partner AG",
    "Weserbogen Systems GmbH",
    "Ostsee Netzwerk AG",
    "Frankenwald Softwarehaus GmbH",
    "Pfalz Cloud Consulting GmbH",
    "Harz IT-Service GmbH",
)


def pp_id(n: int) -> str:
    return f"7d3e9a10-0000-4000-8000-{n:012d}"


def trend(first_raised: str, companies: int, people: int) -> dict[str, list[Any]]:
    """Weekly Mondays since the pain point was raised (at most 40), support growing to today's."""
    start = date.fromisoformat(first_raised)
    weeks = [LAST_MONDAY - timedelta(weeks=k) for k in range(MAX_WEEKS - 1, -1, -1)]
    weeks = [w for w in weeks if w + timedelta(days=6) >= start]
    n = len(weeks)
    growth = [((i + 1) / n) ** 0.6 for i in range(n)]
    return {
        "weeks": [w.isoformat() for w in weeks],
        "people": [round(people * g) for g in growth],
        "companies": [min(round(companies * g), round(people * g)) for g in growth],
    }


def response(
    day: str,
    kind: str,
    text: str,
    product_group: str,
    promise: tuple[str, str | None, str] | None = None,
) -> dict[str, Any]:
    """A vendor answer; `promise` is its commitment as (text, target date, state)."""
    commitment = (
        {"text": promise[0], "target": promise[1], "state": promise[2]} if promise else None
    )
    return {
        "date": day,
        "kind": kind,
        "text": text,
        "product_group": product_group,
        "commitment": commitment,
    }


def pain_point(
    n: int,
    title: str,
    description: str,
    status: tuple[str, str],
    first_raised: str,
    support: tuple[int, int],
    ranks: tuple[int | None, int | None],
    evidence: tuple[int, int, dict[str, int], list[str]],
    tags: list[str],
    responses: list[dict[str, Any]] | None = None,
    presented_at: list[dict[str, str]] | None = None,
    merged_from: list[str] | None = None,
) -> dict[str, Any]:
    companies, people = support
    entries, customers, bands, areas = evidence
    with_history = first_raised <= LAST_MONDAY.isoformat()
    return {
        "id": pp_id(n),
        "title": title,
        "description": description,
        "status": status[0],
        "status_since": status[1],
        "first_raised": first_raised,
        "days_open": (AS_OF - date.fromisoformat(first_raised)).days,
        "tags": tags,
        "curated_position": ranks[0],
        "community_rank": ranks[1],
        "support": {"companies": companies, "people": people, "company_names": None},
        "evidence": {
            "entries": entries,
            "affected_customers": customers,
            "revenue_bands": bands,
            "product_areas": areas,
        },
        "trend": trend(first_raised, companies, people)
        if with_history
        else {"weeks": [], "people": [], "companies": []},
        "responses": responses or [],
        "presented_at": presented_at or [],
        "merged_from": merged_from or [],
    }


QB_AUGUST = {"meeting": "Quality Board Partnerprogramm", "date": "2025-08-12"}
QB_NOVEMBER = {"meeting": "Quality Board Partnerprogramm", "date": "2025-11-18"}

ASSIGNMENT = pain_point(
    1,
    "Lizenzzuordnung im Partner Center dauert Wochen",
    "Nach dem Kauf über den CSP-Kanal erscheinen Lizenzen beim Endkunden oft erst nach zwei "
    "bis sechs Wochen im Partner Center. In dieser Zeit können Partner weder Nutzer zuweisen "
    "noch Support-Fälle für die Lizenzen eröffnen.\n\nBetroffen sind vor allem Kunden mit "
    "mehreren Mandanten. Der manuelle Weg über den Partner-Support kostet je Fall im Mittel "
    "drei Stunden.",
    ("presented", "2025-11-18"),
    "2025-06-02",
    (12, 20),
    (1, 2),
    (3, 420, {"100k-1m": 2, "under-10k": 1}, ["Partner Center"]),
    ["Lizenzierung", "Partner Center"],
    responses=[
        response(
            "2025-08-20",
            "acknowledged",
            "Wir prüfen die Abläufe der Lizenzzuordnung mit dem Produktteam.",
            "Partner Center",
        ),
        response(
            "2026-01-20",
            "planned",
            "Die automatische Zuordnung für CSP-Abonnements ist für das zweite Quartal geplant.",
            "Partner Center",
            ("Automatische Lizenzzuordnung für CSP-Abonnements", "2026-06-30", "open"),
        ),
    ],
    presented_at=[QB_AUGUST, QB_NOVEMBER],
    merged_from=["Lizenzen tauchen nicht im Kundenmandanten auf"],
)

PRICE_CHANGES = pain_point(
    2,
    "CSP-Preisänderungen ohne ausreichenden Vorlauf",
    "Preisänderungen im CSP-Programm werden mit weniger als 30 Tagen Vorlauf angekündigt. "
    "Partner mit Festpreisverträgen tragen die Differenz bis zur nächsten Vertragsanpassung.",
    ("escalated", "2026-02-02"),
    "2025-07-14",
    (14, 22),
    (2, 1),
    (2, 130, {"over-1m": 1, "10k-100k": 1}, ["CSP", "Preisliste"]),
    ["Preise", "CSP"],
)

NOTICE_PERIODS = pain_point(
    3,
    "Kündigungsfristen bei NCE-Jahresverträgen",
    "Jahresverträge im neuen Commerce-Modell lassen sich nur 72 Stunden nach Abschluss "
    "reduzieren. Kunden mit saisonalem Personal bezahlen Lizenzen für Monate, in denen sie "
    "sie nicht nutzen.",
    ("answered", "2026-02-10"),
    "2025-06-23",
    (8, 15),
    (3, 3),
    (4, 260, {"10k-100k": 3, "unknown": 1}, ["CSP"]),
    ["Lizenzierung", "NCE"],
    responses=[
        response(
            "2025-09-01",
            "planned",
            "Wir prüfen eine Verlängerung des Änderungsfensters auf sieben Tage.",
            "Commercial Marketplace",
            ("Änderungsfenster von sieben Tagen", "2026-01-31", "missed"),
        ),
        response(
            "2026-02-10",
            "workaround",
            "Auf Antrag über den Partner-Support kann das Änderungsfenster einmalig verlängert "
            "werden.",
            "Commercial Marketplace",
        ),
    ],
    presented_at=[QB_NOVEMBER],
)

DEMO_LICENSES = pain_point(
    4,
    "Testlizenzen für Partner-Demos laufen zu früh ab",
    "Demo-Mandanten verlieren ihre Testlizenzen nach 30 Tagen; für Kundentermine müssen "
    "Partner die Umgebungen jedes Mal neu aufbauen.",
    ("accepted", "2026-01-12"),
    "2025-12-15",
    (5, 6),
    (None, 4),
    (1, 0, {"under-10k": 1}, ["Demo-Mandanten"]),
    ["Demo"],
)

SECURITY_NOTICES = pain_point(
    11,
    "Sicherheitsmeldungen erreichen Partner zu spät",
    "Sicherheitsmeldungen zu verwalteten Kundenumgebungen gehen an die Kunden, aber erst Tage "
    "später an die betreuenden Partner. Partner erfahren von kritischen Lücken oft aus der "
    "Presse.",
    ("presented", "2025-11-18"),
    "2025-05-05",
    (9, 20),
    (1, 1),
    (5, 1200, {"over-1m": 2, "100k-1m": 2, "unknown": 1}, ["Security Center", "Lighthouse"]),
    ["Sicherheit", "Benachrichtigungen"],
    responses=[
        response(
            "2025-06-20",
            "planned",
            "Partner mit delegierten Administratorrechten sollen kritische Meldungen bis Ende "
            "Oktober per E-Mail erhalten.",
            "Security Center",
            ("E-Mail an Partner mit delegierten Administratorrechten", "2025-10-31", "met"),
        ),
        response(
            "2025-10-01",
            "planned",
            "Eine Weiterleitung der Meldungen an alle eingetragenen Partner ist in Arbeit.",
            "Security Center",
            ("Weiterleitung an alle eingetragenen Partner", "2026-02-28", "overdue"),
        ),
        response(
            "2025-10-29",
            "shipped",
            "Partner mit delegierten Administratorrechten erhalten kritische Meldungen jetzt "
            "per E-Mail.",
            "Security Center",
        ),
    ],
    presented_at=[QB_NOVEMBER],
)

TENANT_SEPARATION = pain_point(
    12,
    "Fehlende Mandantentrennung in Support-Tickets",
    "Im Support-Portal sehen alle Mitarbeiter eines Partners die Tickets aller Kunden. "
    "Vertraulichkeitsvereinbarungen einzelner Kunden lassen sich so nicht einhalten.",
    ("escalated", "2026-01-28"),
    "2025-09-08",
    (6, 11),
    (2, 3),
    (2, 85, {"100k-1m": 1, "10k-100k": 1}, ["Support-Portal"]),
    ["Support", "Datenschutz"],
)

SLA_REPORTS = pain_point(
    13,
    "SLA-Nachweise für die Rechenzentrumsregion Frankfurt",
    "Verfügbarkeitsnachweise gibt es nur je Kontinent. Kunden aus dem Finanzsektor verlangen "
    "Nachweise je Region.",
    ("accepted", "2025-10-06"),
    "2025-08-25",
    (7, 12),
    (None, 2),
    (3, 310, {"over-1m": 1, "100k-1m": 2}, ["Azure"]),
    ["Verfügbarkeit", "Regulierung"],
)

CERTIFICATE_RENEWAL = pain_point(
    14,
    "Zertifikatsverlängerung im Partnerportal schlägt fehl",
    "Seit dem 10. März bricht die Verlängerung von Kompetenznachweisen mit einer Fehlermeldung ab.",
    ("new", "2026-03-12"),
    "2026-03-12",
    (1, 1),
    (None, 5),
    (0, 0, {}, []),
    [],
)


def ranked(rank: int, item: dict[str, Any], score: float) -> dict[str, Any]:
    return {
        "rank": rank,
        "pain_point_id": item["id"],
        "title": item["title"],
        "score": score,
        "companies": item["support"]["companies"],
        "people": item["support"]["people"],
        "status": item["status"],
    }


def curated_row(
    position: int, item: dict[str, Any], pinned: bool, rationale: str
) -> dict[str, Any]:
    return {
        "position": position,
        "pain_point_id": item["id"],
        "title": item["title"],
        "community_rank": item["community_rank"],
        "pinned": pinned,
        "flagged": item["community_rank"] != position,
        "rationale": rationale,
    }


def other(n: int, title: str, companies: int, people: int, status: str) -> dict[str, Any]:
    return {
        "id": pp_id(n),
        "title": title,
        "support": {"companies": companies, "people": people},
        "status": status,
    }


GROUPS = [
    {
        "id": LICENSING,
        "name": "Lizenzierung",
        "description": "Thematischer Arbeitskreis zu Lizenzmodellen, CSP und Partner Center.",
        "curated": {
            "edition": 4,
            "published_at": "2026-02-20",
            "rows": [
                curated_row(
                    1,
                    ASSIGNMENT,
                    True,
                    "Blockiert Neugeschäft bei allen CSP-Partnern; zweimal vorgetragen, Zusage "
                    "steht aus.",
                ),
                curated_row(
                    2,
                    PRICE_CHANGES,
                    False,
                    "Preisfragen adressiert der Vorstand zusätzlich im Inner Circle.",
                ),
                curated_row(3, NOTICE_PERIODS, False, ""),
            ],
        },
        "ranking": [
            ranked(1, PRICE_CHANGES, 8.5),
            ranked(2, ASSIGNMENT, 8.0),
            ranked(3, NOTICE_PERIODS, 5.625),
            ranked(4, DEMO_LICENSES, 2.75),
            ranked(5, other(5, "Rechnungsstellung in Fremdwährung", 3, 4, "needs-info"), 1.75),
            ranked(6, other(6, "Vorlagen für Partnerverträge | Version 2023", 1, 2, "new"), 0.75),
        ],
        "pain_points": [ASSIGNMENT, PRICE_CHANGES, NOTICE_PERIODS, DEMO_LICENSES],
    },
    {
        "id": SECURITY,
        "name": "Hochverfügbarkeit und Sicherheit",
        "description": "Thematischer Arbeitskreis zu Betrieb, Verfügbarkeit und Sicherheit "
        "verwalteter Kundenumgebungen.",
        "curated": {
            "edition": 2,
            "published_at": "2026-01-30",
            "rows": [
                curated_row(
                    1, SECURITY_NOTICES, True, "Höchstes Risiko für Kunden; Zusage überfällig."
                ),
                curated_row(
                    2,
                    TENANT_SEPARATION,
                    False,
                    "Rechtliches Risiko für alle Partner mit Verschwiegenheitspflichten.",
                ),
            ],
        },
        "ranking": [
            ranked(1, SECURITY_NOTICES, 7.0),
            ranked(2, SLA_REPORTS, 4.625),
            ranked(3, TENANT_SEPARATION, 4.125),
            ranked(4, other(15, "Notfallkontakte außerhalb der Geschäftszeiten", 2, 2, "new"), 1.0),
            ranked(5, CERTIFICATE_RENEWAL, 0.5),
        ],
        "pain_points": [SECURITY_NOTICES, TENANT_SEPARATION, SLA_REPORTS, CERTIFICATE_RENEWAL],
    },
]


def abstract(description: str, limit: int = 300) -> str:
    text = " ".join(description.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def summary_item(group: str, item: dict[str, Any]) -> dict[str, Any]:
    return {
        "group": group,
        "curated_position": item["curated_position"],
        "community_rank": item["community_rank"],
        "pain_point_id": item["id"],
        "title": item["title"],
        "status": item["status"],
        "abstract": abstract(item["description"]),
        "companies": item["support"]["companies"],
        "people": item["support"]["people"],
    }


def promise(
    group: str, item: dict[str, Any], made: dict[str, Any], settled: str | None
) -> dict[str, Any]:
    return {
        "group": group,
        "title": item["title"],
        "made_at": made["date"],
        "target": made["commitment"]["target"],
        "state": made["commitment"]["state"],
        "product_group": made["product_group"],
        "text": made["commitment"]["text"],
        "settled_at": settled,
    }


def base() -> dict[str, Any]:
    """The German dossier without its content hash."""
    groups = copy.deepcopy(GROUPS)
    curated = [(g["name"], item) for g in groups for item in g["pain_points"]]
    licensing, security = groups[0]["name"], groups[1]["name"]
    return {
        "schema": 1,
        "definition": {
            "meeting_id": "5a0c7f4e-2b1d-4e8f-9a6b-3c2d1e0f9a8b",
            "group_ids": [LICENSING, SECURITY],
            "language": "de",
            "position": 10234,
            "rules_version": 3,
            "template_version": 2,
            "include_companies": False,
        },
        "seal": {"chain_head": "c4a1" * 16, "key_fingerprint": "9f0e" * 16},
        "association": {
            "name": "MSPN Deutschland e.V. – Verband der Software-Partner",
            "short": "MSPN Deutschland",
        },
        "as_of": {"position": 10234, "time": "2026-03-14T09:00:00Z", "date": "2026-03-14"},
        "meeting": {
            "name": "Quality Board Partnerprogramm",
            "kind": "quality-board",
            "date": "2026-03-14",
        },
        "previous_meeting": {"name": "Quality Board Partnerprogramm", "date": "2025-11-18"},
        "rules": {
            "groups": [
                {
                    "group": licensing,
                    "vote_budget": 5,
                    "rounds": True,
                    "round": {"number": 2, "state": "open", "since": "2026-02-01"},
                },
                {"group": security, "vote_budget": None, "rounds": False, "round": None},
            ]
        },
        "summary": [summary_item(name, item) for name, item in curated if item["curated_position"]],
        "groups": groups,
        "changes": {
            "from": "2025-11-18",
            "to": "2026-03-14",
            "new": [
                {"group": licensing, "title": DEMO_LICENSES["title"], "companies": 5, "people": 6},
                {
                    "group": security,
                    "title": CERTIFICATE_RENEWAL["title"],
                    "companies": 1,
                    "people": 1,
                },
            ],
            "moved": [
                {
                    "group": licensing,
                    "title": PRICE_CHANGES["title"],
                    "from_rank": 3,
                    "to_rank": 1,
                    "causes": ["neue Unternehmen: 5", "neue Personen: 7"],
                },
                {
                    "group": security,
                    "title": SLA_REPORTS["title"],
                    "from_rank": None,
                    "to_rank": 2,
                    "causes": ["neue Unternehmen: 4"],
                },
            ],
            "answered": [
                {
                    "group": licensing,
                    "title": NOTICE_PERIODS["title"],
                    "kind": "workaround",
                    "date": "2026-02-10",
                },
                {
                    "group": licensing,
                    "title": ASSIGNMENT["title"],
                    "kind": "planned",
                    "date": "2026-01-20",
                },
            ],
            "resolved": [
                {
                    "group": licensing,
                    "title": "Online-Partnerregistrierung zu umständlich",
                    "status": "resolved",
                    "date": "2025-12-01",
                },
            ],
        },
        "promises": [
            promise(security, SECURITY_NOTICES, SECURITY_NOTICES["responses"][0], "2025-10-29"),
            promise(licensing, NOTICE_PERIODS, NOTICE_PERIODS["responses"][0], "2026-01-31"),
            promise(security, SECURITY_NOTICES, SECURITY_NOTICES["responses"][1], None),
            promise(licensing, ASSIGNMENT, ASSIGNMENT["responses"][1], None),
        ],
    }


def with_hash(content: dict[str, Any]) -> dict[str, Any]:
    """The content hash as the content builder computes it: compact canonical JSON."""
    compact = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha256(compact.encode("utf-8")).hexdigest()
    return {**content, "content_hash": digest}


def german() -> dict[str, Any]:
    """Quality Board dossier in German, company names withheld (the default)."""
    return with_hash(base())


def english() -> dict[str, Any]:
    """The same dossier in English, with the board's decision to name companies."""
    content = base()
    content["definition"]["language"] = "en"
    content["definition"]["include_companies"] = True
    items = [item for group in content["groups"] for item in group["pain_points"]]
    for offset, item in enumerate(items):
        support = item["support"]
        rotated = COMPANY_NAMES[offset:] + COMPANY_NAMES[:offset]
        support["company_names"] = sorted(rotated[: support["companies"]])
    return with_hash(content)
