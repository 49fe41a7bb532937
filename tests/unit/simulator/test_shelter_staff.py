"""The simulated shelter staff's ledger: an outcome sent without an answer counts once it is
read back from the case, and not at all if the case is still in service."""

from __future__ import annotations

import random
from typing import Any

from trc.simulator.ledger import Ledger
from trc.simulator.shelter_staff import ShelterStaff


def staff() -> ShelterStaff:
    unused: Any = None
    ledger = Ledger("batam", "21.71", 60.0, 1.0)
    return ShelterStaff(unused, unused, unused, unused, ledger, random.Random(1))


def case(case_id: str, state: str, outcome: str | None = None) -> dict[str, Any]:
    return {"case_id": case_id, "state": state, "outcome": outcome, "category": "odgj"}


def test_an_unanswered_outcome_counts_once_the_case_shows_it() -> None:
    s = staff()
    s.unanswered.add("c1")
    s._read_back(case("c1", "outcome", "referred_to_hospital"))
    s._read_back(case("c1", "closed", "referred_to_hospital"))  # seen again: not twice
    assert s.ledger.outcomes == {("odgj", "referred_to_hospital"): 1}


def test_an_unanswered_outcome_not_recorded_does_not_count() -> None:
    s = staff()
    s.unanswered.add("c1")
    s._read_back(case("c1", "in_service"))
    assert not s.ledger.outcomes and not s.unanswered
    s._read_back(case("c2", "outcome", "returned_to_family"))  # answered ones count when sent
    assert not s.ledger.outcomes
