"""What a notification says, in the reader's language: one sentence per kind.

The sentences are marked for translation (`N_`) and rendered with the reader's
`gettext`: the web page, the bell and the e-mail digest all say the same.
Nothing here names a person.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

#: The catalogues the web app uses too (api/locale): one translation of each sentence.
LOCALE_DIR = Path(__file__).resolve().parent.parent / "api" / "locale"


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated where it is shown."""
    return message


#: Every status's name (the web shows the same: api/web/widgets.py).
STATUS_LABELS = {
    "new": N_("new"),
    "accepted": N_("accepted"),
    "needs-info": N_("needs information"),
    "declined": N_("declined"),
    "escalated": N_("escalated to the board"),
    "presented": N_("presented to the vendor"),
    "answered": N_("answered by the vendor"),
    "resolved": N_("resolved"),
    "closed": N_("closed"),
    "withdrawn": N_("withdrawn"),
    "merged": N_("merged"),
}

SENTENCES = {
    "pain_point.submitted": N_("New pain point in %(detail)s"),
    "pain_point.status_changed": N_("Status changed to “%(status)s”: %(reason)s"),
    "pain_point.vendor_responded": N_("The vendor responded officially"),
    "commitment.made": N_("The vendor committed to a date: %(due)s"),
    "commitment.met": N_("The vendor's commitment was met"),
    "commitment.missed": N_("The vendor's commitment was missed (due %(detail)s)"),
    "commitment.overdue": N_("The vendor's commitment is overdue (due %(detail)s)"),
    "pain_point.merged": N_("Merged into “%(detail)s”"),
    "pain_point.unmerged": N_("Split off again: %(detail)s"),
    "pain_point.commented": N_("New comment"),
    "pain_point.mentioned": N_("You were mentioned in a comment"),
    "pain_point.supported": N_("New support"),
    "curated_list.published": N_("Curated list published (edition %(detail)s)"),
    "meeting.presented": N_("Presented at the board meeting %(detail)s"),
    "round.opened": N_("Voting round %(detail)s opened"),
    "round.closed": N_("Voting round %(detail)s closed"),
    "dossier.issued": N_("Dossier issued"),
    "join.requested": N_("Someone asks to join the working group"),
    "join.approved": N_("Your request to join was approved: you are a member now"),
    "join.declined": N_("Your request to join was declined"),
    "webhook.disabled": N_("A webhook was disabled after repeated failures: %(detail)s"),
}
#: Coalesced lines of the digest: many of one kind on one item.
COALESCED = {
    "pain_point.supported": N_("%(count)s new supports"),
    "pain_point.commented": N_("%(count)s new comments"),
}


def describe(
    kind: str,
    detail: str,
    gettext: Callable[[str], str],
    status_label: Callable[[str], str] = lambda status: status,
) -> str:
    """The sentence for one notification."""
    sentence = SENTENCES.get(kind)
    if sentence is None:
        return kind
    first, _, second = detail.partition("|")
    values = {
        "detail": detail,
        "status": status_label(first),
        "reason": second,
        "due": second or first,
    }
    return gettext(sentence) % values


def coalesced(kind: str, count: int, gettext: Callable[[str], str]) -> str:
    return gettext(COALESCED[kind]) % {"count": count}


@cache
def catalog(language: str) -> NullTranslations:
    """The translations of a language; English is the source language."""
    po_file = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    if language == "en" or not po_file.exists():
        return NullTranslations()
    with po_file.open("rb") as source:
        messages = read_po(source, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, messages)
    compiled.seek(0)
    return Translations(compiled)


def status_label(status: str, gettext: Callable[[str], str]) -> str:
    return gettext(STATUS_LABELS.get(status) or status)
