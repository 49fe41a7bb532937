"""A shelter case's life: awaiting admission → admitted → assessed → in service → outcome →
closed, and the rehabilitation stages with their due dates. Pure. (Outcomes are the shared
vocabulary's ``CaseOutcome``.)"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum


class CaseState(StrEnum):
    AWAITING_ADMISSION = "awaiting_admission"
    ADMITTED = "admitted"
    ASSESSED = "assessed"
    IN_SERVICE = "in_service"
    OUTCOME = "outcome"
    CLOSED = "closed"


class Identification(StrEnum):
    KTP_SEEN = "ktp_seen"
    DUKCAPIL_BIOMETRIC = "dukcapil_biometric"  # fingerprint / iris check
    FAMILY_STATEMENT = "family_statement"
    UNKNOWN = "unknown"


_NEXT: dict[CaseState, frozenset[CaseState]] = {
    CaseState.AWAITING_ADMISSION: frozenset({CaseState.ADMITTED, CaseState.OUTCOME}),
    CaseState.ADMITTED: frozenset({CaseState.ASSESSED, CaseState.OUTCOME}),
    CaseState.ASSESSED: frozenset({CaseState.IN_SERVICE, CaseState.OUTCOME}),
    CaseState.IN_SERVICE: frozenset({CaseState.OUTCOME}),
    CaseState.OUTCOME: frozenset({CaseState.CLOSED}),
    CaseState.CLOSED: frozenset(),
}


# A person in one of these states has a bed in a shelter.
IN_SHELTER = (CaseState.ADMITTED.value, CaseState.ASSESSED.value, CaseState.IN_SERVICE.value)
ENDED = (CaseState.OUTCOME.value, CaseState.CLOSED.value)


class CaseError(Exception):
    """The action cannot be done as asked (the message says why)."""


class CaseTransitionError(ValueError):
    """The case cannot go from its state to the one asked."""


def check(current: CaseState, wanted: CaseState) -> CaseState:
    if wanted not in _NEXT[current]:
        raise CaseTransitionError(f"{current.value} → {wanted.value} is not allowed")
    return wanted


class Stage(StrEnum):
    """The rehabilitation stages of the Permensos, in order. The initial approach is the TRC's
    outreach: a person admitted has had it."""

    PENDEKATAN_AWAL = "pendekatan_awal"  # initial approach
    PENGUNGKAPAN_MASALAH = "pengungkapan_masalah"  # problem disclosure and understanding
    PENYUSUNAN_RENCANA = "penyusunan_rencana"  # the plan
    PEMECAHAN_MASALAH = "pemecahan_masalah"  # problem solving
    RESOSIALISASI = "resosialisasi"  # social reintegration
    TERMINASI = "terminasi"  # termination and follow-up guidance


STAGES = list(Stage)

# What a case's state already says about its stages (an assessment is the problem disclosure;
# giving services means the plan was made).
_STAGE_OF_STATE = {
    CaseState.ADMITTED: Stage.PENDEKATAN_AWAL,
    CaseState.ASSESSED: Stage.PENGUNGKAPAN_MASALAH,
    CaseState.IN_SERVICE: Stage.PENYUSUNAN_RENCANA,
    CaseState.OUTCOME: Stage.TERMINASI,
    CaseState.CLOSED: Stage.TERMINASI,
}


def stage_reached(state: CaseState, recorded: Stage | None) -> Stage | None:
    """The last stage done: the one recorded, or the one the state implies, whichever is later."""
    implied = _STAGE_OF_STATE.get(state)
    candidates = [s for s in (implied, recorded) if s is not None]
    return max(candidates, key=STAGES.index) if candidates else None


def next_stage(state: CaseState, recorded: Stage | None) -> Stage | None:
    reached = stage_reached(state, recorded)
    if reached is None:
        return Stage.PENDEKATAN_AWAL
    position = STAGES.index(reached) + 1
    return STAGES[position] if position < len(STAGES) else None


@dataclass(frozen=True)
class PlanRules:
    """Due dates of the stages, in days from admission: the assessment within
    ``assessment_days``, the plan ``plan_days`` later, then problem solving, reintegration and
    termination at 60 %, 85 % and 100 % of the category's target service period (e.g. 14 days
    for ODGJ and PGOT at some departments)."""

    assessment_days: int = 3
    plan_days: int = 2
    service_days: Mapping[str, int] = field(default_factory=dict)
    default_service_days: int = 30

    def target(self, category: str) -> int:
        return self.service_days.get(category, self.default_service_days)

    def due_days(self, category: str) -> dict[Stage, int]:
        target = self.target(category)
        plan = self.assessment_days + self.plan_days
        return {
            Stage.PENDEKATAN_AWAL: 0,
            Stage.PENGUNGKAPAN_MASALAH: self.assessment_days,
            Stage.PENYUSUNAN_RENCANA: plan,
            Stage.PEMECAHAN_MASALAH: max(plan, math.ceil(target * 0.6)),
            Stage.RESOSIALISASI: max(plan, math.ceil(target * 0.85)),
            Stage.TERMINASI: max(plan, target),
        }

    def due(self, category: str, admitted_at: datetime, stage: Stage) -> datetime:
        return admitted_at + timedelta(days=self.due_days(category)[stage])


PGOT_AND_ODGJ_14_DAYS = {"odgj_terlantar": 14, "gepeng": 14, "gelandangan": 14, "pengemis": 14}
DEFAULT_PLAN = PlanRules(service_days=PGOT_AND_ODGJ_14_DAYS)
