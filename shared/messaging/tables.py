"""The platform's own tables, present in every service's database."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, Integer, LargeBinary, text
from sqlmodel import Field, SQLModel

from shared.db import UtcDateTime


class OutboxMessage(SQLModel, table=True):
    """An event waiting to be published (``published_at`` null) or kept for replay."""

    __tablename__ = "outbox"
    # Only the pending rows are indexed (a partial index the relay scans in id order): every
    # other index would be written twice per event. Replay and pruning, rare, scan the table.
    __table_args__ = (
        Index(
            "ix_outbox_pending",
            "id",
            postgresql_where=text("published_at IS NULL"),
            sqlite_where=text("published_at IS NULL"),
        ),
    )

    id: int | None = Field(
        default=None,
        sa_column=Column(BigInteger().with_variant(Integer(), "sqlite"), primary_key=True),
    )
    event_id: str = Field(max_length=255)
    topic: str = Field(max_length=255, description="Registry name, without the deployment prefix")
    key: bytes | None = Field(default=None, sa_column=Column(LargeBinary))
    value: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    headers: list[Any] = Field(
        default_factory=list,
        sa_column=Column(JSON, nullable=False),
        description="[[name, base64 value], ...]: any header bytes survive, in order",
    )
    created_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    published_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))


class InboxEntry(SQLModel, table=True):
    """An event a consumer has handled; written in the same transaction as the effect."""

    __tablename__ = "inbox"

    consumer: str = Field(primary_key=True, max_length=100)
    event_id: str = Field(primary_key=True, max_length=255)
    event_type: str | None = Field(default=None, max_length=100)
    topic: str = Field(max_length=255)
    partition: int
    offset: int = Field(sa_column=Column(BigInteger, nullable=False))
    outcome: str = Field(max_length=20, description="handled | ignored | dead_lettered")
    handled_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))


class RelayState(SQLModel, table=True):
    """Per-database relay bookkeeping: the broker it last published to, and who relays."""

    __tablename__ = "relay_state"

    name: str = Field(primary_key=True, max_length=100)
    cluster_id: str | None = Field(default=None, max_length=255)
    lease_owner: str | None = Field(default=None, max_length=255)
    lease_expires_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))


PLATFORM_TABLES = [OutboxMessage.__table__, InboxEntry.__table__, RelayState.__table__]  # type: ignore[attr-defined]
