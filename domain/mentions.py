"""@mentions in a comment's text: person ids, never names.

A comment's text carries each mention as a token `<@person-id>` (the id's 32 hex
digits) and its `Posted`/`Edited` event lists the mentioned ids; the name is put in
only when the text is shown, as the reader may see it (domain.visibility), so an
erased person's name is gone from every comment that mentioned them.

Writers type `@Name`: the edge turns `@` + the display name of each person they
chose (or, in the web form without JavaScript, of each person they may mention whose
name is unique) into the token before the command runs (`tokenize`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from uuid import UUID

from domain.errors import Invalid

TOKEN = re.compile(r"<@([0-9a-f]{32})>")
#: At most this many people are mentioned in one comment.
MAX_MENTIONS = 10


def mentioned(text: str) -> list[UUID]:
    """The ids the text's tokens name, first mention first, each once."""
    return list(dict.fromkeys(UUID(hex) for hex in TOKEN.findall(text)))


def token(person_id: UUID) -> str:
    return f"<@{person_id.hex}>"


def tokenize(text: str, names: Mapping[UUID, str]) -> str:
    """`@Name` of each named person → their token (longest names first; a name must end
    at a word boundary, so "@Ann" does not take the start of "@Anna")."""
    for person_id, name in sorted(names.items(), key=lambda item: -len(item[1])):
        if not name.strip():
            continue
        pattern = re.compile("@" + re.escape(name) + r"(?!\w)")
        text = pattern.sub(token(person_id), text)  # no backslash in a token
    return text


def named_in(text: str, names: Mapping[UUID, str]) -> list[UUID]:
    """Who of `names` the text mentions as `@Name`, when that name is nobody else's."""
    counts: dict[str, int] = {}
    for name in names.values():
        counts[name.casefold()] = counts.get(name.casefold(), 0) + 1
    unique = {pid: n for pid, n in names.items() if n.strip() and counts[n.casefold()] == 1}
    return mentioned(tokenize(text, unique))


def check(text: str, mentions: Iterable[UUID]) -> list[UUID]:
    """The mentions of a comment: exactly the text's tokens; Invalid when a listed
    person is not in the text, or when there are too many."""
    listed = list(dict.fromkeys(mentions))
    found = mentioned(text)
    missing = [m for m in listed if m not in found]
    if missing:
        raise Invalid("comment.mention_not_in_text", field="mentions")
    if len(found) > MAX_MENTIONS:
        raise Invalid("comment.too_many_mentions", field="mentions", max=MAX_MENTIONS)
    return found


def parts(text: str) -> list[tuple[str, UUID | None]]:
    """The text as pieces: (plain text, None) and (token, mentioned id), in order."""
    pieces: list[tuple[str, UUID | None]] = []
    last = 0
    for match in TOKEN.finditer(text):
        if match.start() > last:
            pieces.append((text[last : match.start()], None))
        pieces.append((match.group(0), UUID(match.group(1))))
        last = match.end()
    if last < len(text):
        pieces.append((text[last:], None))
    return pieces


def render(text: str, name_of: Callable[[UUID], str]) -> str:
    """The text with every token as `@` + what `name_of` says (the reader's view)."""
    return "".join(
        piece if person is None else "@" + name_of(person) for piece, person in parts(text)
    )
