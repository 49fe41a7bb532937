"""The idempotent consumer: a batch of records, one transaction, offsets committed after it.

Per batch: read each record's envelope, skip the ids the inbox already holds, run the handlers,
record every id in the inbox, commit once; the caller then commits the offsets once. A crash
before the offset commit redelivers the batch and the inbox turns it into a no-op.

Fast path: the whole batch in one transaction, rows inserted in bulk. If any handler fails, the
batch is rolled back and replayed carefully: each message in its own savepoint, retried, and
dead-lettered if it keeps failing, so one poison message never blocks or spoils the others.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import structlog
from sqlalchemy import Table
from sqlalchemy.exc import (
    DBAPIError,
    DisconnectionError,
    InterfaceError,
    OperationalError,
    PendingRollbackError,
)
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from shared.db import SessionFactory, padded_in_list
from shared.logging import get_logger
from shared.messaging.deadletter import (
    INVALID,
    PROCESSING,
    dead_letter_row,
    describe_error,
    replay_target,
)
from shared.messaging.decoding import Decoded, decode_record
from shared.messaging.handler import Handler, HandlerContext, Record, Reject, execute_inserts
from shared.messaging.outbox import OutboxRow, OutboxSignal, insert_outbox_rows
from shared.messaging.tables import InboxEntry
from shared.settings import KafkaSettings, MessagingSettings
from shared.tracing import consuming

log = get_logger(__name__)
INBOX_TABLE: Table = InboxEntry.__table__  # type: ignore[attr-defined]
INFRASTRUCTURE_ERRORS = (
    OperationalError,
    InterfaceError,
    DisconnectionError,
    PendingRollbackError,
    ConnectionError,
    TimeoutError,
    OSError,
)


class InfrastructureError(RuntimeError):
    """The database (not the message) failed: the batch is retried, nothing is dead-lettered."""


class _NeedsCarefulReplay(Exception):
    """Something failed on the fast path: replay the batch message by message."""


@dataclass
class ConsumerHooks:
    """Fault-injection and observation points (crash tests, benchmarks). In services the
    platform sets ``after_batch`` (metrics), and notify sets ``after_commit`` to wake its
    Telegram sender when a batch has queued deliveries (not called for a batch of events no
    handler takes: nothing was committed)."""

    after_commit: Any = None  # Callable[[Sequence[Record]], None]
    on_receive: Any = None  # Callable[[Sequence[Record]], None]
    after_batch: Any = None  # Callable[[BatchResult, float], None]: outcome, seconds (metrics)


HANDLED, DUPLICATE, IGNORED, DEAD_LETTERED = "handled", "duplicate", "ignored", "dead_lettered"
TOTALS = ("handled", "duplicates", "ignored", "dead_lettered", "emitted")


@dataclass
class BatchResult:
    handled: int = 0
    duplicates: int = 0
    ignored: int = 0
    dead_lettered: int = 0
    emitted: int = 0
    # The same outcomes by (topic, event type, outcome), and dead letters by (topic, reason).
    events: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    parked: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add(self, item: Decoded, outcome: str, reason: str = "") -> None:
        """Count one message's outcome (a dead letter with its ``reason``)."""
        total = "duplicates" if outcome == DUPLICATE else outcome
        setattr(self, total, getattr(self, total) + 1)
        # Only registered event types become labels: a stranger's string stays "invalid".
        event_type = item.envelope.event_type if item.envelope and not item.error else "invalid"
        self.events[(item.source_topic, event_type, outcome)] += 1
        if reason:
            self.parked[(item.source_topic, reason)] += 1


@dataclass
class _Pending:
    """Rows a fast-path batch inserts in bulk just before it commits."""

    inbox: list[dict[str, Any]] = field(default_factory=list)
    outbox: list[OutboxRow] = field(default_factory=list)
    inserts: list[tuple[Table, dict[str, Any]]] = field(default_factory=list)


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

    # ----------------------------------------------------------------- the batch
    async def handle_batch(self, records: Sequence[Record]) -> BatchResult:
        started = time.perf_counter()
        items = [decode_record(r, self._kafka.topic_prefix) for r in records]
        try:
            try:
                result = await self._run_batch(items, careful=False)
            except _NeedsCarefulReplay:
                result = await self._run_batch(items, careful=True)
        except INFRASTRUCTURE_ERRORS as exc:
            raise InfrastructureError(describe_error(exc)) from exc
        except DBAPIError as exc:
            if exc.connection_invalidated:
                raise InfrastructureError(describe_error(exc)) from exc
            raise
        if result.dead_lettered or result.emitted:
            self._signal.notify()
        self._add_totals(result)
        if self.hooks.after_batch:
            self.hooks.after_batch(result, time.perf_counter() - started)
        return result

    async def _run_batch(self, items: list[Decoded], *, careful: bool) -> BatchResult:
        result = BatchResult()
        if all(self._unwanted(item) for item in items):
            # Events this consumer has no handler for (notify.reports reads every report to
            # find the few it tells): no transaction, which would hold the service's database
            # connection (SQLite's only one) while the batch that matters waits.
            for item in items:
                result.add(item, IGNORED)
            return result
        pending = _Pending()
        async with self._sessions() as session:
            seen = await self._already_handled(session, [i.message_id for i in items])
            seen -= await self._release_replayed_dead_letters(session, items, seen)
            for item in items:
                if item.message_id in seen or _replayed_for_another(item, self.name):
                    result.add(item, DUPLICATE)
                    continue
                seen.add(item.message_id)
                # Every log line of a handler carries the message's coordinates.
                structlog.contextvars.bind_contextvars(**_log_context(item))
                try:
                    with consuming(item.record, consumer=self.name, message_id=item.message_id):
                        if careful:
                            await self._handle_carefully(session, item, result)
                        else:
                            await self._handle_fast(session, item, result, pending)
                finally:
                    structlog.contextvars.unbind_contextvars(*_LOG_KEYS)
            if not careful:
                await self._flush_fast(session, pending)
            await session.commit()
        return result

    async def _already_handled(self, session: AsyncSession, ids: list[str]) -> set[str]:
        rows = await session.exec(
            select(InboxEntry.event_id)
            .where(col(InboxEntry.consumer) == self.name)
            .where(col(InboxEntry.event_id).in_(padded_in_list(sorted(set(ids)))))
        )
        return set(rows.all())

    async def _release_replayed_dead_letters(
        self, session: AsyncSession, items: list[Decoded], seen: set[str]
    ) -> set[str]:
        """Ids this consumer dead-lettered that an operator replayed to it (``trc dlt replay``).

        Their ``dead_lettered`` inbox rows are deleted in this batch's transaction, so the
        message runs again and its new row (handled, or dead-lettered again) commits with the
        effects. Only ``dead_lettered`` rows are released: a second replay finds the id handled
        and is a duplicate; two members racing for one replay cannot both commit (primary key).
        """
        ids = {
            i.message_id
            for i in items
            if i.message_id in seen and replay_target(i.record) == self.name
        }
        if not ids:
            return set()
        connection = await session.connection()
        deleted = await connection.execute(
            INBOX_TABLE.delete()
            .where(INBOX_TABLE.c.consumer == self.name)
            .where(INBOX_TABLE.c.event_id.in_(sorted(ids)))
            .where(INBOX_TABLE.c.outcome == "dead_lettered")
            .returning(INBOX_TABLE.c.event_id)
        )
        released = set(deleted.scalars().all())
        log.info("replayed_dead_letters_released", count=len(released), replays=len(ids))
        return released

    def _unwanted(self, item: Decoded) -> bool:
        """A readable event of a type no handler here takes (nothing to record or dead-letter)."""
        return (
            item.error is None
            and item.envelope is not None
            and item.envelope.event_type not in self._handlers
        )

    def _handler_for(self, item: Decoded, result: BatchResult) -> Handler | None:
        assert item.envelope is not None
        handler = self._handlers.get(item.envelope.event_type)
        if handler is None:
            result.add(item, IGNORED)  # a known event this consumer has no use for
        return handler

    def _context(self, session: AsyncSession, item: Decoded) -> HandlerContext:
        assert item.envelope is not None
        assert item.payload is not None
        return HandlerContext(
            session=session,
            envelope=item.envelope,
            payload=item.payload,
            record=item.record,
            producer=self._producer,
        )

    # ----------------------------------------------------------------- fast path
    async def _handle_fast(
        self, session: AsyncSession, item: Decoded, result: BatchResult, pending: _Pending
    ) -> None:
        if item.error is not None:
            raise _NeedsCarefulReplay  # dead letters are written on the careful path
        handler = self._handler_for(item, result)
        if handler is None:
            return
        context = self._context(session, item)
        try:
            await handler(context)
        except INFRASTRUCTURE_ERRORS:
            raise
        except Exception as exc:
            log.info("handler_failed_replaying_carefully", error=describe_error(exc))
            raise _NeedsCarefulReplay from exc
        pending.inbox.append(self._inbox_row(item, "handled"))
        pending.outbox.extend(context.outbox)
        pending.inserts.extend(context.inserts)
        result.add(item, HANDLED)
        result.emitted += len(context.outbox)

    async def _flush_fast(self, session: AsyncSession, pending: _Pending) -> None:
        try:
            await session.flush()  # the handlers' own ORM changes
            await execute_inserts(session, pending.inserts)
            await self._insert_inbox(session, pending.inbox)
            await insert_outbox_rows(session, pending.outbox)
        except INFRASTRUCTURE_ERRORS:
            raise
        except Exception as exc:
            log.info("batch_flush_failed_replaying_carefully", error=describe_error(exc))
            raise _NeedsCarefulReplay from exc

    # ----------------------------------------------------------------- careful path
    async def _handle_carefully(
        self, session: AsyncSession, item: Decoded, result: BatchResult
    ) -> None:
        if item.error is not None:
            log.warning("message_invalid", error=item.error)
            await self._dead_letter(session, item, INVALID, item.error, attempts=1)
            result.add(item, DEAD_LETTERED, INVALID)
            return
        handler = self._handler_for(item, result)
        if handler is None:
            return
        error = ""
        attempts = self._messaging.max_attempts
        for attempt in range(1, self._messaging.max_attempts + 1):
            context = self._context(session, item)
            try:
                async with session.begin_nested():
                    await handler(context)
                    await session.flush()
                    await execute_inserts(session, context.inserts)
                    await self._insert_inbox(session, [self._inbox_row(item, "handled")])
                    await insert_outbox_rows(session, context.outbox)
            except INFRASTRUCTURE_ERRORS:
                raise  # not the message's fault: the whole batch is retried
            except Reject as exc:
                log.warning("message_rejected", reason=describe_error(exc))
                await self._dead_letter(session, item, INVALID, describe_error(exc), attempts=1)
                result.add(item, DEAD_LETTERED, INVALID)
                return
            except Exception as exc:
                error = describe_error(exc)
                log.warning("handler_failed", attempt=attempt, error=error)
                await asyncio.sleep(self._messaging.retry_backoff_s * attempt)
                continue
            result.add(item, HANDLED)
            result.emitted += len(context.outbox)
            return
        log.error("message_dead_lettered", attempts=attempts, error=error)
        await self._dead_letter(session, item, PROCESSING, error, attempts=attempts)
        result.add(item, DEAD_LETTERED, PROCESSING)

    async def _dead_letter(
        self, session: AsyncSession, item: Decoded, reason: str, error: str, *, attempts: int
    ) -> None:
        # In its own savepoint: if parking fails, the batch fails whole and is retried, so the
        # message is never skipped without a dead letter.
        row = dead_letter_row(
            item.record,
            source_topic=item.source_topic,
            consumer=self.name,
            reason=reason,
            error=error,
            attempts=attempts,
            message_id=item.message_id,
        )
        async with session.begin_nested():
            await insert_outbox_rows(session, [row])
            await self._insert_inbox(session, [self._inbox_row(item, "dead_lettered")])

    # ----------------------------------------------------------------- inbox
    def _inbox_row(self, item: Decoded, outcome: str) -> dict[str, Any]:
        return {
            "consumer": self.name,
            "event_id": item.message_id,
            "event_type": item.envelope.event_type if item.envelope else None,
            "topic": item.record.topic,
            "partition": item.record.partition,
            "offset": item.record.offset,
            "outcome": outcome,
            "handled_at": datetime.now(UTC),
        }

    async def _insert_inbox(self, session: AsyncSession, rows: list[dict[str, Any]]) -> None:
        if rows:
            connection = await session.connection()
            await connection.execute(INBOX_TABLE.insert(), rows)

    def _add_totals(self, result: BatchResult) -> None:
        for name in TOTALS:
            setattr(self.totals, name, getattr(self.totals, name) + getattr(result, name))

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, **{name: getattr(self.totals, name) for name in TOTALS}}


_LOG_KEYS = ("topic", "partition", "offset", "event_id", "correlation_id")


def _replayed_for_another(item: Decoded, consumer: str) -> bool:
    """A replayed dead letter reaches every group on its topic; only the one that parked it acts
    (the others handled the original long ago, and their inbox may have forgotten it)."""
    target = replay_target(item.record)
    return target is not None and target != consumer


def _log_context(item: Decoded) -> dict[str, Any]:
    return {
        "topic": item.record.topic,
        "partition": item.record.partition,
        "offset": item.record.offset,
        "event_id": item.message_id,
        "correlation_id": item.envelope.correlation_id if item.envelope else None,
    }
