"""Every view the system maintains, in the order the projector applies them."""

from __future__ import annotations

from projections.contribution_view import ContributionView
from projections.directory_view import DirectoryView
from projections.painpoint_view import PainPointView
from projections.ranking_view import RankingView
from projections.search_view import SearchView
from projections.view import View


def all_views(dialect: str) -> list[View]:
    return [
        DirectoryView(),
        RankingView(),
        PainPointView(),
        ContributionView(),
        SearchView(dialect),
    ]
