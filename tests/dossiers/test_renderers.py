"""The dossier renderers: the same bytes every time, and documents that open and read right."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from pypdf import PdfReader

from domain.evidence import REVENUE_BANDS
from domain.meeting import MEETING_KINDS
from domain.ranking import company_units, score_of
from domain.vendor import RESPONSE_KINDS
from domain.workflow import ALL_STATUSES
from dossiers.render import FORMATS, MEDIA_TYPES, render, render_all
from dossiers.render.charts import render_charts
from dossiers.render.jsonfmt import canonical_json
from dossiers.render.labels import DE, EN
from tests.dossiers import sample

REPO = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden"

H1_DE = [
    "1 Zusammenfassung",
    "2 Arbeitskreis Lizenzierung",
    "3 Arbeitskreis Hochverfügbarkeit und Sicherheit",
    "4 Änderungen seit der letzten Sitzung",
    "5 Zusagen des Herstellers",
    "6 Anhang",
]
H2_DE = [
    "2.1 Kuratierte Liste und Community-Ranking",
    "2.2 Lizenzzuordnung im Partner Center dauert Wochen",
    "2.3 CSP-Preisänderungen ohne ausreichenden Vorlauf",
    "2.4 Kündigungsfristen bei NCE-Jahresverträgen",
    "2.5 Testlizenzen für Partner-Demos laufen zu früh ab",
    "3.1 Kuratierte Liste und Community-Ranking",
    "3.2 Sicherheitsmeldungen erreichen Partner zu spät",
    "3.3 Fehlende Mandantentrennung in Support-Tickets",
    "3.4 SLA-Nachweise für die Rechenzentrumsregion Frankfurt",
    "3.5 Zertifikatsverlängerung im Partnerportal schlägt fehl",
    "4.1 Neu aufgenommen",
    "4.2 Im Ranking bewegt",
    "4.3 Beantwortet",
    "4.4 Gelöst oder geschlossen",
    "6.1 Methodik",
    "6.2 Geltende Ranking-Regeln",
    "6.3 Glossar",
]
#: Pain points with a history, so with a chart (the last one was raised after the last Monday).
CHARTS = 7


@pytest.fixture(scope="module")
def german() -> dict[str, Any]:
    return sample.german()


@pytest.fixture(scope="module")
def english() -> dict[str, Any]:
    return sample.english()


@pytest.fixture(scope="module")
def german_files(german: dict[str, Any]) -> dict[str, bytes]:
    return render_all(german)


@pytest.fixture(scope="module")
def english_files(english: dict[str, Any]) -> dict[str, bytes]:
    return render_all(english)


def digests(files: dict[str, bytes]) -> dict[str, str]:
    return {fmt: hashlib.sha256(data).hexdigest() for fmt, data in files.items()}


def flat(text: str) -> str:
    return " ".join(text.split())


def pdf_pages(data: bytes) -> list[str]:
    return [flat(page.extract_text()) for page in PdfReader(io.BytesIO(data)).pages]


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    section = document.sections[0]
    parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    return flat("\n".join(parts))


# -- the same bytes, whatever the process ---------------------------------------------------


def test_rendering_again_gives_the_same_bytes(
    german: dict[str, Any], german_files: dict[str, bytes]
) -> None:
    assert digests(render_all(german)) == digests(german_files)
    assert render(german, "md") == german_files["md"]


def test_a_fresh_process_elsewhere_renders_the_same_bytes(
    tmp_path: Path, german_files: dict[str, bytes], english_files: dict[str, bytes]
) -> None:
    """Another time zone, working directory, hash seed, locale, SOURCE_DATE_EPOCH and a
    hostile matplotlibrc with an empty font cache: none of it may reach the files."""
    config = tmp_path / "mplconfig"
    config.mkdir()
    (config / "matplotlibrc").write_text(
        "font.family: serif\nlines.linewidth: 7\nsavefig.dpi: 42\nfigure.facecolor: red\n"
        "axes.unicode_minus: False\ntext.hinting: no_hinting\n"
    )
    script = (
        "import hashlib, json\n"
        "from dossiers.render import render_all\n"
        "from tests.dossiers import sample\n"
        "print(json.dumps({name: {f: hashlib.sha256(b).hexdigest() for f, b in "
        "render_all(getattr(sample, name)()).items()} for name in ('german', 'english')}))\n"
    )
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(REPO),
        "TZ": "Pacific/Kiritimati",
        "PYTHONHASHSEED": "4242",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "SOURCE_DATE_EPOCH": "1234567890",
        "MPLCONFIGDIR": str(config),
        "MPLBACKEND": "svg",
    }
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert json.loads(done.stdout) == {
        "german": digests(german_files),
        "english": digests(english_files),
    }


def test_charts_are_drawn_once_per_pain_point_with_history(german: dict[str, Any]) -> None:
    charts = render_charts(german)
    assert len(charts) == CHARTS
    assert all(png.startswith(b"\x89PNG") for png in charts.values())
    assert b"matplotlib" not in b"".join(charts.values()).lower()


def test_every_format_is_rendered_with_a_media_type(german_files: dict[str, bytes]) -> None:
    assert list(german_files) == list(FORMATS)
    assert set(MEDIA_TYPES) == set(FORMATS)


def test_an_unknown_format_is_refused(german: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="unknown dossier format 'html'"):
        render(german, "html")


# -- PDF --------------------------------------------------------------------------------------


def test_pdf_opens_on_a_cover_naming_association_meeting_and_hash(
    german: dict[str, Any], german_files: dict[str, bytes]
) -> None:
    pages = pdf_pages(german_files["pdf"])
    assert len(pages) > 10
    cover = pages[0]
    assert german["association"]["name"] in cover
    assert "Quality Board Partnerprogramm" in cover
    assert "14.03.2026, 09:00 UTC" in cover
    assert german["content_hash"] in cover
    assert "Vertraulich — nur aggregierte Zahlen" in cover


def test_pdf_has_contents_every_heading_and_page_x_of_y(german_files: dict[str, bytes]) -> None:
    pages = pdf_pages(german_files["pdf"])
    assert pages[1].startswith("MSPN Deutschland")
    assert "Inhalt" in pages[1]
    for heading in H1_DE + H2_DE:
        assert heading in pages[1], heading
        assert any(heading in page for page in pages[2:]), heading
    for number, page in enumerate(pages[1:], start=2):
        assert f"Seite {number} von {len(pages)}" in page
    assert "Seite 1 von" not in pages[0]


def test_pdf_outline_lists_the_sections(german_files: dict[str, bytes]) -> None:
    outline = PdfReader(io.BytesIO(german_files["pdf"])).outline
    assert [item.title for item in outline if not isinstance(item, list)] == H1_DE


def test_pdf_embeds_the_charts_on_the_working_group_pages(
    german_files: dict[str, bytes],
) -> None:
    reader = PdfReader(io.BytesIO(german_files["pdf"]))
    texts = [flat(page.extract_text()) for page in reader.pages]
    body = range(2, len(texts))  # after the cover and the contents
    first_group = next(i for i in body if H1_DE[1] in texts[i])
    changes = next(i for i in body if H1_DE[3] in texts[i])
    with_images = [i for i, page in enumerate(reader.pages) if page.images]
    assert sum(len(page.images) for page in reader.pages) == CHARTS
    assert with_images
    assert all(first_group <= i < changes for i in with_images)


def test_pdf_metadata_comes_from_the_content_not_the_clock(
    german: dict[str, Any], german_files: dict[str, bytes]
) -> None:
    reader = PdfReader(io.BytesIO(german_files["pdf"]))
    info = reader.metadata
    assert info is not None
    assert info["/CreationDate"] == info["/ModDate"] == "D:20260314090000+00'00'"
    assert info["/Title"] == "Briefing-Dossier: Quality Board Partnerprogramm"
    assert info["/Author"] == german["association"]["name"]
    fonts = {
        font.get_object()["/BaseFont"]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts
    assert all(name.split("+")[-1].startswith("DejaVuSans") for name in fonts)


# -- DOCX -------------------------------------------------------------------------------------


def test_docx_headings_use_word_heading_styles_in_order(german_files: dict[str, bytes]) -> None:
    document = docx.Document(io.BytesIO(german_files["docx"]))
    headings = [
        (int(p.style.name.removeprefix("Heading ")), p.text)
        for p in document.paragraphs
        if p.style is not None and p.style.name.startswith("Heading ")
    ]
    assert [text for level, text in headings if level == 1] == H1_DE
    assert [text for level, text in headings if level == 2] == H2_DE
    assert [text for level, text in headings if level == 3].count("Eckdaten") == 8


def test_docx_tables_have_the_expected_headers(german_files: dict[str, bytes]) -> None:
    document = docx.Document(io.BytesIO(german_files["docx"]))
    headers = [[cell.text for cell in table.rows[0].cells] for table in document.tables]
    summary = ["Nr.", "Arbeitskreis", "Pain-Point", "Kur.", "Comm.", "Status", "Untern.", "Pers."]
    ranking = ["Rang", "Pain-Point", "Score", "Untern.", "Pers.", "Status", "Kur."]
    answers = ["Datum", "Art", "Produktgruppe", "Antwort", "Zusage"]
    ledger = ["Arbeitskreis", "Pain-Point", "Zugesagt", "Ziel", "Stand", "Erledigt"]
    assert headers.count(summary) == 1
    assert headers.count(ranking) == 2
    assert headers.count(answers) == 3
    assert headers.count(ledger) == 1
    ranked = document.tables[headers.index(ranking)]
    assert [c.text for c in ranked.rows[1].cells][:3] == [
        "1",
        "CSP-Preisänderungen ohne ausreichenden Vorlauf",
        "8,50",
    ]


def test_docx_embeds_one_picture_per_chart_and_numbers_its_pages(
    german_files: dict[str, bytes],
) -> None:
    document = docx.Document(io.BytesIO(german_files["docx"]))
    assert len(document.inline_shapes) == CHARTS
    footer = document.sections[0].footer._element.xml
    assert 'w:instr="PAGE"' in footer
    assert 'w:instr="NUMPAGES"' in footer
    assert 'TOC \\o "1-2"' in document.element.xml
    assert "Seite" in docx_text(german_files["docx"])


def test_docx_properties_and_archive_carry_the_as_of_time_only(
    german: dict[str, Any], german_files: dict[str, bytes]
) -> None:
    document = docx.Document(io.BytesIO(german_files["docx"]))
    core = document.core_properties
    as_of = (2026, 3, 14, 9, 0, 0)
    for moment in (core.created, core.modified, core.last_printed):
        assert moment is not None
        assert moment.timetuple()[:6] == as_of
    assert core.revision == 1
    assert core.identifier == german["content_hash"]
    with zipfile.ZipFile(io.BytesIO(german_files["docx"])) as archive:
        entries = archive.infolist()
    assert entries[0].filename == "[Content_Types].xml"
    assert [e.filename for e in entries[1:]] == sorted(e.filename for e in entries[1:])
    assert {e.date_time for e in entries} == {as_of}
    assert not any("thumbnail" in e.filename for e in entries)


# -- Markdown and JSON: golden files ----------------------------------------------------------


def matches_golden(name: str, data: bytes) -> bool:
    """Compares with the golden file; UPDATE_GOLDEN=1 rewrites it from this output."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_bytes(data)
    return path.read_bytes() == data


def test_markdown_and_json_match_the_golden_files(
    german_files: dict[str, bytes], english_files: dict[str, bytes]
) -> None:
    assert matches_golden("sample.de.md", german_files["md"])
    assert matches_golden("sample.en.md", english_files["md"])
    assert matches_golden("sample.de.json", german_files["json"])


def github_anchor(heading: str) -> str:
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


def test_markdown_contents_link_to_its_headings(german_files: dict[str, bytes]) -> None:
    text = german_files["md"].decode("utf-8")
    headings = re.findall(r"^#{2,3} (.+)$", text, flags=re.MULTILINE)
    assert [h for h in headings if re.match(r"\d+ ", h)] == H1_DE
    assert [h for h in headings if re.match(r"\d+\.\d+ ", h)] == H2_DE
    links = re.findall(r"^ *- \[(.+)\]\(#(.+)\)$", text, flags=re.MULTILINE)
    assert [title for title, _ in links] == [h for h in headings if re.match(r"\d", h)]
    assert all(anchor == github_anchor(title) for title, anchor in links)
    assert "| Rang | Pain-Point | Score | Untern. | Pers. | Status | Kur. |" in text
    assert "Vorlagen für Partnerverträge \\| Version 2023" in text


def test_json_is_the_content_itself_canonically(
    german: dict[str, Any], german_files: dict[str, bytes]
) -> None:
    data = german_files["json"]
    assert json.loads(data) == german
    assert data == canonical_json(json.loads(data))
    assert data.endswith(b"}\n")
    assert "Hochverfügbarkeit".encode() in data


# -- company names only by the board's decision -----------------------------------------------


def readable_texts(files: dict[str, bytes]) -> dict[str, str]:
    return {
        "pdf": " ".join(pdf_pages(files["pdf"])),
        "docx": docx_text(files["docx"]),
        "md": files["md"].decode("utf-8"),
        "json": files["json"].decode("utf-8"),
    }


def test_company_names_appear_only_when_the_board_includes_them(
    german_files: dict[str, bytes], english_files: dict[str, bytes]
) -> None:
    withheld, included = readable_texts(german_files), readable_texts(english_files)
    for fmt in FORMATS:
        assert not [n for n in sample.COMPANY_NAMES if n in withheld[fmt]], fmt
        assert all(n in flat(included[fmt]) for n in sample.COMPANY_NAMES[:3]), fmt


def test_names_left_in_the_content_by_mistake_are_still_not_printed(
    english: dict[str, Any],
) -> None:
    content = json.loads(json.dumps(english))
    content["definition"]["include_companies"] = False
    texts = readable_texts(render_all(content, ["pdf", "docx", "md", "json"]))
    for fmt in ("pdf", "docx", "md"):
        assert not [n for n in sample.COMPANY_NAMES if n in texts[fmt]], fmt


# -- texts --------------------------------------------------------------------------------------


def test_every_text_exists_in_both_languages() -> None:
    assert DE.keys() == EN.keys()
    for key, value in DE.items():
        if isinstance(value, dict):
            assert value.keys() == EN[key].keys(), key
        if isinstance(value, list):
            assert len(value) == len(EN[key]), key


def test_every_status_kind_and_band_of_the_domain_has_a_name() -> None:
    for texts in (DE, EN):
        assert set(ALL_STATUSES) <= texts["statuses"].keys()
        assert set(RESPONSE_KINDS) <= texts["response_kinds"].keys()
        assert set(MEETING_KINDS) <= texts["meeting_kinds"].keys()
        assert set(REVENUE_BANDS) <= texts["revenue_bands"].keys()


@pytest.mark.parametrize(("texts", "comma"), [(DE, True), (EN, False)])
def test_the_methodology_states_the_ranking_code_s_company_weights(
    texts: dict[str, Any], comma: bool
) -> None:
    paragraph = texts["methodology_text"][0]
    for people in (1, 2, 3):
        weight = str(score_of(company_units(people)))
        assert (weight.replace(".", ",") if comma else weight) in paragraph
    assert "1 − 2⁻ⁿ" in paragraph


# -- sparse content ------------------------------------------------------------------------------


def test_a_dossier_without_meeting_history_or_lists_still_renders(english: dict[str, Any]) -> None:
    content = json.loads(json.dumps(english))
    content.update(meeting=None, previous_meeting=None, changes=None, promises=[], summary=[])
    group = content["groups"][1]
    group.update(curated=None, ranking=[], pain_points=group["pain_points"][-1:])
    content["groups"] = [group]
    files = render_all(content)
    text = files["md"].decode("utf-8")
    assert "No previous meeting: there is nothing to compare with." in text
    assert "The working-group lead has not published a curated list." in text
    assert "No history yet." in text
    assert len(PdfReader(io.BytesIO(files["pdf"])).pages) > 3
    assert len(docx.Document(io.BytesIO(files["docx"])).inline_shapes) == 0
