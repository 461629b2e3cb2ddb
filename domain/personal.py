"""Personal data inside events: a value that is stored encrypted for its subject.

A field that holds personal data (a person's name or e-mail address, a text a person
wrote) is a `Personal` value: the text plus the person it is about (the *subject*).
The application's transcoder stores it as ciphertext under the subject's own key
(service.personal); erasing the subject destroys that key, after which the value
reads back as erased (`text is None`). Events stay immutable; the published numbers
(who supported what, for which company, when) carry no personal value and stay valid.

To put a personal field into an event: create the value in the command with
`Service.personal(subject, text)` (it makes sure the subject has a key) and pass it
to the aggregate; the aggregate keeps the `Personal` (so its snapshots are encrypted
too) and reads `.text` (or `.shown`) where it needs the plain text.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class Personal:
    subject: UUID
    #: The plain text, or None once the subject has been erased.
    text: str | None

    @property
    def erased(self) -> bool:
        return self.text is None

    @property
    def shown(self) -> str:
        """The text, or "" once erased (the edge shows "[erased]" for that)."""
        return self.text or ""

    def forgotten(self) -> Personal:
        """The same field after its subject's erasure."""
        return Personal(self.subject, None)


def forgotten_facts(facts: dict[str, object]) -> dict[str, object]:
    """A mapping of fields with every personal value replaced by its erased form."""
    return {k: v.forgotten() if isinstance(v, Personal) else v for k, v in facts.items()}
