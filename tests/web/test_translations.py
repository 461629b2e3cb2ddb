"""Every message the web app shows has a German translation."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
METHODS = [
    ("domain/messages.py", "python"),
    ("api/**.py", "python"),
    ("api/templates/**.html", "jinja2"),
]
OPTIONS = {"api/templates/**.html": {"extensions": "jinja2.ext.i18n"}}
CATALOGUE = ROOT / "api" / "locale" / "de" / "LC_MESSAGES" / "messages.po"


def source_messages() -> set[str | tuple[str, ...]]:
    found = extract_from_dir(str(ROOT), METHODS, OPTIONS)
    return {message for _, _, message, _, _ in found}


def test_every_message_in_the_source_has_a_german_translation() -> None:
    with CATALOGUE.open("rb") as po:
        catalogue = read_po(po, locale="de")
    translated = {
        message.id if isinstance(message.id, str) else message.id[0]
        for message in catalogue
        if message.id
        and message.string
        and not message.fuzzy
        and all(message.string if isinstance(message.string, tuple) else [message.string])
    }
    missing = sorted(
        str(m if isinstance(m, str) else m[0])
        for m in source_messages()
        if (m if isinstance(m, str) else m[0]) not in translated
    )
    assert not missing, f"{len(missing)} messages lack a German translation: {missing[:10]}"
