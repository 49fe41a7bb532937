"""A case's life, through the ``CaseStore`` port: a secured incident opens a case per person;
admission within capacity (or a clear refusal naming a shelter with room); assessments,
services and rehabilitation stages; the outcome, the close, a supervisor's correction; the cases
whose next stage is overdue."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services.shelter.cases.store import CaseStore, record, tell
from services.shelter.domain.beds import bed_for
from services.shelter.domain.cases import DEFAULT_PLAN, CaseState, PlanRules, Stage, check
from services.shelter.domain.corrections import check_correction
from services.shelter.domain.plan import LateCase, after_entry, days_between, overdue
from services.shelter.models import Case
from shared.contracts.events import (
    CaseOpened,
    CaseOutcomeRecorded,
    CaseStatusChanged,
    IncidentStatusChanged,
)
from shared.contracts.vocabulary import CaseOutcome


async def on_incident_secured(
    store: CaseStore, region: str, event: IncidentStatusChanged, now: datetime
) -> int:
    """One case per person brought in (an incident may bring several); a replay opens none."""
    if event.to_state.value != "secured":
        return 0
    opened = 0
    for seq in range(1, event.people_count + 1):
        if await store.case_opened(event.incident_id, seq):
            continue
        case = Case(
            region_code=region,
            incident_id=event.incident_id,
            incident_number=event.incident_number,
            seq=seq,
            category=event.category,
            channel=event.channel.value if event.channel else None,
            state=CaseState.AWAITING_ADMISSION.value,
            opened_at=now,
        )
        store.add(case)
        tell(
            store,
            case,
            CaseOpened(
                case_id=case.id, incident_id=case.incident_id, category=case.category, opened_at=now
            ),
        )
        opened += 1
    return opened


def _move(store: CaseStore, case: Case, to: CaseState, now: datetime) -> None:
    before = case.state
    case.state = check(CaseState(case.state), to).value
    tell(
        store,
        case,
        CaseStatusChanged(
            case_id=case.id,
            incident_id=case.incident_id,
            from_state=before,
            to_state=to.value,
            shelter_id=case.shelter_id,
            section=case.section,
            category=case.category,
            changed_at=now,
        ),
    )


async def admit(
    store: CaseStore,
    case: Case,
    shelter_id: str,
    section: str,
    belongings: list[str],
    actor: str,
    now: datetime,
) -> Case:
    """Into a section with a free bed; a full one is refused with the sections that have room."""
    bed_for(await store.sections(case.region_code), shelter_id, section)
    case.shelter_id, case.section, case.belongings, case.admitted_at = (
        shelter_id,
        section,
        belongings,
        now,
    )
    _move(store, case, CaseState.ADMITTED, now)
    detail = {"shelter_id": shelter_id, "section": section, "belongings": belongings}
    record(store, case, "admission", actor, now, detail)
    return case


async def record_entry(
    store: CaseStore, case: Case, kind: str, detail: dict[str, Any], actor: str, now: datetime
) -> Case:
    """An assessment (→ assessed), a service (→ in service), a rehabilitation stage done (the
    next one only), a family tracing or reunification step, or a note."""
    stage = Stage(detail["stage"]) if kind == "stage" else None
    to = after_entry(case, kind, stage)
    if stage is not None:
        case.stage = stage.value
    if to == CaseState.ASSESSED:
        case.assessed_at = now
    if to is not None:
        _move(store, case, to, now)
    record(store, case, kind, actor, now, detail)
    return case


async def record_outcome(
    store: CaseStore,
    case: Case,
    outcome: CaseOutcome,
    detail: str | None,
    destination: str | None,
    actor: str,
    now: datetime,
) -> Case:
    case.outcome, case.outcome_detail, case.outcome_at = outcome.value, detail, now
    if case.admitted_at is not None:
        case.stay_days = days_between(case.admitted_at, now)
    _move(store, case, CaseState.OUTCOME, now)
    recorded = CaseOutcomeRecorded(
        case_id=case.id,
        incident_id=case.incident_id,
        outcome=outcome,
        outcome_at=now,
        destination_region_code=destination,
    )
    entry = {"outcome": outcome.value, "detail": detail}
    record(store, case, "outcome", actor, now, entry, recorded)
    return case


async def close(store: CaseStore, case: Case, actor: str, now: datetime) -> Case:
    case.closed_at = now
    _move(store, case, CaseState.CLOSED, now)
    record(store, case, "closed", actor, now, {})
    return case


async def correct(
    store: CaseStore, case: Case, field: str, value: str, reason: str, actor: str, now: datetime
) -> Case:
    """A supervisor's correction of a case that has ended: before, after, who and why kept."""
    check_correction(case.state, field, value)
    before = getattr(case, field)
    setattr(case, field, value)
    detail = {"field": field, "before": before, "after": value, "reason": reason}
    record(store, case, "correction", actor, now, detail)
    return case


async def overdue_cases(
    store: CaseStore, region: str, now: datetime, rules: PlanRules = DEFAULT_PLAN
) -> list[LateCase]:
    """Cases in a shelter whose next rehabilitation stage is past its due date, most late
    first."""
    return overdue(await store.in_shelter(region), rules, now)
