"""Briefing dossiers, one use case for every way in (JSON API, web, command line, demo
loader): define → compose → record.

- `define` checks what is asked for against the log (the groups and the meeting
  exist, the position is in the log) and fixes the definition's canonical form;
- `dossiers.issuing.compose` reads the log up to the definition's position and renders
  every chosen format (in a child process for the server: service.dossier_jobs);
- `record` records the composed dossier as issued (`Dossier.DossierIssued` with the
  definition, every file's SHA-256 and, with the association's key, its seal).

`issue` is define's result composed and recorded in one go, for the command line and
the demo loader; the server runs the same two steps as a background job.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from domain.dossier import FORMATS, Seal
from domain.errors import Invalid
from domain.meeting import BoardMeeting
from domain.workinggroup import WorkingGroup
from dossiers.content import Definition, Progress
from dossiers.issuing import Composed, compose
from dossiers.signing import fingerprint, sign, statement
from service.application import Outcome, Sprachrohr


def define(
    app: Sprachrohr,
    *,
    association: str,
    head: int,
    group_ids: Sequence[str],
    language: str,
    formats: Sequence[str] = FORMATS,
    meeting_id: str | None = None,
    include_companies: bool = False,
    position: int | None = None,
    signing_key: Ed25519PrivateKey | None = None,
) -> Definition:
    """The definition of the dossier asked for (ids in hex), its scope checked.

    Groups keep the order they are given in; formats take their canonical order
    (pdf, docx, md, json); `position` defaults to `head`, the last log position the
    caller goes by (the server: what its views have reached). Language, formats and
    the definition's other limits are the domain's (checked when it is recorded and
    when it is composed). With `signing_key` the definition names its fingerprint (the
    dossier is then sealed with it when recorded).
    """
    if len(set(group_ids)) != len(group_ids):
        raise Invalid("dossier.group_twice", field="group_ids")
    for index, group_id in enumerate(group_ids):
        if not _exists(app, WorkingGroup, group_id):
            raise Invalid("dossier.no_such_group", field=f"group_ids.{index}")
    if meeting_id is not None and not _exists(app, BoardMeeting, meeting_id):
        raise Invalid("dossier.no_such_meeting", field="meeting_id")
    position = position or head
    if position > head:
        raise Invalid("dossier.position_beyond_log", field="position", head=head)
    return Definition(
        association=association,
        group_ids=list(group_ids),
        language=language,
        position=position,
        meeting_id=meeting_id,
        include_companies=include_companies,
        formats=[f for f in FORMATS if f in set(formats)],
        key_fingerprint=fingerprint(signing_key.public_key()) if signing_key else None,
    )


def record(
    app: Sprachrohr,
    composed: Composed,
    *,
    by: UUID,
    signing_key: Ed25519PrivateKey | None,
    key: str | None = None,
) -> Outcome:
    """Record the composed dossier as issued by `by` (the board), sealed when a key is given."""
    return app.issue_dossier(
        composed.definition.as_dict(),
        composed.hashes,
        composed.content["content_hash"],
        composed.title,
        by=by,
        key=key,
        seal=seal_of(composed, signing_key) if signing_key is not None else None,
    )


def seal_of(composed: Composed, signing_key: Ed25519PrivateKey) -> Seal:
    """The chain head and the signature over the statement of a composed dossier."""
    signed = statement(
        composed.content["content_hash"],
        composed.chain_head,
        composed.definition.as_dict(),
        composed.hashes,
    )
    return Seal(
        chain_head=composed.chain_head,
        key_fingerprint=fingerprint(signing_key.public_key()),
        signature=sign(signing_key, signed),
    )


def issue(
    app: Sprachrohr,
    definition: Definition,
    *,
    by: UUID,
    signing_key: Ed25519PrivateKey | None,
    key: str | None = None,
    progress: Progress | None = None,
) -> tuple[Composed, Outcome]:
    """Compose the dossier from the log in this process and record it as issued."""
    composed = compose(app.recorder, app.mapper, definition, progress)
    return composed, record(app, composed, by=by, signing_key=signing_key, key=key)


def _exists(app: Sprachrohr, cls: type[WorkingGroup | BoardMeeting], hex_id: str) -> bool:
    try:
        aggregate_id = UUID(hex=hex_id)
    except ValueError:
        return False
    return app.find(cls, aggregate_id, readonly=True) is not None
