"""Shelter use cases: a secured incident opens a case per person; admission within capacity (or a
clear refusal naming a shelter with room); person records sealed and audited; outcomes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.shelter.domain.beds import Section, alternatives
from services.shelter.domain.cases import CaseState, check
from services.shelter.models import Case, CaseEntry, Person, PersonAudit, Shelter, ShelterSection
from services.shelter.vault import Vault
from shared.contracts.events import (
    CaseOpened,
    CaseOutcomeRecorded,
    CaseStatusChanged,
    IncidentStatusChanged,
)
from shared.contracts.vocabulary import CaseOutcome

Emit = Callable[..., object]
IN_SHELTER = (CaseState.ADMITTED.value, CaseState.ASSESSED.value, CaseState.IN_SERVICE.value)


class CaseError(Exception):
    """The action cannot be done as asked (the message says why)."""


class ShelterFull(CaseError):
    def __init__(self, section: str, suggestions: list[Section]) -> None:
        names = (
            ", ".join(f"{s.shelter_name} ({s.free} free)" for s in suggestions[:3])
            or "none in this region"
        )
        super().__init__(f"section {section} is full; room elsewhere: {names}")
        self.suggestions = suggestions


async def on_incident_secured(
    session: AsyncSession, emit: Emit, region: str, event: IncidentStatusChanged, now: datetime
) -> int:
    """One case per person brought in (an incident may bring several); a replay opens none."""
    if event.to_state.value != "secured":
        return 0
    opened = 0
    for seq in range(1, event.people_count + 1):
        exists = await session.exec(
            select(Case.id).where(Case.incident_id == event.incident_id, Case.seq == seq)
        )
        if exists.first() is not None:
            continue
        case = Case(
            region_code=region,
            incident_id=event.incident_id,
            incident_number=event.incident_number,
            seq=seq,
            category=event.category,
            state=CaseState.AWAITING_ADMISSION.value,
            opened_at=now,
        )
        session.add(case)
        emit(
            CaseOpened(
                case_id=case.id, incident_id=case.incident_id, category=case.category, opened_at=now
            ),
            region_code=region,
            correlation_id=event.incident_id,
        )
        opened += 1
    return opened


async def sections(session: AsyncSession, region: str) -> list[Section]:
    """Every section of the region's active shelters with its occupancy now."""
    rows = (
        await session.exec(
            select(Shelter, ShelterSection)
            .join(ShelterSection, col(ShelterSection.shelter_id) == col(Shelter.id))
            .where(Shelter.region_code == region, col(Shelter.active))
        )
    ).all()
    occupied = dict(
        (
            (shelter_id, section),
            count,
        )
        for shelter_id, section, count in (
            await session.exec(
                select(Case.shelter_id, Case.section, func.count())
                .where(Case.region_code == region, col(Case.state).in_(IN_SHELTER))
                .group_by(col(Case.shelter_id), col(Case.section))
            )
        ).all()
    )
    return [
        Section(
            shelter.id,
            shelter.name,
            s.section,
            s.capacity,
            occupied.get((shelter.id, s.section), 0),
        )
        for shelter, s in rows
    ]


def _move(emit: Emit, case: Case, to: CaseState, now: datetime) -> None:
    before = case.state
    case.state = check(CaseState(case.state), to).value
    emit(
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
        region_code=case.region_code,
        correlation_id=case.incident_id,
    )


async def admit(
    session: AsyncSession,
    emit: Emit,
    case: Case,
    shelter_id: str,
    section: str,
    belongings: list[str],
    actor: str,
    now: datetime,
) -> Case:
    room = {(s.shelter_id, s.section): s for s in await sections(session, case.region_code)}
    wanted = room.get((shelter_id, section))
    if wanted is None:
        raise CaseError("no such shelter section in this region")
    if wanted.free <= 0:
        raise ShelterFull(section, alternatives(room.values(), section, shelter_id))
    case.shelter_id, case.section, case.belongings, case.admitted_at = (
        shelter_id,
        section,
        belongings,
        now,
    )
    _move(emit, case, CaseState.ADMITTED, now)
    session.add(
        CaseEntry(
            case_id=case.id,
            kind="admission",
            at=now,
            by=actor,
            detail={"shelter_id": shelter_id, "section": section, "belongings": belongings},
        )
    )
    return case


async def record_entry(
    session: AsyncSession,
    emit: Emit,
    case: Case,
    kind: str,
    detail: dict[str, Any],
    actor: str,
    now: datetime,
) -> Case:
    """An assessment (→ assessed), a service (→ in service), a tracing step or referral."""
    if case.state in (CaseState.OUTCOME.value, CaseState.CLOSED.value):
        raise CaseError("the case has an outcome; a supervisor's correction is needed")
    if kind == "assessment" and case.state == CaseState.ADMITTED.value:
        case.assessed_at = now
        _move(emit, case, CaseState.ASSESSED, now)
    elif kind == "service" and case.state == CaseState.ASSESSED.value:
        _move(emit, case, CaseState.IN_SERVICE, now)
    elif kind in ("assessment", "service") and case.state == CaseState.AWAITING_ADMISSION.value:
        raise CaseError("admit the person first")
    session.add(CaseEntry(case_id=case.id, kind=kind, at=now, by=actor, detail=detail))
    return case


async def record_outcome(
    session: AsyncSession,
    emit: Emit,
    case: Case,
    outcome: CaseOutcome,
    detail: str | None,
    destination: str | None,
    actor: str,
    now: datetime,
) -> Case:
    case.outcome, case.outcome_detail, case.outcome_at = outcome.value, detail, now
    if case.admitted_at is not None:
        case.stay_days = round((now - case.admitted_at).total_seconds() / 86400, 1)
    _move(emit, case, CaseState.OUTCOME, now)
    session.add(
        CaseEntry(
            case_id=case.id,
            kind="outcome",
            at=now,
            by=actor,
            detail={"outcome": outcome.value, "detail": detail},
        )
    )
    emit(
        CaseOutcomeRecorded(
            case_id=case.id,
            incident_id=case.incident_id,
            outcome=outcome,
            outcome_at=now,
            destination_region_code=destination,
        ),
        region_code=case.region_code,
        correlation_id=case.incident_id,
    )
    return case


async def close(session: AsyncSession, emit: Emit, case: Case, actor: str, now: datetime) -> Case:
    case.closed_at = now
    _move(emit, case, CaseState.CLOSED, now)
    session.add(CaseEntry(case_id=case.id, kind="closed", at=now, by=actor, detail={}))
    return case


@dataclass(frozen=True)
class PersonFields:
    name: str | None = None
    alias: str | None = None
    sex: str = "unknown"
    estimated_age: int | None = None
    nik: str | None = None
    phone: str | None = None
    origin_region_code: str | None = None
    identification: str = "unknown"
    same_as: str | None = None  # an earlier person the staff confirmed this is


async def _earlier(session: AsyncSession, vault: Vault, fields: PersonFields) -> Person | None:
    """A repeat client: the person the staff confirmed, or the one with the same NIK."""
    if fields.same_as:
        found = await session.get(Person, fields.same_as)
        if found is None:
            raise CaseError("no such earlier person")
        return found
    key = vault.search_key(fields.nik)
    if key is None:
        return None
    return (await session.exec(select(Person).where(Person.nik_search == key))).first()


async def save_person(
    session: AsyncSession, vault: Vault, case: Case, fields: PersonFields, actor: str, now: datetime
) -> Person:
    """Record who the person is; a person seen before (same NIK, or confirmed by the staff) is
    the same record, so their cases are linked. Fields not given keep what was known."""
    person = await _earlier(session, vault, fields)
    if person is None and case.person_id:
        person = await session.get(Person, case.person_id)
    action = "update" if person else "create"
    person = person or Person(region_code=case.region_code, created_at=now)
    person.name = fields.name or person.name
    person.alias = fields.alias or person.alias
    person.sex = fields.sex if fields.sex != "unknown" else person.sex
    if fields.estimated_age is not None:
        person.estimated_age = fields.estimated_age
    if fields.nik:
        person.nik_sealed, person.nik_search = vault.seal(fields.nik), vault.search_key(fields.nik)
    if fields.phone:
        person.phone_sealed = vault.seal(fields.phone)
    person.origin_region_code = fields.origin_region_code or person.origin_region_code
    if fields.identification != "unknown":
        person.identification = fields.identification
    age = person.estimated_age
    person.sensitive = bool(age is not None and age < 18) or case.category.startswith("odgj")
    session.add(person)
    await session.flush()
    case.person_id = person.id
    given = vars(fields).items()
    changed = [n for n, value in given if value not in (None, "unknown") and n != "same_as"]
    session.add(
        PersonAudit(person_id=person.id, at=now, actor=actor, action=action, fields=changed)
    )
    return person


async def read_person(
    session: AsyncSession, vault: Vault, case: Case, actor: str, now: datetime
) -> dict[str, Any] | None:
    """The person record, and an audit row saying who read it."""
    if case.person_id is None:
        return None
    person = await session.get(Person, case.person_id)
    if person is None:
        return None
    session.add(PersonAudit(person_id=person.id, at=now, actor=actor, action="read", fields=["*"]))
    earlier = (
        await session.exec(
            select(Case.id)
            .where(Case.person_id == person.id, Case.id != case.id)
            .order_by(col(Case.opened_at))
        )
    ).all()
    return {
        "earlier_cases": list(earlier),
        "person_id": person.id,
        "name": person.name,
        "alias": person.alias,
        "sex": person.sex,
        "estimated_age": person.estimated_age,
        "nik": vault.open(person.nik_sealed),
        "phone": vault.open(person.phone_sealed),
        "origin_region_code": person.origin_region_code,
        "identification": person.identification,
        "sensitive": person.sensitive,
    }


async def similar_people(
    session: AsyncSession,
    case: Case,
    name: str,
    sex: str,
    age: int | None,
    origin: str | None,
    actor: str,
    now: datetime,
) -> list[dict[str, Any]]:
    """People who may be this one coming back (same name, sex, age within five years, origin):
    for the staff to confirm, never linked on their own. Each one shown is an audited read."""
    query = select(Person).where(func.lower(Person.name) == name.strip().lower(), Person.sex == sex)
    if origin:
        query = query.where(Person.origin_region_code == origin)
    found = []
    for person in (await session.exec(query.limit(20))).all():
        if person.id == case.person_id:
            continue
        if (
            age is not None
            and person.estimated_age is not None
            and abs(person.estimated_age - age) > 5
        ):
            continue
        session.add(
            PersonAudit(
                person_id=person.id,
                at=now,
                actor=actor,
                action="read",
                fields=["name", "sex", "estimated_age", "origin_region_code"],
            )
        )
        found.append(
            {
                "person_id": person.id,
                "name": person.name,
                "sex": person.sex,
                "estimated_age": person.estimated_age,
                "origin_region_code": person.origin_region_code,
            }
        )
    return found


CORRECTABLE = {"outcome", "outcome_detail", "category"}


async def correct(
    session: AsyncSession,
    case: Case,
    field: str,
    value: str,
    reason: str,
    actor: str,
    now: datetime,
) -> Case:
    """A supervisor's correction of a case that has ended: before, after, who and why kept."""
    if field not in CORRECTABLE:
        raise CaseError(f"only {', '.join(sorted(CORRECTABLE))} can be corrected")
    if field == "outcome" and value not in {o.value for o in CaseOutcome}:
        raise CaseError("unknown outcome")
    before = getattr(case, field)
    setattr(case, field, value)
    session.add(
        CaseEntry(
            case_id=case.id,
            kind="correction",
            at=now,
            by=actor,
            detail={"field": field, "before": before, "after": value, "reason": reason},
        )
    )
    return case


@dataclass(frozen=True)
class PlanRules:
    assessment_days: int = 3  # assessed within days of admission
    service_days: dict[str, int] | None = None  # target stay per category (e.g. ODGJ/PGOT 14)
    default_service_days: int = 30

    def target(self, category: str) -> int:
        return (self.service_days or {}).get(category, self.default_service_days)


DEFAULT_PLAN = PlanRules(
    service_days={"odgj_terlantar": 14, "gepeng": 14, "gelandangan": 14, "pengemis": 14}
)


async def overdue(
    session: AsyncSession, region: str, now: datetime, rules: PlanRules = DEFAULT_PLAN
) -> list[dict[str, Any]]:
    """Cases in a shelter past their plan: not yet assessed within the days allowed, or still
    without an outcome past the target service period of their category."""
    rows = (
        await session.exec(
            select(Case).where(Case.region_code == region, col(Case.state).in_(IN_SHELTER))
        )
    ).all()
    late = []
    for case in rows:
        if case.admitted_at is None:
            continue
        days = (now - case.admitted_at).total_seconds() / 86400
        if case.state == CaseState.ADMITTED.value and days > rules.assessment_days:
            late.append(
                {
                    "case_id": case.id,
                    "why": "assessment",
                    "days": round(days, 1),
                    "due_days": rules.assessment_days,
                }
            )
        elif days > rules.target(case.category):
            late.append(
                {
                    "case_id": case.id,
                    "why": "service_period",
                    "days": round(days, 1),
                    "due_days": rules.target(case.category),
                }
            )
    return sorted(late, key=lambda item: -item["days"])
