"""The association's webhooks: where events are posted, next to the outbox.

A webhook's deliveries are outbox messages of kind "webhook" (storage/outbox.py):
the same table, the same at-least-once sender design, one row per webhook and event.
The webhooks themselves are configuration an admin keeps (not events of the
association), in `outbox_webhooks` in the outbox's store.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage.outbox import Outbox, micros, moment

DDL = (
    "CREATE TABLE IF NOT EXISTS outbox_webhooks (id TEXT PRIMARY KEY, url TEXT NOT NULL,"
    " events TEXT NOT NULL, description TEXT NOT NULL, kind TEXT NOT NULL,"
    " language TEXT NOT NULL, secret TEXT NOT NULL, active INTEGER NOT NULL,"
    " failures INTEGER NOT NULL, created_at BIGINT NOT NULL, disabled_at BIGINT)"
)
COLUMNS = (
    "id, url, events, description, kind, language, secret, active, failures, created_at,"
    " disabled_at"
)


@dataclass(frozen=True)
class Webhook:
    id: str
    url: str
    events: list[str]
    description: str
    kind: str
    language: str
    secret: str
    active: bool
    failures: int
    created_at: datetime
    disabled_at: datetime | None = None

    def wants(self, event_type: str) -> bool:
        return self.active and ("*" in self.events or event_type in self.events)


def _webhook(row: Any) -> Webhook:
    created = moment(row[9])
    assert created is not None
    return Webhook(
        row[0], row[1], json.loads(row[2]), row[3], row[4], row[5], row[6], bool(row[7]),
        int(row[8]), created, moment(row[10]),
    )  # fmt: skip


class Webhooks:
    """CRUD on `outbox_webhooks`, through the outbox's connection."""

    def __init__(self, outbox: Outbox) -> None:
        self.outbox = outbox
        with outbox._cursor() as cur:
            cur.execute(DDL)

    def _sql(self, statement: str) -> str:
        return self.outbox._sql(statement)

    def add(self, hook: Webhook) -> None:
        with self.outbox._cursor() as cur:
            cur.execute(
                self._sql(
                    f"INSERT INTO outbox_webhooks ({COLUMNS})"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                ),
                (hook.id, hook.url, json.dumps(hook.events), hook.description, hook.kind,
                 hook.language, hook.secret, int(hook.active), hook.failures,
                 micros(hook.created_at), None),
            )  # fmt: skip

    def get(self, hook_id: str) -> Webhook | None:
        with self.outbox._cursor() as cur:
            cur.execute(
                self._sql(f"SELECT {COLUMNS} FROM outbox_webhooks WHERE id = ?"), (hook_id,)
            )
            row = cur.fetchone()
        return None if row is None else _webhook(row)

    def all(self) -> list[Webhook]:
        with self.outbox._cursor() as cur:
            cur.execute(f"SELECT {COLUMNS} FROM outbox_webhooks ORDER BY created_at, id")
            return [_webhook(row) for row in cur.fetchall()]

    def update(self, hook_id: str, **fields: Any) -> Webhook | None:
        allowed = {"url", "events", "description", "language", "active", "failures"}
        sets, values = [], []
        for name, value in fields.items():
            if name not in allowed:
                raise ValueError(name)
            sets.append(f"{name} = ?")
            values.append(json.dumps(value) if name == "events" else value)
        if fields.get("active"):
            sets.append("disabled_at = NULL")
        if sets:
            with self.outbox._cursor() as cur:
                cur.execute(
                    self._sql(f"UPDATE outbox_webhooks SET {', '.join(sets)} WHERE id = ?"),
                    (*values, hook_id),
                )
        return self.get(hook_id)

    def failed(self, hook_id: str, at: datetime, disable_after: int) -> bool:
        """Count a failed delivery; disable the webhook at `disable_after` in a row.
        Whether it was disabled now."""
        with self.outbox._cursor() as cur:
            cur.execute(
                self._sql("UPDATE outbox_webhooks SET failures = failures + 1 WHERE id = ?"),
                (hook_id,),
            )
            cur.execute(
                self._sql(
                    "UPDATE outbox_webhooks SET active = 0, disabled_at = ?"
                    " WHERE id = ? AND active = 1 AND failures >= ?"
                ),
                (micros(at), hook_id, disable_after),
            )
            return bool(cur.rowcount == 1)

    def succeeded(self, hook_id: str) -> None:
        with self.outbox._cursor() as cur:
            cur.execute(
                self._sql("UPDATE outbox_webhooks SET failures = 0 WHERE id = ?"), (hook_id,)
            )

    def delete(self, hook_id: str) -> bool:
        with self.outbox._cursor() as cur:
            cur.execute(self._sql("DELETE FROM outbox_webhooks WHERE id = ?"), (hook_id,))
            deleted = cur.rowcount == 1
            cur.execute(
                self._sql(
                    "DELETE FROM outbox_messages WHERE kind = 'webhook' AND recipient = ?"
                    " AND sent_at IS NULL"
                ),
                (hook_id,),
            )
        return bool(deleted)

    def deliveries(self, hook_id: str, limit: int = 100) -> list[Any]:
        with self.outbox._cursor() as cur:
            cur.execute(
                self._sql(
                    "SELECT id FROM outbox_messages WHERE kind = 'webhook' AND recipient = ?"
                    " ORDER BY created_at DESC, id LIMIT ?"
                ),
                (hook_id, limit),
            )
            ids = [row[0] for row in cur.fetchall()]
        return [m for m in (self.outbox.get(i) for i in ids) if m is not None]

    def redeliver(self, message_id: str, at: datetime) -> None:
        """Send a delivery once more (also one that was sent or given up)."""
        with self.outbox._cursor() as cur:
            cur.execute(
                self._sql(
                    "UPDATE outbox_messages SET sent_at = NULL, abandoned_at = NULL,"
                    " next_attempt_at = ? WHERE id = ? AND kind = 'webhook'"
                ),
                (micros(at), message_id),
            )
