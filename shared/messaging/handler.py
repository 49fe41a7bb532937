"""What an event handler receives, and how it emits follow-up events."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeAlias

from aiokafka.structs import ConsumerRecord
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

    def emit(self, payload: Payload, *, region_code: str | None = None) -> Envelope:
        """Publish a follow-up event atomically with this handler's effects."""
        envelope = make_envelope(
            payload,
            producer=self.producer,
            region_code=region_code or self.envelope.region_code,
            correlation_id=self.envelope.correlation_id,
        )
        self.outbox.append(outbox_row(envelope, event_spec_for(type(payload)).topic))
        return envelope


Handler = Callable[[HandlerContext], Awaitable[None]]
