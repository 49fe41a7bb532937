"""The idempotent consumer: a batch of records, one transaction, offsets committed after it.

Per batch: read each record's envelope, skip the ids the inbox already holds, run each handler in
its own savepoint (a failing handler rolls back alone, is retried, then dead-lettered), record
every id in the inbox, commit once, then commit the offsets to the broker once. A crash before
the offset commit redelivers the batch and the inbox turns it into a no-op.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import structlog
from aiokafka.structs import ConsumerRecord
from sqlalchemy.exc import (
    DBAPIError,
    DisconnectionError,
    InterfaceError,
    OperationalError,
    PendingRollbackError,
)
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from shared.contracts import Envelope, UnknownEvent, event_spec, make_envelope
from shared.contracts.events import Payload
from shared.db import SessionFactory
from shared.logging import get_logger
from shared.messaging.deadletter import (
    INVALID,
    PROCESSING,
    add_dead_letter,
    describe_error,
    raw_message_id,
)
from shared.messaging.outbox import OutboxSignal, add_to_outbox
from shared.messaging.tables import InboxEntry
from shared.settings import KafkaSettings, MessagingSettings

log = get_logger(__name__)
Record = ConsumerRecord[bytes, bytes]
INFRASTRUCTURE_ERRORS = (
    OperationalError,
    InterfaceError,
    DisconnectionError,
    ConnectionError,
    TimeoutError,
    OSError,
)


class InfrastructureError(RuntimeError):
    """The database (not the message) failed: the batch is retried, nothing is dead-lettered."""


@dataclass
class HandlerContext:
    """What a handler gets: the typed event and the transaction its effects must join."""

    session: AsyncSession
    envelope: Envelope
    payload: Payload
    record: Record
    producer: str
    emitted: list[Envelope] = field(default_factory=list)

    def emit(self, payload: Payload, *, region_code: str | None = None) -> Envelope:
        """Publish a follow-up event atomically with this handler's effects."""
        from shared.contracts import event_spec_for

        envelope = make_envelope(
            payload,
            producer=self.producer,
            region_code=region_code or self.envelope.region_code,
            correlation_id=self.envelope.correlation_id,
        )
        add_to_outbox(self.session, envelope, event_spec_for(type(payload)).topic)
        self.emitted.append(envelope)
        return envelope


Handler = Callable[[HandlerContext], Awaitable[None]]


@dataclass
class ConsumerHooks:
    """Fault-injection points for the crash tests; no-ops in production."""

    after_commit: Callable[[Sequence[Record]], None] | None = None
    on_receive: Callable[[Sequence[Record]], None] | None = None


@dataclass
class _Decoded:
    record: Record
    message_id: str
    source_topic: str
    envelope: Envelope | None = None
    payload: Payload | None = None
    error: str | None = None


@dataclass
class BatchResult:
    handled: int = 0
    duplicates: int = 0
    ignored: int = 0
    dead_lettered: int = 0
    emitted: int = 0


class ReliableConsumer:
    def __init__(
        self,
        *,
        name: str,
        producer: str,
        sessions: SessionFactory,
        handlers: dict[str, Handler],
        kafka: KafkaSettings,
        messaging: MessagingSettings,
        signal: OutboxSignal,
        hooks: ConsumerHooks | None = None,
    ) -> None:
        self.name = name
        self._producer = producer
        self._sessions = sessions
        self._handlers = handlers
        self._kafka = kafka
        self._messaging = messaging
        self._signal = signal
        self.hooks = hooks or ConsumerHooks()
        self.totals = BatchResult()

    # ----------------------------------------------------------------- decoding
    def _decode(self, record: Record) -> _Decoded:
        prefix = self._kafka.topic_prefix
        source = record.topic[len(prefix) :] if record.topic.startswith(prefix) else record.topic
        item = _Decoded(record=record, message_id=raw_message_id(record), source_topic=source)
        try:
            envelope = Envelope.model_validate_json(record.value or b"")
            item.envelope = envelope
            item.message_id = envelope.event_id
            spec = event_spec(envelope.event_type, envelope.version)
            if spec.topic != source:
                raise UnknownEvent(f"{envelope.event_type} v{envelope.version} not on {source}")
            item.payload = spec.payload_model.model_validate(envelope.payload)
        except Exception as exc:
            item.error = describe_error(exc)
        return item

    # ----------------------------------------------------------------- the batch
    async def handle_batch(self, records: Sequence[Record]) -> BatchResult:
        items = [self._decode(r) for r in records]
        result = BatchResult()
        try:
            async with self._sessions() as session:
                seen = await self._already_handled(session, [i.message_id for i in items])
                for item in items:
                    if item.message_id in seen:
                        result.duplicates += 1
                        continue
                    seen.add(item.message_id)
                    await self._handle_one(session, item, result)
                await session.commit()
        except INFRASTRUCTURE_ERRORS as exc:
            raise InfrastructureError(describe_error(exc)) from exc
        except DBAPIError as exc:
            if exc.connection_invalidated:
                raise InfrastructureError(describe_error(exc)) from exc
            raise
        if result.dead_lettered or result.emitted:
            self._signal.notify()
        self._add_totals(result)
        return result

    async def _already_handled(self, session: AsyncSession, ids: list[str]) -> set[str]:
        rows = await session.exec(
            select(InboxEntry.event_id)
            .where(col(InboxEntry.consumer) == self.name)
            .where(col(InboxEntry.event_id).in_(set(ids)))
        )
        return set(rows.all())

    async def _handle_one(self, session: AsyncSession, item: _Decoded, result: BatchResult) -> None:
        record = item.record
        structlog.contextvars.bind_contextvars(
            topic=record.topic,
            partition=record.partition,
            offset=record.offset,
            event_id=item.message_id,
            correlation_id=item.envelope.correlation_id if item.envelope else None,
        )
        try:
            if item.error is not None:
                log.warning("message_invalid", error=item.error)
                await self._dead_letter(session, item, INVALID, item.error, attempts=1)
                result.dead_lettered += 1
                return
            assert item.envelope is not None and item.payload is not None
            handler = self._handlers.get(item.envelope.event_type)
            if handler is None:
                result.ignored += 1  # a known event this consumer has no use for
                return
            await self._run_handler(session, item, handler, result)
        finally:
            structlog.contextvars.unbind_contextvars(
                "topic", "partition", "offset", "event_id", "correlation_id"
            )

    async def _run_handler(
        self, session: AsyncSession, item: _Decoded, handler: Handler, result: BatchResult
    ) -> None:
        assert item.envelope is not None and item.payload is not None
        error = ""
        for attempt in range(1, self._messaging.max_attempts + 1):
            context = HandlerContext(
                session=session,
                envelope=item.envelope,
                payload=item.payload,
                record=item.record,
                producer=self._producer,
            )
            try:
                async with session.begin_nested():
                    await handler(context)
                    self._record(session, item, "handled")
            except (*INFRASTRUCTURE_ERRORS, PendingRollbackError):
                raise  # not the message's fault: the whole batch is retried
            except Exception as exc:
                error = describe_error(exc)
                log.warning("handler_failed", attempt=attempt, error=error)
                await asyncio.sleep(self._messaging.retry_backoff_s * attempt)
                continue
            result.handled += 1
            result.emitted += len(context.emitted)
            return
        log.error("message_dead_lettered", attempts=self._messaging.max_attempts, error=error)
        await self._dead_letter(
            session, item, PROCESSING, error, attempts=self._messaging.max_attempts
        )
        result.dead_lettered += 1

    async def _dead_letter(
        self, session: AsyncSession, item: _Decoded, reason: str, error: str, *, attempts: int
    ) -> None:
        # In its own savepoint: if parking fails, the batch fails whole and is retried, so the
        # message is never skipped without a dead letter.
        async with session.begin_nested():
            add_dead_letter(
                session,
                item.record,
                source_topic=item.source_topic,
                consumer=self.name,
                reason=reason,
                error=error,
                attempts=attempts,
                message_id=item.message_id,
            )
            self._record(session, item, "dead_lettered")

    def _record(self, session: AsyncSession, item: _Decoded, outcome: str) -> None:
        session.add(
            InboxEntry(
                consumer=self.name,
                event_id=item.message_id,
                event_type=item.envelope.event_type if item.envelope else None,
                topic=item.record.topic,
                partition=item.record.partition,
                offset=item.record.offset,
                outcome=outcome,
                handled_at=datetime.now(UTC),
            )
        )

    def _add_totals(self, result: BatchResult) -> None:
        for name in ("handled", "duplicates", "ignored", "dead_lettered", "emitted"):
            setattr(self.totals, name, getattr(self.totals, name) + getattr(result, name))

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, **self.totals.__dict__}
