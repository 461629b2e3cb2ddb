"""Every page every role reaches reads German: no English sentence, no raw code, no ISO
date, no missing space between sentences.

The crawl signs in as a member, a lead, a board member, an admin and a vendor
representative of the demo association (whose content is German) and reads the text of
every page it can reach. Text that never went through the catalogue shows up as English:
a text node with two or more English function words ("the", "must", "your" …), or a
node that is nothing but a status, role or response code. Dates must be localised
(04.12.2026, not 2026-12-04).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from demo import texts as demo_texts
from tests.web.test_every_page import (  # noqa: F401 (client is a fixture)
    ROLES,
    board_email,
    client,
    crawl,
    lead_email,
    sign_in,
)

pytestmark = pytest.mark.slow

VENDOR = "katharina.albers@vendor.example"
#: English words that are not also German words (so "was", "will", "an", "in" are out).
ENGLISH = frozenset(
    [
        "the",
        "and",
        "of",
        "is",
        "are",
        "were",
        "has",
        "have",
        "been",
        "must",
        "your",
        "you",
        "this",
        "that",
        "with",
        "for",
        "by",
        "at",
        "to",
        "it",
        "its",
        "can",
        "from",
        "which",
        "who",
        "there",
        "their",
        "they",
        "be",
        "or",
        "please",
        "here",
        "only",
        "yet",
        "not",
        "than",
        "does",
        "did",
        "should",
        "would",
        "these",
        "those",
        "when",
        "where",
        "what",
        "how",
    ]
)
#: Codes the system uses internally; on a page they must appear as their label.
CODES = frozenset(
    [
        "new",
        "triaged",
        "needs-info",
        "escalated",
        "presented",
        "answered",
        "resolved",
        "withdrawn",
        "merged",
        "acknowledged",
        "planned",
        "workaround",
        "declined",
        "shipped",
        "open",
        "met",
        "missed",
        "overdue",
        "member",
        "lead",
        "board",
        "admin",
        "vendor",
        "pending",
        "accepted",
        "expired",
        "revoked",
    ]
)
WORD = re.compile(r"[A-Za-zÄÖÜäöüß-]+")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
GLUED = re.compile(r"[a-zäöüß]{3}[.!?][A-ZÄÖÜ][a-zäöüß]{2}")
SKIPPED = {"script", "style", "code", "pre", "textarea", "svg", "title"}
#: A text node's parts: sentences, clauses and "label: value" pairs.
PARTS = re.compile(r"(?<=[.:;!?])\s+|\s+·\s+|\s+—\s+")


class Text(HTMLParser):
    """The page's visible text nodes, without code, scripts and anything marked lang="en"."""

    def __init__(self) -> None:
        super().__init__()
        self.nodes: list[str] = []
        self.skip: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        skipping = tag in SKIPPED or attributes.get("lang") == "en" or self.skip
        if skipping and tag not in {"br", "img", "input", "meta", "link", "hr", "wbr"}:
            self.skip.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.skip and self.skip[-1] == tag:
            self.skip.pop()

    def handle_data(self, data: str) -> None:
        if not self.skip and data.strip():
            self.nodes.append(" ".join(data.split()))


def problems(html: str, written: str = "") -> list[str]:
    """What reads English on the page; `written` holds what people wrote (some members
    write English), whose words are theirs to choose."""
    parser = Text()
    parser.feed(html)
    found = []
    for node in parser.nodes:
        for part in PARTS.split(node):
            english = {w.lower() for w in WORD.findall(part)} & ENGLISH
            if len(english) >= 2 and not is_written(part, written):
                found.append(f"English: {part!r} in {node!r}")
        if node.strip(" ·:()") in CODES:
            found.append(f"a raw code: {node!r}")
        if ISO_DATE.search(node):
            found.append(f"an ISO date: {node!r}")
        if GLUED.search(node):
            found.append(f"no space between sentences: {node!r}")
    return found


QUOTED = re.compile(r"[„“\"]([^„“”\"]{8,}?)[“”\"]")


def is_written(part: str, written: str) -> bool:
    """Whether the English in this part is what people wrote (a member's English title,
    a lead's English reason), quoted or not; the app's own words around it still count."""
    if not written:
        return False
    rest = QUOTED.sub(lambda quote: "" if quote.group(1) in written else quote.group(0), part)
    core = rest.strip(" .:;!?„“”\"'()").lstrip("0123456789 ")
    if core in written:
        return True
    return len({w.lower() for w in WORD.findall(rest)} & ENGLISH) < 2


def test_the_checks_catch_what_they_are_meant_to() -> None:
    assert problems("<p>Title must not be empty</p>")
    assert problems("<td><span>escalated</span></td>")
    assert problems("<p>Zieldatum: 2027-02-28</p>")
    assert problems("<p>Bitte unterstützen.Sie haben noch 3 Stimmen.</p>")
    assert problems("<p>Begründung: the vendor responded to it</p>")
    assert not problems("<p>Der Titel darf nicht leer sein. Zieldatum: 28.02.2027</p>")
    assert not problems('<code>sprachrohr dossier verify</code><button lang="en">English</button>')
    written = "Confirmed in the working group; several members are affected."
    mixed = "<p>Anna hat den Status gesetzt. Begründung: Confirmed in the working group</p>"
    assert not problems(mixed, written)
    assert problems(mixed.replace("Confirmed in", "Refused by"), written)
    quoted = "<li>das Duplikat „Confirmed in the working group“ wurde zusammengeführt.</li>"
    assert not problems(quoted, written)
    assert problems(quoted.replace("wurde zusammengeführt", "was merged with this"), written)


def people_wrote(site: TestClient) -> str:
    """Every text people wrote (titles, descriptions, comments, responses …), as the read
    views keep it, whitespace normalised and HTML-escaped characters as on the page."""
    runtime = site.app.state.runtime  # type: ignore[attr-defined]
    texts: list[str] = []
    with runtime.store.reading() as cur:
        cur.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'v_%'")
        for (table,) in cur.fetchall():
            cur.execute(f"SELECT * FROM {table}")
            for row in cur.fetchall():
                texts.extend(" ".join(v.split()) for v in row if isinstance(v, str) and " " in v)
    # What the demo's people wrote into the log only (reasons, comments), from its sources.
    for value in vars(demo_texts).values():
        texts.extend(strings_in(value))
    return "\n".join(texts)


def strings_in(value: object) -> list[str]:
    """The strings in a constant of demo.texts, split where a template fills in a value."""
    if isinstance(value, str):
        return [" ".join(piece.split()) for piece in re.split(r"\{[^}]*\}", value)]
    if isinstance(value, dict):
        return [s for item in value.items() for s in strings_in(item)]
    if isinstance(value, (list, tuple, set, frozenset)):
        return [s for item in value for s in strings_in(item)]
    return []


@pytest.mark.parametrize("role", ["member", "lead", "board", "admin", "vendor"])
def test_every_page_reads_german_for_each_role(client: TestClient, role: str) -> None:  # noqa: F811
    emails = {"lead": lead_email, "board": board_email}
    email = VENDOR if role == "vendor" else ROLES.get(role) or emails[role](client)
    sign_in(client, email)
    pages = {path: html for path, html in crawl(client).items() if html.startswith("<!doctype")}
    assert len(pages) > 3, sorted(pages)
    written = people_wrote(client)
    found = {path: p for path, html in pages.items() if (p := problems(html, written))}
    assert not found, "\n".join(f"{path}: {p[:5]}" for path, p in sorted(found.items()))
