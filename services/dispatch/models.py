"""Dispatch's tables. Staff accounts live here: dispatch owns the people (members, supervisors)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from shared.contracts import new_event_id
from shared.db import UtcDateTime


class StaffAccount(SQLModel, table=True):
    __tablename__ = "staff_account"

    id: str = Field(default_factory=new_event_id, primary_key=True, max_length=40)
    username: str = Field(max_length=60, unique=True)
    display_name: str = Field(max_length=120)
    password_hash: str = Field(max_length=255, description="argon2id")
    roles: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    regions: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    active: bool = True
    created_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    last_login_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))


class RegionState(SQLModel, table=True):
    """One row per region: the lock every change of the region's dispatch state takes first
    (one writer per region, also across a consumer-group rebalance), and its counters."""

    __tablename__ = "region_state"

    region_code: str = Field(primary_key=True, max_length=20)
    version: int = 0
    incident_seq_day: str = Field(default="", max_length=8, description="YYMMDD of incident_seq")
    incident_seq: int = 0
    gap_alerted_from: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))
    handovers_done_until: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))
    gap_ahead_warned_start: datetime | None = Field(
        default=None,
        sa_column=Column(UtcDateTime),
        description="Start of the roster gap last told to the supervisors before it began",
    )


class Team(SQLModel, table=True):
    __tablename__ = "team"
    __table_args__ = (UniqueConstraint("region_code", "code", name="uq_team_code"),)

    id: str = Field(default_factory=new_event_id, primary_key=True, max_length=40)
    region_code: str = Field(max_length=20, index=True)
    code: str = Field(max_length=40, description="The department's own short name, e.g. TRC-A")
    name: str = Field(max_length=120)
    capacity: int = Field(default=2, description="Incidents it can hold at once")
    zones: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    active: bool = True
    free_since: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))


class Member(SQLModel, table=True):
    """A TRC member: staff or BKO (seconded), reachable on Telegram by numeric user id."""

    __tablename__ = "member"
    __table_args__ = (UniqueConstraint("region_code", "code", name="uq_member_code"),)

    id: str = Field(default_factory=new_event_id, primary_key=True, max_length=40)
    region_code: str = Field(max_length=20, index=True)
    code: str = Field(max_length=40, description="Roster code or staff number")
    name: str = Field(max_length=120)
    kind: str = Field(default="staff", max_length=10, description="staff | bko")
    role: str = Field(
        default="member", max_length=20, description="leader|member|driver|social_worker"
    )
    telegram_user_id: int | None = Field(default=None, sa_column=Column(BigInteger, index=True))
    username: str | None = Field(default=None, max_length=60, description="Staff account, if any")
    active: bool = True


class TeamMember(SQLModel, table=True):
    __tablename__ = "team_member"

    team_id: str = Field(primary_key=True, max_length=40, foreign_key="team.id")
    member_id: str = Field(primary_key=True, max_length=40, foreign_key="member.id")


class ShiftDefinition(SQLModel, table=True):
    """A region's shift, in its own local time (end ≤ start: runs past midnight)."""

    __tablename__ = "shift_definition"

    region_code: str = Field(primary_key=True, max_length=20)
    code: str = Field(primary_key=True, max_length=20, description="pagi | siang | malam | …")
    starts: str = Field(max_length=5, description="HH:MM local")
    ends: str = Field(max_length=5, description="HH:MM local")


class RosterSlot(SQLModel, table=True):
    """Team ``team_id`` works shift ``shift`` starting on local date ``day``."""

    __tablename__ = "roster_slot"

    region_code: str = Field(primary_key=True, max_length=20)
    day: date = Field(primary_key=True)
    shift: str = Field(primary_key=True, max_length=20)
    team_id: str = Field(primary_key=True, max_length=40, foreign_key="team.id")


class Incident(SQLModel, table=True):
    __tablename__ = "incident"
    __table_args__ = (
        Index("ix_incident_region_state", "region_code", "state"),
        Index("ix_incident_remind_at", "remind_at"),
        Index("ix_incident_retry_missed_at", "retry_missed_at"),
    )

    id: str = Field(default_factory=new_event_id, primary_key=True, max_length=40)
    number: str = Field(max_length=32, unique=True, description="21.71-261122-0001")
    region_code: str = Field(max_length=20)
    state: str = Field(max_length=20)
    priority: str = Field(max_length=2)
    category: str = Field(max_length=60)
    channel: str = Field(max_length=20)
    description: str = Field(max_length=4000)
    address: str | None = Field(default=None, max_length=500)
    kecamatan: str | None = Field(default=None, max_length=100)
    kelurahan: str | None = Field(default=None, max_length=100)
    zone_code: str | None = Field(default=None, max_length=20)
    latitude: float | None = None
    longitude: float | None = None
    people_count: int = 1
    danger_flags: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    report_ids: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    excluded_teams: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False), description="Missed it"
    )
    team_id: str | None = Field(default=None, max_length=40, description="Current team")
    escalations: int = 0
    received_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    created_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    assigned_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))
    acknowledged_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))
    on_scene_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))
    outcome_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))
    closed_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))
    last_update_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))
    checkin_due_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))
    checkin_escalate_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))
    remind_at: datetime | None = Field(
        default=None,
        sa_column=Column(UtcDateTime),
        description="No team: when the supervisors' chat hears of it again",
    )
    retry_missed_at: datetime | None = Field(
        default=None,
        sa_column=Column(UtcDateTime),
        description="Teams that missed it may have it again from then (cleared once passed)",
    )
    no_team_alternative: str | None = Field(
        default=None, max_length=20, description="A supervisor recorded no TRC team can go"
    )
    no_team_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))


class Assignment(SQLModel, table=True):
    __tablename__ = "assignment"
    __table_args__ = (
        # One current assignment per incident, whatever a bug or a race may try.
        Index(
            "uq_assignment_current",
            "incident_id",
            unique=True,
            sqlite_where=text("is_current"),
            postgresql_where=text("is_current"),
        ),
        Index("ix_assignment_team_current", "team_id", "is_current"),
        Index("ix_assignment_deadline", "region_code", "state", "ack_deadline"),
    )

    id: str = Field(default_factory=new_event_id, primary_key=True, max_length=40)
    incident_id: str = Field(max_length=40, foreign_key="incident.id")
    region_code: str = Field(max_length=20)
    team_id: str = Field(max_length=40, foreign_key="team.id")
    state: str = Field(max_length=20, description="pending | acknowledged | released")
    is_current: bool = True
    reasons: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    assigned_by: str = Field(max_length=60, description="'policy' or a supervisor's username")
    created_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    ack_deadline: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    acknowledged_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))
    acknowledged_by: str | None = Field(default=None, max_length=40, description="Member id")
    released_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))
    release_reason: str | None = Field(default=None, max_length=20)


class ReportLink(SQLModel, table=True):
    """Which incident holds which of intake's reports (a report joins at most one)."""

    __tablename__ = "report_link"

    report_id: str = Field(primary_key=True, max_length=40)
    incident_id: str = Field(max_length=40, foreign_key="incident.id", index=True)
    report: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False), description="As received"
    )


class IncidentLog(SQLModel, table=True):
    """The timeline of an incident, and the audit of every manual action (who, when, why)."""

    __tablename__ = "incident_log"

    id: int | None = Field(default=None, primary_key=True)
    incident_id: str | None = Field(default=None, max_length=40, index=True)
    region_code: str = Field(max_length=20)
    at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    kind: str = Field(max_length=40)
    actor: str = Field(max_length=60)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class CaseProjection(SQLModel, table=True):
    """Shelter's cases as dispatch reads them from ``trc.cases.v1`` (a read-only copy for the
    console: no person data, only where each case stands)."""

    __tablename__ = "case_projection"
    __table_args__ = (Index("ix_case_projection_region_state", "region_code", "state"),)

    case_id: str = Field(primary_key=True, max_length=40)
    incident_id: str = Field(max_length=40, index=True)
    region_code: str = Field(max_length=20)
    category: str = Field(max_length=60)
    state: str = Field(max_length=20, description="awaiting_admission … outcome | closed")
    shelter_id: str | None = Field(default=None, max_length=40)
    section: str | None = Field(default=None, max_length=30)
    outcome: str | None = Field(default=None, max_length=40)
    opened_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))
    admitted_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))
    outcome_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))
    updated_at: datetime = Field(
        sa_column=Column(UtcDateTime, nullable=False), description="Of the state shown"
    )


class ShelterProjection(SQLModel, table=True):
    """Shelter's shelters and their sections (beds), from ``shelter.updated``."""

    __tablename__ = "shelter_projection"

    shelter_id: str = Field(primary_key=True, max_length=40)
    section: str = Field(primary_key=True, max_length=30)
    region_code: str = Field(max_length=20, index=True)
    name: str = Field(max_length=160)
    kind: str = Field(max_length=30)
    capacity: int = 0
    active: bool = True
    updated_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))


class ChatStatusProjection(SQLModel, table=True):
    """Telegram chats as notify last told (``telegram.chat_status``): which ones the bot cannot
    reach, for the console. The chat id only: no names or usernames."""

    __tablename__ = "chat_status_projection"

    chat_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    region_code: str = Field(max_length=20, index=True)
    team_id: str | None = Field(default=None, max_length=40)
    kind: str = Field(max_length=20, description="team_group | member_private | supervisors")
    blocked: bool
    reason: str = Field(max_length=200)
    at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False), description="Of the change")


TABLES = [
    model.__table__  # type: ignore[union-attr]
    for model in (
        StaffAccount,
        RegionState,
        Team,
        Member,
        TeamMember,
        ShiftDefinition,
        RosterSlot,
        Incident,
        Assignment,
        ReportLink,
        IncidentLog,
        CaseProjection,
        ShelterProjection,
        ChatStatusProjection,
    )
]
