"""Who may see what: the visibility rules, in one place, as pure functions.

Each rule takes what it needs about the viewer as arguments (their roles, whether
they are a member or lead of the group in question) and answers yes or no. The
service layer's access decisions (service/access.py), the
board's and vendor's reach (api/routes/reach.py), the vendor's pages and the
read-side queries all ask these functions; none decides on its own.

What is not visible answers 404 everywhere (API, web, CLI): the caller may not
even learn that it exists. What is visible but not allowed answers 403.

- The group directory (name, kind, description, member count) is visible to every
  signed-in person but the vendor's representatives: members browse groups and ask
  to join one; the vendor never sees nor joins a member group. Leads' names in it
  follow `sees_names`.
- A group's contents (its pain points, ranking, curated list, voting rules and
  rounds) are visible to its members, the board and admins.
- The vendor's representatives see a pain point once it has been escalated
  (VENDOR_VISIBLE statuses), with support in numbers only: never a person's or a
  company's name (`sees_names`).
- Promises: the board, admins, and the leads of the groups they concern.
"""

from __future__ import annotations

from collections.abc import Collection

from domain.workflow import VENDOR_VISIBLE

BOARD, ADMIN, VENDOR = "board", "admin", "vendor"


def is_board_or_admin(roles: Collection[str]) -> bool:
    return BOARD in roles or ADMIN in roles


def sees_group_directory(roles: Collection[str]) -> bool:
    """Every signed-in person sees every group's directory entry and may ask to join
    a group, except the vendor's representatives (unless they are board or admin)."""
    return VENDOR not in roles or is_board_or_admin(roles)


def sees_group_contents(roles: Collection[str], *, member: bool) -> bool:
    """A group's pain points, ranking, curated list, voting rules and rounds."""
    return member or is_board_or_admin(roles)


def vendor_sees_status(status: str) -> bool:
    """The vendor's representatives see a pain point from its escalation on."""
    return status in VENDOR_VISIBLE


def sees_pain_point(roles: Collection[str], *, member: bool, status: str) -> bool:
    """A pain point: whoever sees its group's contents, and the vendor once escalated."""
    return sees_group_contents(roles, member=member) or (
        VENDOR in roles and vendor_sees_status(status)
    )


def sees_names(roles: Collection[str], *, member: bool) -> bool:
    """People's and companies' names on a pain point (supporters, authors, comments):
    only for those who see the group's contents. The vendor's reach never includes
    them: a vendor representative sees support in numbers only."""
    return sees_group_contents(roles, member=member)


def sees_supporter_names(roles: Collection[str], *, member: bool, lead: bool, setting: str) -> bool:
    """Who supports a pain point, by name: the group's leads, the board and admins
    always; its members when the group's setting says so (`supporter_names ==
    "members"`); a vendor representative who is no member never."""
    if VENDOR in roles and not member:
        return False
    if lead or is_board_or_admin(roles):
        return True
    return setting == "members" and member


def sees_name_in_group(
    roles: Collection[str],
    *,
    member: bool,
    lead: bool,
    setting: str,
    of_lead: bool,
    of_author: bool,
) -> bool:
    """Whether a reader sees the name of one of a group's people (an @mention in a
    comment): a group's leads (its directory entry) and a pain point's author (its
    page) to everyone who sees names at all (`sees_names`); anybody else only to
    whoever sees supporters' names under the group's setting (`sees_supporter_names`).
    A vendor representative who is no member sees no name."""
    if not sees_names(roles, member=member):
        return False
    if of_lead or of_author:
        return True
    return sees_supporter_names(roles, member=member, lead=lead, setting=setting)


def may_mention(
    roles: Collection[str],
    *,
    member: bool,
    lead: bool,
    setting: str,
    of_member: bool,
    of_lead: bool,
    of_author: bool,
) -> bool:
    """Whom a writer may @mention in a comment: a member of the group (who sees the
    pain point) whose name the writer sees (`sees_name_in_group`). The vendor's
    representatives mention nobody."""
    if VENDOR in roles or not of_member:
        return False
    return sees_name_in_group(
        roles, member=member, lead=lead, setting=setting, of_lead=of_lead, of_author=of_author
    )


def sees_vendor_area(roles: Collection[str]) -> bool:
    """The vendor's area (escalated pain points with aggregated support)."""
    return VENDOR in roles or is_board_or_admin(roles)


def sees_promises(roles: Collection[str], *, leads_any_group: bool) -> bool:
    """The ledger of the vendor's promises: the board, admins and groups' leads."""
    return is_board_or_admin(roles) or leads_any_group
