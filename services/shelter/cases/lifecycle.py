"""Shelter use cases: a secured incident opens a case per person; admission within capacity (or a
clear refusal naming a shelter with room); person records sealed and audited; outcomes."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.shelter.domain.beds import Section, alternatives
from services.shelter.domain.cases import (
    DEFAULT_PLAN,
    STAGES,
    CaseState,
    PlanRules,
    Stage,
    check,
    next_stage,
    stage_reached,
)
from services.shelter.models import (
    Case,
    CaseEntry,
    Person,
    PersonAudit,
    Referral,
    Shelter,
    ShelterSection,
)
from services.shelter.vault import Vault
from shared.contracts.events import (
    CaseOpened,
    CaseOutcomeRecorded,
    CaseReferralAnswered,
    CaseReferred,
    CaseStatusChanged,
    IncidentStatusChanged,
    ShelterSectionRef,
    ShelterUpdated,
)
from shared.contracts.vocabulary import CaseOutcome, Sex

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
            channel=event.channel.value if event.channel else None,
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


async def announce_shelter(
    session: AsyncSession, emit: Emit, shelter: Shelter, now: datetime
) -> None:
    """``shelter.updated``: the shelter and every section's beds as they are now (for the
    supervisors' console in dispatch)."""
    await session.flush()
    rows = await session.exec(
        select(ShelterSection)
        .where(ShelterSection.shelter_id == shelter.id)
        .order_by(col(ShelterSection.section))
    )
    emit(
        ShelterUpdated(
            shelter_id=shelter.id,
            region_code=shelter.region_code,
            code=shelter.code,
            name=shelter.name,
            kind=shelter.kind,
            sections=[ShelterSectionRef(section=r.section, capacity=r.capacity) for r in rows],
            active=shelter.active,
            updated_at=now,
        ),
        region_code=shelter.region_code,
        correlation_id=shelter.id,
    )


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
    """An assessment (→ assessed), a service (→ in service), a rehabilitation stage done (the
    next one only), a family tracing or reunification step, or a note."""
    if case.state in (CaseState.OUTCOME.value, CaseState.CLOSED.value):
        raise CaseError("the case has an outcome; a supervisor's correction is needed")
    if kind == "stage":
        _stage_done(emit, case, Stage(detail["stage"]), now)
    elif kind == "assessment" and case.state == CaseState.ADMITTED.value:
        case.assessed_at = now
        _move(emit, case, CaseState.ASSESSED, now)
    elif kind == "service" and case.state == CaseState.ASSESSED.value:
        _move(emit, case, CaseState.IN_SERVICE, now)
    elif kind in ("assessment", "service") and case.state == CaseState.AWAITING_ADMISSION.value:
        raise CaseError("admit the person first")
    session.add(CaseEntry(case_id=case.id, kind=kind, at=now, by=actor, detail=detail))
    return case


def _stage_done(emit: Emit, case: Case, stage: Stage, now: datetime) -> None:
    state = CaseState(case.state)
    if state == CaseState.AWAITING_ADMISSION:
        raise CaseError("admit the person first")
    expected = next_stage(state, Stage(case.stage) if case.stage else None)
    if stage == Stage.TERMINASI:
        raise CaseError("termination is recorded with the outcome")
    if stage != expected:
        done = stage_reached(state, Stage(case.stage) if case.stage else None)
        if done is not None and STAGES.index(stage) <= STAGES.index(done):
            raise CaseError(f"stage {stage.value} is already done")
        raise CaseError(f"the next stage is {expected.value if expected else 'none'}")
    case.stage = stage.value
    if stage == Stage.PENGUNGKAPAN_MASALAH and state == CaseState.ADMITTED:
        case.assessed_at = now
        _move(emit, case, CaseState.ASSESSED, now)
    elif stage == Stage.PEMECAHAN_MASALAH and state == CaseState.ASSESSED:
        _move(emit, case, CaseState.IN_SERVICE, now)


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
        **_record(person, vault),
        "sensitive": person.sensitive,
    }


def _record(person: Person, vault: Vault) -> dict[str, Any]:
    """The person record as staff read it: NIK and phone opened."""
    return {
        "person_id": person.id,
        "name": person.name,
        "alias": person.alias,
        "sex": person.sex,
        "estimated_age": person.estimated_age,
        "nik": vault.open(person.nik_sealed),
        "phone": vault.open(person.phone_sealed),
        "origin_region_code": person.origin_region_code,
        "identification": person.identification,
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
CATEGORY_CODE = re.compile(r"[a-z][a-z0-9_]{0,59}")  # the taxonomy's codes (intake owns the list)


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
    if field == "category" and not CATEGORY_CODE.fullmatch(value):
        raise CaseError("a category is a code of at most 60 characters, e.g. odgj_terlantar")
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


async def overdue(
    session: AsyncSession, region: str, now: datetime, rules: PlanRules = DEFAULT_PLAN
) -> list[dict[str, Any]]:
    """Cases in a shelter whose next rehabilitation stage is past its due date, most late
    first."""
    rows = (
        await session.exec(
            select(Case).where(Case.region_code == region, col(Case.state).in_(IN_SHELTER))
        )
    ).all()
    late = []
    for case in rows:
        if case.admitted_at is None:
            continue
        stage = next_stage(CaseState(case.state), Stage(case.stage) if case.stage else None)
        if stage is None:
            continue
        due = rules.due(case.category, case.admitted_at, stage)
        if now > due:
            late.append(
                {
                    "case_id": case.id,
                    "category": case.category,
                    "shelter_id": case.shelter_id,
                    "stage": stage.value,
                    "due_at": due,
                    "days_late": round((now - due).total_seconds() / 86400, 1),
                    "days_in_shelter": round((now - case.admitted_at).total_seconds() / 86400, 1),
                }
            )
    return sorted(late, key=lambda item: -item["days_late"])


# Which timeline entry marks a stage as done (besides an explicit ``stage`` entry).
_STAGE_OF_ENTRY = {
    "admission": Stage.PENDEKATAN_AWAL,
    "assessment": Stage.PENGUNGKAPAN_MASALAH,
    "service": Stage.PENYUSUNAN_RENCANA,
    "outcome": Stage.TERMINASI,
}


async def timeline(session: AsyncSession, case: Case) -> list[CaseEntry]:
    return list(
        (
            await session.exec(
                select(CaseEntry)
                .where(CaseEntry.case_id == case.id)
                .order_by(col(CaseEntry.at), col(CaseEntry.id))
            )
        ).all()
    )


def plan(case: Case, entries: list[CaseEntry], rules: PlanRules, now: datetime) -> list[dict]:
    """The case's rehabilitation plan: each stage with its due date, when it was done, and
    whether it is late. Before admission there is no plan yet."""
    if case.admitted_at is None:
        return []
    reached = stage_reached(CaseState(case.state), Stage(case.stage) if case.stage else None)
    done_through = STAGES.index(reached) if reached is not None else -1
    done_at: dict[Stage, datetime] = {}
    for entry in entries:
        stage = (
            Stage(entry.detail["stage"])
            if entry.kind == "stage"
            else _STAGE_OF_ENTRY.get(entry.kind)
        )
        if stage is not None:
            done_at.setdefault(stage, entry.at)
    found = []
    for position, stage in enumerate(STAGES):
        due = rules.due(case.category, case.admitted_at, stage)
        done = position <= done_through
        found.append(
            {
                "stage": stage.value,
                "due_at": due,
                "done": done,
                "done_at": done_at.get(stage) if done else None,
                "late": (not done and now > due)
                or (done and stage in done_at and done_at[stage] > due),
            }
        )
    return found


async def _person_basics(session: AsyncSession, case: Case) -> tuple[str, int | None]:
    person = await session.get(Person, case.person_id) if case.person_id else None
    return (person.sex, person.estimated_age) if person else ("unknown", None)


async def refer(
    session: AsyncSession,
    emit: Emit,
    case: Case,
    to_kind: str,
    to_name: str | None,
    to_region: str | None,
    reason: str,
    actor: str,
    now: datetime,
) -> Referral:
    """Refer the person on. To another region's Dinsos, the referral also travels as an event
    (no names), so a region that runs this system receives it and answers."""
    if case.state in (CaseState.OUTCOME.value, CaseState.CLOSED.value):
        raise CaseError("the case has an outcome; a supervisor's correction is needed")
    if to_kind == "region_of_origin" and not to_region:
        raise CaseError("a referral to the region of origin needs to_region_code")
    referral = Referral(
        region_code=case.region_code,
        direction="outgoing",
        case_id=case.id,
        to_kind=to_kind,
        to_name=to_name,
        to_region_code=to_region,
        origin_region_code=case.region_code,
        category=case.category,
        reason=reason,
        state="pending",
        created_by=actor,
        created_at=now,
    )
    referral.sex, referral.estimated_age = await _person_basics(session, case)
    session.add(referral)
    session.add(
        CaseEntry(
            case_id=case.id,
            kind="referral",
            at=now,
            by=actor,
            detail={
                "referral_id": referral.id,
                "to_kind": to_kind,
                "to_name": to_name,
                "to_region_code": to_region,
                "reason": reason,
            },
        )
    )
    if to_kind == "region_of_origin" and to_region and to_region != case.region_code:
        emit(
            CaseReferred(
                referral_id=referral.id,
                case_id=case.id,
                from_region_code=case.region_code,
                to_region_code=to_region,
                category=case.category,
                sex=Sex(referral.sex),
                estimated_age=referral.estimated_age,
                reason=reason,
                referred_at=now,
            ),
            region_code=case.region_code,
            correlation_id=case.incident_id,
        )
    return referral


async def answer(
    session: AsyncSession,
    emit: Emit,
    referral: Referral,
    accepted: bool,
    reason: str,
    actor: str,
    now: datetime,
) -> Referral:
    """Accept or refuse a referral. An outgoing one is answered by the staff who heard back
    from the hospital, panti or region; an incoming one by this region, which tells the
    referring region — and, accepting, opens a case awaiting admission here."""
    if referral.state != "pending":
        raise CaseError(f"the referral was already {referral.state}")
    referral.state = "accepted" if accepted else "rejected"
    referral.answer_reason, referral.answered_by, referral.answered_at = reason, actor, now
    session.add(referral)
    if referral.direction == "outgoing" and referral.case_id:
        _referral_answered_entry(session, referral, actor, now)
        return referral
    assert referral.origin_referral_id is not None
    emit(
        CaseReferralAnswered(
            referral_id=referral.origin_referral_id,
            from_region_code=referral.region_code,
            to_region_code=referral.origin_region_code,
            accepted=accepted,
            reason=reason,
            answered_at=now,
        ),
        region_code=referral.region_code,
        correlation_id=referral.origin_referral_id,
    )
    if accepted:
        case = Case(
            region_code=referral.region_code,
            incident_id=referral.id,
            seq=1,
            category=referral.category,
            channel="referral",
            state=CaseState.AWAITING_ADMISSION.value,
            opened_at=now,
        )
        session.add(case)
        referral.case_id = case.id
        session.add(
            CaseEntry(
                case_id=case.id,
                kind="referral",
                at=now,
                by=actor,
                detail={
                    "referral_id": referral.id,
                    "from_region_code": referral.origin_region_code,
                    "reason": referral.reason,
                },
            )
        )
        emit(
            CaseOpened(
                case_id=case.id,
                incident_id=case.incident_id,
                category=case.category,
                sex=Sex(referral.sex),
                estimated_age=referral.estimated_age,
                opened_at=now,
            ),
            region_code=case.region_code,
            correlation_id=referral.id,
        )
    return referral


def _referral_answered_entry(
    session: AsyncSession, referral: Referral, actor: str, now: datetime
) -> None:
    assert referral.case_id is not None
    session.add(
        CaseEntry(
            case_id=referral.case_id,
            kind="referral_answer",
            at=now,
            by=actor,
            detail={
                "referral_id": referral.id,
                "accepted": referral.state == "accepted",
                "reason": referral.answer_reason,
            },
        )
    )


async def on_case_referred(
    session: AsyncSession, event: CaseReferred, now: datetime
) -> Referral | None:
    """Another region referred a person here. Kept when this region runs its shelters on this
    system (it has at least one shelter); a referral told twice is kept once."""
    if event.to_region_code == event.from_region_code:
        return None
    runs_here = (
        await session.exec(
            select(Shelter.id).where(Shelter.region_code == event.to_region_code).limit(1)
        )
    ).first()
    if runs_here is None:
        return None
    known = (
        await session.exec(
            select(Referral).where(
                Referral.direction == "incoming",
                Referral.origin_referral_id == event.referral_id,
            )
        )
    ).first()
    if known is not None:
        return known
    referral = Referral(
        region_code=event.to_region_code,
        direction="incoming",
        to_kind="region_of_origin",
        to_region_code=event.to_region_code,
        origin_region_code=event.from_region_code,
        origin_referral_id=event.referral_id,
        category=event.category,
        sex=event.sex.value,
        estimated_age=event.estimated_age,
        reason=event.reason,
        state="pending",
        created_by=f"region:{event.from_region_code}",
        created_at=now,
    )
    session.add(referral)
    return referral


async def on_referral_answered(
    session: AsyncSession, event: CaseReferralAnswered, now: datetime
) -> Referral | None:
    """The region we referred a person to answered: the referral and the case's timeline say
    so. An answer for a referral already answered by hand is noted, not applied twice."""
    referral = await session.get(Referral, event.referral_id)
    if referral is None or referral.direction != "outgoing":
        return None
    actor = f"region:{event.from_region_code}"
    if referral.state != "pending":
        return referral
    referral.state = "accepted" if event.accepted else "rejected"
    referral.answer_reason, referral.answered_by, referral.answered_at = (
        event.reason,
        actor,
        event.answered_at,
    )
    session.add(referral)
    if referral.case_id:
        _referral_answered_entry(session, referral, actor, now)
    return referral


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
        entries = await timeline(session, case)
        referrals = (await session.exec(select(Referral).where(Referral.case_id == case.id))).all()
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
                "referrals": [r.model_dump(exclude={"sex", "estimated_age"}) for r in referrals],
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
            **_record(person, vault),
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
        for entry in await timeline(session, case):
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
