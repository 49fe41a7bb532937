"""Unit of work: one session, one transaction, state changes and outgoing events together."""

from __future__ import annotations

from types import TracebackType

from sqlmodel.ext.asyncio.session import AsyncSession

from shared.contracts import Envelope, event_spec_for, make_envelope
from shared.contracts.events import Payload
from shared.db import SessionFactory
from shared.messaging.outbox import OutboxRow, OutboxSignal, insert_outbox_rows, outbox_row


class UnitOfWork:
    def __init__(self, sessions: SessionFactory, *, producer: str, signal: OutboxSignal) -> None:
        self._sessions = sessions
        self._producer = producer
        self._signal = signal
        self._outbox: list[OutboxRow] = []
        self.session: AsyncSession

    async def __aenter__(self) -> UnitOfWork:
        self.session = self._sessions()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.session.rollback()  # no-op after commit; discards everything otherwise
        await self.session.close()

    def emit(self, payload: Payload, *, region_code: str, correlation_id: str) -> Envelope:
        """Stage an event; it is published only if this unit of work commits."""
        envelope = make_envelope(
            payload, producer=self._producer, region_code=region_code, correlation_id=correlation_id
        )
        self._outbox.append(outbox_row(envelope, event_spec_for(type(payload)).topic))
        return envelope

    async def commit(self) -> None:
        rows, self._outbox = self._outbox, []
        await insert_outbox_rows(self.session, rows)
        await self.session.commit()
        if rows:
            self._signal.notify()
