"""Dispatch's tables. Staff accounts live here: dispatch owns the people (members, supervisors)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column
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


TABLES = [StaffAccount.__table__]  # type: ignore[attr-defined]
