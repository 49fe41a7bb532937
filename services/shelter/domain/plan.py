"""The rehabilitation plan of a case: which timeline entry moves it on, when each stage is due,
what is done and what is late. Pure: it reads a case's facts and its timeline as plain values."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from services.shelter.domain.cases import (
    ENDED,
    IN_SHELTER,
    STAGES,
    CaseError,
    CaseState,
    PlanRules,
    Stage,
    next_stage,
    stage_reached,
)


class CaseFacts(Protocol):
    """What the rules read of a case."""

    @property
    def id(self) -> str: ...
    @property
    def state(self) -> str: ...
    @property
    def stage(self) -> str | None: ...
    @property
    def category(self) -> str: ...
    @property
    def shelter_id(self) -> str | None: ...
    @property
    def admitted_at(self) -> datetime | None: ...


class TimelineEntry(Protocol):
    """What the rules read of an entry on a case's timeline."""

    @property
    def kind(self) -> str: ...
    @property
    def at(self) -> datetime: ...
    @property
    def detail(self) -> dict[str, Any]: ...


def days_between(start: datetime, end: datetime) -> float:
    """Days from ``start`` to ``end``, to a tenth (stays, lateness)."""
    return round((end - start).total_seconds() / 86400, 1)


def _where(case: CaseFacts) -> tuple[CaseState, Stage | None]:
    return CaseState(case.state), Stage(case.stage) if case.stage else None


def after_entry(case: CaseFacts, kind: str, stage: Stage | None = None) -> CaseState | None:
    """The state an entry on the timeline moves the case to (None: it stays). An assessment
    moves an admitted case to assessed, a service an assessed one to in service; a stage must
    be the next one. Refused (``CaseError``) once the case has an outcome, or before admission."""
    if case.state in ENDED:
        raise CaseError("the case has an outcome; a supervisor's correction is needed")
    state, recorded = _where(case)
    if kind == "stage":
        assert stage is not None, "an entry of kind stage names its stage"
        return _after_stage(state, recorded, stage)
    if kind == "assessment" and state == CaseState.ADMITTED:
        return CaseState.ASSESSED
    if kind == "service" and state == CaseState.ASSESSED:
        return CaseState.IN_SERVICE
    if kind in ("assessment", "service") and state == CaseState.AWAITING_ADMISSION:
        raise CaseError("admit the person first")
    return None


def _after_stage(state: CaseState, recorded: Stage | None, stage: Stage) -> CaseState | None:
    """A stage done: only the next one, and never termination (the outcome records it). The
    problem disclosure is the assessment, the problem solving the start of services."""
    if state == CaseState.AWAITING_ADMISSION:
        raise CaseError("admit the person first")
    expected = next_stage(state, recorded)
    if stage == Stage.TERMINASI:
        raise CaseError("termination is recorded with the outcome")
    if stage != expected:
        done = stage_reached(state, recorded)
        if done is not None and STAGES.index(stage) <= STAGES.index(done):
            raise CaseError(f"stage {stage.value} is already done")
        raise CaseError(f"the next stage is {expected.value if expected else 'none'}")
    if stage == Stage.PENGUNGKAPAN_MASALAH and state == CaseState.ADMITTED:
        return CaseState.ASSESSED
    if stage == Stage.PEMECAHAN_MASALAH and state == CaseState.ASSESSED:
        return CaseState.IN_SERVICE
    return None


# Which timeline entry marks a stage as done (besides an explicit ``stage`` entry).
_STAGE_OF_ENTRY = {
    "admission": Stage.PENDEKATAN_AWAL,
    "assessment": Stage.PENGUNGKAPAN_MASALAH,
    "service": Stage.PENYUSUNAN_RENCANA,
    "outcome": Stage.TERMINASI,
}


@dataclass(frozen=True)
class PlannedStage:
    stage: str
    due_at: datetime
    done: bool
    done_at: datetime | None
    late: bool  # not done and past due, or done after it was due


def _done_at(entries: Iterable[TimelineEntry]) -> dict[Stage, datetime]:
    """When each stage was first marked done on the timeline."""
    found: dict[Stage, datetime] = {}
    for entry in entries:
        stage = (
            Stage(entry.detail["stage"])
            if entry.kind == "stage"
            else _STAGE_OF_ENTRY.get(entry.kind)
        )
        if stage is not None:
            found.setdefault(stage, entry.at)
    return found


def plan(
    case: CaseFacts, entries: Iterable[TimelineEntry], rules: PlanRules, now: datetime
) -> list[PlannedStage]:
    """Each stage with its due date, when it was done, and whether it is late. Before admission
    there is no plan yet."""
    if case.admitted_at is None:
        return []
    reached = stage_reached(*_where(case))
    done_through = STAGES.index(reached) if reached is not None else -1
    done_at = _done_at(entries)
    found = []
    for position, stage in enumerate(STAGES):
        due = rules.due(case.category, case.admitted_at, stage)
        done = position <= done_through
        when = done_at.get(stage) if done else None
        late = (not done and now > due) or (when is not None and when > due)
        found.append(PlannedStage(stage.value, due, done, when, late))
    return found


@dataclass(frozen=True)
class LateCase:
    case_id: str
    category: str
    shelter_id: str | None
    stage: str  # the next stage, past due
    due_at: datetime
    days_late: float
    days_in_shelter: float


def late(case: CaseFacts, rules: PlanRules, now: datetime) -> LateCase | None:
    """The case's next stage if it is past due; None when on time, not in a shelter, or with
    no stage left."""
    if case.admitted_at is None or case.state not in IN_SHELTER:
        return None
    stage = next_stage(*_where(case))
    if stage is None:
        return None
    due = rules.due(case.category, case.admitted_at, stage)
    if now <= due:
        return None
    return LateCase(
        case_id=case.id,
        category=case.category,
        shelter_id=case.shelter_id,
        stage=stage.value,
        due_at=due,
        days_late=days_between(due, now),
        days_in_shelter=days_between(case.admitted_at, now),
    )


def overdue(cases: Iterable[CaseFacts], rules: PlanRules, now: datetime) -> list[LateCase]:
    """The cases whose next stage is past due, most late first."""
    found = [item for item in (late(case, rules, now) for case in cases) if item is not None]
    return sorted(found, key=lambda item: -item.days_late)
