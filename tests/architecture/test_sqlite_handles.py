"""No SQLite connection is left for the garbage collector to close.

`with sqlite3.connect(…) as db:` reads as if it closed the connection; it only commits.
A connection left open while the same process opens and closes the file by other means
loses its locks without knowing it, and then reads (and may checkpoint) a stale
snapshot of a store another process keeps writing: tests/sqlite_files.py explains it,
and holds `connected`, which closes.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIPPED = {".venv", "node_modules", ".git", "var"}


def python_files() -> list[Path]:
    return [
        path
        for path in ROOT.rglob("*.py")
        if not SKIPPED.intersection(path.relative_to(ROOT).parts)
    ]


def connect_as_context(tree: ast.AST) -> list[int]:
    """Lines of `with sqlite3.connect(…)` (or `with connect(…)` imported from sqlite3)."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.With | ast.AsyncWith):
            for item in node.items:
                call = item.context_expr
                if isinstance(call, ast.Call) and ast.unparse(call.func) in (
                    "sqlite3.connect",
                    "sqlite3.dbapi2.connect",
                ):
                    lines.append(node.lineno)
    return lines


def test_no_sqlite_connection_is_opened_as_a_context_manager() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in python_files()
        for line in connect_as_context(ast.parse(path.read_text(), str(path)))
    ]
    assert found == [], (
        "`with sqlite3.connect(…)` does not close the connection; use"
        f" tests.sqlite_files.connected or close it in a `finally`: {found}"
    )


def test_the_check_finds_the_pattern() -> None:
    source = "import sqlite3\nwith sqlite3.connect('x') as db:\n    pass\n"
    assert connect_as_context(ast.parse(source)) == [2]
