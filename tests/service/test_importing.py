"""Importing the association's spreadsheets: reports, idempotence, formats, rankings."""

from __future__ import annotations

import io
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook
from typer.testing import CliRunner

from cli.main import cli
from domain.ids import SYSTEM, idempotent_id
from domain.imported import DataImport, ImportedSpans
from projections.ranking_view import live_ranking, ranking_as_of
from projections.view import micros, topic
from service.application import Sprachrohr
from service.importing import StagingSprachrohr, run_import
from service.importing.dates import BERLIN, parse_moment
from service.importing.template import template_xlsx
from service.runtime import build_runtime
from service.settings import Settings

DATA = Path(__file__).parent / "data"
GROUP = idempotent_id("group", SYSTEM, "import:lizenzen").hex
runner = CliRunner()


def csv_files(folder: str) -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in sorted((DATA / folder).glob("*.csv"))]


def log_of(app: Sprachrohr) -> list[tuple[int, str, int, str, bytes]]:
    return [
        (n.id, str(n.originator_id), n.originator_version, n.topic, n.state)
        for n in app.recorder.select_notifications(start=1, limit=1_000_000)
    ]


def xlsx_of(files: list[tuple[str, bytes]]) -> bytes:
    """The CSV files as one workbook, one sheet per file named like its kind."""
    book = Workbook()
    book.remove(book.active)
    for name, content in files:
        sheet = book.create_sheet(name.removesuffix(".csv"))
        for line in content.decode("utf-8-sig").splitlines():
            sheet.append(line.split(","))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_file_with_ten_kinds_of_bad_rows_gets_the_golden_report_and_writes_nothing() -> None:
    app = StagingSprachrohr()
    report = run_import(app, csv_files("bad"), dry_run=True)
    golden = (DATA / "bad_report.txt").read_text(encoding="utf-8").splitlines()
    assert report.lines() == golden
    assert len(report.rows) == 31
    assert len(report.failed) == 20
    assert app.recorder.max_notification_id() in (None, 0)
    again = run_import(app, csv_files("bad"))  # not a dry run: still nothing written
    assert again.lines() == golden
    assert app.recorder.max_notification_id() in (None, 0)


def test_importing_the_same_files_twice_leaves_the_log_identical() -> None:
    app = StagingSprachrohr()
    first = run_import(app, csv_files("good"))
    assert first.ok
    assert first.new_events > 0
    log = log_of(app)
    second = run_import(app, csv_files("good"))
    assert second.ok
    assert second.new_events == 0
    assert second.position is None
    assert {r.status for r in second.rows} == {"unchanged"}
    assert log_of(app) == log


def test_imported_events_lie_between_the_markers_of_their_import() -> None:
    app = StagingSprachrohr()
    report = run_import(app, csv_files("good"))
    log = log_of(app)
    assert log[0][3] == topic(DataImport, "Started")
    assert log[-1][3] == topic(DataImport, "Completed")
    assert report.position == log[-1][0]
    assert report.new_events == len(log) - 2


def test_a_german_excel_csv_imports(tmp_path: Path) -> None:
    bom = b"\xef\xbb\xbf"
    files = [
        ("firmen.csv", bom + "Firma;Beitritt\nMüller GmbH;01.12.2025\n".encode()),
        ("arbeitskreise.csv", bom + "Name;Art;Beschreibung\nSüd;regional;München\n".encode()),
        (
            "personen.csv",
            bom
            + "E-Mail;Name;Firma;Arbeitskreise;Einladen\n"
            "jana@mueller.example;Jana Müller;Müller GmbH;Süd;nein\n".encode(),
        ),
        (
            "pain_points.csv",
            bom
            + "Schlüssel;Arbeitskreis;Titel;Beschreibung;Eingereicht von;Eingereicht am;"
            "Status;Schlagworte\nS-1;Süd;Lizenzportal langsam;;jana@mueller.example;"
            "31.12.2025;angenommen;portal\n".encode(),
        ),
        (
            "supports.csv",
            bom + "Pain-Point;Person;Firma;Datum\nS-1;;Müller GmbH;31.12.2025\n".encode(),
        ),
    ]
    app = StagingSprachrohr()
    report = run_import(app, files)
    assert report.ok, report.lines()
    assert [r.status for r in report.rows] == ["ok"] * 5
    submitted = next(n for n in app.recorder.select_notifications(1, 100) if "Submitted" in n.topic)
    event = app.mapper.to_domain_event(submitted)
    assert event.timestamp == datetime(2025, 12, 31, 11, 0, tzinfo=UTC)  # 12:00 in Berlin
    assert any(
        n.topic.endswith("PainPoint.StatusChanged")
        for n in app.recorder.select_notifications(1, 100)
    )


def test_pain_points_into_a_group_with_live_history_are_refused(tmp_path: Path) -> None:
    env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "e")}
    Sprachrohr(env=env).found_group("Lizenzen", "thematic", "", by=SYSTEM)
    report = run_import(StagingSprachrohr(env=env), csv_files("good"), dry_run=True)
    assert "pain_points.csv:2: working_group: the working group 'Lizenzen' has live history" in (
        "\n".join(report.lines())
    )


def test_the_template_imports_as_it_is() -> None:
    report = run_import(StagingSprachrohr(), [("template.xlsx", template_xlsx())])
    assert report.ok, report.lines()
    assert len(report.rows) == 5


@pytest.fixture
def sqlite_settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "var")  # type: ignore[call-arg]


def at(text: str) -> int:
    return micros(datetime.fromisoformat(text))


def scores(items: list) -> list[tuple[str, float, int, int]]:  # type: ignore[type-arg]
    return [
        (i.title, i.tally.units / (1 << 40), i.tally.companies, i.tally.supporters) for i in items
    ]


def test_an_xlsx_with_all_five_sheets_ranks_as_computed_by_hand(settings: Settings) -> None:
    """On both backends: the whole import is one transaction of a few dozen events."""
    runtime = build_runtime(settings)
    app = StagingSprachrohr(env=settings.event_store_env())
    try:
        report = run_import(app, [("verband.xlsx", xlsx_of(csv_files("good")))])
        assert report.ok, report.lines()
        runtime.projector.catch_up()
        with runtime.store.reading() as cur:
            live = scores(live_ranking(cur, GROUP, 10, 0)[0])
            before = ranking_as_of(cur, GROUP, at("2025-01-31T12:00:00+00:00"), 10, 0)[0]
            feb3 = scores(ranking_as_of(cur, GROUP, at("2025-02-03T23:00:00+00:00"), 10, 0)[0])
            feb5 = scores(ranking_as_of(cur, GROUP, at("2025-02-05T00:00:00+00:00"), 10, 0)[0])
            mar1 = scores(ranking_as_of(cur, GROUP, at("2025-03-01T11:00:00+00:00"), 10, 0)[0])
    finally:
        app.close()
        runtime.close()
    # P1: Alpha (Anna) 0.5 + Beta (Bert and one anonymous supporter) 0.75.
    assert live == [("Portal loses customers", 1.25, 2, 3), ("Licensing is slow", 0.5, 1, 1)]
    assert before == []
    assert feb3 == [("Portal loses customers", 0.5, 1, 1), ("Licensing is slow", 0.0, 0, 0)]
    # A tie on score, companies and people: the earlier first support ranks first.
    assert feb5 == [("Portal loses customers", 0.5, 1, 1), ("Licensing is slow", 0.5, 1, 1)]
    assert mar1 == [("Portal loses customers", 1.0, 2, 2), ("Licensing is slow", 0.5, 1, 1)]


def test_a_running_servers_views_catch_up_with_an_import(sqlite_settings: Settings) -> None:
    runtime = build_runtime(sqlite_settings)
    runtime.start_projector()
    app = StagingSprachrohr(env=sqlite_settings.event_store_env())
    try:
        assert run_import(app, csv_files("good")).ok
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            with runtime.store.reading() as cur:
                if live_ranking(cur, GROUP, 10, 0)[1] == 2:
                    break
            time.sleep(0.1)
        else:
            pytest.fail("the server's views did not catch up with the import")
    finally:
        app.close()
        runtime.close()


def test_the_command_line_exits_0_1_or_2_and_lists_each_failing_row(tmp_path: Path) -> None:
    env = {"SPRACHROHR_DATA_DIR": str(tmp_path / "var")}
    bad = [str(p) for p in sorted((DATA / "bad").glob("*.csv"))]
    good = [str(p) for p in sorted((DATA / "good").glob("*.csv"))]
    failing = runner.invoke(cli, ["import", *bad], env=env)
    assert failing.exit_code == 1
    golden = (DATA / "bad_report.txt").read_text(encoding="utf-8").splitlines()
    assert failing.stdout.splitlines()[: len(golden)] == golden
    dry = runner.invoke(cli, ["import", "--dry-run", *good], env=env)
    assert dry.exit_code == 0, dry.output
    assert "would write 21 events" in dry.output
    assert runner.invoke(cli, ["import", *good], env=env).exit_code == 0
    again = runner.invoke(cli, ["import", *good], env=env)
    assert "wrote 0 events" in again.output
    assert runner.invoke(cli, ["import", str(tmp_path / "missing.csv")], env=env).exit_code == 2
    unnamed = tmp_path / "liste.csv"
    unnamed.write_text("name\nAlpha GmbH\n")
    assert runner.invoke(cli, ["import", str(unnamed)], env=env).exit_code == 2
    named = runner.invoke(cli, ["import", "--kind", "companies", str(unnamed)], env=env)
    assert named.exit_code == 0, named.output


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)))
def test_both_date_forms_name_noon_in_berlin_on_that_day(day: date) -> None:
    iso, german = parse_moment(day.isoformat()), parse_moment(day.strftime("%d.%m.%Y"))
    assert iso == german
    assert iso is not None
    local = iso.astimezone(BERLIN)
    assert (local.date(), local.hour, local.minute) == (day, 12, 0)


def test_people_whose_row_asks_for_it_are_invited_once_after_the_import_is_saved() -> None:
    app = StagingSprachrohr()
    invited: list[str] = []
    dry = run_import(app, csv_files("good"), dry_run=True, invite=invited.append)
    assert invited == []
    assert "1 people will be mailed a link to set a password" in dry.warnings
    assert run_import(app, csv_files("good"), invite=invited.append).invited == [
        "bert@beta.example"
    ]
    assert run_import(app, csv_files("good"), invite=invited.append).invited == []
    assert invited == ["bert@beta.example"]


def test_date_cells_of_an_xlsx_are_days_in_berlin() -> None:
    book = Workbook()
    book.remove(book.active)
    sheet = book.create_sheet("Firmen")
    sheet.append(["Firma", "Beitritt"])
    sheet.append(["Gamma KG", datetime(2024, 7, 1)])
    out = io.BytesIO()
    book.save(out)
    app = StagingSprachrohr()
    assert run_import(app, [("firmen.xlsx", out.getvalue())]).ok
    admitted = next(n for n in app.recorder.select_notifications(1, 10) if "Admitted" in n.topic)
    event = app.mapper.to_domain_event(admitted)
    assert event.timestamp == datetime(2024, 7, 1, 10, 0, tzinfo=UTC)  # 12:00 summer time


def test_a_follower_of_the_log_tells_imported_events_from_live_ones(tmp_path: Path) -> None:
    env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "e")}
    live = Sprachrohr(env=env)
    live.admit_company("Vorher GmbH", by=SYSTEM)
    run_import(StagingSprachrohr(env=env), csv_files("good"))
    live.admit_company("Nachher GmbH", by=SYSTEM)
    spans = ImportedSpans()
    flags = [
        spans.imported(live.mapper.to_domain_event(n))
        for n in live.recorder.select_notifications(1, 1000)
    ]
    assert flags == [False, False] + [True] * 23 + [False, False]


def test_nobody_acts_for_a_company_before_it_joined() -> None:
    files = [
        ("companies.csv", b"name,joined_on\nAlt GmbH,2025-01-01\nNeu AG,2025-03-01\n"),
        ("working_groups.csv", b"name,kind\nNord,regional\n"),
        ("people.csv", b"email,display_name,company,working_groups\nn@neu.example,N,Neu AG,Nord\n"),
        (
            "pain_points.csv",
            b"key,working_group,title,submitted_by,submitted_on\n"
            b"A,Nord,Early,n@neu.example,2025-02-01\nB,Nord,Later,Alt GmbH,2025-01-15\n",
        ),
        ("supports.csv", b"pain_point,person,given_on\nB,n@neu.example,2025-02-15\n"),
    ]
    report = run_import(StagingSprachrohr(), files, dry_run=True)
    assert report.lines() == [
        "pain_points.csv:2: submitted_on: the date is before the company joined",
        "supports.csv:2: given_on: the date is before the company joined",
    ]
