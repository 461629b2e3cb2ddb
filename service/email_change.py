"""Changing a person's e-mail address: confirmed by a link mailed to the new address.

An admin asks for the change; nothing changes until someone with the new address's
mailbox opens the link (24 hours, once). Then the person's address and the claim on
it change together; the old address is no longer the person's sign-in name.
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from domain.claim import Claim
from domain.email_change import EmailChange, email_change_id
from domain.errors import Conflict, Gone, NotFound
from domain.person import Person, normalise_email
from service.application import Sprachrohr
from service.core import Outcome, retried
from service.mail import Mail, enqueue_mail, local_datetime
from service.passwords import link_token, token_digest
from storage.outbox import Outbox


class EmailChanges:
    def __init__(
        self,
        app: Sprachrohr,
        outbox: Outbox,
        *,
        public_base: str,
        association: str,
        mail_recorded: Callable[[], object] | None = None,
    ) -> None:
        self.app = app
        self.outbox = outbox
        self.public_base = public_base
        self.association = association
        self.mail_recorded = mail_recorded

    def check(self, person_id: UUID, new_email: str, *, by: UUID) -> str | None:
        """The new address, if it is one to confirm; raises what `request` would refuse."""
        self.app.require_admin(by)
        person = self.app.load(Person, person_id, "person", readonly=True)
        address = normalise_email(new_email)
        if address == person.email:
            return None
        if self.app.find_person_by_email(address) is not None:
            raise Conflict("email.has_account", field="email")
        return address

    def request(self, person_id: UUID, new_email: str, *, by: UUID) -> Outcome:
        """Mail the confirmation link to the new address (admins)."""
        address = self.check(person_id, new_email, by=by)
        if address is None:
            return Outcome(person_id, False, None)
        person = self.app.load(Person, person_id, "person", readonly=True)
        token, digest = link_token()
        at = self.app.clock()
        change = EmailChange.request(digest, person_id, address, by=by, at=at)
        language = person.language or "de"
        link = f"{self.public_base}/email-change/{token}"
        context = {
            "display_name": person.display_name,
            "association": self.association,
            "email": address,
            "link": link,
            "expires_at": local_datetime(change.expires_at, language),
        }
        mail = Mail(
            f"email-change-{change.id}", address, "email_change", language, context,
            True, change.id, link,
        )  # fmt: skip
        enqueue_mail(self.outbox, mail, now=at, public_base=self.public_base)
        position = self.app.store(change)
        if self.mail_recorded is not None:
            self.mail_recorded()
        return Outcome(change.id, True, position)

    def pending(self, token: str) -> EmailChange:
        change = self._change(token)
        change.require_pending(self.app.clock())
        return change

    def confirm(self, token: str) -> Outcome:
        return self._confirm(self._change(token).id)

    @retried
    def _confirm(self, change_id: UUID) -> Outcome:
        change = self.app.load(EmailChange, change_id, "email change")
        at = self.app.clock()
        change.confirm(at=at)
        person = self.app.load(Person, change.person_id, "person")
        if person.erased or not change.new_email:
            raise Gone("email_change.expired", field="token")
        # The old address is released (anyone may claim it again), the new one claimed.
        old = self.app.find(Claim, self.app.email_claim_id(person.email))
        if old is not None and old.owner == person.id:
            old.release(at=at)
        new = self.app._claim("email", change.new_email, owner=person.id, at=at)
        person.change_email(change.new_email, by=change.person_id, at=at)
        return Outcome(person.id, True, self.app.store(change, person, old, new))

    def _change(self, token: str) -> EmailChange:
        found = self.app.find(EmailChange, email_change_id(token_digest(token)), readonly=True)
        if found is None:
            raise NotFound("email_change.link_not_valid", field="token")
        return found
