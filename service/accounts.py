"""Accounts people run themselves: invitations, password reset and change, sessions.

Every mail with a one-time link is recorded in the outbox before the aggregate it is
about is saved (service/mail.py), so a crash in between loses nothing that was
acknowledged and never sends a link that does not work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from domain.company import MemberCompany
from domain.errors import Conflict, Invalid, NotFound, PermissionDenied
from domain.ids import SYSTEM, invitation_id, password_reset_id, person_from_invitation
from domain.invitation import Invitation
from domain.password_reset import PasswordReset
from domain.person import Person
from domain.session import SignInSession
from domain.workinggroup import WorkingGroup
from service.application import Sprachrohr
from service.core import Outcome, retried
from service.mail import Mail, enqueue_mail, local_datetime
from service.passwords import check_password, link_token, token_digest
from storage.outbox import Outbox

#: At most one password-reset mail per person in this window.
RESET_MAIL_WINDOW = timedelta(minutes=5)


@dataclass(frozen=True)
class Hashing:
    """How passwords are hashed and checked (argon2id, api/security.py)."""

    hash: Callable[[str], str]
    verify: Callable[[str | None, str], bool]


@dataclass(frozen=True)
class Issued:
    outcome: Outcome
    expires_at: datetime


class Accounts:
    def __init__(
        self,
        app: Sprachrohr,
        outbox: Outbox,
        hashing: Hashing,
        *,
        public_base: str,
        association: str,
        mail_recorded: Callable[[], None] = lambda: None,
    ) -> None:
        #: Called once a command's mail can be sent: wakes the sender.
        self.mail_recorded = mail_recorded
        self.app = app
        self.outbox = outbox
        self.hashing = hashing
        self.public_base = public_base
        self.association = association

    # -- invitations ------------------------------------------------------------

    def invite(
        self,
        email: str,
        display_name: str,
        company_id: UUID | None,
        group_ids: list[UUID],
        language: str,
        *,
        by: UUID,
    ) -> Issued:
        """Invite someone: admins anyone; a lead into groups they lead (and only those)."""
        groups = [self._group(group_id) for group_id in dict.fromkeys(group_ids)]
        if not self.app.is_admin(by) and not (groups and all(g.is_lead(by) for g in groups)):
            raise PermissionDenied("invitation.not_allowed")
        if company_id is None and not self.app.is_admin(by):
            raise PermissionDenied("invitation.staff_admins_only")
        if company_id is not None:
            company = self.app.find(MemberCompany, company_id, readonly=True)
            if company is None or not company.is_member:
                raise Invalid("invitation.company_not_member", field="company_id")
        token, digest = link_token()
        at = self.app.clock()
        self.app.make_key(person_from_invitation(invitation_id(digest)))
        invitation = Invitation.issue(
            digest, email, display_name, company_id, [g.id for g in groups], language, by=by, at=at
        )
        if self.app.find_person_by_email(invitation.email) is not None:
            raise Conflict("email.has_account", field="email")
        inviter = self.association if by == SYSTEM else self.app.actor(by).display_name
        link = f"{self.public_base}/invitations/{token}"
        context = {
            "display_name": invitation.display_name,
            "inviter": inviter,
            "association": self.association,
            "groups": [g.name for g in groups],
            "link": link,
            "expires_at": local_datetime(invitation.expires_at, language),
        }
        self._mail(f"invitation-{invitation.id}", invitation.email, "invitation", language,
                   context, invitation.id, link)  # fmt: skip
        position = self.app.store(invitation)
        self.mail_recorded()
        return Issued(Outcome(invitation.id, True, position), invitation.expires_at)

    def accept_invitation(self, token: str, password: str) -> Outcome:
        """Register the invited person with this password and enrol them in the groups."""
        invitation = self._invitation(token)
        invitation.require_pending(self.app.clock())
        check_password(password)
        return self._accept(invitation.id, self.hashing.hash(password))

    @retried
    def _accept(self, invitation_id: UUID, password_hash: str) -> Outcome:
        invitation = self.app.load(Invitation, invitation_id, "invitation")
        at = self.app.clock()
        invitation.require_pending(at)
        if self.app.find_person_by_email(invitation.email) is not None:
            raise Conflict("email.has_account", field="email")
        if invitation.company_id is not None:
            company = self.app.load(MemberCompany, invitation.company_id, "company", readonly=True)
            if not company.is_member:
                raise Conflict("company.membership_ended", field="company_id")
        inviter = invitation.issued_by
        self.app.make_key(invitation.invitee_id)
        person = Person.register(
            invitation.email, invitation.display_name, invitation.company_id, password_hash,
            by=inviter, at=at, id=invitation.invitee_id,
        )  # fmt: skip
        person.choose_language(invitation.language, at=at)
        claim = self.app.email_claim(person.email, owner=person.id, at=at)
        invitation.accept(person.id, at=at)
        groups = [self.app.find(WorkingGroup, g) for g in invitation.group_ids]
        for group in groups:
            if group is not None:
                group.enrol(person.id, by=inviter, at=at)
        return Outcome(person.id, True, self.app.store(person, claim, invitation, *groups))

    @retried
    def revoke_invitation(self, invitation_id: UUID, *, by: UUID) -> Outcome:
        """Admins revoke any invitation, others only their own (the rest is not theirs to see)."""
        invitation = self.app.load(Invitation, invitation_id, "invitation")
        if not (invitation.issued_by == by or self.app.is_admin(by)):
            raise NotFound("invitation.not_found")
        changed = invitation.revoke(by=by, at=self.app.clock())
        return Outcome(invitation.id, changed, self.app.store(invitation) if changed else None)

    def pending_invitation(self, token: str) -> Invitation:
        """The invitation behind a link, if it can still be accepted (NotFound, Gone)."""
        invitation = self._invitation(token)
        invitation.require_pending(self.app.clock())
        return invitation

    def _invitation(self, token: str) -> Invitation:
        found = self.app.find(Invitation, invitation_id(token_digest(token)), readonly=True)
        if found is None:
            raise NotFound("invitation.link_not_valid", field="token")
        return found

    def _group(self, group_id: UUID) -> WorkingGroup:
        group = self.app.find(WorkingGroup, group_id, readonly=True)
        if group is None:
            raise Invalid("invitation.no_such_group", field="working_group_ids")
        return group

    # -- passwords --------------------------------------------------------------

    def request_password_reset(self, email: str) -> None:
        """Mail a one-time link to the person with this e-mail; nothing for unknown ones.

        At most one mail per person in each RESET_MAIL_WINDOW: the mail's id names the
        person and the window, so a flood of requests for someone's address sends them
        one mail (the outbox keeps one message per id) and records one reset."""
        person = self.app.find_person_by_email(email)
        if person is None:
            return
        at = self.app.clock()
        window = int(at.timestamp() // RESET_MAIL_WINDOW.total_seconds())
        token, digest = link_token()
        reset = PasswordReset.request(digest, person.id, at=at)
        language = person.language or "de"
        link = f"{self.public_base}/password-reset/{token}"
        context = {
            "display_name": person.display_name,
            "association": self.association,
            "link": link,
            "expires_at": local_datetime(reset.expires_at, language),
        }
        message_id = f"password-reset-{person.id.hex}-{window}"
        if not self._mail(message_id, person.email, "password_reset", language, context,
                          reset.id, link):  # fmt: skip
            return
        self.app.store(reset)
        self.mail_recorded()

    def reset_password(self, token: str, password: str) -> Outcome:
        """Set a new password through a reset link; every session of the person ends."""
        reset = self.usable_reset(token)  # refuses a used or expired link before hashing
        check_password(password)
        return self._reset_password(reset.id, self.hashing.hash(password))

    @retried
    def _reset_password(self, reset_id: UUID, password_hash: str) -> Outcome:
        reset = self.app.load(PasswordReset, reset_id, "password reset")
        at = self.app.clock()
        reset.use(at=at)
        person = self.app.load(Person, reset.person_id, "person")
        person.change_password(password_hash, by=person.id, at=at)
        return Outcome(person.id, True, self.app.store(reset, person))

    def usable_reset(self, token: str) -> PasswordReset:
        """The reset behind a link, if it can still be used (NotFound, Gone)."""
        found = self._reset(token)
        found.require_usable(self.app.clock())
        return found

    def _reset(self, token: str) -> PasswordReset:
        found = self.app.find(PasswordReset, password_reset_id(token_digest(token)))
        if found is None:
            raise NotFound("password_reset.link_not_valid", field="token")
        return found

    def change_password(
        self, person_id: UUID, current: str, new: str, *, session_id: UUID | None
    ) -> Outcome:
        """A signed-in person's new password; their other sessions end."""
        person = self.app.load(Person, person_id, "person", readonly=True)
        if not self.hashing.verify(person.password_hash, current):
            raise Invalid("password.current_wrong", field="current_password")
        check_password(new, field="new_password")
        return self._change(person_id, self.hashing.hash(new), session_id)

    @retried
    def _change(self, person_id: UUID, password_hash: str, session_id: UUID | None) -> Outcome:
        person = self.app.load(Person, person_id, "person")
        person.change_password(
            password_hash, by=person_id, at=self.app.clock(), keep_session=session_id
        )
        return Outcome(person_id, True, self.app.store(person))

    # -- sessions ---------------------------------------------------------------

    @retried
    def end_session(self, session_id: UUID, *, by: UUID) -> Outcome:
        session = self.app.find(SignInSession, session_id)
        if session is None or session.person_id != by:
            raise NotFound("session.not_found")
        if session.closed:
            return Outcome(session_id, False, None)
        session.close(at=self.app.clock())
        return Outcome(session_id, True, self.app.store(session))

    def _mail(
        self,
        message_id: str,
        to: str,
        template: str,
        language: str,
        context: dict[str, Any],
        about: UUID,
        link: str,
    ) -> bool:
        """Record a one-time-link mail about `about`; False if its id was recorded before."""
        mail = Mail(message_id, to, template, language, context, True, about, link)
        return enqueue_mail(self.outbox, mail, now=self.app.clock(), public_base=self.public_base)
