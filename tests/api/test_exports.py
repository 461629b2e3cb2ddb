"""Lists as CSV and XLSX: the same rows as the JSON route, safe from formulas, localised."""

from __future__ import annotations

import io
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from service.exporting import csv_bytes, neutralised, xlsx_bytes
from tests.api.api_world import Actor, World
from tests.api.board_world import curate

HOSTILE = ['=HYPERLINK("http://evil.example")', "+1+2", "-3", "@SUM(A1)", "\tx", "\rx"]


def read(world: World, path: str, actor: Actor, language: str = "en", **params: Any) -> Any:
    """A read in the reader's language (without Accept-Language it is German)."""
    headers = {"Accept-Language": language}
    return world.call("GET", path, actor, headers=headers,
                      params={"min_position": world.position, **params})  # fmt: skip


def sheet_rows(content: bytes) -> list[list[Any]]:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return [list(row) for row in book.active.iter_rows(values_only=True)]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_cell_that_a_spreadsheet_would_run_as_a_formula_is_kept_as_text(text: str) -> None:
    assert neutralised(text) == "'" + text
    assert csv_bytes(["h"], [[text]]).decode("utf-8-sig").splitlines()[1].strip('"').startswith("'")
    cell = sheet_rows(xlsx_bytes("t", ["h"], [[text]]))[1][0]
    assert cell == "'" + text
    assert neutralised(-3) == -3
    assert neutralised("Lizenz = teuer") == "Lizenz = teuer"


def test_a_hostile_title_leaves_the_ranking_file_as_text(world: World) -> None:
    world.submit(world.group_1, world.member_b, "=cmd|' /C calc'!A0")
    response = read(world, f"/working-groups/{world.group_1}/ranking", world.member_a, format="csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    assert "'=cmd|' /C calc'!A0" in text
    rows = sheet_rows(read(world, f"/working-groups/{world.group_1}/ranking", world.member_a,
                                 format="xlsx").content)  # fmt: skip
    assert "'=cmd|' /C calc'!A0" in [row[1] for row in rows]


def test_the_ranking_as_xlsx_equals_the_json_route(world: World) -> None:
    world.submit(world.group_1, world.member_b, "Zweiter Pain-Point")
    world.command("PUT", f"/pain-points/{world.pain_point}/support", world.member_b, 201)
    path = f"/working-groups/{world.group_1}/ranking"
    items = read(world, path, world.member_a).json()["items"]
    rows = sheet_rows(read(world, path, world.member_a, format="xlsx", limit=1).content)
    assert rows[0][:4] == ["Rank", "Title", "Status", "Score"]
    assert [[*row[:6], row[7]] for row in rows[1:]] == [
        [i["rank"], i["title"], i["status"], i["score"], i["companies"], i["supporters"],
         i["pain_point_id"]]
        for i in items
    ]  # fmt: skip
    assert len(rows) - 1 == len(items) == 2  # a file is never paged


def test_headers_follow_the_readers_language_and_german_csv_uses_semicolons(world: World) -> None:
    path = f"/working-groups/{world.group_1}/pain-points"
    german = read(world, path, world.member_a, "de", format="csv")
    first = german.content.decode("utf-8-sig").splitlines()[0]
    assert first.startswith("Titel;Status;Eingereicht")
    english = read(world, path, world.member_a, format="csv").content.decode("utf-8-sig")
    assert english.splitlines()[0].startswith("Title,Status,Submitted")


def test_a_groups_pain_points_page_and_file_agree(world: World) -> None:
    world.submit(world.group_1, world.member_b, "Zweiter Pain-Point")
    path = f"/working-groups/{world.group_1}/pain-points"
    page = read(world, path, world.member_a, limit=1).json()
    assert page["total"] == 2
    assert len(page["items"]) == 1
    every = read(world, path, world.member_a, limit=100).json()["items"]
    rows = sheet_rows(read(world, path, world.member_a, format="xlsx").content)
    assert [(r[0], r[1], r[7]) for r in rows[1:]] == [
        (i["title"], i["status"], i["id"]) for i in every
    ]
    assert read(world, path, world.outsider, format="csv").status_code == 404  # as the JSON


def test_the_promises_ledger_as_a_file_is_for_the_board(world: World) -> None:
    rows = sheet_rows(read(world, "/promises", world.board, format="xlsx").content)
    assert rows == [["Title", "Commitment", "Due on", "State", "Overdue", "Posted", "Settled",
                     "Note", "Pain point id"]]  # fmt: skip
    assert read(world, "/promises", world.member_a, format="csv").status_code == 404
    assert read(world, "/promises", world.board, format="pdf").status_code == 422


def test_a_curated_edition_as_xlsx_equals_the_json_route(world: World) -> None:
    second = world.submit(world.group_1, world.member_b, "=Zweiter Pain-Point")
    published = curate(world, world.lead, world.group_1, [second, world.pain_point], 0)
    assert published.status_code == 200, published.text
    world.position = max(world.position, published.json()["position"])
    path = f"/working-groups/{world.group_1}/curated-list/editions/1"
    rows = read(world, path, world.member_a).json()["rows"]
    sheet = sheet_rows(read(world, path, world.member_a, format="xlsx").content)
    assert sheet[0][:3] == ["Position", "Title", "Status"]
    assert [[r[0], r[1], r[3], r[4], r[7]] for r in sheet[1:]] == [
        [row["position"], neutralised(row["title"]), row["pinned"], row["rationale"],
         row["pain_point_id"]]
        for row in rows
    ]  # fmt: skip
    assert read(world, path, world.outsider, format="csv").status_code == 404


@given(st.text(max_size=20))
def test_only_text_a_spreadsheet_would_run_gets_an_apostrophe(text: str) -> None:
    expected = "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
    assert neutralised(text) == expected
