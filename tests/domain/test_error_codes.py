"""Errors as codes: every refusal names a stable code from domain/messages.py, and every
code reads well in English and German.

The codes raised are found by reading the source (an AST walk over every package of
ours), so a new `raise Invalid("…")` with a code that is not in the catalogue, or a
sentence where a code belongs, fails here before it reaches a user.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import Conflict, DomainError, Invalid, NotFound, PermissionDenied, not_found
from domain.messages import FIELDS, MESSAGES, NOT_FOUND, field_name, render

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = (
    "domain",
    "service",
    "projections",
    "storage",
    "dossiers",
    "notify",
    "api",
    "cli",
    "demo",
)
ERRORS = {cls.__name__ for cls in (DomainError, NotFound, PermissionDenied, Conflict, Invalid)}
CATALOGUE = ROOT / "api" / "locale" / "de" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def sources() -> list[Path]:
    return sorted(
        path
        for package in PACKAGES
        if (ROOT / package).is_dir()
        for path in (ROOT / package).rglob("*.py")
    )


def raised_codes() -> dict[str, list[str]]:
    """Every code passed to a domain error's constructor, with where it is raised;
    a constructor given anything but a literal code is reported as `<not a literal>`."""
    found: dict[str, list[str]] = {}
    for path in sources():
        where = str(path.relative_to(ROOT))
        if where == "domain/errors.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(), where)):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in ERRORS:
                continue
            first = node.args[0] if node.args else None
            literal = isinstance(first, ast.Constant) and isinstance(first.value, str)
            code = first.value if literal else "<not a literal>"  # type: ignore[union-attr]
            found.setdefault(str(code), []).append(f"{where}:{node.lineno}")
    return found


def raised_with_parameters() -> list[tuple[str, str, set[str]]]:
    """(code, where, the names passed) for every raise with a literal code and no **kwargs."""
    found = []
    for path in sources():
        where = str(path.relative_to(ROOT))
        for node in ast.walk(ast.parse(path.read_text(), where)):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            first = node.args[0]
            if name not in ERRORS or not isinstance(first, ast.Constant):
                continue
            if any(keyword.arg is None for keyword in node.keywords):
                continue
            names = {str(keyword.arg) for keyword in node.keywords}
            found.append((str(first.value), f"{where}:{node.lineno}", names))
    return found


def german() -> dict[str, str]:
    with CATALOGUE.open("rb") as po:
        catalogue = read_po(po, locale="de")
    return {str(m.id): str(m.string) for m in catalogue if m.id and m.string and not m.fuzzy}


def test_the_source_raises_domain_errors_only_with_codes_from_the_catalogue() -> None:
    found = raised_codes()
    unknown = {code: places for code, places in found.items() if code not in MESSAGES}

    assert not unknown, f"codes missing from domain/messages.py (or not literals): {unknown}"
    assert len(found) > 80  # the walk really finds the raises


def test_every_raise_passes_the_parameters_its_message_needs() -> None:
    wrong = []
    for code, where, names in raised_with_parameters():
        needed = set(PLACEHOLDER.findall(MESSAGES.get(code, "")))
        given_names = names | ({"field"} if "field" in names else set())
        if not needed <= given_names:
            wrong.append((where, code, sorted(needed - given_names)))

    assert not wrong, f"raises that leave a placeholder empty: {wrong}"


def test_every_not_found_lookup_names_a_catalogued_code() -> None:
    assert set(NOT_FOUND.values()) <= set(MESSAGES)
    assert not_found("pain point").code == "pain_point.not_found"
    assert not_found("something new").code == "not_found"


def test_an_unknown_code_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown error code"):
        Invalid("title must not be empty", field="title")


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_code_has_a_german_text_with_the_same_parameters(code: str) -> None:
    template = MESSAGES[code]
    translated = german().get(template)

    assert translated, f"{code}: no German text for {template!r} (run make translations)"
    assert set(PLACEHOLDER.findall(translated)) == set(PLACEHOLDER.findall(template))


def test_every_field_name_has_a_german_name() -> None:
    texts = german()
    assert not [name for name in FIELDS.values() if name not in texts]


def test_the_english_sentence_is_rendered_from_code_and_parameters() -> None:
    empty = Invalid("text.empty", field="title")
    long = Invalid("text.too_long", field="items.3.rationale", max=2000, got=2001)
    ended = PermissionDenied("membership.ended")

    assert (empty.code, empty.field, empty.params) == ("text.empty", "title", {})
    assert empty.message == str(empty) == "title must not be empty"
    assert long.message == "rationale must be at most 2000 characters (got 2001)"
    assert long.params == {"max": 2000, "got": 2001}
    assert ended.message == "your company's membership has ended"


def test_the_same_error_reads_in_german_through_the_catalogue() -> None:
    texts = german()
    error = Invalid("text.too_long", field="title", max=200, got=201)

    message = render(error.code, error.params, error.field, lambda m: texts.get(m, m))

    assert message == "Titel darf höchstens 200 Zeichen lang sein (eingegeben: 201)"


@given(st.from_regex(r"(items\.[0-9]{1,3}\.)?[a-z_]{1,20}", fullmatch=True))
def test_a_field_path_is_named_by_its_last_named_part(path: str) -> None:
    assert field_name(path) == path.split(".")[-1]
