"""Looking back: the changes since the last meeting and the ledger of the vendor's promises."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dossiers.versions.v1.dossiers.render.labels import Labels
from dossiers.versions.v1.dossiers.render.model import Block, Numberer, Para, Table

PROMISE_STATES = ("met", "missed", "open", "overdue")


def changes(changes: Mapping[str, Any] | None, labels: Labels, heading: Numberer) -> list[Block]:
    blocks: list[Block] = [heading(1, labels["changes"])]
    if not changes:
        return [*blocks, Para(labels["changes_none"])]
    period = labels.fmt(
        "changes_period", start=labels.date(changes["from"]), end=labels.date(changes["to"])
    )
    blocks.append(Para(period, "intro"))
    group, title = labels["col_group"], labels["col_title"]
    parts: list[tuple[str, str, tuple[str, ...], Any]] = [
        (
            "changes_new",
            "new",
            (group, title, labels["col_companies"], labels["col_people"]),
            lambda r: (labels.number(r["companies"]), labels.number(r["people"])),
        ),
        (
            "changes_moved",
            "moved",
            (group, title, labels["col_from"], labels["col_to"]),
            lambda r: (labels.rank(r.get("from_rank")), labels.rank(r.get("to_rank"))),
        ),
        (
            "changes_answered",
            "answered",
            (group, title, labels["col_kind"], labels["col_date"]),
            lambda r: (labels.response_kind(r["kind"]), labels.date(r["date"])),
        ),
        (
            "changes_resolved",
            "resolved",
            (group, title, labels["col_status"], labels["col_date"]),
            lambda r: (labels.status(r["status"]), labels.date(r["date"])),
        ),
    ]
    for heading_key, key, header, tail in parts:
        rows = changes.get(key) or []
        blocks.append(heading(2, labels[heading_key]))
        if not rows:
            blocks.append(Para(labels["none"]))
            continue
        blocks.append(
            Table(
                header=header,
                rows=tuple((r["group"], r["title"], *tail(r)) for r in rows),
                widths=(2.0, 5.6, 1.5, 1.5),
                right=(2, 3) if key in ("new", "moved") else (),
                notes=tuple("; ".join(r.get("causes") or []) for r in rows),
                notes_column=1,
            )
        )
    return blocks


def promises(ledger: list[Mapping[str, Any]], labels: Labels, heading: Numberer) -> list[Block]:
    blocks: list[Block] = [heading(1, labels["promises"]), Para(labels["promises_intro"], "intro")]
    counts = [sum(1 for p in ledger if p["state"] == state) for state in PROMISE_STATES]
    blocks.append(
        Table(
            header=(*(labels.promise_state(s) for s in PROMISE_STATES), labels["col_total"]),
            rows=((*(labels.number(n) for n in counts), labels.number(len(ledger))),),
            widths=(1.0, 1.0, 1.0, 1.0, 1.0),
            right=(0, 1, 2, 3, 4),
        )
    )
    if not ledger:
        return [*blocks, Para(labels["promises_none"])]
    blocks.append(
        Table(
            header=(
                labels["col_group"],
                labels["col_title"],
                labels["col_made"],
                labels["col_target"],
                labels["col_state"],
                labels["col_settled"],
            ),
            rows=tuple(
                (
                    p["group"],
                    p["title"],
                    labels.date(p["made_at"]),
                    labels.date(p["target"]),
                    labels.promise_state(p["state"]),
                    labels.date(p.get("settled_at")),
                )
                for p in ledger
            ),
            widths=(1.8, 4.6, 1.3, 1.3, 1.5, 1.3),
            notes=tuple(promise_note(p, labels) for p in ledger),
            notes_column=1,
        )
    )
    return blocks


def promise_note(promise: Mapping[str, Any], labels: Labels) -> str:
    text = promise.get("text") or ""
    if promise.get("product_group"):
        return f"{labels.fmt('product_group', name=promise['product_group'])}: {text}"
    return text
