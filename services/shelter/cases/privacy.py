"""Data protection (UU 27/2022): everything kept about a person exported on their request, a
person anonymised on request or once the retention period after their last case has passed."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.shelter.cases import referrals
from services.shelter.cases.people import opened_record
from services.shelter.cases.store import timeline
from services.shelter.domain.cases import CaseError
from services.shelter.models import Case, Person, PersonAudit
from services.shelter.vault import Vault


async def export_person(
    session: AsyncSession, vault: Vault, person: Person, actor: str, now: datetime
) -> dict[str, Any]:
    """Everything kept about a person, for their request (UU 27/2022): the record, their cases
    with timelines and referrals, and who looked at the record when. The export is audited."""
    session.add(
        PersonAudit(person_id=person.id, at=now, actor=actor, action="export", fields=["*"])
    )
    found_cases = (
        await session.exec(
            select(Case).where(Case.person_id == person.id).order_by(col(Case.opened_at))
        )
    ).all()
    history = []
    for case in found_cases:
        entries = await timeline(session, case.id)
        sent = await referrals.of_case(session, case.id)
        history.append(
            {
                "case_id": case.id,
                "region_code": case.region_code,
                "category": case.category,
                "state": case.state,
                "shelter_id": case.shelter_id,
                "belongings": case.belongings,
                "outcome": case.outcome,
                "outcome_detail": case.outcome_detail,
                "opened_at": case.opened_at,
                "admitted_at": case.admitted_at,
                "outcome_at": case.outcome_at,
                "closed_at": case.closed_at,
                "timeline": [
                    {"kind": e.kind, "at": e.at, "by": e.by, "detail": e.detail} for e in entries
                ],
                "referrals": [r.model_dump(exclude={"sex", "estimated_age"}) for r in sent],
            }
        )
    audit = (
        await session.exec(
            select(PersonAudit)
            .where(PersonAudit.person_id == person.id)
            .order_by(col(PersonAudit.at))
        )
    ).all()
    return {
        "exported_at": now,
        "person": {
            **opened_record(person, vault),
            "created_at": person.created_at,
            "erased_at": person.erased_at,
        },
        "cases": history,
        "access_log": [
            {"at": a.at, "actor": a.actor, "action": a.action, "fields": a.fields} for a in audit
        ],
    }


async def erase_person(
    session: AsyncSession, person: Person, actor: str, now: datetime, why: str
) -> Person:
    """Anonymise: name, alias, NIK and phone gone; belongings, notes and timeline details of
    their cases gone. Sex, estimated age, region of origin and every case's category, dates and
    outcome stay, so the figures do not change. Refused while a case of theirs is open."""
    open_cases = (
        await session.exec(
            select(Case.id).where(Case.person_id == person.id, col(Case.closed_at).is_(None))
        )
    ).all()
    if open_cases:
        raise CaseError("the person has an open case; close it before erasing")
    person.name = person.alias = person.nik_sealed = person.nik_search = None
    person.phone_sealed = None
    person.erased_at = now
    session.add(person)
    for case in (await session.exec(select(Case).where(Case.person_id == person.id))).all():
        case.belongings, case.outcome_detail = [], None
        session.add(case)
        for entry in await timeline(session, case.id):
            entry.detail = {"erased": True}
            session.add(entry)
    session.add(PersonAudit(person_id=person.id, at=now, actor=actor, action="erase", fields=[why]))
    return person


async def erase_expired(
    session: AsyncSession, now: datetime, retention_days: int, batch: int = 200
) -> int:
    """People whose every case closed more than ``retention_days`` ago are anonymised."""
    cutoff = now - timedelta(days=retention_days)
    expired = (
        select(Case.person_id)
        .where(col(Case.person_id).is_not(None))
        .group_by(col(Case.person_id))
        .having(
            (func.count() == func.count(col(Case.closed_at)))
            & (func.max(col(Case.closed_at)) < cutoff)
        )
    )
    people = (
        await session.exec(
            select(Person)
            .where(col(Person.erased_at).is_(None), col(Person.id).in_(expired))
            .limit(batch)
        )
    ).all()
    for person in people:
        await erase_person(session, person, "system", now, "retention")
    return len(people)
