"""Domain errors: every rejected command raises one of these four families."""

from __future__ import annotations


class DomainError(Exception):
    """A command was rejected; the message is safe to show to the user."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    """The thing does not exist, or the actor may not know that it exists."""


class PermissionDenied(DomainError):
    """The actor is known but may not do this."""


class Conflict(DomainError):
    """The command contradicts the current state (or lost a race too often)."""


class Invalid(DomainError):
    """The command's input breaks a rule (empty title, too long, unknown kind …)."""


class Gone(DomainError):
    """A one-time link that was used, revoked or has expired."""
