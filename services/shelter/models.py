"""Shelter's tables: shelters and their sections, persons (personal data sealed), cases and
their timeline, and the audit of every read and change of a person record."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from shared.contracts import new_event_id
from shared.db import UtcDateTime


class Shelter(SQLModel, table=True):
    __tablename__ = "shelter"
    __table_args__ = (UniqueConstraint("region_code", "code", name="uq_shelter_code"),)

    id: str = Field(default_factory=new_event_id, primary_key=True, max_length=40)
    region_code: str = Field(max_length=20, index=True)
    code: str = Field(max_length=40)
    name: str = Field(max_length=160)
    kind: str = Field(max_length=30, description="upt | uptd | rumah_singgah | panti | temporary")
    active: bool = True


class ShelterSection(SQLModel, table=True):
    __tablename__ = "shelter_section"

    shelter_id: str = Field(primary_key=True, max_length=40, foreign_key="shelter.id")
    section: str = Field(
        primary_key=True, max_length=30, description="male | female | children | odgj_observation"
    )
    capacity: int = Field(ge=0)


class Person(SQLModel, table=True):
    """Someone brought in. Name, NIK and phone are personal data: NIK and phone sealed."""

    __tablename__ = "person"

    id: str = Field(default_factory=new_event_id, primary_key=True, max_length=40)
    region_code: str = Field(max_length=20, index=True)
    name: str | None = Field(default=None, max_length=160)
    alias: str | None = Field(default=None, max_length=160)
    sex: str = Field(default="unknown", max_length=10)
    estimated_age: int | None = None
    nik_sealed: str | None = Field(default=None, max_length=400)
    nik_search: str | None = Field(default=None, max_length=64, index=True)
    phone_sealed: str | None = Field(default=None, max_length=400)
    origin_region_code: str | None = Field(default=None, max_length=20)
    identification: str = Field(default="unknown", max_length=30)
    sensitive: bool = Field(default=False, description="A child, or health data recorded")
    created_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    erased_at: datetime | None = Field(
        default=None,
        sa_column=Column(UtcDateTime),
        description="Anonymised: name, alias, NIK and phone gone; sex, age and origin kept",
    )


class Case(SQLModel, table=True):
    __tablename__ = "shelter_case"
    __table_args__ = (
        UniqueConstraint("incident_id", "seq", name="uq_case_per_person_of_incident"),
        Index("ix_case_region_opened", "region_code", "opened_at"),
        Index("ix_case_region_closed", "region_code", "closed_at"),
        # With admitted_at: occupancy's departures are counted from the index alone.
        Index("ix_case_region_outcome", "region_code", "outcome_at", "admitted_at"),
        Index("ix_case_region_admitted", "region_code", "admitted_at"),
        Index("ix_case_person", "person_id"),
    )

    id: str = Field(default_factory=new_event_id, primary_key=True, max_length=40)
    region_code: str = Field(max_length=20)
    incident_id: str = Field(max_length=40)
    incident_number: str | None = Field(default=None, max_length=40)
    seq: int = Field(description="1…people_count: the n-th person of the incident")
    person_id: str | None = Field(default=None, max_length=40, foreign_key="person.id")
    category: str = Field(max_length=60)
    channel: str | None = Field(default=None, max_length=20)
    state: str = Field(max_length=20)
    shelter_id: str | None = Field(default=None, max_length=40)
    section: str | None = Field(default=None, max_length=30)
    belongings: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    stage: str | None = Field(
        default=None, max_length=30, description="The last rehabilitation stage recorded as done"
    )
    outcome: str | None = Field(default=None, max_length=40)
    outcome_detail: str | None = Field(default=None, max_length=1000)
    stay_days: float | None = Field(
        default=None, description="Admission to outcome, in days (0.1), for the figures"
    )
    opened_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    admitted_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))
    assessed_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))
    outcome_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))
    closed_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))


class CaseEntry(SQLModel, table=True):
    """The case's timeline: assessment, services, tracing steps, referrals, outcome — dated and
    attributed."""

    __tablename__ = "case_entry"

    id: int | None = Field(default=None, primary_key=True)
    case_id: str = Field(max_length=40, foreign_key="shelter_case.id", index=True)
    kind: str = Field(max_length=30)
    at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    by: str = Field(max_length=60)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class Referral(SQLModel, table=True):
    """A referral of a case to a hospital (RSJ), an institution (panti) or the Dinsos of the
    person's region of origin, and its answer. A referral to a region that also runs this system
    arrives there as an event: the receiving region keeps an ``incoming`` row and answers it."""

    __tablename__ = "referral"
    __table_args__ = (
        UniqueConstraint("direction", "origin_referral_id", name="uq_referral_incoming_once"),
        Index("ix_referral_region_state", "region_code", "state"),
    )

    id: str = Field(default_factory=new_event_id, primary_key=True, max_length=40)
    region_code: str = Field(max_length=20, description="The region keeping this row")
    direction: str = Field(max_length=10, description="outgoing | incoming")
    case_id: str | None = Field(
        default=None,
        max_length=40,
        description="Outgoing: the referred case; incoming: the case opened here once accepted",
    )
    to_kind: str = Field(max_length=20, description="hospital | institution | region_of_origin")
    to_name: str | None = Field(default=None, max_length=160)
    to_region_code: str | None = Field(default=None, max_length=20)
    origin_region_code: str = Field(max_length=20)
    origin_referral_id: str | None = Field(
        default=None, max_length=40, description="Incoming: the id of the sender's row"
    )
    category: str = Field(max_length=60)
    sex: str = Field(default="unknown", max_length=10)
    estimated_age: int | None = None
    reason: str = Field(max_length=1000)
    state: str = Field(max_length=10, description="pending | accepted | rejected")
    answer_reason: str | None = Field(default=None, max_length=1000)
    answered_by: str | None = Field(default=None, max_length=60)
    answered_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))
    created_by: str = Field(max_length=60)
    created_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))


class PersonAudit(SQLModel, table=True):
    """Every read and change of a person record: who, when, what (UU 27/2022)."""

    __tablename__ = "person_audit"

    id: int | None = Field(default=None, primary_key=True)
    person_id: str = Field(max_length=40, index=True)
    at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    actor: str = Field(max_length=60)
    action: str = Field(max_length=20, description="read | create | update | export | erase")
    fields: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


TABLES = [
    model.__table__  # type: ignore[union-attr]
    for model in (Shelter, ShelterSection, Person, Case, CaseEntry, Referral, PersonAudit)
]
