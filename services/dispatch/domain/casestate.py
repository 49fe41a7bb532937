"""Shelter cases as dispatch sees them: which of two reports of a case's state is the newer.

Events of one case may arrive out of order (a replay, a dead letter applied later); a state is
replaced only by one that happened later — or at the same moment but further along.
"""

from __future__ import annotations

from datetime import datetime

# The order a shelter case moves in (shelter's own state machine).
RANK = {
    "awaiting_admission": 0,
    "admitted": 1,
    "assessed": 2,
    "in_service": 3,
    "outcome": 4,
    "closed": 5,
}
IN_SHELTER = ("admitted", "assessed", "in_service")
SHORT_STAY_CATEGORIES = frozenset({"odgj_terlantar", "gepeng", "gelandangan", "pengemis"})


def is_newer(state: str, at: datetime, current_state: str, current_at: datetime) -> bool:
    """Whether ``state`` reported at ``at`` replaces ``current_state`` of ``current_at``."""
    return (at, RANK.get(state, -1)) >= (current_at, RANK.get(current_state, -1))


def long_stay_days(category: str) -> int:
    """Days in a shelter after which a stay is long: two weeks for the people a shelter
    should move on quickly (ODGJ to treatment, gepeng home), a month for everyone else."""
    return 14 if category in SHORT_STAY_CATEGORIES else 30
