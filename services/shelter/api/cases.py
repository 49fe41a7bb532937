"""Shelters and cases over HTTP: shelter staff and supervisors of the region; person records
(names, NIK, phone) only to them, and every read and change audited."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response, status
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, model_validator
from sqlmodel import col, select

from services.shelter import figures
from services.shelter.cases import lifecycle as cases
from services.shelter.domain.cases import CaseTransitionError, Stage
from services.shelter.models import Case, Person, Referral, Shelter, ShelterSection
from shared.auth import Role, Staff, ensure_covers, require
from shared.contracts.envelope import RegionCode
from shared.contracts.vocabulary import CaseOutcome
from shared.http import platform_of
from shared.regions import UnknownRegion, region_zone

Worker = Annotated[Staff, Depends(require(Role.SHELTER_STAFF, Role.SUPERVISOR))]
Manager = Annotated[Staff, Depends(require(Role.SUPERVISOR))]
Reader = Annotated[
    Staff, Depends(require(Role.SHELTER_STAFF, Role.SUPERVISOR, Role.PROVINCIAL_SUPERVISOR))
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIRST_DAY, LAST_DAY, MAX_PERIOD_DAYS = date(1970, 1, 1), date(2100, 12, 31), 3653  # ten years


class SectionIn(BaseModel):
    section: str = Field(
        min_length=1, max_length=30, examples=["male", "female", "children", "odgj_observation"]
    )
    capacity: int = Field(ge=0, le=5000)


class ShelterIn(BaseModel):
    code: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=160)
    kind: Literal["upt", "uptd", "rumah_singgah", "panti", "temporary"]
    sections: list[SectionIn] = Field(min_length=1, max_length=20)


class SectionView(BaseModel):
    shelter_id: str
    shelter_name: str
    section: str
    capacity: int
    occupied: int
    free: int


class CaseView(BaseModel):
    case_id: str
    incident_id: str
    incident_number: str | None
    seq: int
    category: str
    state: str
    shelter_id: str | None
    section: str | None
    outcome: str | None
    opened_at: datetime
    admitted_at: datetime | None
    closed_at: datetime | None


class Admit(BaseModel):
    shelter_id: str = Field(max_length=40)
    section: str = Field(max_length=30)
    belongings: list[Annotated[str, Field(max_length=200)]] = Field(
        default_factory=list, max_length=50
    )


class Entry(BaseModel):
    kind: Literal["assessment", "service", "stage", "tracing", "reunification", "note"]
    detail: dict[str, Any] = Field(
        default_factory=dict, description="Needs, risks, service given, what was done …"
    )
    stage: Stage | None = Field(
        default=None, description="kind=stage: the rehabilitation stage done (the next one)"
    )
    happened_on: date | None = Field(
        default=None, description="When the step took place, if not today (tracing, visits)"
    )
    result: str | None = Field(
        default=None, max_length=1000, description="What came of it (a tracing step's result)"
    )

    @model_validator(mode="after")
    def _stage_given(self) -> Entry:
        if (self.kind == "stage") != (self.stage is not None):
            raise ValueError("'stage' is given with kind=stage, and only then")
        return self

    def as_detail(self) -> dict[str, Any]:
        extra = {
            "stage": self.stage.value if self.stage else None,
            "date": self.happened_on.isoformat() if self.happened_on else None,
            "result": self.result,
        }
        return {**self.detail, **{k: v for k, v in extra.items() if v is not None}}


class ReferralIn(BaseModel):
    to_kind: Literal["hospital", "institution", "region_of_origin"]
    to_name: str | None = Field(
        default=None, max_length=160, examples=["RSJ Provinsi", "Panti Sosial Tresna Werdha"]
    )
    to_region_code: RegionCode | None = Field(
        default=None, description="The region whose Dinsos is asked (region_of_origin)"
    )
    reason: str = Field(min_length=3, max_length=1000)


class AnswerIn(BaseModel):
    accepted: bool
    reason: str = Field(min_length=3, max_length=1000)


class ReferralView(BaseModel):
    referral_id: str
    region_code: str
    direction: str
    case_id: str | None
    to_kind: str
    to_name: str | None
    to_region_code: str | None
    origin_region_code: str
    category: str
    sex: str
    estimated_age: int | None
    reason: str
    state: str
    answer_reason: str | None
    answered_by: str | None
    answered_at: datetime | None
    created_by: str
    created_at: datetime


class Erasure(BaseModel):
    reason: str = Field(min_length=3, max_length=500, examples=["permintaan yang bersangkutan"])


class OutcomeIn(BaseModel):
    outcome: CaseOutcome
    detail: str | None = Field(default=None, max_length=1000)
    destination_region_code: RegionCode | None = None


class PersonIn(BaseModel):
    name: str | None = Field(default=None, max_length=160)
    alias: str | None = Field(default=None, max_length=160)
    sex: Literal["male", "female", "unknown"] = "unknown"
    estimated_age: int | None = Field(default=None, ge=0, le=130)
    nik: str | None = Field(default=None, pattern=r"^\d{16}$", description="16 digits, if known")
    phone: str | None = Field(default=None, max_length=40)
    origin_region_code: RegionCode | None = None
    identification: Literal["ktp_seen", "dukcapil_biometric", "family_statement", "unknown"] = (
        "unknown"
    )
    same_as: str | None = Field(
        default=None, max_length=40, description="An earlier person the staff confirmed this is"
    )


class Correction(BaseModel):
    field: Literal["outcome", "outcome_detail", "category"]
    value: str = Field(min_length=1, max_length=1000)
    reason: str = Field(min_length=3, max_length=500)


class Lookalike(BaseModel):
    name: str = Field(min_length=1, max_length=160)
    sex: Literal["male", "female", "unknown"] = "unknown"
    estimated_age: int | None = Field(default=None, ge=0, le=130)
    origin_region_code: RegionCode | None = None


def _referral(r: Referral) -> ReferralView:
    return ReferralView(referral_id=r.id, **r.model_dump(exclude={"id", "origin_referral_id"}))


def _view(c: Case) -> CaseView:
    return CaseView(
        case_id=c.id,
        incident_id=c.incident_id,
        incident_number=c.incident_number,
        seq=c.seq,
        category=c.category,
        state=c.state,
        shelter_id=c.shelter_id,
        section=c.section,
        outcome=c.outcome,
        opened_at=c.opened_at,
        admitted_at=c.admitted_at,
        closed_at=c.closed_at,
    )


def _vault(request: Request) -> Any:
    vault = request.app.state.vault
    if vault is None:
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE, "no key for personal data (TRC_SHELTER_DATA_KEY)"
        )
    return vault


def build_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["shelter"])

    @router.post(
        "/regions/{region_code}/shelters",
        response_model=list[SectionView],
        summary="Add or update a shelter",
    )
    async def put_shelter(
        region_code: RegionCode, body: ShelterIn, request: Request, staff: Manager
    ) -> list[SectionView]:
        ensure_covers(staff, region_code)
        async with platform_of(request).uow() as uow:
            found = (
                await uow.session.exec(
                    select(Shelter).where(
                        Shelter.region_code == region_code, Shelter.code == body.code
                    )
                )
            ).first()
            shelter = found or Shelter(
                region_code=region_code, code=body.code, name=body.name, kind=body.kind
            )
            shelter.name, shelter.kind = body.name, body.kind
            uow.session.add(shelter)
            await uow.session.flush()
            for s in body.sections:
                row = await uow.session.get(
                    ShelterSection, (shelter.id, s.section)
                ) or ShelterSection(shelter_id=shelter.id, section=s.section, capacity=s.capacity)
                row.capacity = s.capacity
                uow.session.add(row)
            await cases.announce_shelter(uow.session, uow.emit, shelter, datetime.now(UTC))
            await uow.commit()
        return await occupancy(region_code, request, staff)

    @router.get(
        "/regions/{region_code}/shelters",
        response_model=list[SectionView],
        summary="Occupancy per shelter and section",
    )
    async def occupancy(
        region_code: RegionCode, request: Request, staff: Worker
    ) -> list[SectionView]:
        ensure_covers(staff, region_code)
        async with platform_of(request).sessions() as session:
            found = await cases.sections(session, region_code)
        return [
            SectionView(
                shelter_id=s.shelter_id,
                shelter_name=s.shelter_name,
                section=s.section,
                capacity=s.capacity,
                occupied=s.occupied,
                free=s.free,
            )
            for s in found
        ]

    @router.get(
        "/regions/{region_code}/cases", response_model=list[CaseView], summary="The region's cases"
    )
    async def region_cases(
        region_code: RegionCode, request: Request, staff: Worker, state: str | None = None
    ) -> list[CaseView]:
        ensure_covers(staff, region_code)
        query = (
            select(Case)
            .where(Case.region_code == region_code)
            .order_by(col(Case.opened_at).desc())
            .limit(500)
        )
        if state:
            query = query.where(Case.state == state)
        async with platform_of(request).sessions() as session:
            return [_view(c) for c in (await session.exec(query)).all()]

    async def act(request: Request, staff: Staff, case_id: str, action: Any) -> Any:
        async with platform_of(request).uow() as uow:
            case = await uow.session.get(Case, case_id)
            if case is None or not staff.covers(case.region_code):
                raise HTTPException(status.HTTP_404_NOT_FOUND, "no such case in your region")
            try:
                result = await action(uow, case, datetime.now(UTC))
            except cases.ShelterFull as exc:
                suggestions = [
                    {"shelter_id": s.shelter_id, "shelter_name": s.shelter_name, "free": s.free}
                    for s in exc.suggestions
                ]
                raise HTTPException(
                    status.HTTP_409_CONFLICT, {"message": str(exc), "suggestions": suggestions}
                ) from None
            except (cases.CaseError, CaseTransitionError) as exc:
                raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from None
            await uow.commit()
        return result

    @router.post(
        "/cases/{case_id}/admit",
        response_model=CaseView,
        summary="Admit to a shelter section (409 + suggestions when full)",
    )
    async def admit(case_id: str, body: Admit, request: Request, staff: Worker) -> CaseView:
        async def go(uow: Any, case: Case, now: datetime) -> CaseView:
            return _view(
                await cases.admit(
                    uow.session,
                    uow.emit,
                    case,
                    body.shelter_id,
                    body.section,
                    body.belongings,
                    staff.username,
                    now,
                )
            )

        return await act(request, staff, case_id, go)

    @router.post(
        "/cases/{case_id}/entries",
        response_model=CaseView,
        summary="Assessment, service, stage done, tracing or reunification step, note",
    )
    async def entry(case_id: str, body: Entry, request: Request, staff: Worker) -> CaseView:
        async def go(uow: Any, case: Case, now: datetime) -> CaseView:
            return _view(
                await cases.record_entry(
                    uow.session, uow.emit, case, body.kind, body.as_detail(), staff.username, now
                )
            )

        return await act(request, staff, case_id, go)

    @router.post("/cases/{case_id}/outcome", response_model=CaseView, summary="How the case ended")
    async def outcome(case_id: str, body: OutcomeIn, request: Request, staff: Worker) -> CaseView:
        async def go(uow: Any, case: Case, now: datetime) -> CaseView:
            return _view(
                await cases.record_outcome(
                    uow.session,
                    uow.emit,
                    case,
                    body.outcome,
                    body.detail,
                    body.destination_region_code,
                    staff.username,
                    now,
                )
            )

        return await act(request, staff, case_id, go)

    @router.post(
        "/cases/{case_id}/close", response_model=CaseView, summary="Close (read-only afterwards)"
    )
    async def close(case_id: str, request: Request, staff: Worker) -> CaseView:
        async def go(uow: Any, case: Case, now: datetime) -> CaseView:
            return _view(await cases.close(uow.session, uow.emit, case, staff.username, now))

        return await act(request, staff, case_id, go)

    @router.put(
        "/cases/{case_id}/person",
        summary="Record who the person is (audited; NIK and phone sealed)",
    )
    async def put_person(
        case_id: str, body: PersonIn, request: Request, staff: Worker
    ) -> dict[str, str]:
        vault = _vault(request)

        async def go(uow: Any, case: Case, now: datetime) -> dict[str, str]:
            if case.state == "closed":
                raise cases.CaseError("the case is closed")
            person = await cases.save_person(
                uow.session,
                vault,
                case,
                cases.PersonFields(**body.model_dump()),
                staff.username,
                now,
            )
            return {"person_id": person.id}

        return await act(request, staff, case_id, go)

    @router.post(
        "/cases/{case_id}/correct",
        response_model=CaseView,
        summary="A supervisor's audited correction of an ended case",
    )
    async def correct(case_id: str, body: Correction, request: Request, staff: Manager) -> CaseView:
        async def go(uow: Any, case: Case, now: datetime) -> CaseView:
            if case.state not in ("outcome", "closed"):
                raise cases.CaseError("an open case is changed by its own steps, not corrected")
            fixed = await cases.correct(
                uow.session, case, body.field, body.value, body.reason, staff.username, now
            )
            return _view(fixed)

        return await act(request, staff, case_id, go)

    @router.get(
        "/regions/{region_code}/cases/overdue",
        summary="Cases whose next rehabilitation stage is past due",
    )
    async def overdue(
        region_code: RegionCode, request: Request, staff: Worker
    ) -> list[dict[str, Any]]:
        ensure_covers(staff, region_code)
        async with platform_of(request).sessions() as session:
            return await cases.overdue(
                session, region_code, datetime.now(UTC), request.app.state.rules
            )

    @router.get(
        "/cases/{case_id}",
        summary="A case: its rehabilitation plan with due dates, timeline and referrals",
    )
    async def case_detail(case_id: str, request: Request, staff: Worker) -> dict[str, Any]:
        async with platform_of(request).sessions() as session:
            case = await session.get(Case, case_id)
            if case is None or not staff.covers(case.region_code):
                raise HTTPException(status.HTTP_404_NOT_FOUND, "no such case in your region")
            entries = await cases.timeline(session, case)
            referrals = (
                await session.exec(select(Referral).where(Referral.case_id == case.id))
            ).all()
        return {
            "case": _view(case).model_dump(mode="json"),
            "stage": case.stage,
            "plan": cases.plan(case, entries, request.app.state.rules, datetime.now(UTC)),
            "timeline": [
                {"kind": e.kind, "at": e.at, "by": e.by, "detail": e.detail} for e in entries
            ],
            "referrals": [_referral(r).model_dump(mode="json") for r in referrals],
        }

    @router.post(
        "/cases/{case_id}/referrals",
        response_model=ReferralView,
        summary="Refer to a hospital, an institution or the region of origin",
    )
    async def refer(
        case_id: str, body: ReferralIn, request: Request, staff: Worker
    ) -> ReferralView:
        async def go(uow: Any, case: Case, now: datetime) -> ReferralView:
            made = await cases.refer(
                uow.session,
                uow.emit,
                case,
                body.to_kind,
                body.to_name,
                body.to_region_code,
                body.reason,
                staff.username,
                now,
            )
            return _referral(made)

        return await act(request, staff, case_id, go)

    @router.get(
        "/regions/{region_code}/referrals",
        response_model=list[ReferralView],
        summary="The region's referrals, sent and received",
    )
    async def region_referrals(
        region_code: RegionCode,
        request: Request,
        staff: Worker,
        direction: Literal["outgoing", "incoming"] | None = None,
        state: Literal["pending", "accepted", "rejected"] | None = None,
    ) -> list[ReferralView]:
        ensure_covers(staff, region_code)
        query = (
            select(Referral)
            .where(Referral.region_code == region_code)
            .order_by(col(Referral.created_at).desc())
            .limit(500)
        )
        if direction:
            query = query.where(Referral.direction == direction)
        if state:
            query = query.where(Referral.state == state)
        async with platform_of(request).sessions() as session:
            return [_referral(r) for r in (await session.exec(query)).all()]

    @router.post(
        "/referrals/{referral_id}/answer",
        response_model=ReferralView,
        summary="Accept or refuse a referral, with the reason",
    )
    async def answer(
        referral_id: str, body: AnswerIn, request: Request, staff: Worker
    ) -> ReferralView:
        async with platform_of(request).uow() as uow:
            referral = await uow.session.get(Referral, referral_id)
            if referral is None or not staff.covers(referral.region_code):
                raise HTTPException(status.HTTP_404_NOT_FOUND, "no such referral in your region")
            try:
                await cases.answer(
                    uow.session,
                    uow.emit,
                    referral,
                    body.accepted,
                    body.reason,
                    staff.username,
                    datetime.now(UTC),
                )
            except cases.CaseError as exc:
                raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from None
            view = _referral(referral)
            await uow.commit()
        return view

    async def person_of(uow: Any, staff: Staff, person_id: str) -> Person:
        person = await uow.session.get(Person, person_id)
        if person is None or not staff.covers(person.region_code):
            raise HTTPException(status.HTTP_404_NOT_FOUND, "no such person in your region")
        return person

    @router.get(
        "/people/{person_id}/export",
        summary="Everything kept about a person, on their request (audited)",
    )
    async def export_person(person_id: str, request: Request, staff: Manager) -> Response:
        vault = _vault(request)
        async with platform_of(request).uow() as uow:
            person = await person_of(uow, staff, person_id)
            found = await cases.export_person(
                uow.session, vault, person, staff.username, datetime.now(UTC)
            )
            await uow.commit()
        return JSONResponse(
            jsonable_encoder(found),
            headers={
                "Content-Disposition": f'attachment; filename="data-pribadi-{person_id}.json"',
                "Cache-Control": "no-store",
            },
        )

    @router.post(
        "/people/{person_id}/erase",
        summary="Anonymise a person whose cases are closed (audited; figures unchanged)",
    )
    async def erase_person(
        person_id: str, body: Erasure, request: Request, staff: Manager
    ) -> dict[str, Any]:
        async with platform_of(request).uow() as uow:
            person = await person_of(uow, staff, person_id)
            try:
                await cases.erase_person(
                    uow.session, person, staff.username, datetime.now(UTC), body.reason
                )
            except cases.CaseError as exc:
                raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from None
            await uow.commit()
        return {"person_id": person_id, "erased": True}

    @router.post(
        "/cases/{case_id}/similar", summary="Earlier people this may be (to confirm; audited)"
    )
    async def similar(
        case_id: str, body: Lookalike, request: Request, staff: Worker
    ) -> list[dict[str, Any]]:
        async def go(uow: Any, case: Case, now: datetime) -> list[dict[str, Any]]:
            return await cases.similar_people(
                uow.session,
                case,
                body.name,
                body.sex,
                body.estimated_age,
                body.origin_region_code,
                staff.username,
                now,
            )

        return await act(request, staff, case_id, go)

    @router.get("/cases/{case_id}/person", summary="The person record (every read is audited)")
    async def get_person(case_id: str, request: Request, staff: Worker) -> dict[str, Any]:
        vault = _vault(request)

        async def go(uow: Any, case: Case, now: datetime) -> dict[str, Any]:
            found = await cases.read_person(uow.session, vault, case, staff.username, now)
            if found is None:
                raise HTTPException(status.HTTP_404_NOT_FOUND, "no person recorded for this case")
            return found

        return await act(request, staff, case_id, go)

    @router.get(
        "/regions/{region_code}/figures", summary="A period's figures (JSON, CSV or XLSX; no names)"
    )
    async def period_figures(
        region_code: RegionCode,
        request: Request,
        staff: Reader,
        start: Annotated[date, Query(alias="from")],
        end: Annotated[date, Query(alias="to", description="Exclusive")],
        format: Literal["json", "csv", "xlsx"] = "json",
    ) -> Response:
        ensure_covers(staff, region_code)
        if end <= start:
            raise HTTPException(
                status.HTTP_422_UNPROCESSABLE_CONTENT, "'to' must come after 'from'"
            )
        if start < FIRST_DAY or end > LAST_DAY or (end - start).days > MAX_PERIOD_DAYS:
            raise HTTPException(  # each month of a period is counted: keep it bounded
                status.HTTP_422_UNPROCESSABLE_CONTENT,
                "at most ten years at a time, between 1970 and 2100",
            )
        try:
            zone = region_zone(region_code).zone
        except UnknownRegion as exc:
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from None
        begin, finish = (datetime.combine(d, time(), tzinfo=zone) for d in (start, end))
        async with platform_of(request).sessions() as session:
            found = await figures.compute(session, region_code, begin, finish)
        name = f"angka-{region_code}-{start}-{end}"
        if format == "csv":
            return Response(
                figures.as_csv(found),
                media_type="text/csv",
                headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
            )
        if format == "xlsx":
            return Response(
                figures.as_xlsx(found),
                media_type=XLSX,
                headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
            )
        return JSONResponse(
            {
                "region_code": region_code,
                "from": str(start),
                "to": str(end),
                "figures": [{"figure": f, "key": k, "value": v} for f, k, v in found.rows()],
            }
        )

    return router
