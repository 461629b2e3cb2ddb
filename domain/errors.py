"""Domain errors: every rejected command raises one of these four families.

Each error carries a stable `code` (a key of `domain.messages.MESSAGES`) and its
parameters; `message` is the English sentence rendered from them. Ways in match
on the code and render it in the reader's language (see api/web/errors.py).
"""

from __future__ import annotations

from domain.messages import MESSAGES, NOT_FOUND, render


class DomainError(Exception):
    """A command was rejected; `code` says why, `params` fill in the details."""

    def __init__(self, code: str, *, field: str | None = None, **params: object) -> None:
        if code not in MESSAGES:
            raise ValueError(f"unknown error code {code!r}: add it to domain/messages.py")
        self.code = code
        self.field = field
        #: When one command breaks a rule in several places, each place's own error
        #: (with its field), so every one can be reported at once (see `with_details`).
        self.details: tuple[DomainError, ...] = ()
        self.params: dict[str, object] = params
        self.message = render(code, params, field)
        super().__init__(self.message)

    def with_details(self, details: tuple[DomainError, ...]) -> DomainError:
        """This error, carrying the errors of every place the command broke a rule."""
        self.details = details
        return self


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


def not_found(what: str) -> NotFound:
    """The NotFound for a thing `load(…, what)` looked for (see `messages.NOT_FOUND`)."""
    return NotFound(NOT_FOUND.get(what, "not_found"))
