"""Which errors are a fault of the store, not of the request or of the code.

A store that is locked by another process, full, mounted read-only, or unreachable
(PostgreSQL down, a connection cut, the pool exhausted) is a passing condition: the
API answers 503 with Retry-After (api/problems.py), the web an error page with the same
status, and the projector pauses and retries (projections/runner.py) — never a 500, and
each resumes by itself once the store is back. Every write is one transaction, so a
fault never leaves half of one.
"""

from __future__ import annotations

import sqlite3

import psycopg
import psycopg_pool
from eventsourcing.persistence import InterfaceError, OperationalError

#: The exception types that may be a store fault (`is_fault` decides for each error).
FAULT_TYPES: tuple[type[Exception], ...] = (
    OperationalError,
    InterfaceError,
    sqlite3.OperationalError,
    sqlite3.DatabaseError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
    psycopg_pool.PoolTimeout,
    psycopg_pool.PoolClosed,
)

#: What SQLite says when the file system or another process is in the way.
SQLITE_FAULTS = (
    "locked",
    "busy",
    "disk is full",
    "database or disk is full",
    "readonly",
    "read-only",
    "disk i/o error",
    "unable to open database file",
)


def is_fault(error: BaseException | None) -> bool:
    """True when `error` (or what it wraps) is a store fault as described above."""
    seen = 0
    while error is not None and seen < 5:
        if isinstance(error, psycopg.OperationalError | psycopg.InterfaceError):
            return True
        if isinstance(error, psycopg_pool.PoolTimeout | psycopg_pool.PoolClosed):
            return True
        if isinstance(error, sqlite3.Error):
            message = str(error).lower()
            return any(sign in message for sign in SQLITE_FAULTS)
        wrapped = error.args[0] if error.args else None
        if isinstance(error, OperationalError | InterfaceError) and not isinstance(
            error.__cause__ or wrapped, BaseException
        ):
            message = str(error).lower()
            return "connection" in message or any(sign in message for sign in SQLITE_FAULTS)
        inner = error.__cause__ or (wrapped if isinstance(wrapped, BaseException) else None)
        error = inner or error.__context__
        seen += 1
    return False
