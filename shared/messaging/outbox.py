"""Writing events into the outbox, inside the caller's transaction."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from shared.contracts import Envelope
from shared.messaging.tables import OutboxMessage

CONTENT_TYPE = "application/json"
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


def raw_outbox_row(
    *, event_id: str, topic: str, key: bytes | None, value: bytes, headers: Headers
) -> OutboxMessage:
    return OutboxMessage(
        event_id=event_id,
        topic=topic,
        key=key,
        value=value,
        headers=encode_headers(headers),
        created_at=datetime.now(UTC),
    )


def add_to_outbox(session: AsyncSession, envelope: Envelope, topic: str) -> OutboxMessage:
    """Stage ``envelope`` for publishing, keyed by region; it leaves only if the caller commits."""
    row = raw_outbox_row(
        event_id=envelope.event_id,
        topic=topic,
        key=envelope.region_code.encode(),
        value=envelope.to_bytes(),
        headers=envelope_headers(envelope),
    )
    session.add(row)
    return row


class OutboxSignal:
    """Wakes the relay right after a local commit, so it need not poll tightly."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()

    async def wait(self, timeout: float) -> None:
        try:
            await asyncio.wait_for(self._event.wait(), timeout)
        except TimeoutError:
            pass
        self._event.clear()
