"""Writing events into the outbox, inside the caller's transaction."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table
from sqlmodel.ext.asyncio.session import AsyncSession

from shared.contracts import Envelope
from shared.messaging.tables import OutboxMessage
from shared.messaging.wakeup import ring_in_transaction
from shared.tracing import current_headers

CONTENT_TYPE = "application/json"
# The relay's producer refuses a larger record (its max_request_size); so does a Kafka broker
# at its default message.max.bytes.
MAX_RECORD_BYTES = 1024 * 1024
Headers = list[tuple[str, bytes]]


def encode_headers(headers: Iterable[tuple[str, bytes]]) -> list[list[str]]:
    return [[name, base64.b64encode(value or b"").decode()] for name, value in headers]


def decode_headers(stored: list[list[str]]) -> Headers:
    return [(name, base64.b64decode(value)) for name, value in stored]


def envelope_headers(envelope: Envelope) -> Headers:
    return [
        ("content-type", CONTENT_TYPE.encode()),
        ("event-type", envelope.event_type.encode()),
        ("event-version", str(envelope.version).encode()),
        ("event-id", envelope.event_id.encode()),
        ("correlation-id", envelope.correlation_id.encode()),
    ]


OutboxRow = dict[str, Any]
OUTBOX_TABLE: Table = OutboxMessage.__table__  # type: ignore[attr-defined]


def raw_outbox_row(
    *, event_id: str, topic: str, key: bytes | None, value: bytes, headers: Headers
) -> OutboxRow:
    """Column values of one outbox row (inserted in bulk: no ORM object per event)."""
    return {
        "event_id": event_id,
        "topic": topic,
        "key": key,
        "value": value,
        "headers": encode_headers(headers),
        "created_at": datetime.now(UTC),
        "published_at": None,
    }


def outbox_row(envelope: Envelope, topic: str) -> OutboxRow:
    """An event keyed by its region code, so one region's events stay in order (with the trace
    context of the span emitting it, when tracing is on)."""
    return raw_outbox_row(
        event_id=envelope.event_id,
        topic=topic,
        key=envelope.region_code.encode(),
        value=envelope.to_bytes(),
        headers=[*envelope_headers(envelope), *current_headers()],
    )


async def insert_outbox_rows(session: AsyncSession, rows: list[OutboxRow]) -> None:
    """Stage rows in the caller's transaction; they are published only if it commits."""
    if rows:
        # Core insert on the session's connection: one statement, no ORM bookkeeping per row.
        connection = await session.connection()
        await connection.execute(OUTBOX_TABLE.insert(), rows)
        await ring_in_transaction(connection)  # wakes a relay in another process at commit


class OutboxSignal:
    """Rings after every local commit that wrote events, so the loops that wait for work (the
    relay, a service's timers and senders) sleep instead of polling. Each loop waits on its own
    :meth:`listener`; one ring wakes them all, and a ring while a loop is busy is not lost."""

    def __init__(self) -> None:
        self._listeners: list[asyncio.Event] = []
        self._own = self.listener()

    def listener(self) -> SignalListener:
        event = asyncio.Event()
        self._listeners.append(event)
        return SignalListener(event)

    def notify(self) -> None:
        for event in self._listeners:
            event.set()

    async def wait(self, timeout: float) -> bool:
        """The relay's own wait: until a ring (True) or ``timeout`` seconds (False)."""
        return await self._own.wait(timeout)


class SignalListener:
    """One loop's view of an :class:`OutboxSignal`: :meth:`wait` returns at once if a ring came
    since the last wait."""

    def __init__(self, event: asyncio.Event) -> None:
        self._event = event

    @property
    def rang(self) -> bool:
        return self._event.is_set()

    def ring(self) -> None:
        """Wake this loop alone (e.g. notify's sender after a commit that queued a delivery)."""
        self._event.set()

    async def wait(self, timeout: float | None) -> bool:
        """Until a ring (True) or ``timeout`` seconds (False; ``None`` waits for a ring)."""
        try:
            await asyncio.wait_for(self._event.wait(), timeout)
        except TimeoutError:
            return False
        self._event.clear()
        return True
