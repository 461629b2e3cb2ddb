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
import sys

from eventsourcing.persistence import InterfaceError, OperationalError

#: The exception types that may be a store fault (`is_fault` decides for each error);
#: the PostgreSQL driver's are added by `fault_types` once it is loaded.
FAULT_TYPES: tuple[type[Exception], ...] = (
    OperationalError,
    InterfaceError,
    sqlite3.OperationalError,
    sqlite3.DatabaseError,
)


def driver_faults() -> tuple[type[Exception], ...]:
    """The PostgreSQL driver's fault types, if it is loaded: a process that stores in
    SQLite does not load it (storage/lazy.py), so none of its errors can occur there."""
    found: tuple[type[Exception], ...] = ()
    psycopg = sys.modules.get("psycopg")
    if psycopg is not None:
        found += (psycopg.OperationalError, psycopg.InterfaceError)
    pool = sys.modules.get("psycopg_pool")
    if pool is not None:
        found += (pool.PoolTimeout, pool.PoolClosed)
    return found


def load_driver() -> None:
    """Load the PostgreSQL driver now, in a process that is going to use it, so that
    `fault_types` names its faults (the API registers its handlers before it connects)."""
    import psycopg  # noqa: F401
    import psycopg_pool  # noqa: F401


def fault_types() -> tuple[type[Exception], ...]:
    """Every exception type that may be a store fault, the driver's included if loaded."""
    return FAULT_TYPES + driver_faults()


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
    driver = driver_faults()
    while error is not None and seen < 5:
        if driver and isinstance(error, driver):
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
