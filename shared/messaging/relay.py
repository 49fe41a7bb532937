"""The outbox relay: publishes committed events in order, marks them sent, replays after log loss.

Crash safety: rows are marked published only after the broker acknowledged them (acks=all), so a
crash between the two republishes them — a duplicate the consumers' inboxes absorb, never a loss.

Log loss is told by the broker's cluster id (the embedded broker gets a fresh one each start),
asked before publishing after a pause and every ``cluster_check_interval_s``. A broker that
restarted has closed the producer's connections, so while the producer still holds the very
connections it held at the last answer, the broker is the same and is not asked again (at most
every ``FULL_CHECK_EVERY``): that round trip, and a read of the known id, were a third of one
event's hop.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from sqlalchemy import and_, delete, or_, update
from sqlalchemy import select as sa_select
from sqlmodel import col

from shared.db import SessionFactory, padded_in_list
from shared.logging import get_logger
from shared.messaging import kafka as kafka_clients
from shared.messaging import wakeup
from shared.messaging.lease import LEASE_TTL, RelayLease
from shared.messaging.outbox import OutboxSignal, decode_headers
from shared.messaging.tables import InboxEntry, OutboxMessage, RelayState
from shared.settings import KafkaSettings, MessagingSettings

log = get_logger(__name__)
# Plain columns, not ORM objects: the relay reads thousands of rows a second.
_SEND_COLUMNS: Any = (
    OutboxMessage.id,
    OutboxMessage.topic,
    OutboxMessage.key,
    OutboxMessage.value,
    OutboxMessage.headers,
)
HOUSEKEEPING_EVERY = timedelta(minutes=5)
FRESH_CLUSTER_CHECK = timedelta(milliseconds=100)
FULL_CHECK_EVERY = timedelta(seconds=60)  # the broker asked even over the same connections


@dataclass
class RelayHooks:
    """Fault-injection points for the crash tests, and what the metrics observe."""

    after_publish: Callable[[Sequence[Any]], None] | None = None
    on_sent: Callable[[Sequence[Any]], None] | None = None  # rows acknowledged (replays too)


@dataclass
class RelayStatus:
    healthy: bool = False
    leader: bool = False
    cluster_id: str | None = None
    published: int = 0
    replayed: int = 0
    last_error: str | None = None
    replays: int = 0
    last_published_at: datetime | None = field(default=None)


def _now() -> datetime:
    return datetime.now(UTC)


class OutboxRelay:
    def __init__(
        self,
        *,
        name: str,
        sessions: SessionFactory,
        kafka: KafkaSettings,
        messaging: MessagingSettings,
        signal: OutboxSignal,
        hooks: RelayHooks | None = None,
        listen_url: str | None = None,
    ) -> None:
        self.name = name
        self._sessions = sessions
        self._kafka = kafka
        self._messaging = messaging
        self._signal = signal
        self._hooks = hooks or RelayHooks()
        self._lease = RelayLease(name, sessions)
        self._producer: AIOKafkaProducer | None = None
        self._admin: AIOKafkaAdminClient | None = None
        self._stopping = asyncio.Event()
        self._next_cluster_check = _now()
        self._next_housekeeping = _now()
        self._last_cluster_check = datetime.min.replace(tzinfo=UTC)
        self._last_full_check = datetime.min.replace(tzinfo=UTC)
        self._confirmed: str | None = None  # the cluster id the database and broker agreed on
        self._checked_connections: frozenset[Any] = frozenset()
        self._idle_wait = messaging.relay_poll_interval_s
        self._listen_url = listen_url if listen_url and wakeup.listens(listen_url) else None
        self.status = RelayStatus()
        self.rounds = 0  # publish rounds run (a test counts them at rest)

    # ----------------------------------------------------------------- lifecycle
    async def run(self) -> None:
        listener = None
        if self._listen_url:
            listener = asyncio.create_task(
                wakeup.listen(self._listen_url, self._signal.notify, self._stopping),
                name=f"{self.name}-relay-listen",
            )
        try:
            await self._run()
        finally:
            if listener is not None:
                listener.cancel()
                await asyncio.gather(listener, return_exceptions=True)

    async def _run(self) -> None:
        backoff = 0.2
        while not self._stopping.is_set():
            try:
                await self._step()
                backoff = 0.2
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self.status.healthy = False
                self.status.last_error = f"{type(exc).__name__}: {exc}"
                log.warning("relay_error", error=self.status.last_error, retry_in_s=backoff)
                self._next_cluster_check = _now()  # the broker may have restarted
                self._confirmed = None
                await self._close_clients()
                await self._sleep(backoff)
                backoff = min(backoff * 2, 5.0)
        await self._lease.release()
        await self._close_clients()

    def stop(self) -> None:
        self._stopping.set()
        self._signal.notify()

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)

    async def _step(self) -> None:
        if not await self._lease.hold():
            # Another replica publishes this database's outbox: standing by is healthy (a
            # replica that is not the leader must still count as ready).
            self.status.leader = False
            self.status.healthy, self.status.last_error = True, None
            await self._sleep(LEASE_TTL.total_seconds() / 3)
            return
        self.status.leader = True
        await self._ensure_clients()
        if _now() >= self._next_cluster_check:
            await self._check_cluster(publishing=False)
        published = await self._publish_pending()
        self.rounds += 1
        self.status.healthy = True
        if _now() >= self._next_housekeeping:
            await self._housekeeping()
        if published >= self._messaging.relay_batch_size:
            return  # a full batch: more may be waiting, read again at once
        if published:
            # Not read again just to find it empty: every commit of this process rings, one
            # made while this round ran included (a ring is kept until the next wait), so the
            # next ring — or the short poll, for another process's rows — starts the next round.
            self._idle_wait = self._messaging.relay_poll_interval_s
        if await self._signal.wait(self._idle_wait):
            self._idle_wait = self._messaging.relay_poll_interval_s
        else:
            # Nothing rang: another process's rows (SQLite has no cross-process ring) are found
            # by a poll that slows down the longer the outbox stays empty.
            self._idle_wait = min(self._idle_wait * 2, self._idle_max())

    def _idle_max(self) -> float:
        # The lease is renewed by the rounds, and the broker's identity checked between them.
        cap = min(self._messaging.relay_idle_max_s, LEASE_TTL.total_seconds() / 4)
        return max(cap, self._messaging.relay_poll_interval_s)

    async def _ensure_clients(self) -> None:
        if self._producer is None:
            producer = kafka_clients.make_producer(self._kafka, client_id=f"{self.name}-relay")
            await producer.start()
            self._producer = producer
        if self._admin is None:
            admin = kafka_clients.make_admin(self._kafka, client_id=f"{self.name}-relay-admin")
            await admin.start()
            self._admin = admin

    async def _close_clients(self) -> None:
        producer, admin, self._producer, self._admin = self._producer, self._admin, None, None
        for client in (producer, admin):
            if client is not None:
                try:
                    await client.stop() if isinstance(
                        client, AIOKafkaProducer
                    ) else await client.close()
                except Exception as exc:
                    log.debug("relay_client_close_failed", error=str(exc))

    # ----------------------------------------------------------------- broker identity
    async def _check_cluster(self, *, publishing: bool) -> None:
        """Ask the broker for its cluster id and replay if it is not the one the database knows;
        skipped while the producer holds the same connections as at the last answer (the broker
        has not restarted since), at most for ``FULL_CHECK_EVERY``."""
        assert self._admin is not None
        if not publishing and self._reaches_no_broker():
            # Nothing published since the last answer: a look would be a question every round
            # at rest. The next publish opens a connection and asks first (this look is not
            # counted as one), and the full check still comes.
            self._next_cluster_check = _now() + timedelta(
                seconds=self._messaging.cluster_check_interval_s
            )
            return
        if self._same_broker():
            self._checked()
            return
        connections = kafka_clients.live_connections(self._producer)
        current = await kafka_clients.cluster_id(self._admin)
        if current == self._confirmed:
            self.status.cluster_id = current
            self._checked(connections)
            return
        async with self._sessions() as session:
            state = await session.get(RelayState, self.name)
            known = state.cluster_id if state else None
        if known != current:
            await kafka_clients.ensure_topics(self._admin, self._kafka)
            if known is not None:
                log.warning("broker_log_lost", previous_cluster=known, cluster=current)
                await self._replay()
            async with self._sessions() as session:
                await session.exec(
                    update(RelayState)
                    .where(col(RelayState.name) == self.name)
                    .values(cluster_id=current)
                )
                await session.commit()
        self.status.cluster_id = self._confirmed = current
        self._checked(connections)

    def _same_broker(self) -> bool:
        """The producer still holds, open, only connections it held at the last answer."""
        if self._confirmed is None or _now() - self._last_full_check > FULL_CHECK_EVERY:
            return False
        connections = kafka_clients.live_connections(self._producer)
        return bool(connections) and connections <= self._checked_connections

    def _reaches_no_broker(self) -> bool:
        """A confirmed broker, not due for the full check, and the producer held no open
        connection at the last answer and holds none now. (Connections that closed since are
        how a restarted broker shows: that is asked at once.)"""
        if self._confirmed is None or _now() - self._last_full_check > FULL_CHECK_EVERY:
            return False
        return not self._checked_connections and not kafka_clients.live_connections(
            self._producer
        )

    def _checked(self, connections: frozenset[Any] | None = None) -> None:
        """A look is done; ``connections``: the broker was asked, over these."""
        self._last_cluster_check = _now()
        self._next_cluster_check = _now() + timedelta(
            seconds=self._messaging.cluster_check_interval_s
        )
        if connections is not None:
            self._last_full_check = self._last_cluster_check
            # Taken before the question: a connection opened since is checked next time.
            self._checked_connections = connections

    async def _replay(self) -> None:
        """Republish the retention window in its original publish order, before anything new."""
        cutoff = _now() - timedelta(days=self._messaging.outbox_retention_days)
        cursor: tuple[datetime, int] | None = None
        total = 0
        while True:
            query = sa_select(*_SEND_COLUMNS, col(OutboxMessage.published_at)).where(
                col(OutboxMessage.published_at) >= cutoff
            )
            if cursor is not None:
                at, last_id = cursor
                query = query.where(
                    or_(
                        col(OutboxMessage.published_at) > at,
                        and_(
                            col(OutboxMessage.published_at) == at, col(OutboxMessage.id) > last_id
                        ),
                    )
                )
            query = query.order_by(col(OutboxMessage.published_at), col(OutboxMessage.id)).limit(
                self._messaging.relay_batch_size
            )
            async with self._sessions() as session:
                connection = await session.connection()  # plain rows (Core), no ORM objects
                rows = list((await connection.execute(query)).all())
            if not rows:
                break
            await self._send(rows)
            total += len(rows)
            last = rows[-1]
            assert last.published_at is not None and last.id is not None
            cursor = (last.published_at, last.id)
        self.status.replayed += total
        self.status.replays += 1
        log.warning("outbox_replayed", events=total)

    # ----------------------------------------------------------------- publishing
    async def _publish_pending(self) -> int:
        query = (
            sa_select(*_SEND_COLUMNS)
            .where(col(OutboxMessage.published_at).is_(None))
            .order_by(col(OutboxMessage.id))
            .limit(self._messaging.relay_batch_size)
        )
        async with self._sessions() as session:
            connection = await session.connection()  # plain rows (Core), no ORM objects
            rows = list((await connection.execute(query)).all())
        if not rows:
            return 0
        if _now() - self._last_cluster_check > FRESH_CLUSTER_CHECK:
            # Just before publishing: a broker that restarted empty gets the replay first.
            await self._check_cluster(publishing=True)
        await self._send(rows)
        if self._hooks.after_publish:
            self._hooks.after_publish(rows)
        published_at = _now()
        async with self._sessions() as session:
            await session.exec(
                update(OutboxMessage)
                .where(col(OutboxMessage.id).in_(padded_in_list([r.id for r in rows])))
                .values(published_at=published_at)
            )
            await session.commit()
        self.status.published += len(rows)
        self.status.last_published_at = published_at
        return len(rows)

    async def _send(self, rows: Sequence[Any]) -> None:
        assert self._producer is not None
        futures = []
        for row in rows:
            futures.append(
                await self._producer.send(
                    self._kafka.topic(row.topic),
                    value=row.value,
                    key=row.key,
                    headers=decode_headers(row.headers),
                )
            )
        await asyncio.gather(*futures)
        if self._hooks.on_sent:
            self._hooks.on_sent(rows)

    # ----------------------------------------------------------------- housekeeping
    async def _housekeeping(self) -> None:
        now = _now()
        outbox_cutoff = now - timedelta(days=self._messaging.outbox_retention_days)
        inbox_cutoff = now - timedelta(days=self._messaging.inbox_retention_days)
        async with self._sessions() as session:
            await session.exec(
                delete(OutboxMessage).where(col(OutboxMessage.published_at) < outbox_cutoff)
            )
            await session.exec(delete(InboxEntry).where(col(InboxEntry.handled_at) < inbox_cutoff))
            await session.commit()
        self._next_housekeeping = now + HOUSEKEEPING_EVERY
