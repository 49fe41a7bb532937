"""What an event handler receives, and how it emits follow-up events."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from aiokafka.structs import ConsumerRecord
from sqlalchemy import Table
from sqlmodel.ext.asyncio.session import AsyncSession

from shared.contracts import Envelope, event_spec_for, make_envelope
from shared.contracts.events import Payload
from shared.messaging.outbox import OutboxRow, outbox_row

Record: TypeAlias = ConsumerRecord  # values and keys are bytes: nothing is decoded for us


@dataclass
class HandlerContext:
    """The typed event and the transaction its effects must join.

    Handlers change state only through ``session`` (and ``emit``): the consumer may roll a
    batch back and run it again, which must then be invisible.
    """

    session: AsyncSession
    envelope: Envelope
    payload: Payload
    record: Record
    producer: str
    outbox: list[OutboxRow] = field(default_factory=list)
    inserts: list[tuple[Table, dict[str, Any]]] = field(default_factory=list)

    def insert(self, model: Any, **values: Any) -> None:
        """Add a row to ``model``'s table in this transaction, batched with the other messages'.

        For append-only effects (projections, audit, counters) at volume: no ORM object, one
        statement per table per batch. Use ``session`` for anything that reads or updates.
        """
        table: Table = model.__table__ if hasattr(model, "__table__") else model
        self.inserts.append((table, values))

    def emit(
        self,
        payload: Payload,
        *,
        region_code: str | None = None,
        correlation_id: str | None = None,
    ) -> Envelope:
        """Publish a follow-up event atomically with this handler's effects (by default for the
        same region and the same report/incident as the event being handled)."""
        envelope = make_envelope(
            payload,
            producer=self.producer,
            region_code=region_code or self.envelope.region_code,
            correlation_id=correlation_id or self.envelope.correlation_id,
        )
        self.outbox.append(outbox_row(envelope, event_spec_for(type(payload)).topic))
        return envelope


Handler = Callable[[HandlerContext], Awaitable[None]]


class Reject(Exception):
    """Raised by a handler for a message that can never be handled (e.g. an unknown category):
    it is dead-lettered at once as invalid, with this reason, without retries."""


async def execute_inserts(
    session: AsyncSession, inserts: list[tuple[Table, dict[str, Any]]]
) -> None:
    """Run the handlers' batched inserts: one executemany per table, in first-use order."""
    if not inserts:
        return
    by_table: dict[Table, list[dict[str, Any]]] = {}
    for table, values in inserts:
        by_table.setdefault(table, []).append(values)
    connection = await session.connection()
    for table, rows in by_table.items():
        await connection.execute(table.insert(), rows)
