"""The catalogue of error codes: code → English message template.

Every `DomainError` names one of these codes and its parameters; the English
sentence (the API's `detail`, the CLI's output) is rendered from the template
here, and the web translates the same template through Babel into the
reader's language (`N_` marks the templates for `make translations`).
Parameters are inserted with `%(name)s`; `field` and `what` are names of
things and go through `FIELDS` / `THINGS` so they can be translated too.

Codes are stable: clients (and tests) match on them, so rename none; add new
ones, and give each a German text in api/locale/de/LC_MESSAGES/messages.po.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping


def N_(message: str) -> str:
    """Mark a message for extraction without translating it here."""
    return message


MESSAGES: dict[str, str] = {
    # -- text fields ---------------------------------------------------------
    "text.control_characters": N_("%(field)s must not contain control characters"),
    "text.empty": N_("%(field)s must not be empty"),
    "text.too_long": N_("%(field)s must be at most %(max)s characters (got %(got)s)"),
    "tags.too_many": N_("at most %(max)s tags are allowed"),
    "choice.unknown": N_("%(field)s must be one of %(choices)s"),
    "date.format": N_("the date must look like %(example)s"),
    "datetime.needs_time_zone": N_("%(field)s needs a time zone, e.g. %(example)s"),
    "date.range": N_("%(field)s must be a date from %(first)s to %(last)s, like %(example)s"),
    "moment.range": N_(
        "%(field)s must be a date and time with a time zone from %(first)s to %(last)s,"
        " like %(example)s"
    ),
    "count.range": N_("%(field)s must be a whole number from 1 to %(max)s"),
    "email.format": N_("email must be an e-mail address"),
    "link.not_http": N_("link must be an http(s) address"),
    "key.taken": N_("%(key)s is already taken"),
    # -- not found -----------------------------------------------------------
    "not_found": N_("not found"),
    "comment.not_found": N_("comment not found"),
    "company.not_found": N_("company not found"),
    "dossier.not_found": N_("dossier not found"),
    "dossier.format_not_issued": N_("this dossier was not issued as %(format)s"),
    "dossier_job.not_found": N_("dossier job not found (jobs are kept for an hour)"),
    "edition.not_found": N_("edition not found"),
    "evidence.not_found": N_("evidence not found"),
    "format.not_found": N_("no such format"),
    "meeting.not_found": N_("meeting not found"),
    "page.not_found": N_("page not found"),
    "pain_point.not_found": N_("pain point not found"),
    "person.not_found": N_("person not found"),
    "target_pain_point.not_found": N_("target pain point not found"),
    "vendor_response.not_found": N_("vendor response not found"),
    "voting_round.not_found": N_("voting round not found"),
    "working_group.not_found": N_("working group not found"),
    "access_request.not_found": N_("access request not found"),
    "notification.not_found": N_("notification not found"),
    "webhook.not_found": N_("webhook not found"),
    # -- following and notifications ----------------------------------------
    "follow.kind": N_("one follows a pain point or a working group"),
    "follow.level": N_("the level is all or digest"),
    "notifications.ids_or_all": N_("give either the ids to mark read or all: true"),
    "webhook.events": N_("unknown event types: %(unknown)s; allowed: %(allowed)s"),
    "webhook.url": N_("this URL cannot receive webhooks: %(reason)s"),
    # -- who may act ---------------------------------------------------------
    "actor.unknown": N_("unknown actor"),
    "admin.required": N_("only admins can do this"),
    "admin.own_role": N_("admins cannot revoke their own admin role"),
    "board.required": N_("only the board can do this"),
    "board_or_admin.required": N_("only the board and admins see this"),
    "membership.ended": N_("your company's membership has ended"),
    "company.membership_ended": N_("the company's membership has ended"),
    "company.membership_already_ended": N_("the membership of %(name)s has already ended"),
    "group.members_only": N_("only members of the working group can do this"),
    "group.company_people_only": N_("only people of a member company can do this"),
    "group.leads_only_rules": N_("only the group's leads set its voting rules and rounds"),
    "group.leads_only_curate": N_("only the group's leads curate its list"),
    "group.leads_only_merge": N_("only the group's leads merge duplicates"),
    "group.leads_or_board_status": N_("only the group's leads and the board change a status"),
    "group.leads_or_admin_enrol": N_("only admins and the group's leads can enrol people"),
    "group.leads_or_admin_remove": N_("only the group's leads and admins can remove contributions"),
    "changes.members_only": N_("only members of working groups, the board and admins"),
    "promises.not_allowed": N_("only the board, admins and the groups' leads see promises"),
    "vendor.representatives_only": N_("only the vendor's representatives respond officially"),
    "vendor.readers_only": N_("only the vendor's representatives, the board and admins"),
    "pain_point.withdraw_not_allowed": N_(
        "only its author, the group's leads and admins can withdraw it"
    ),
    # -- pain points ---------------------------------------------------------
    "pain_point.already_withdrawn": N_("the pain point has already been withdrawn"),
    "pain_point.merged_cannot_withdraw": N_(
        "unmerge it first: merged pain points cannot be withdrawn"
    ),
    "pain_point.move_not_allowed": N_(
        "a pain point that is %(status)s cannot be moved to %(target)s by you"
    ),
    "pain_point.cannot_be_supported": N_("a pain point that is %(status)s cannot be supported"),
    "pain_point.edit_not_allowed": N_(
        "only its author (until the leads triage it), the group's leads and admins can edit it"
    ),
    "pain_point.edit_after_triage": N_(
        "the leads have triaged it (%(status)s): only they can edit it now"
    ),
    "pain_point.edit_closed": N_("a pain point that is %(status)s cannot be edited"),
    "merge.into_itself": N_("a pain point cannot be merged into itself"),
    "merge.other_group": N_("duplicates can only be merged within one working group"),
    "merge.source_not_mergeable": N_(
        "only a pain point that is not withdrawn, merged or a merge target can be merged"
    ),
    "merge.target_closed": N_("the target has been withdrawn or merged itself"),
    "merge.target_not_open": N_("the target is %(status)s: merge only into an open pain point"),
    "merge.not_merged": N_("the pain point is not merged into that target"),
    # -- evidence and comments ----------------------------------------------
    "evidence.customers_range": N_("affected customers must be between 0 and %(max)s"),
    "evidence.customers_number": N_("enter a whole number (0 or more), for example 12"),
    "evidence.removed": N_("the evidence has been removed"),
    "evidence.already_removed": N_("the evidence has already been removed"),
    "evidence.author_only": N_("only its author can edit evidence"),
    "evidence.edit_window": N_("evidence can only be edited shortly after adding it"),
    "comment.removed": N_("the comment has been removed"),
    "comment.already_removed": N_("the comment has already been removed"),
    "comment.author_only": N_("only its author can edit a comment"),
    "comment.edit_window": N_("comments can be edited for %(minutes)s minutes after posting"),
    "comment.mention_not_in_text": N_(
        "every person in %(field)s must be named in the text as @ and their name"
    ),
    "comment.too_many_mentions": N_("a comment may mention at most %(max)s people"),
    "comment.mention_not_allowed": N_(
        "you can mention only members of the group whose names you may see"
    ),
    "comment.mentions_not_for_vendor": N_("the vendor's representatives cannot mention people"),
    # -- curated lists and agendas -------------------------------------------
    "curated.too_many": N_("a curated list holds at most %(max)s pain points"),
    "curated.not_in_group": N_("not a pain point of this group"),
    "curated.not_open": N_("a %(status)s pain point cannot be listed"),
    "curated.first_edition": N_("the list has not been published yet: edition must be 0"),
    "curated.row_needs_id": N_("each row names a pain point by its id"),
    "curated.twice": N_("a pain point appears twice in the list"),
    "curated.rank_number": N_("a community rank is a whole number from 1 up"),
    "curated.departure_needs_reason": N_(
        "row %(position)s departs from its community rank (%(rank)s): give the reason"
    ),
    "curated.departure_unranked_needs_reason": N_(
        "row %(position)s departs from its community rank (unranked): give the reason"
    ),
    "curated.reasons_missing": N_(
        "%(count)s rows depart from their community rank without a reason: rows %(positions)s"
    ),
    "curated.stale_edition": N_(
        "the list was changed meanwhile (now edition %(edition)s, you edited edition"
        " %(expected)s); reload it and apply your changes again"
    ),
    "agenda.escalated_only": N_("only escalated pain points go on an agenda"),
    "agenda.too_long": N_("an agenda holds at most %(max)s items"),
    "agenda.twice": N_("an item appears twice on the agenda"),
    "agenda.reorder_same_items": N_(
        "a new order lists exactly the agenda's items, each once; reload the agenda if it"
        " changed meanwhile"
    ),
    "agenda.present_listed_only": N_("only items on the agenda can be presented"),
    "meeting.not_held_yet": N_(
        "items can be marked presented from the meeting's day (%(held_on)s) on"
    ),
    "changes.since_after_until": N_("since must not be after until"),
    # -- voting --------------------------------------------------------------
    "votes.used_up": N_(
        "you have used all %(budget)s votes of this group: withdraw a support to give this one"
    ),
    "votes.used_up_in_round": N_(
        "you have used all %(budget)s votes of this group in round %(round)s:"
        " withdraw a support to give this one"
    ),
    "voting.budget_range": N_("the vote budget must be between 1 and %(max)s, or none"),
    "voting.rules_in_past": N_("rules take effect now or later, so no past round's result changes"),
    "voting.round_open": N_("close the open voting round before turning rounds off"),
    "voting.no_rounds": N_("this group does not vote in rounds: change its rules first"),
    "voting.round_already_open": N_("a voting round is already open: close it first"),
    "voting.no_round_open": N_("no voting round is open"),
    "voting.round_closes_before_open": N_("a voting round cannot close before it opened"),
    # -- vendor responses and promises ---------------------------------------
    "commitment.needs_target_date": N_("a commitment needs a target date"),
    "commitment.target_date_past": N_("the target date must not lie in the past"),
    "target_date.needs_commitment": N_("describe what is promised by the target date"),
    "target_date.format": N_("the target date must be a date like 2026-06-30"),
    "commitment.none": N_("this response made no commitment"),
    "commitment.already_marked": N_("the commitment has already been marked %(state)s"),
    "commitment.missed_too_early": N_(
        "a promise can be marked missed only after its target date (%(due_on)s)"
    ),
    # -- dossiers ------------------------------------------------------------
    "dossier.group_count": N_("choose between 1 and 100 working groups"),
    "dossier.no_groups": N_("choose at least one working group"),
    "dossier.group_twice": N_("a working group is chosen twice"),
    "dossier.no_such_group": N_("no such working group"),
    "dossier.no_such_meeting": N_("no such meeting"),
    "dossier.language": N_("language must be de or en"),
    "dossier.position": N_("the position must be a positive log position"),
    "dossier.position_range": N_("the position must be between 1 and %(head)s"),
    "dossier.position_beyond_log": N_("the log ends at position %(head)s"),
    "dossier.no_event_at_position": N_("no event was recorded at that position"),
    "dossier.formats": N_("formats must be some of %(choices)s"),
    "dossier.hash_per_format": N_("a hash is needed for every format, and only for those"),
    "dossier.hash_format": N_("hashes must be SHA-256 in lowercase hex"),
    "dossier.seal_format": N_(
        "the seal needs a SHA-256 chain head and key fingerprint and an Ed25519 signature"
    ),
    "dossier.template_version": N_("no dossier template version %(version)s was released"),
    "dossier.rules_version": N_(
        "template version %(version)s ranks by rules version %(expected)s, not %(got)s"
    ),
    "dossier.not_signed": N_("this dossier was issued without a signature"),
    "dossier.not_reproducible": N_(
        "the dossier cannot be reproduced from the log any more: %(reason)s"
    ),
    # -- sign-in with identity providers, access requests, people ------------
    "tenant.format": N_("tenant_id must be a Microsoft Entra tenant id (a GUID)"),
    "tenant.taken": N_("this tenant is registered for another member company"),
    "tenant.not_a_member": N_("this organisation is not a member company of the association"),
    "password_sign_in.needs_tenant": N_(
        "register the company's identity provider before turning password sign-in off"
    ),
    "access_request.decided": N_("this access request is already %(state)s"),
    "access_request.too_many_groups": N_("choose at most %(max)s working groups"),
    "access_request.has_account": N_("there is already an account with this e-mail address"),
    "access_request.no_such_group": N_("choose working groups from the list"),
    "join.no_request": N_("there is no pending request of this person to join"),
    "group.leads_or_admin_join": N_("only the group's leads and admins decide join requests"),
    "join.own_request_only": N_("only the person who asked can withdraw a request to join"),
    "group.leads_or_admin_remove_member": N_("only admins and the group's leads remove members"),
    "group.admin_removes_leads": N_("only admins remove a lead from a group"),
    "admin.own_deactivation": N_("admins cannot deactivate themselves"),
    "company.no_such": N_("not a member company"),
    "person.deactivated": N_("this account has been deactivated"),
    "person.patch_empty": N_("name at least one of display_name, email, company_id, active"),
    "person.active_boolean": N_("active must be true or false"),
    "email_change.link_not_valid": N_("this link is not valid"),
    "email_change.used": N_("this link has been used already"),
    "email_change.expired": N_("this link has expired"),
    # -- accounts: invitations, passwords, sessions ---------------------------
    "invitation.not_allowed": N_("only admins, and leads into the groups they lead, can invite"),
    "invitation.staff_admins_only": N_("only admins can invite the association's staff"),
    "invitation.company_not_member": N_("choose a current member company"),
    "invitation.no_such_group": N_("no such working group"),
    "invitation.too_many_groups": N_("at most %(max)s working groups"),
    "invitation.not_found": N_("invitation not found"),
    "invitation.link_not_valid": N_("this invitation link is not valid"),
    "invitation.accepted": N_("this invitation has been accepted already"),
    "invitation.revoked": N_("this invitation has been revoked"),
    "invitation.expired": N_("this invitation has expired"),
    "invitations.admins_and_leads_only": N_("only admins and leads see invitations"),
    "email.has_account": N_("someone with this e-mail address has an account already"),
    "password.length": N_("a password has %(min)s to %(max)s characters"),
    "password.common": N_("this password is too common; please choose another"),
    "password.current_wrong": N_("the current password is wrong"),
    "password_reset.not_found": N_("password reset not found"),
    "password_reset.link_not_valid": N_("this link is not valid"),
    "password_reset.used": N_("this link has been used already"),
    "password_reset.expired": N_("this link has expired"),
    "session.not_found": N_("session not found"),
    "username.too_long": N_("an e-mail address has at most %(max)s characters"),
    # -- the store -----------------------------------------------------------
    "store.busy": N_("too many concurrent changes; please try again"),
    "demo.store_not_empty": N_("the demo can only be loaded into an empty store"),
    "import.store_changed": N_(
        "the store changed while the import was written; nothing was imported: run it again"
    ),
    # -- personal data -------------------------------------------------------
    "person.erased": N_("the person has been erased"),
    "erasure.own_only": N_("people can only request their own erasure"),
    "erasure.not_self": N_("admins cannot erase themselves"),
    "personal_data.own_or_admin": N_("only the person themself and admins can do this"),
    "privacy.leads_or_admin": N_("only the group's leads and admins decide who sees names"),
}

#: Field names as they appear in messages (the last part of a field path).
FIELDS: dict[str, str] = {
    "affected_customers": N_("affected customers"),
    "as_of": N_("as_of"),
    "commitment": N_("commitment"),
    "description": N_("description"),
    "display_name": N_("name"),
    "due_on": N_("target date"),
    "effective_from": N_("effective_from"),
    "email": N_("email"),
    "kind": N_("kind"),
    "language": N_("language"),
    "link": N_("link"),
    "name": N_("name"),
    "note": N_("note"),
    "product_area": N_("product area"),
    "product_group": N_("product group"),
    "rationale": N_("rationale"),
    "reason": N_("reason"),
    "revenue_band": N_("revenue band"),
    "role": N_("role"),
    "supporter_names": N_("supporter names"),
    "since": N_("since"),
    "tags": N_("tags"),
    "text": N_("text"),
    "mentions": N_("mentions"),
    "password": N_("password"),
    "current_password": N_("current password"),
    "new_password": N_("new password"),
    "working_group_ids": N_("working groups"),
    "company_id": N_("company"),
    "username": N_("e-mail address"),
    "token": N_("link"),
    "title": N_("title"),
    "tenant_id": N_("tenant"),
    "group_ids": N_("working groups"),
    "until": N_("until"),
}

#: What `load(…, what)` looked for → its not-found code.
NOT_FOUND: dict[str, str] = {
    "comment": "comment.not_found",
    "invitation": "invitation.not_found",
    "password reset": "password_reset.not_found",
    "company": "company.not_found",
    "dossier": "dossier.not_found",
    "evidence": "evidence.not_found",
    "meeting": "meeting.not_found",
    "pain point": "pain_point.not_found",
    "person": "person.not_found",
    "target pain point": "target_pain_point.not_found",
    "vendor response": "vendor_response.not_found",
    "working group": "working_group.not_found",
    "access request": "access_request.not_found",
}


def field_name(field: str) -> str:
    """The name of a field path's last named part: `items.3.rationale` → `rationale`."""
    names = [part for part in field.split(".") if not part.isdigit()]
    return names[-1] if names else field


def render(
    code: str,
    params: Mapping[str, object],
    field: str | None = None,
    translate: Callable[[str], str] = lambda message: message,
) -> str:
    """The message of a code in the language of `translate` (English by default)."""
    template = MESSAGES.get(code)
    if template is None:
        return code
    values: dict[str, object] = dict(params)
    if field is not None and "field" not in values:
        name = field_name(field)
        values["field"] = translate(FIELDS[name]) if name in FIELDS else name
    try:
        return translate(template) % values
    except (KeyError, TypeError, ValueError):
        return template % values if _fits(template, values) else translate(template)


def _fits(template: str, values: Mapping[str, object]) -> bool:
    try:
        template % values
    except (KeyError, TypeError, ValueError):
        return False
    return True
