"""The life of a pain point: triage by the group's leads, escalation, the vendor.

new → accepted / needs-info / declined (leads) → escalated to the board (leads) →
presented to the vendor (board) → answered (the vendor's response) → resolved / closed
(board). Withdrawn (by its author) and merged (into a duplicate) leave the workflow.
"""

from __future__ import annotations

NEW = "new"
ACCEPTED = "accepted"
NEEDS_INFO = "needs-info"
DECLINED = "declined"
ESCALATED = "escalated"
PRESENTED = "presented"
ANSWERED = "answered"
RESOLVED = "resolved"
CLOSED = "closed"
WITHDRAWN = "withdrawn"
MERGED = "merged"

#: Moves a working group's leads (and admins) make.
LEAD_MOVES: dict[str, frozenset[str]] = {
    NEW: frozenset({ACCEPTED, NEEDS_INFO, DECLINED}),
    NEEDS_INFO: frozenset({ACCEPTED, DECLINED}),
    DECLINED: frozenset({ACCEPTED}),
    ACCEPTED: frozenset({ESCALATED, NEEDS_INFO, DECLINED}),
}
#: Moves the board (and admins) make once a pain point has been escalated.
BOARD_MOVES: dict[str, frozenset[str]] = {
    ESCALATED: frozenset({PRESENTED, ACCEPTED, CLOSED}),
    PRESENTED: frozenset({ANSWERED, RESOLVED, CLOSED}),
    ANSWERED: frozenset({PRESENTED, RESOLVED, CLOSED}),
    RESOLVED: frozenset({ANSWERED}),
    CLOSED: frozenset({ACCEPTED}),
}
#: Statuses in which a pain point is ranked and can be supported.
OPEN_STATUSES = frozenset({NEW, ACCEPTED, NEEDS_INFO, ESCALATED, PRESENTED, ANSWERED})
#: Statuses in which the vendor's representatives see a pain point.
VENDOR_VISIBLE = frozenset({ESCALATED, PRESENTED, ANSWERED, RESOLVED, CLOSED})
ALL_STATUSES = (
    NEW,
    ACCEPTED,
    NEEDS_INFO,
    DECLINED,
    ESCALATED,
    PRESENTED,
    ANSWERED,
    RESOLVED,
    CLOSED,
    WITHDRAWN,
    MERGED,
)


def moves_for(status: str, *, lead: bool, board: bool) -> frozenset[str]:
    """The statuses a person with these powers may move a pain point to."""
    allowed: frozenset[str] = frozenset()
    if lead:
        allowed |= LEAD_MOVES.get(status, frozenset())
    if board:
        allowed |= BOARD_MOVES.get(status, frozenset())
    return allowed


#: Statuses in which a pain point waits for its group's leads (their triage inbox).
TRIAGE_STATUSES = frozenset({NEW, NEEDS_INFO})

#: Statuses in which a pain point's author may still edit its title, description and
#: tags: until the group's leads have triaged it (and again while they ask for more
#: information). The group's leads and admins may edit it in any status but these:
EDIT_CLOSED = frozenset({WITHDRAWN, MERGED})
AUTHOR_EDITS = frozenset({NEW, NEEDS_INFO})


def may_edit(status: str, *, author: bool, moderator: bool) -> bool:
    """Whether an author (`author`) or a lead or admin (`moderator`) may edit a pain point
    in `status`; the one home of the rule (domain.painpoint.PainPoint.edit raises by it,
    the pages offer the form by it)."""
    if status in EDIT_CLOSED:
        return False
    return moderator or (author and status in AUTHOR_EDITS)


#: What the board can put on a vendor meeting's agenda.
AGENDA_STATUSES = frozenset({ESCALATED, PRESENTED, ANSWERED})


#: The columns of a group's roadmap, in the order a pain point passes them.
ROADMAP_COLUMNS = (ESCALATED, PRESENTED, ANSWERED, RESOLVED)


def roadmap_column(status: str) -> str | None:
    """The roadmap column a pain point in `status` stands in; None when it is not on the
    roadmap (not yet escalated, or closed, withdrawn, merged, declined). An item sent
    back to be presented again stands in "presented" again: the column is its status."""
    return status if status in ROADMAP_COLUMNS else None
