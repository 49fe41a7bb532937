"""The console's live feed: every change to an incident, from whichever dispatch replica made it,
pushed to the open streams of the pages watching its region.

Each dispatch process reads the incident, assignment and case topics itself, from their end and
without a consumer group (every process sees every partition; nothing is committed), and on each
event about an incident reads the incident's board row from the database — committed before the
event was published — and hands it to the subscribers whose region it falls in. A case event is
read once dispatch's own copy of the case holds it (its inbox has the event)."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from sqlmodel import col, select

from shared.logging import get_logger
from shared.messaging import kafka as kafka_clients
from shared.messaging.decoding import decode_record
from shared.messaging.pace import FetchPace, adjustable, routine_timeout_ms, set_wait
from shared.messaging.tables import InboxEntry
from shared.platform import Platform
from shared.scope import in_scope

log = get_logger(__name__)
WATCHED = ("trc.incidents.v1", "trc.assignments.v1", "trc.cases.v1")
CASES = "trc.cases.v1"
QUEUE_SIZE = 200  # a page this far behind is dropped; its EventSource reconnects and reloads


@dataclass(frozen=True)
class Change:
    """``incident`` (a board row), or ``removed`` (it left the open set)."""

    kind: str
    region_code: str
    data: dict[str, Any]


CLOSED = Change("closed", "", {})  # the stream ends (shutdown, or a subscriber too slow)


@dataclass(eq=False)
class Subscriber:
    region: str
    queue: asyncio.Queue[Change] = field(default_factory=lambda: asyncio.Queue(QUEUE_SIZE))


class Hub:
    """The open streams of this process, each with its own bounded queue."""

    def __init__(self) -> None:
        self.subscribers: set[Subscriber] = set()
        self.closed = False

    def subscribe(self, region: str) -> Subscriber:
        subscriber = Subscriber(region)
        if self.closed:
            subscriber.queue.put_nowait(CLOSED)
        else:
            self.subscribers.add(subscriber)
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        self.subscribers.discard(subscriber)

    def publish(self, change: Change) -> None:
        for subscriber in list(self.subscribers):
            if not in_scope(change.region_code, subscriber.region):
                continue
            if subscriber.queue.qsize() >= QUEUE_SIZE - 1:  # room left for the closing word
                self.unsubscribe(subscriber)
                subscriber.queue.put_nowait(CLOSED)
                log.info("console_stream_dropped", region=subscriber.region, reason="slow")
                continue
            subscriber.queue.put_nowait(change)

    def close(self) -> None:
        """End every stream (the server is stopping)."""
        self.closed = True
        for subscriber in list(self.subscribers):
            self.unsubscribe(subscriber)
            with contextlib.suppress(asyncio.QueueFull):
                subscriber.queue.put_nowait(CLOSED)


RowsReader = Callable[[list[str]], Awaitable[list[Change]]]


@dataclass(frozen=True)
class Touch:
    """What an event on a watched topic says about incidents."""

    incident_ids: tuple[str, ...]
    case_event_id: str | None = None  # read only once dispatch's copy of the case holds it


def touched(topic: str, event_id: str, payload: dict[str, Any]) -> Touch:
    ids = [payload["incident_id"]] if isinstance(payload.get("incident_id"), str) else []
    ids += [
        h["incident_id"] for h in payload.get("handed_over", []) if isinstance(h, dict)
    ]  # a shift handover moves several
    ids += [i for i in payload.get("kept", []) if isinstance(i, str)]
    return Touch(tuple(dict.fromkeys(ids)), event_id if topic == CASES and ids else None)


class Watch:
    """The group-less reader of the watched topics, for this process's streams."""

    def __init__(self, platform: Platform, hub: Hub, read: RowsReader) -> None:
        self.platform, self.hub, self.read = platform, hub, read
        self.ready = asyncio.Event()
        self._dirty: dict[str, None] = {}
        self._wake = asyncio.Event()
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        for job in (self._consume, self._push):
            task = asyncio.create_task(job(), name=f"console-{job.__name__.strip('_')}")
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def stop(self) -> None:
        self.hub.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def mark(self, incident_ids: Iterable[str]) -> None:
        for incident_id in incident_ids:
            self._dirty[incident_id] = None
        self._wake.set()

    async def _push(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            ids, self._dirty = list(self._dirty), {}
            if not ids or not self.hub.subscribers:
                continue
            try:
                for change in await self.read(ids):
                    self.hub.publish(change)
            except Exception as exc:  # the next change tries again; pages reload on reconnect
                log.warning("console_read_failed", error=repr(exc))

    async def _consume(self) -> None:
        backoff = 0.5
        while True:
            try:
                await self._read_topics()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self.ready.clear()
                log.warning("console_watch_failed", error=repr(exc), retry_in_s=backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 10)

    async def _read_topics(self) -> None:
        while not self.platform.connected:  # noqa: ASYNC110 - a flag; it creates the topics first
            await asyncio.sleep(0.1)
        kafka = self.platform.settings.kafka
        topics = [kafka.topic(name) for name in WATCHED]
        # Without a group, a subscription is every partition of the topics (also partitions
        # an operator adds later), read from the end, nothing committed.
        consumer = AIOKafkaConsumer(
            *topics,
            group_id=None,
            enable_auto_commit=False,
            auto_offset_reset="latest",
            client_id=f"{self.platform.service}-console",
            fetch_max_wait_ms=kafka.fetch_max_wait_ms,
            consumer_timeout_ms=routine_timeout_ms(kafka.fetch_idle_max_wait_ms),
            **kafka_clients.client_kwargs(kafka),
        )
        pace = FetchPace(
            kafka.fetch_max_wait_ms, kafka.fetch_idle_max_wait_ms, kafka.fetch_idle_after_s
        )
        try:
            await consumer.start()  # inside: one that failed to start is closed all the same
            fetcher = adjustable(consumer)
            partitions = await _assigned(consumer, set(topics))
            await consumer.seek_to_end(*partitions)
            for tp in partitions:
                await consumer.position(tp)  # resolved now: nothing after this is missed
            self.ready.set()
            log.info("console_watch_started", partitions=len(partitions))
            while True:
                batches = await consumer.getmany(timeout_ms=1000, max_records=500)
                for records in batches.values():
                    for record in records:
                        self._seen(record)
                if fetcher is not None:  # short while changes flow, long at rest
                    set_wait(fetcher, pace.observe(sum(map(len, batches.values()))))
        finally:
            self.ready.clear()
            await consumer.stop()

    def _seen(self, record: Any) -> None:
        item = decode_record(record, self.platform.settings.kafka.topic_prefix)
        if item.envelope is None or not self.hub.subscribers:
            return
        touch = touched(item.source_topic, item.envelope.event_id, item.envelope.payload)
        if not touch.incident_ids:
            return
        if touch.case_event_id is None:
            self.mark(touch.incident_ids)
            return
        task = asyncio.create_task(self._after_projection(touch))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _after_projection(self, touch: Touch, *, timeout: float = 10.0) -> None:
        consumer = f"{self.platform.service}.cases"
        query = select(InboxEntry.event_id).where(
            col(InboxEntry.consumer) == consumer, col(InboxEntry.event_id) == touch.case_event_id
        )
        deadline = asyncio.get_running_loop().time() + timeout
        while asyncio.get_running_loop().time() < deadline:
            async with self.platform.sessions() as session:
                if (await session.exec(query)).first() is not None:
                    break
            await asyncio.sleep(0.05)
        self.mark(touch.incident_ids)


async def _assigned(consumer: AIOKafkaConsumer, topics: set[str]) -> set[TopicPartition]:
    for _ in range(200):
        partitions = set(consumer.assignment())
        if {tp.topic for tp in partitions} >= topics:
            return partitions
        await asyncio.sleep(0.05)
    raise RuntimeError(f"no partitions assigned of {', '.join(sorted(topics))}")


def sse(event: str, data: dict[str, Any]) -> str:
    """One Server-Sent Events message."""
    return f"event: {event}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"
