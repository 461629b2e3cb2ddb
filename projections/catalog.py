"""Every view the system maintains, in the order the projector applies them."""

from __future__ import annotations

import hashlib
from pathlib import Path

from projections.access_view import AccessRequestView
from projections.accounts_view import AccountsView
from projections.board_view import BoardView
from projections.chain_view import ChainView
from projections.contribution_view import ContributionView
from projections.directory_view import DirectoryView
from projections.dossier_view import DossierView
from projections.painpoint_view import PainPointView
from projections.ranking_view import RankingView
from projections.rules_view import RulesView
from projections.search_view import SearchView
from projections.view import View


def all_views(dialect: str) -> list[View]:
    return [
        DirectoryView(),
        RankingView(dialect),
        PainPointView(dialect),
        ContributionView(),
        SearchView(dialect),
        BoardView(),
        RulesView(),
        DossierView(),
        AccessRequestView(),
        AccountsView(),
        ChainView(dialect),
    ]


def views_fingerprint() -> str:
    """A digest of the read side's code: when it changes, the views are rebuilt."""
    digest = hashlib.sha256()
    for module in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(module.name.encode())
        digest.update(module.read_bytes())
    return digest.hexdigest()[:16]
