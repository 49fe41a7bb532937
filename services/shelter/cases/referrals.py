"""Referrals: a person referred on to a hospital, an institution or the Dinsos of their region
of origin, and the answer. A referral to another region running this system travels there as
an event (no names); that region keeps it as incoming, answers it and, accepting, opens a case."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.shelter.cases.store import SqlCaseStore, newest_of_region, record
from services.shelter.domain.cases import ENDED, CaseError, CaseState
from services.shelter.models import Case, Person, Referral, Shelter
from shared.contracts.events import CaseOpened, CaseReferralAnswered, CaseReferred
from shared.contracts.vocabulary import Sex


async def _person_basics(session: AsyncSession, case: Case) -> tuple[str, int | None]:
    person = await session.get(Person, case.person_id) if case.person_id else None
    return (person.sex, person.estimated_age) if person else ("unknown", None)


async def refer(
    store: SqlCaseStore,
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
    if case.state in ENDED:
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
    referral.sex, referral.estimated_age = await _person_basics(store.session, case)
    store.add(referral)
    detail = {
        "referral_id": referral.id,
        "to_kind": to_kind,
        "to_name": to_name,
        "to_region_code": to_region,
        "reason": reason,
    }
    travels = to_kind == "region_of_origin" and to_region and to_region != case.region_code
    sent = [_referred(case, referral)] if travels else []
    record(store, case, "referral", actor, now, detail, *sent)
    return referral


def _referred(case: Case, referral: Referral) -> CaseReferred:
    """The referral as it travels to the region of origin: no names."""
    assert referral.to_region_code is not None
    return CaseReferred(
        referral_id=referral.id,
        case_id=case.id,
        from_region_code=case.region_code,
        to_region_code=referral.to_region_code,
        category=case.category,
        sex=Sex(referral.sex),
        estimated_age=referral.estimated_age,
        reason=referral.reason,
        referred_at=referral.created_at,
    )


async def answer(
    store: SqlCaseStore,
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
    _answered(referral, accepted, reason, actor, now)
    store.add(referral)
    if referral.direction == "outgoing" and referral.case_id:
        await _answer_on_timeline(store, referral, actor, now)
        return referral
    assert referral.origin_referral_id is not None
    store.emit(
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
        _open_case_here(store, referral, actor, now)
    return referral


def _answered(referral: Referral, accepted: bool, reason: str, by: str, at: datetime) -> None:
    referral.state = "accepted" if accepted else "rejected"
    referral.answer_reason, referral.answered_by, referral.answered_at = reason, by, at


def _open_case_here(store: SqlCaseStore, referral: Referral, actor: str, now: datetime) -> None:
    """An accepted incoming referral: a case awaiting admission, opened by the referral."""
    case = Case(
        region_code=referral.region_code,
        incident_id=referral.id,
        seq=1,
        category=referral.category,
        channel="referral",
        state=CaseState.AWAITING_ADMISSION.value,
        opened_at=now,
    )
    store.add(case)
    referral.case_id = case.id
    detail = {
        "referral_id": referral.id,
        "from_region_code": referral.origin_region_code,
        "reason": referral.reason,
    }
    opened = CaseOpened(
        case_id=case.id,
        incident_id=case.incident_id,
        category=case.category,
        sex=Sex(referral.sex),
        estimated_age=referral.estimated_age,
        opened_at=now,
    )
    record(store, case, "referral", actor, now, detail, opened)


async def _answer_on_timeline(
    store: SqlCaseStore, referral: Referral, actor: str, now: datetime
) -> None:
    assert referral.case_id is not None
    case = await store.session.get(Case, referral.case_id)
    assert case is not None, "an outgoing referral's case is kept"
    detail = {
        "referral_id": referral.id,
        "accepted": referral.state == "accepted",
        "reason": referral.answer_reason,
    }
    record(store, case, "referral_answer", actor, now, detail)


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
    store: SqlCaseStore, event: CaseReferralAnswered, now: datetime
) -> Referral | None:
    """The region we referred a person to answered: the referral and the case's timeline say
    so. An answer for a referral already answered by hand is noted, not applied twice."""
    referral = await store.session.get(Referral, event.referral_id)
    if referral is None or referral.direction != "outgoing":
        return None
    actor = f"region:{event.from_region_code}"
    if referral.state != "pending":
        return referral
    _answered(referral, event.accepted, event.reason, actor, event.answered_at)
    store.add(referral)
    if referral.case_id:
        await _answer_on_timeline(store, referral, actor, now)
    return referral


async def of_region(
    session: AsyncSession, region: str, direction: str | None, state: str | None
) -> Sequence[Referral]:
    """The region's referrals, sent and received, newest first (500 at most)."""
    return await newest_of_region(
        session, Referral, region, Referral.created_at, direction=direction, state=state
    )


async def of_case(session: AsyncSession, case_id: str) -> Sequence[Referral]:
    return (await session.exec(select(Referral).where(Referral.case_id == case_id))).all()
