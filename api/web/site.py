"""The web's pages and static files, in the order their routes are matched."""

from __future__ import annotations

from api.web import assets
from api.web.pages import downloads
from api.web.pages.account import invitations, passwords
from api.web.pages.admin import accounts as admin_accounts
from api.web.pages.admin import dashboard as admin
from api.web.pages.board import dashboard as board
from api.web.pages.groups import curation, directory, roadmap, voting
from api.web.pages.groups import group as groups
from api.web.pages.groups import joins as group_joins
from api.web.pages.home import auth, email_change, overview, profile, unsubscribe
from api.web.pages.home import microsoft as oidc
from api.web.pages.home import notifications as notification_pages
from api.web.pages.painpoints import page as painpoints
from api.web.pages.painpoints import search, triage
from api.web.pages.vendor import portal as vendor

PAGE_ROUTERS = (
    assets,
    downloads,
    auth,
    oidc,
    email_change,
    group_joins,
    directory,
    roadmap,
    overview,
    profile,
    notification_pages,
    unsubscribe,
    groups,
    curation,
    triage,
    painpoints,
    search,
    admin,
    admin_accounts,
    board,
    vendor,
    voting,
    invitations,
    passwords,
)
