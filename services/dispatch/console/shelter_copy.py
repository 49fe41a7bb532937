"""Shelter's cases and shelters, copied from ``trc.cases.v1`` into dispatch's own read-only
tables for the supervisors' console (dispatch never reads shelter's database)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.dispatch.domain.casestate import is_newer
from services.dispatch.models import CaseProjection, ShelterProjection
from shared.contracts.events import (
    CaseOpened,
    CaseOutcomeRecorded,
    CaseStatusChanged,
    ShelterUpdated,
)


async def _case(
    session: AsyncSession, case_id: str, incident_id: str, region: str, category: str, at: datetime
) -> CaseProjection:
    found = await session.get(CaseProjection, case_id)
    if found is None:
        found = CaseProjection(
            case_id=case_id,
            incident_id=incident_id,
            region_code=region,
            category=category,
            state="awaiting_admission",
            updated_at=at,
        )
        session.add(found)
    return found


async def on_case_opened(session: AsyncSession, region: str, event: CaseOpened) -> None:
    case = await _case(
        session, event.case_id, event.incident_id, region, event.category, event.opened_at
    )
    case.opened_at, case.category = event.opened_at, case.category or event.category
    case.shelter_id = case.shelter_id or event.shelter_id


async def on_case_status(session: AsyncSession, region: str, event: CaseStatusChanged) -> None:
    case = await _case(
        session, event.case_id, event.incident_id, region, event.category, event.changed_at
    )
    case.category = case.category or event.category  # an outcome seen first leaves it empty
    if event.to_state == "admitted" and case.admitted_at is None:
        case.admitted_at = event.changed_at
    if is_newer(event.to_state, event.changed_at, case.state, case.updated_at):
        case.state, case.updated_at = event.to_state, event.changed_at
        case.shelter_id = event.shelter_id or case.shelter_id
        case.section = event.section or case.section
    else:  # an older report still tells where the person went, if nothing newer did
        case.shelter_id, case.section = (
            case.shelter_id or event.shelter_id,
            case.section or event.section,
        )


async def on_case_outcome(session: AsyncSession, region: str, event: CaseOutcomeRecorded) -> None:
    case = await _case(session, event.case_id, event.incident_id, region, "", event.outcome_at)
    if case.outcome_at is None or event.outcome_at >= case.outcome_at:
        case.outcome, case.outcome_at = event.outcome.value, event.outcome_at
    if is_newer("outcome", event.outcome_at, case.state, case.updated_at):
        case.state, case.updated_at = "outcome", event.outcome_at


async def on_shelter_updated(session: AsyncSession, event: ShelterUpdated) -> None:
    """Every section as the event lists it; sections it no longer lists are dropped. An older
    event than the copy already held changes nothing."""
    rows = {
        r.section: r
        for r in (
            await session.exec(
                select(ShelterProjection).where(ShelterProjection.shelter_id == event.shelter_id)
            )
        ).all()
    }
    if any(r.updated_at > event.updated_at for r in rows.values()):
        return
    for section in event.sections:
        row = rows.pop(section.section, None) or ShelterProjection(
            shelter_id=event.shelter_id,
            section=section.section,
            region_code=event.region_code,
            name=event.name,
            kind=event.kind,
            updated_at=event.updated_at,
        )
        row.region_code, row.name, row.kind = event.region_code, event.name, event.kind
        row.capacity, row.active, row.updated_at = section.capacity, event.active, event.updated_at
        session.add(row)
    for gone in rows.values():
        await session.delete(gone)
