"""Every fixed text of a dossier, in German and English, and the language's number and date style.

Formatting is done here by hand rather than through the process locale, so a dossier reads the
same on every machine.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

#: Revenue bands in their natural order (domain/evidence.py), used to order evidence lines.
BAND_ORDER = ("under-10k", "10k-100k", "100k-1m", "over-1m", "unknown")
DASH = "—"
#: English dates as "14 Mar 2026": short enough for table cells, unambiguous everywhere.
EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
#: The language tags of document metadata (PDF catalogue, Word properties and spelling).
LOCALES = {"de": "de-DE", "en": "en-GB"}
#: A date never breaks across lines.
NBSP = "\u00a0"

DE: dict[str, Any] = {
    "title": "Briefing-Dossier",
    "confidential": "Vertraulich — nur aggregierte Zahlen",
    "confidential_note": (
        "Dieses Dossier enthält ausschließlich aggregierte Zahlen. Es nennt keine einzelnen "
        "Personen; Unternehmen nur, wenn der Vorstand dies ausdrücklich beschlossen hat."
    ),
    "contents": "Inhalt",
    "page_of": "Seite {page} von {pages}",
    "footer_ref": "Stand Log-Position {position} · {hash}",
    "cover_meeting": "Sitzung",
    "cover_kind": "Gremium",
    "cover_date": "Datum",
    "cover_scope": "Geltungsbereich",
    "cover_as_of": "Stand",
    "cover_position": "Log-Position",
    "cover_previous": "Vorherige Sitzung",
    "cover_rules": "Ranking-Regeln",
    "cover_template": "Vorlage",
    "cover_companies": "Unternehmensnamen",
    "cover_hash": "Inhalts-Hash",
    "cover_hash_full": "SHA-256 des Inhalts: {hash}",
    "cover_chain": "Kettenkopf",
    "cover_chain_full": "Hash-Kette des Logs bis Position {position}: {head}",
    "cover_key": "Signaturschlüssel",
    "cover_key_full": "signiert mit dem Schlüssel {fingerprint} (Signatur: .sig-Datei)",
    "version": "Version {n}",
    "companies_included": "enthalten (Beschluss des Vorstands)",
    "companies_withheld": "nicht enthalten",
    "no_meeting": "ohne Sitzungsbezug",
    "summary": "Zusammenfassung",
    "summary_intro": (
        "Die wichtigsten Pain-Points der ausgewählten Arbeitskreise, in der kuratierten "
        "Reihenfolge der Arbeitskreisleitungen; daneben ihr Rang im Community-Ranking."
    ),
    "group": "Arbeitskreis {name}",
    "lists": "Kuratierte Liste und Community-Ranking",
    "curated": "Kuratierte Liste",
    "curated_meta": "Ausgabe {edition}, veröffentlicht am {date}.",
    "curated_none": "Die Arbeitskreisleitung hat keine kuratierte Liste veröffentlicht.",
    "curated_legend": (
        "⚑ angeheftet · ↕ weicht vom Community-Rang ab (Begründung der Arbeitskreisleitung)"
    ),
    "ranking": "Community-Ranking",
    "ranking_intro": "Die 15 Pain-Points mit dem höchsten Score.",
    "pp_description": "Beschreibung",
    "pp_facts": "Eckdaten",
    "pp_chart": "Unterstützung im Zeitverlauf",
    "pp_answers": "Antworten des Herstellers",
    "pp_promises": "Offene Zusagen",
    "pp_presented": "Vorgestellt in",
    "pp_merged": "Zusammengeführte Duplikate",
    "none": "Keine.",
    "no_trend": "Keine Verlaufsdaten.",
    "chart_caption": "Unterstützende Unternehmen und Personen je Woche, {start} bis {end}.",
    "trend_text": (
        "Unternehmen: {companies_start} → {companies_end}, Personen: {people_start} → "
        "{people_end} (Wochen ab {start} bis {end})."
    ),
    "chart_companies": "Unternehmen",
    "chart_people": "Personen",
    "col_no": "Nr.",
    "col_group": "Arbeitskreis",
    "col_title": "Pain-Point",
    "col_position": "Pos.",
    "col_curated": "Kur.",
    "col_rank": "Rang",
    "col_community": "Comm.",
    "col_status": "Status",
    "col_companies": "Untern.",
    "col_people": "Pers.",
    "col_score": "Score",
    "col_note": "Anmerkung",
    "col_date": "Datum",
    "col_kind": "Art",
    "col_answer": "Antwort",
    "col_product_group": "Produktgruppe",
    "col_commitment": "Zusage",
    "col_from": "von Rang",
    "col_to": "auf Rang",
    "col_causes": "Ursachen",
    "col_made": "Zugesagt",
    "col_target": "Ziel",
    "col_state": "Stand",
    "col_settled": "Erledigt",
    "col_fact": "Merkmal",
    "col_value": "Wert",
    "col_total": "Gesamt",
    "open_promise": "{commitment} ({kind} am {date})",
    "fact_status": "Status",
    "fact_status_value": "{status} seit {date}",
    "fact_first_raised": "Erstmals eingebracht",
    "fact_first_value": "{date} ({days} offen)",
    "fact_ranks": "Kuratierte Position / Community-Rang",
    "fact_support": "Unterstützung",
    "fact_company_names": "Unterstützende Unternehmen",
    "fact_evidence": "Evidenz",
    "fact_evidence_value": "{entries}, {customers}",
    "fact_bands": "Betroffener Umsatz p. a.",
    "fact_areas": "Produktbereiche",
    "fact_tags": "Schlagworte",
    "company": "Unternehmen",
    "companies": "Unternehmen",
    "person": "Person",
    "people": "Personen",
    "entry": "Eintrag",
    "entries": "Einträge",
    "day": "Tag",
    "days": "Tage",
    "customer": "betroffener Kunde",
    "customers": "betroffene Kunden",
    "product_group": "Produktgruppe {name}",
    "commitment_value": "bis {date}: {state}",
    "presented_value": "{meeting}, {date}",
    "changes": "Änderungen seit der letzten Sitzung",
    "changes_period": "Zeitraum: {start} bis {end}.",
    "changes_none": "Keine frühere Sitzung: es gibt nichts zu vergleichen.",
    "changes_new": "Neu aufgenommen",
    "changes_moved": "Im Ranking bewegt",
    "changes_answered": "Beantwortet",
    "changes_resolved": "Gelöst oder geschlossen",
    "promises": "Zusagen des Herstellers",
    "promises_intro": "Zusagen des Herstellers aus seinen Antworten, mit Zieldatum und Stand.",
    "promises_none": "Keine Zusagen erfasst.",
    "appendix": "Anhang",
    "methodology": "Methodik",
    "methodology_text": [
        "Das Community-Ranking misst die Breite der Unterstützung über Mitgliedsunternehmen, "
        "nicht die Zahl der Konten. Unterstützen n Personen eines Mitgliedsunternehmens einen "
        "Pain-Point, trägt dieses Unternehmen 1 − 2⁻ⁿ zum Score bei: die erste Person 0,5, zwei "
        "zusammen 0,75, drei 0,875. Ein Unternehmen erreicht so nie einen vollen Punkt, gleich "
        "wie viele Personen es mobilisiert; zwei Unternehmen mit je einer Person liegen stets "
        "vor einem einzelnen Unternehmen beliebiger Größe. Der Score ist die Summe über alle "
        "Unternehmen. Bei gleichem Score entscheiden nacheinander mehr Unternehmen, mehr "
        "Personen, die frühere erste Unterstützung und zuletzt die Kennung. Alle Zahlen gelten "
        "zur angegebenen Log-Position; das Dossier lässt sich für diese Position jederzeit aus "
        "dem Ereignisprotokoll neu erzeugen und anhand seiner SHA-256-Prüfsummen byte-genau "
        "verifizieren."
    ],
    "rules": "Geltende Ranking-Regeln",
    "rules_text": [
        "Score = Σ über Mitgliedsunternehmen (1 − 2⁻ⁿ), n = Personen des Unternehmens mit "
        "aktiver Unterstützung.",
        "Gleichstand: mehr Unternehmen, dann mehr Personen, dann frühere erste Unterstützung, "
        "dann Kennung.",
        "Vorgetragen wird die kuratierte Liste der Arbeitskreisleitung; jede Zeile zeigt ihren "
        "Community-Rang, Abweichungen sind markiert und begründet.",
    ],
    "rules_versions": "Regelversion {rules}, Vorlagenversion {template}.",
    "rules_group": "{group}: {budget}; {rounds}.",
    "budget_value": "Stimmbudget {n} je Person",
    "budget_none": "kein Stimmbudget",
    "rounds_none": "keine Abstimmungsrunden",
    "rounds_idle": "Abstimmungsrunden, derzeit keine Runde",
    "rounds_value": "Abstimmungsrunde {number} {state} seit {since}",
    "round_states": {"open": "offen", "closed": "geschlossen"},
    "glossary": "Glossar",
    "glossary_entries": [
        (
            "Pain-Point",
            "Ein Problem, das Partner mit dem Hersteller haben, eingebracht in einem Arbeitskreis.",
        ),
        (
            "Mitgliedsunternehmen",
            "Das Mitglied des Verbands ist das Unternehmen, nicht die "
            "Person; mehrere Personen je Unternehmen.",
        ),
        ("Score", "Maß der Breite der Unterstützung; siehe Methodik."),
        ("Community-Ranking", "Reihenfolge der Pain-Points eines Arbeitskreises nach Score."),
        (
            "Kuratierte Liste",
            "Die von der Arbeitskreisleitung festgelegte, vorgetragene "
            "Reihenfolge, mit Begründung für jede Abweichung.",
        ),
        (
            "Stimmbudget",
            "Wie viele offene Pain-Points eines Arbeitskreises eine Person "
            "gleichzeitig unterstützen darf.",
        ),
        (
            "Abstimmungsrunde",
            "Zeitraum, in dem ein Stimmbudget gilt; jede Runde bringt neue Stimmen.",
        ),
        (
            "Zusage",
            "Eine Antwort des Herstellers mit Zieldatum; eingehalten, nicht "
            "eingehalten, offen oder überfällig.",
        ),
        ("Log-Position", "Stelle im Ereignisprotokoll, zu der das Dossier erzeugt wurde."),
        (
            "Inhalts-Hash",
            "SHA-256 des kanonischen JSON-Inhalts; weist den Stand des Dossiers nach.",
        ),
    ],
    "statuses": {
        "new": "Neu",
        "accepted": "Angenommen",
        "needs-info": "Rückfrage",
        "declined": "Abgelehnt",
        "escalated": "Eskaliert",
        "presented": "Vorgestellt",
        "answered": "Beantwortet",
        "resolved": "Gelöst",
        "closed": "Geschlossen",
        "withdrawn": "Zurückgezogen",
        "merged": "Zusammengeführt",
    },
    "response_kinds": {
        "acknowledged": "Zur Kenntnis genommen",
        "needs-info": "Rückfrage",
        "planned": "Geplant",
        "workaround": "Umgehungslösung",
        "declined": "Abgelehnt",
        "shipped": "Ausgeliefert",
    },
    "promise_states": {
        "met": "eingehalten",
        "missed": "nicht eingehalten",
        "open": "offen",
        "overdue": "überfällig",
    },
    "meeting_kinds": {
        "quality-board": "Quality Board",
        "inner-circle": "Inner Circle",
        "other": "Sonstige Sitzung",
    },
    "revenue_bands": {
        "under-10k": "unter 10 T€",
        "10k-100k": "10–100 T€",
        "100k-1m": "100 T€–1 Mio. €",
        "over-1m": "über 1 Mio. €",
        "unknown": "unbekannt",
    },
}

EN: dict[str, Any] = {
    "title": "Briefing dossier",
    "confidential": "Confidential — aggregated figures only",
    "confidential_note": (
        "This dossier holds aggregated figures only. It names no individual person, and names "
        "companies only where the board has explicitly decided so."
    ),
    "contents": "Contents",
    "page_of": "Page {page} of {pages}",
    "footer_ref": "As of log position {position} · {hash}",
    "cover_meeting": "Meeting",
    "cover_kind": "Board",
    "cover_date": "Date",
    "cover_scope": "Scope",
    "cover_as_of": "As of",
    "cover_position": "Log position",
    "cover_previous": "Previous meeting",
    "cover_rules": "Ranking rules",
    "cover_template": "Template",
    "cover_companies": "Company names",
    "cover_hash": "Content hash",
    "cover_hash_full": "SHA-256 of the content: {hash}",
    "cover_chain": "Chain head",
    "cover_chain_full": "hash chain of the log up to position {position}: {head}",
    "cover_key": "Signing key",
    "cover_key_full": "signed with the key {fingerprint} (signature: the .sig file)",
    "version": "version {n}",
    "companies_included": "included (board decision)",
    "companies_withheld": "withheld",
    "no_meeting": "no meeting",
    "summary": "Executive summary",
    "summary_intro": (
        "The key pain points of the selected working groups, in the order curated by the "
        "working-group leads, with their rank in the community ranking beside it."
    ),
    "group": "Working group {name}",
    "lists": "Curated list and community ranking",
    "curated": "Curated list",
    "curated_meta": "Edition {edition}, published {date}.",
    "curated_none": "The working-group lead has not published a curated list.",
    "curated_legend": "⚑ pinned · ↕ departs from the community rank (lead's rationale given)",
    "ranking": "Community ranking",
    "ranking_intro": "The 15 pain points with the highest score.",
    "pp_description": "Description",
    "pp_facts": "Key facts",
    "pp_chart": "Support over time",
    "pp_answers": "Vendor answers",
    "pp_promises": "Open promises",
    "pp_presented": "Presented at",
    "pp_merged": "Merged duplicates",
    "none": "None.",
    "no_trend": "No history yet.",
    "chart_caption": "Supporting companies and people per week, {start} to {end}.",
    "trend_text": (
        "Companies: {companies_start} → {companies_end}, people: {people_start} → "
        "{people_end} (weeks from {start} to {end})."
    ),
    "chart_companies": "Companies",
    "chart_people": "People",
    "col_no": "No.",
    "col_group": "Working group",
    "col_title": "Pain point",
    "col_position": "Pos.",
    "col_curated": "Cur.",
    "col_rank": "Rank",
    "col_community": "Comm.",
    "col_status": "Status",
    "col_companies": "Comp.",
    "col_people": "People",
    "col_score": "Score",
    "col_note": "Note",
    "col_date": "Date",
    "col_kind": "Kind",
    "col_answer": "Answer",
    "col_product_group": "Product group",
    "col_commitment": "Commitment",
    "col_from": "From rank",
    "col_to": "To rank",
    "col_causes": "Causes",
    "col_made": "Made",
    "col_target": "Target",
    "col_state": "State",
    "col_settled": "Settled",
    "col_fact": "Fact",
    "col_value": "Value",
    "col_total": "Total",
    "open_promise": "{commitment} ({kind}, {date})",
    "fact_status": "Status",
    "fact_status_value": "{status} since {date}",
    "fact_first_raised": "First raised",
    "fact_first_value": "{date} ({days} open)",
    "fact_ranks": "Curated position / community rank",
    "fact_support": "Support",
    "fact_company_names": "Supporting companies",
    "fact_evidence": "Evidence",
    "fact_evidence_value": "{entries}, {customers}",
    "fact_bands": "Revenue affected per year",
    "fact_areas": "Product areas",
    "fact_tags": "Tags",
    "company": "company",
    "companies": "companies",
    "person": "person",
    "people": "people",
    "entry": "entry",
    "entries": "entries",
    "day": "day",
    "days": "days",
    "customer": "affected customer",
    "customers": "affected customers",
    "product_group": "Product group {name}",
    "commitment_value": "by {date}: {state}",
    "presented_value": "{meeting}, {date}",
    "changes": "Changes since the last meeting",
    "changes_period": "Period: {start} to {end}.",
    "changes_none": "No previous meeting: there is nothing to compare with.",
    "changes_new": "New",
    "changes_moved": "Moved in the ranking",
    "changes_answered": "Answered",
    "changes_resolved": "Resolved or closed",
    "promises": "Promises ledger",
    "promises_intro": "Commitments the vendor made in its answers, with target date and state.",
    "promises_none": "No promises recorded.",
    "appendix": "Appendix",
    "methodology": "Methodology",
    "methodology_text": [
        "The community ranking measures breadth of support across member companies, not the "
        "number of accounts. When n people of a member company support a pain point, that "
        "company adds 1 − 2⁻ⁿ to its score: 0.5 for the first person, 0.75 for two, 0.875 for "
        "three. A company therefore never reaches a full point, however many people it "
        "mobilises, and two companies with one person each always rank above a single company "
        "of any size. The score is the sum over all companies. Equal scores are ordered by more "
        "companies, then more people, then earlier first support, and finally by identifier. "
        "All figures hold at the stated log position; the dossier can be regenerated from the "
        "event log for that position at any time and verified to the byte against its SHA-256 "
        "checksums."
    ],
    "rules": "Ranking rules in force",
    "rules_text": [
        "Score = Σ over member companies (1 − 2⁻ⁿ), n = the company's people with active support.",
        "Ties: more companies, then more people, then earlier first support, then identifier.",
        "The working-group lead's curated list is the order presented; every row shows its "
        "community rank, and departures are flagged and explained.",
    ],
    "rules_versions": "Rules version {rules}, template version {template}.",
    "rules_group": "{group}: {budget}; {rounds}.",
    "budget_value": "vote budget of {n} per person",
    "budget_none": "no vote budget",
    "rounds_none": "no voting rounds",
    "rounds_idle": "voting rounds, none running",
    "rounds_value": "voting round {number} {state} since {since}",
    "round_states": {"open": "open", "closed": "closed"},
    "glossary": "Glossary",
    "glossary_entries": [
        ("Pain point", "A problem partners have with the vendor, raised in a working group."),
        (
            "Member company",
            "The association's member is the company, not the person; a "
            "company has several people.",
        ),
        ("Score", "The measure of breadth of support; see Methodology."),
        ("Community ranking", "A working group's pain points in order of score."),
        (
            "Curated list",
            "The order set and presented by the working-group lead, with a "
            "rationale for every departure.",
        ),
        (
            "Vote budget",
            "How many open pain points of a working group one person may support at a time.",
        ),
        ("Voting round", "A period in which a vote budget applies; each round brings fresh votes."),
        ("Promise", "A vendor answer with a target date: met, missed, open or overdue."),
        ("Log position", "The place in the event log the dossier was generated as of."),
        ("Content hash", "SHA-256 of the canonical JSON content; proves what the dossier showed."),
    ],
    "statuses": {
        "new": "New",
        "accepted": "Accepted",
        "needs-info": "Needs info",
        "declined": "Declined",
        "escalated": "Escalated",
        "presented": "Presented",
        "answered": "Answered",
        "resolved": "Resolved",
        "closed": "Closed",
        "withdrawn": "Withdrawn",
        "merged": "Merged",
    },
    "response_kinds": {
        "acknowledged": "Acknowledged",
        "needs-info": "Needs info",
        "planned": "Planned",
        "workaround": "Workaround",
        "declined": "Declined",
        "shipped": "Shipped",
    },
    "promise_states": {"met": "met", "missed": "missed", "open": "open", "overdue": "overdue"},
    "meeting_kinds": {
        "quality-board": "Quality Board",
        "inner-circle": "Inner Circle",
        "other": "Other meeting",
    },
    "revenue_bands": {
        "under-10k": "under €10k",
        "10k-100k": "€10k–100k",
        "100k-1m": "€100k–1m",
        "over-1m": "over €1m",
        "unknown": "unknown",
    },
}


@dataclass(frozen=True)
class Labels:
    """The fixed texts of one language, and how that language writes numbers and dates."""

    language: str
    texts: Mapping[str, Any]

    def __getitem__(self, key: str) -> str:
        value = self.texts[key]
        assert isinstance(value, str)
        return value

    def fmt(self, key: str, **values: object) -> str:
        return self[key].format(**values)

    def paragraphs(self, key: str) -> list[str]:
        return list(self.texts[key])

    def pairs(self, key: str) -> list[tuple[str, str]]:
        return [(term, meaning) for term, meaning in self.texts[key]]

    def _named(self, table: str, key: str) -> str:
        names: Mapping[str, str] = self.texts[table]
        return names.get(key, key)

    def status(self, status: str) -> str:
        return self._named("statuses", status)

    def response_kind(self, kind: str) -> str:
        return self._named("response_kinds", kind)

    def promise_state(self, state: str) -> str:
        return self._named("promise_states", state)

    def meeting_kind(self, kind: str) -> str:
        return self._named("meeting_kinds", kind)

    def band(self, band: str) -> str:
        return self._named("revenue_bands", band)

    # -- numbers ----------------------------------------------------------------------------

    def number(self, value: int | None) -> str:
        if value is None:
            return DASH
        grouped = f"{value:,}"
        return grouped.replace(",", ".") if self.language == "de" else grouped

    def decimal(self, value: float | None, places: int = 2) -> str:
        """Rounded half up, as readers round (5.625 shows as 5.63)."""
        if value is None:
            return DASH
        exact = Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
        text = f"{exact:,.{places}f}"
        if self.language == "de":
            return text.replace(",", "\0").replace(".", ",").replace("\0", ".")
        return text

    def rank(self, value: int | None) -> str:
        return DASH if value is None else str(value)

    def count(self, value: int, one: str, many: str) -> str:
        """ "1 company", "12 companies": the noun keys name the singular and plural text."""
        return f"{self.number(value)} {self[one] if value == 1 else self[many]}"

    # -- dates ------------------------------------------------------------------------------

    def date(self, iso: str | None) -> str:
        if not iso:
            return DASH
        day = date.fromisoformat(iso[:10])
        if self.language == "de":
            return f"{day.day:02d}.{day.month:02d}.{day.year}"
        return NBSP.join((str(day.day), EN_MONTHS[day.month - 1], str(day.year)))

    def short_date(self, iso: str) -> str:
        """Axis labels of a chart: day and month, and the year where it is needed."""
        day = date.fromisoformat(iso[:10])
        if self.language == "de":
            return f"{day.day:02d}.{day.month:02d}.{day.year % 100:02d}"
        return f"{day.day} {EN_MONTHS[day.month - 1]} {day.year % 100:02d}"

    def time(self, iso: str | None) -> str:
        """A UTC instant as the reader expects it, always marked as UTC."""
        if not iso:
            return DASH
        moment = utc_moment(iso)
        return f"{self.date(moment.date().isoformat())}, {moment.hour:02d}:{moment.minute:02d} UTC"


def utc_moment(iso: str) -> datetime:
    """An ISO instant in UTC; one without an offset is taken as UTC, never as local time."""
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def labels_for(content: Mapping[str, Any]) -> Labels:
    """The labels in the dossier's language; German unless English is asked for."""
    language = content["definition"]["language"]
    return Labels("en", EN) if language == "en" else Labels("de", DE)
