"""Whether a store already holds an association (cheap to import: a restart asks it
before deciding whether to load the demo, which then imports the rest of demo/)."""

from __future__ import annotations

from domain.company import MemberCompany
from domain.workinggroup import WorkingGroup
from projections.view import topic
from service.application import Sprachrohr

#: Public on purpose: every demo login uses it, and the demo is for trying out.
DEMO_PASSWORD = "sprachrohr-demo"  # noqa: S105


def holds_association(app: Sprachrohr) -> bool:
    """Whether any company was admitted or any working group founded."""
    founding = [topic(MemberCompany, "Admitted"), topic(WorkingGroup, "Founded")]
    return bool(app.recorder.select_notifications(start=1, limit=1, topics=founding))
