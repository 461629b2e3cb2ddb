"""The house rules, read from the source: which package may import which, no import
cycles, and no SQL outside the read side and storage.

The walk is over the AST of every module of ours, so imports inside functions and
under `if TYPE_CHECKING:` count too.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: Our packages, by layer: a package imports only packages of lower layers.
LAYERS: list[set[str]] = [
    {"domain"},
    {"storage"},
    {"projections"},
    {"dossiers", "notify"},
    {"service"},
    {"api", "demo"},
    {"cli"},
]
OURS = set().union(*LAYERS)
#: Packages nothing else imports, and the only packages that may import them.
ENTRY_POINTS = {"api": set[str](), "cli": set[str](), "demo": {"cli"}}
#: The only third-party code the rules may use.
DOMAIN_MAY_IMPORT = ("eventsourcing.domain",)
DATABASE_DRIVERS = ("psycopg", "psycopg_pool", "sqlite3")
#: dossiers.versions holds frozen copies of the read side of earlier template versions.
DATABASE_HOMES = ("storage", "projections", "dossiers.versions")
#: Where no SQL is written, no view table is named and no cursor is run.
NO_SQL = ("api", "cli", "demo")
SQL = re.compile(
    r"\bSELECT\b[^\n]*\bFROM\b|\bINSERT\s+INTO\b|\bUPDATE\s+\w+\s+SET\b|\bDELETE\s+FROM\b"
    r"|\b(CREATE|DROP|ALTER)\s+(TABLE|INDEX|SCHEMA|VIEW)\b|\bv_[a-z]\w*"
    r"|\.execute\(|\.fetch(one|all|many)\(|\brows_as_dicts\("
)


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str
    line: int

    def __str__(self) -> str:
        return f"{self.importer}:{self.line} imports {self.imported}"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    """Every module of ours (present in this checkout), by dotted name."""
    found: dict[str, Path] = {}
    for package in sorted(OURS):
        if (ROOT / package / "__init__.py").exists():
            for path in sorted((ROOT / package).rglob("*.py")):
                found[module_name(path)] = path
    return found


def imports_of(name: str, path: Path) -> Iterator[Import]:
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(name, alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                yield Import(name, submodule if submodule in modules() else source, node.lineno)


@cache
def all_imports() -> tuple[Import, ...]:
    return tuple(i for name, path in modules().items() for i in imports_of(name, path))


def top(name: str) -> str:
    return name.split(".")[0]


def within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def test_the_walk_sees_the_packages() -> None:
    assert {top(m) for m in modules()} >= {"domain", "service", "projections", "api", "cli"}
    assert any(i.imported == "service.application" for i in all_imports())


def test_every_import_of_ours_names_a_module_that_exists() -> None:
    """A module moved but imported at its old place (mypy, told to ignore missing
    imports for third-party code, would not notice)."""
    wrong = [
        str(i) for i in all_imports() if top(i.imported) in OURS and i.imported not in modules()
    ]
    assert wrong == []


#: A string naming a module of ours: "cli.main", "api.main:create_app", "storage.postgres".
MODULE_STRING = re.compile(r"(?:" + "|".join(sorted(OURS)) + r")(?:\.\w+)+(?::\w+)?")


def named_modules(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """Strings that name a module to run or load: after "-m" in a command line,
    "module:attribute" (uvicorn), and PERSISTENCE_MODULE values. (Other dotted strings
    are often error codes, "area.what", not modules.)"""
    for node in ast.walk(tree):
        if isinstance(node, ast.List | ast.Tuple):
            values = [e.value if isinstance(e, ast.Constant) else None for e in node.elts]
            for flag, value in pairwise(values):
                if flag == "-m" and isinstance(value, str):
                    yield node.lineno, value
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if (
                    isinstance(key, ast.Constant)
                    and key.value == "PERSISTENCE_MODULE"
                    and isinstance(value, ast.Constant)
                    and isinstance(value.value, str)
                ):
                    yield node.lineno, value.value
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and ":" in node.value:
            yield node.lineno, node.value


def test_module_names_in_strings_name_modules_that_exist() -> None:
    """`python -m cli.main`, uvicorn's `api.main:create_app`, PERSISTENCE_MODULE values:
    a module moved but still named at its old place in a string fails here."""
    wrong = []
    for folder in (*sorted(OURS), "tests", "bench", "scripts"):
        for path in sorted((ROOT / folder).rglob("*.py")) if (ROOT / folder).exists() else ():
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for line, value in named_modules(tree):
                if MODULE_STRING.fullmatch(value) and not _resolves(value.split(":")[0]):
                    wrong.append(f"{path.relative_to(ROOT)}:{line}: {value}")
    assert wrong == []


def test_the_string_check_finds_a_module_named_at_its_old_place() -> None:
    tree = ast.parse('worker = [sys.executable, "-m", "api.cli", "project"]')
    assert [v for _, v in named_modules(tree) if not _resolves(v)] == ["api.cli"]


def _resolves(dotted: str) -> bool:
    """A module of ours, or a class in one (`storage.postgres.Factory`)."""
    parent, _, last = dotted.rpartition(".")
    return dotted in modules() or (last[:1].isupper() and parent in modules())


def test_the_domain_imports_only_the_standard_library_and_eventsourcing_domain() -> None:
    wrong = [
        str(i)
        for i in all_imports()
        if top(i.importer) == "domain"
        and not within(i.imported, "domain")
        and not any(within(i.imported, allowed) for allowed in DOMAIN_MAY_IMPORT)
        and top(i.imported) not in sys.stdlib_module_names
    ]
    assert wrong == []


def test_packages_import_only_lower_layers() -> None:
    layer = {package: n for n, packages in enumerate(LAYERS) for package in packages}
    wrong = [
        str(i)
        for i in all_imports()
        if top(i.imported) in OURS
        and top(i.imported) != top(i.importer)
        and layer[top(i.imported)] >= layer[top(i.importer)]
    ]
    assert wrong == []


@pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
def test_nothing_imports_the_ways_in(entry: str) -> None:
    allowed = ENTRY_POINTS[entry] | {entry}
    wrong = [
        str(i) for i in all_imports() if top(i.imported) == entry and top(i.importer) not in allowed
    ]
    assert wrong == []


def test_database_drivers_are_imported_only_by_storage_and_projections() -> None:
    wrong = [
        str(i)
        for i in all_imports()
        if any(within(i.imported, driver) for driver in DATABASE_DRIVERS)
        and not any(within(i.importer, home) for home in DATABASE_HOMES)
    ]
    assert wrong == []


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for following in sorted(edges.get(node, ())):
            if following not in index:
                visit(following)
                low[node] = min(low[node], low[following])
            elif following in on_stack:
                low[node] = min(low[node], index[following])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_no_module_import_cycles() -> None:
    edges: dict[str, set[str]] = {name: set() for name in modules()}
    for i in all_imports():
        if i.imported in modules() and i.imported != i.importer:
            edges[i.importer].add(i.imported)
    assert cycles(edges) == []


def test_no_package_import_cycles() -> None:
    edges: dict[str, set[str]] = {}
    for i in all_imports():
        if top(i.imported) in OURS and top(i.imported) != top(i.importer):
            edges.setdefault(top(i.importer), set()).add(top(i.imported))
    assert cycles(edges) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def sql_in(path: Path) -> Iterator[str]:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if SQL.search(line):
            yield f"{path.relative_to(ROOT)}:{number}: {line.strip()}"


def test_no_sql_and_no_view_tables_in_the_ways_in() -> None:
    wrong = [
        hit
        for package in NO_SQL
        if (ROOT / package).exists()
        for path in sorted((ROOT / package).rglob("*.py"))
        for hit in sql_in(path)
    ]
    assert wrong == []


def test_the_sql_check_recognises_sql() -> None:
    assert SQL.search('"SELECT id, title FROM v_pain_points WHERE id = ?"')
    assert SQL.search("cur.execute('DELETE FROM outbox')")
    assert SQL.search("cur.execute(query, params)")
    assert not SQL.search("Select a pain point from the list")
