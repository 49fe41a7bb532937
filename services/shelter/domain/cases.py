"""A shelter case's life: awaiting admission → admitted → assessed → in service → outcome →
closed. Pure. (Outcomes are the shared vocabulary's ``CaseOutcome``.)"""

from __future__ import annotations

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


class CaseTransitionError(ValueError):
    """The case cannot go from its state to the one asked."""


def check(current: CaseState, wanted: CaseState) -> CaseState:
    if wanted not in _NEXT[current]:
        raise CaseTransitionError(f"{current.value} → {wanted.value} is not allowed")
    return wanted
