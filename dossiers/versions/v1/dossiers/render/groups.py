"""The blocks of one working group: its two orders, then each pain point in detail."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dossiers.versions.v1.dossiers.render.labels import BAND_ORDER, DASH, Labels
from dossiers.versions.v1.dossiers.render.model import (
    Block,
    Bullets,
    Chart,
    Facts,
    Numberer,
    Para,
    Table,
)

OPEN_COMMITMENTS = ("open", "overdue")


def paragraphs(text: str | None, style: str = "body") -> list[Block]:
    """A text as paragraphs: blank lines separate them, single line breaks are kept as spaces."""
    parts = [" ".join(p.split()) for p in (text or "").split("\n\n")]
    return [Para(p, style) for p in parts if p]


def group_blocks(
    group: Mapping[str, Any], labels: Labels, heading: Numberer, include_companies: bool
) -> list[Block]:
    blocks: list[Block] = [heading(1, labels.fmt("group", name=group["name"]))]
    blocks += paragraphs(group.get("description"), "intro")
    blocks += [heading(2, labels["lists"]), *curated_blocks(group, labels, heading)]
    blocks += [heading(3, labels["ranking"]), Para(labels["ranking_intro"], "small")]
    blocks.append(ranking_table(group, labels))
    for pain_point in group["pain_points"]:
        blocks.append(heading(2, pain_point["title"]))
        blocks += pain_point_blocks(pain_point, labels, heading, include_companies)
    return blocks


def curated_blocks(group: Mapping[str, Any], labels: Labels, heading: Numberer) -> list[Block]:
    curated = group.get("curated")
    blocks: list[Block] = [heading(3, labels["curated"])]
    if not curated:
        return [*blocks, Para(labels["curated_none"])]
    meta = labels.fmt(
        "curated_meta", edition=curated["edition"], date=labels.date(curated["published_at"])
    )
    rows = curated["rows"]
    table = Table(
        header=(labels["col_position"], labels["col_title"], labels["col_community"], ""),
        rows=tuple(
            (
                str(row["position"]),
                row["title"],
                labels.rank(row.get("community_rank")),
                marks(row),
            )
            for row in rows
        ),
        widths=(0.7, 7.0, 1.0, 0.8),
        right=(0, 2),
        notes=tuple(row.get("rationale") or "" for row in rows),
        notes_column=1,
    )
    return [*blocks, Para(meta, "small"), table, Para(labels["curated_legend"], "small")]


def marks(row: Mapping[str, Any]) -> str:
    """⚑ for a pinned row, ↕ for one that departs from the community rank."""
    return " ".join(m for m, on in (("⚑", row.get("pinned")), ("↕", row.get("flagged"))) if on)


def ranking_table(group: Mapping[str, Any], labels: Labels) -> Block:
    ranking = group["ranking"]
    if not ranking:
        return Para(labels["none"])
    curated = group.get("curated") or {"rows": []}
    positions = {row["pain_point_id"]: row["position"] for row in curated["rows"]}
    return Table(
        header=(
            labels["col_rank"],
            labels["col_title"],
            labels["col_score"],
            labels["col_companies"],
            labels["col_people"],
            labels["col_status"],
            labels["col_curated"],
        ),
        rows=tuple(
            (
                str(row["rank"]),
                row["title"],
                labels.decimal(row["score"]),
                labels.number(row["companies"]),
                labels.number(row["people"]),
                labels.status(row["status"]),
                labels.rank(positions.get(row["pain_point_id"])),
            )
            for row in ranking
        ),
        widths=(0.7, 5.4, 1.0, 0.9, 0.9, 1.5, 0.7),
        right=(0, 2, 3, 4, 6),
    )


def pain_point_blocks(
    pain_point: Mapping[str, Any], labels: Labels, heading: Numberer, include_companies: bool
) -> list[Block]:
    blocks: list[Block] = [heading(3, labels["pp_description"])]
    blocks += paragraphs(pain_point.get("description")) or [Para(DASH)]
    blocks += [heading(3, labels["pp_facts"]), facts(pain_point, labels, include_companies)]
    blocks += [heading(3, labels["pp_chart"]), chart(pain_point, labels)]
    blocks += [heading(3, labels["pp_answers"]), answers(pain_point["responses"], labels)]
    blocks += [heading(3, labels["pp_promises"]), open_promises(pain_point["responses"], labels)]
    presented = [
        labels.fmt("presented_value", meeting=p["meeting"], date=labels.date(p["date"]))
        for p in pain_point.get("presented_at") or []
    ]
    if presented:
        blocks += [heading(3, labels["pp_presented"]), Bullets(tuple(presented))]
    merged = pain_point.get("merged_from") or []
    if merged:
        blocks += [heading(3, labels["pp_merged"]), Bullets(tuple(merged))]
    return blocks


def facts(pain_point: Mapping[str, Any], labels: Labels, include_companies: bool) -> Facts:
    support = pain_point["support"]
    evidence = pain_point.get("evidence") or {}
    rows = [
        (
            labels["fact_status"],
            labels.fmt(
                "fact_status_value",
                status=labels.status(pain_point["status"]),
                date=labels.date(pain_point.get("status_since")),
            ),
        ),
        (
            labels["fact_first_raised"],
            labels.fmt(
                "fact_first_value",
                date=labels.date(pain_point.get("first_raised")),
                days=labels.count(pain_point.get("days_open") or 0, "day", "days"),
            ),
        ),
        (
            labels["fact_ranks"],
            f"{labels.rank(pain_point.get('curated_position'))} / "
            f"{labels.rank(pain_point.get('community_rank'))}",
        ),
        (
            labels["fact_support"],
            f"{labels.count(support['companies'], 'company', 'companies')}, "
            f"{labels.count(support['people'], 'person', 'people')}",
        ),
    ]
    names = support.get("company_names") if include_companies else None
    if names:
        rows.append((labels["fact_company_names"], ", ".join(names)))
    rows += evidence_rows(evidence, labels)
    rows.append((labels["fact_tags"], ", ".join(pain_point.get("tags") or []) or DASH))
    return Facts(tuple(rows))


def evidence_rows(evidence: Mapping[str, Any], labels: Labels) -> list[tuple[str, str]]:
    entries = labels.count(evidence.get("entries") or 0, "entry", "entries")
    customers = labels.count(evidence.get("affected_customers") or 0, "customer", "customers")
    bands: Mapping[str, int] = evidence.get("revenue_bands") or {}
    known = [b for b in BAND_ORDER if bands.get(b)] + sorted(
        b for b in bands if b not in BAND_ORDER
    )
    return [
        (
            labels["fact_evidence"],
            labels.fmt("fact_evidence_value", entries=entries, customers=customers),
        ),
        (
            labels["fact_bands"],
            "; ".join(f"{labels.band(b)}: {labels.number(bands[b])}" for b in known) or DASH,
        ),
        (labels["fact_areas"], ", ".join(evidence.get("product_areas") or []) or DASH),
    ]


def chart(pain_point: Mapping[str, Any], labels: Labels) -> Block:
    trend = pain_point.get("trend") or {}
    weeks = trend.get("weeks") or []
    if not weeks:
        return Para(labels["no_trend"])
    start, end = labels.date(weeks[0]), labels.date(weeks[-1])
    alt = labels.fmt(
        "trend_text",
        companies_start=labels.number(trend["companies"][0]),
        companies_end=labels.number(trend["companies"][-1]),
        people_start=labels.number(trend["people"][0]),
        people_end=labels.number(trend["people"][-1]),
        start=start,
        end=end,
    )
    return Chart(pain_point["id"], labels.fmt("chart_caption", start=start, end=end), alt)


def commitment(response: Mapping[str, Any], labels: Labels) -> str:
    """ "by 30 June 2026: open — what was promised"."""
    promise = response.get("commitment")
    if not promise:
        return DASH
    value = labels.fmt(
        "commitment_value",
        date=labels.date(promise.get("target")),
        state=labels.promise_state(promise["state"]),
    )
    return f"{value} — {promise['text']}" if promise.get("text") else value


def answers(responses: list[Mapping[str, Any]], labels: Labels) -> Block:
    if not responses:
        return Para(labels["none"])
    return Table(
        header=(
            labels["col_date"],
            labels["col_kind"],
            labels["col_product_group"],
            labels["col_answer"],
            labels["col_commitment"],
        ),
        rows=tuple(
            (
                labels.date(r["date"]),
                labels.response_kind(r["kind"]),
                r.get("product_group") or DASH,
                r["text"],
                commitment(r, labels),
            )
            for r in responses
        ),
        widths=(1.2, 1.5, 1.5, 3.8, 2.6),
    )


def open_promises(responses: list[Mapping[str, Any]], labels: Labels) -> Block:
    items = tuple(
        labels.fmt(
            "open_promise",
            commitment=commitment(r, labels),
            kind=labels.response_kind(r["kind"]),
            date=labels.date(r["date"]),
        )
        for r in responses
        if (r.get("commitment") or {}).get("state") in OPEN_COMMITMENTS
    )
    return Bullets(items) if items else Para(labels["none"])
