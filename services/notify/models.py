"""Notify's tables: the teams as dispatch announces them, Telegram chats, the messages about
each assignment (for edits and buttons), and the delivery log (one row per event and chat)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from shared.contracts import new_event_id
from shared.db import UtcDateTime


class KnownTeam(SQLModel, table=True):
    """A team as dispatch last announced it (``team.updated``), and its group chat."""

    __tablename__ = "known_team"

    team_id: str = Field(primary_key=True, max_length=40)
    region_code: str = Field(max_length=20)
    code: str = Field(max_length=40)
    name: str = Field(max_length=120)
    active: bool = True
    chat_id: int | None = Field(default=None, sa_column=Column(BigInteger))


class KnownMember(SQLModel, table=True):
    """Who may press a team's buttons: matched on the numeric Telegram user id only."""

    __tablename__ = "known_member"

    team_id: str = Field(primary_key=True, max_length=40)
    telegram_user_id: int = Field(sa_column=Column(BigInteger, primary_key=True))
    member_id: str = Field(max_length=40)
    name: str = Field(max_length=120)
    role: str = Field(max_length=20)


class Chat(SQLModel, table=True):
    __tablename__ = "chat"

    chat_id: int = Field(sa_column=Column(BigInteger, primary_key=True))
    region_code: str = Field(max_length=20)
    purpose: str = Field(max_length=20, description="team | supervisors | member")
    team_id: str | None = Field(default=None, max_length=40)
    telegram_user_id: int | None = Field(default=None, sa_column=Column(BigInteger))
    blocked_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))


class AssignmentMessage(SQLModel, table=True):
    """The message about one assignment in one chat: its buttons carry ``token``."""

    __tablename__ = "assignment_message"
    __table_args__ = (UniqueConstraint("token", name="uq_assignment_message_token"),)

    assignment_id: str = Field(primary_key=True, max_length=40)
    chat_id: int = Field(sa_column=Column(BigInteger, primary_key=True))
    token: str = Field(max_length=24, description="Random: buttons cannot name another assignment")
    incident_id: str = Field(max_length=40)
    number: str = Field(max_length=40, description="The incident number people read out")
    region_code: str = Field(max_length=20)
    team_id: str = Field(max_length=40)
    body: str = Field(max_length=4000, description="The message without its status line")
    status: str = Field(default="", max_length=300)
    message_id: int | None = Field(default=None, sa_column=Column(BigInteger))
    open: bool = True


class Delivery(SQLModel, table=True):
    """One message (or edit) for one event in one chat, recorded before and after sending."""

    __tablename__ = "delivery"
    __table_args__ = (
        UniqueConstraint("event_id", "chat_id", "purpose", name="uq_delivery_once"),
        Index("ix_delivery_due", "state", "priority", "next_attempt_at"),
    )

    id: str = Field(default_factory=new_event_id, primary_key=True, max_length=40)
    event_id: str = Field(max_length=40)
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    purpose: str = Field(max_length=20, description="assignment | edit | notice")
    priority: int = Field(default=4, description="1 (P1) first")
    method: str = Field(default="sendMessage", max_length=30)
    text: str = Field(max_length=4096)
    markup: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    assignment_id: str | None = Field(default=None, max_length=40)
    state: str = Field(
        default="pending", max_length=12, description="pending|sending|sent|failed|uncertain"
    )
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    created_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    sent_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))
    message_id: int | None = Field(default=None, sa_column=Column(BigInteger))
    error: str | None = Field(default=None, max_length=300)


class Duty(SQLModel, table=True):
    """Who is on duty in a region, as dispatch last said (``duty.changed``), for /shift."""

    __tablename__ = "duty"

    region_code: str = Field(primary_key=True, max_length=20)
    at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    teams: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )


TABLES = [
    model.__table__  # type: ignore[union-attr]
    for model in (KnownTeam, KnownMember, Chat, AssignmentMessage, Delivery, Duty)
]
