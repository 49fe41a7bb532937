"""Shelter's request and response models, and the views of cases and referrals they return."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, model_validator

from services.shelter.domain.beds import Section
from services.shelter.domain.cases import Stage
from services.shelter.models import Case, Referral
from shared.contracts.envelope import RegionCode
from shared.contracts.vocabulary import CaseOutcome


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


def referral_view(r: Referral) -> ReferralView:
    return ReferralView(referral_id=r.id, **r.model_dump(exclude={"id", "origin_referral_id"}))


def case_view(c: Case) -> CaseView:
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


def section_view(s: Section) -> SectionView:
    return SectionView(
        shelter_id=s.shelter_id,
        shelter_name=s.shelter_name,
        section=s.section,
        capacity=s.capacity,
        occupied=s.occupied,
        free=s.free,
    )
