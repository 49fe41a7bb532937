"""Attaching a :class:`ReliableConsumer` to a FastStream Kafka broker.

Delivery semantics are chosen here, not inherited: one consumer group a service, batches, no
auto-commit (``AckPolicy.MANUAL``), one offset commit per batch after the database commits, and
a rewind (nack) when the database is unreachable. FastStream neither decodes the bodies nor
chokes on odd headers: every byte reaches the consumer, which dead-letters what it cannot read.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

from aiokafka.errors import KafkaError
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage

from shared.logging import get_logger
from shared.messaging.consumer import InfrastructureError, ReliableConsumer
from shared.messaging.handler import Record
from shared.messaging.pace import FetchPace, adjustable, routine_timeout_ms, set_wait
from shared.settings import KafkaSettings, MessagingSettings

log = get_logger(__name__)


async def _parse_tolerating_binary_headers(
    records: tuple[Record, ...], original: Callable[[Any], Awaitable[Any]]
) -> Any:
    # FastStream decodes every header value as UTF-8. If its parser raises, it logs and drops the
    # whole batch while later batches commit past it: an odd header must never get that far.
    try:
        return await original(records)
    except (UnicodeDecodeError, AttributeError):  # a value that is not UTF-8, or null (None)
        printable = tuple(
            dataclasses.replace(
                r,
                headers=tuple(
                    (k, (v or b"").decode("utf-8", "replace").encode()) for k, v in r.headers
                ),
            )
            for r in records
        )
        message = await original(printable)
        message.raw_message = records  # the consumer (and any dead letter) sees the originals
        return message


async def _leave_undecoded(_message: Any, _original: Any) -> None:
    return None


@dataclass(frozen=True)
class Route:
    """A consumer and the topics (registry names) it reads, inside its service's group."""

    consumer: ReliableConsumer
    topics: tuple[str, ...]


def attach(
    routes: Sequence[Route],
    broker: KafkaBroker,
    *,
    kafka: KafkaSettings,
    messaging: MessagingSettings,
    group_id: str,
) -> Any:
    """One Kafka consumer (group ``group_id``) for every topic of ``routes``. Each batch is split
    by topic, and each consumer handles its share in its own transaction, one after the other;
    the offsets are committed once all of them have committed. One consumer a service instead
    of one a topic: a fetch and a heartbeat a second for the whole service at rest."""
    owners: dict[str, list[ReliableConsumer]] = {}
    for route in routes:
        for topic in route.topics:
            owners.setdefault(kafka.topic(topic), []).append(route.consumer)
    subscriber = broker.subscriber(
        *owners,
        group_id=group_id,
        batch=True,
        max_records=messaging.consumer_max_records,
        fetch_max_wait_ms=kafka.fetch_max_wait_ms,
        consumer_timeout_ms=routine_timeout_ms(kafka.fetch_idle_max_wait_ms),
        auto_offset_reset="earliest",
        session_timeout_ms=kafka.session_timeout_ms,
        heartbeat_interval_ms=max(kafka.session_timeout_ms // 4, 500),
        ack_policy=AckPolicy.MANUAL,
        parser=_parse_tolerating_binary_headers,
        decoder=_leave_undecoded,
        title=group_id,
    )

    async def on_batch(body: Any, message: KafkaMessage) -> None:
        records: tuple[Record, ...] = message.raw_message
        for consumer, share in _shares(records, owners):
            if not await _handle(consumer, share, messaging):
                await message.nack()  # rewind: nothing past this batch may be committed
                await asyncio.sleep(messaging.retry_backoff_s * 20)
                return
        try:
            await message.ack()
        except KafkaError as exc:
            # Rebalance or broker restart: the batch comes again and the inboxes absorb it.
            log.warning("offset_commit_failed", group=group_id, error=repr(exc))

    subscriber(on_batch)
    _poll_at_pace(subscriber, kafka, messaging)
    return subscriber


def _shares(
    records: tuple[Record, ...], owners: dict[str, list[ReliableConsumer]]
) -> list[tuple[ReliableConsumer, tuple[Record, ...]]]:
    """Each consumer's records of the batch, in the batch's order (a partition's order kept)."""
    by_consumer: dict[int, tuple[ReliableConsumer, list[Record]]] = {}
    for record in records:
        for consumer in owners.get(record.topic, ()):
            by_consumer.setdefault(id(consumer), (consumer, []))[1].append(record)
    return [(consumer, tuple(share)) for consumer, share in by_consumer.values()]


async def _handle(
    consumer: ReliableConsumer, records: tuple[Record, ...], messaging: MessagingSettings
) -> bool:
    """One consumer's share of a batch, committed; False when the batch must be read again."""
    if consumer.hooks.on_receive:
        consumer.hooks.on_receive(records)
    try:
        result = await consumer.handle_batch(records)
    except Exception as exc:
        # Database unreachable (or a bug outside any handler): nothing is dead-lettered.
        if isinstance(exc, InfrastructureError):  # expected while the database restarts
            log.warning(
                "batch_retry_database_unavailable",
                consumer=consumer.name,
                error=repr(exc),
                next="the batch is read again",
                retry_in_s=messaging.retry_backoff_s * 20,
            )
        else:
            log.exception("batch_retry_unexpected_error", consumer=consumer.name)
        return False
    if consumer.hooks.after_commit and result.ignored < len(records):
        consumer.hooks.after_commit(records)  # not for a batch of events nobody here takes
    return True


def _poll_at_pace(subscriber: Any, kafka: KafkaSettings, messaging: MessagingSettings) -> None:
    """FastStream's batch poll (``get_msg``, what its consume loop calls) without the sleep it
    takes after an empty poll (a wake-up every few milliseconds at rest), at the consumer's
    :class:`~shared.messaging.pace.FetchPace`. A poll returns as soon as records arrive."""
    pace = FetchPace(
        kafka.fetch_max_wait_ms, kafka.fetch_idle_max_wait_ms, kafka.fetch_idle_after_s
    )
    fetchers: dict[int, Any] = {}  # the consumer a restart made, by id: its fetcher

    async def get_msg(consumer: Any) -> tuple[Record, ...]:
        batches = await consumer.getmany(
            timeout_ms=messaging.consumer_poll_ms, max_records=messaging.consumer_max_records
        )
        records = tuple(chain.from_iterable(batches.values()))
        if id(consumer) not in fetchers:
            fetchers.clear()
            fetchers[id(consumer)] = adjustable(consumer)
        if (fetcher := fetchers[id(consumer)]) is not None:
            set_wait(fetcher, pace.observe(len(records)))
        return records

    subscriber.get_msg = get_msg
