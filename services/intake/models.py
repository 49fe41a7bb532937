"""Intake's tables: reports (with the reporter's identity, which never leaves this service) and
the integrations' API keys."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from shared.contracts import new_event_id
from shared.db import UtcDateTime


class ReportStatus:
    OPEN = "open"  # published to dispatch
    NEEDS_TRIAGE = "needs_triage"  # not dispatchable as it stands: an operator must look
    LINKED = "linked"  # attached to an open report (a duplicate or a follow-up)
    DISMISSED = "dismissed"  # noise or a false report, kept for the record


class Report(SQLModel, table=True):
    __tablename__ = "report"
    __table_args__ = (
        UniqueConstraint("channel", "source_ref", name="uq_report_source"),
        Index("ix_report_open", "region_code", "status", "category", "received_at"),
    )

    id: str = Field(default_factory=new_event_id, primary_key=True, max_length=40)
    region_code: str = Field(max_length=20)
    channel: str = Field(max_length=20)
    source_ref: str = Field(
        max_length=255, description="Channel-unique id: post id, 112 ref, Telegram update, key"
    )
    category: str | None = Field(default=None, max_length=60)
    priority: str = Field(max_length=2)
    priority_reasons: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    classifier_matched: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    description: str = Field(max_length=4000)
    address: str | None = Field(default=None, max_length=500)
    kecamatan: str | None = Field(default=None, max_length=100)
    kecamatan_code: str | None = Field(default=None, max_length=20)
    kelurahan: str | None = Field(default=None, max_length=100)
    latitude: float | None = None
    longitude: float | None = None
    people_count: int = 1
    danger_flags: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    status: str = Field(max_length=20)
    triage_reason: str | None = Field(default=None, max_length=200)
    claimed_by: str | None = Field(
        default=None, max_length=60, description="Operator working on it in the triage queue"
    )
    claim_expires_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))
    triage_announced_at: datetime | None = Field(
        default=None,
        sa_column=Column(UtcDateTime),
        # A P1 waiting for triage: when report.awaiting_triage last went out (the first or a
        # reminder); the next reminder is counted from here.
    )
    triage_reminders: int = Field(default=0, description="Reminders sent after the first notice")
    duplicate_of: str | None = Field(default=None, max_length=40)
    duplicate_reason: str | None = Field(default=None, max_length=200)
    # Personal data (UU 27/2022): never in events, logs or responses to roles without need.
    reporter_name: str | None = Field(default=None, max_length=200)
    reporter_phone: str | None = Field(default=None, max_length=20)
    reported_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    received_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    extra: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))


class ApiKey(SQLModel, table=True):
    """An integration's key: stored as a hash; revoked keys stay for the audit trail."""

    __tablename__ = "api_key"

    id: str = Field(default_factory=new_event_id, primary_key=True, max_length=40)
    name: str = Field(max_length=100, description="Who holds it, e.g. 'social-monitor'")
    region_code: str = Field(max_length=20, description="The region its reports belong to")
    prefix: str = Field(max_length=12, index=True, description="First characters, to find it")
    key_hash: str = Field(max_length=128)
    created_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))


TABLES = [Report.__table__, ApiKey.__table__]  # type: ignore[attr-defined]
