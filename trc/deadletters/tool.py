"""Dead letters for operators: read them from the broker and replay them to their source topic.

Reading assigns partitions without joining a consumer group, so no offsets are committed and no
service's group moves. A replay publishes the parked key, headers and bytes again, minus the
``trc-dlt-*`` headers, plus ``trc-replay-of`` (where it was parked) and ``trc-replay-for`` (the
consumer that parked it, the only one that acts on it; see ``ReliableConsumer``).
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.structs import ConsumerRecord

from shared.contracts import TOPICS, dead_letter_topic
from shared.contracts.registry import DEAD_LETTER_SUFFIX, TOPIC_BY_NAME
from shared.logging import get_logger
from shared.messaging import kafka as kafka_clients
from shared.messaging.deadletter import DLT_HEADER_PREFIX, REPLAY_FOR, REPLAY_OF
from shared.settings import KafkaSettings

log = get_logger(__name__)
READ_TIMEOUT_S = 30.0
_REPLAY_HEADERS = (REPLAY_OF, REPLAY_FOR)


@dataclass(frozen=True)
class DeadLetter:
    """One message of a dead-letter topic, as stored on the broker."""

    topic: str
    partition: int
    offset: int
    timestamp_ms: int
    key: bytes | None
    value: bytes
    headers: tuple[tuple[str, bytes], ...]

    @classmethod
    def from_record(cls, record: ConsumerRecord[bytes, bytes]) -> DeadLetter:
        return cls(
            topic=record.topic,
            partition=record.partition,
            offset=record.offset,
            timestamp_ms=record.timestamp,
            key=record.key,
            value=record.value or b"",
            headers=tuple(record.headers or ()),
        )

    @property
    def ref(self) -> str:
        return f"{self.topic}:{self.partition}:{self.offset}"

    def dlt(self, name: str) -> str:
        """A ``trc-dlt-<name>`` header as text ("" when absent)."""
        for key, value in self.headers:
            if key == DLT_HEADER_PREFIX + name:
                return (value or b"").decode("utf-8", "replace")
        return ""

    @property
    def parked_at(self) -> str:
        stamp = datetime.fromtimestamp(self.timestamp_ms / 1000, UTC).isoformat()
        return self.dlt("at") or stamp

    @property
    def source(self) -> str:
        return f"{self.dlt('topic')} {self.dlt('partition')}:{self.dlt('offset')}"

    def envelope(self) -> dict[str, Any] | None:
        """The JSON envelope, if the bytes hold one (an invalid message may not)."""
        try:
            body = json.loads(self.value)
        except ValueError:
            return None
        return body if isinstance(body, dict) else None

    def event(self) -> str:
        body = self.envelope() or {}
        if not body.get("event_type"):
            return "(unreadable)"
        return f"{body['event_type']} v{body.get('version', '?')} {body.get('event_id', '?')}"

    def replay_headers(self) -> list[tuple[str, bytes]]:
        """The original headers, addressed to the consumer that parked the message."""
        kept = [
            (k, v)
            for k, v in self.headers
            if not k.startswith(DLT_HEADER_PREFIX) and k not in _REPLAY_HEADERS
        ]
        return [*kept, (REPLAY_OF, self.ref.encode()), (REPLAY_FOR, self.dlt("consumer").encode())]


@dataclass(frozen=True)
class Replayed:
    dead_letter: DeadLetter
    topic: str
    partition: int | None = None  # where the copy landed; None on a dry run
    offset: int | None = None


def dead_letter_topic_name(kafka: KafkaSettings, name: str) -> str:
    """``trc.reports.v1``, ``trc.reports.v1.dlt`` or the prefixed name → the broker's DLT name."""
    bare = name.removeprefix(kafka.topic_prefix) if kafka.topic_prefix else name
    source = bare.removesuffix(DEAD_LETTER_SUFFIX)
    if source not in TOPIC_BY_NAME:
        known = ", ".join(dead_letter_topic(t.name) for t in TOPICS)
        raise ValueError(f"unknown topic {name!r}; dead-letter topics: {known}")
    return kafka.topic(dead_letter_topic(source))


def all_dead_letter_topics(kafka: KafkaSettings) -> list[str]:
    return [kafka.topic(dead_letter_topic(t.name)) for t in TOPICS]


class DeadLetterReader:
    """Reads dead-letter topics from the first offset to the high watermark, committing nothing."""

    def __init__(self, kafka: KafkaSettings) -> None:
        self._consumer = AIOKafkaConsumer(
            group_id=None,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            client_id="trc-dlt",
            fetch_max_wait_ms=kafka.fetch_max_wait_ms,  # a held fetch delays offset look-ups
            **kafka_clients.client_kwargs(kafka),
        )
        self._admin = kafka_clients.make_admin(kafka, client_id="trc-dlt")

    async def __aenter__(self) -> DeadLetterReader:
        await self._admin.start()
        try:
            await self._consumer.start()
        except BaseException:
            await self._admin.close()
            raise
        return self

    async def __aexit__(self, *_exc: object) -> None:
        try:
            await self._consumer.stop()
        finally:
            await self._admin.close()

    async def partitions(self, topic: str) -> list[int]:
        """The topic's partitions; none if the broker has no such topic (nothing parked yet)."""
        if topic not in set(await self._admin.list_topics()):
            return []
        described = await self._admin.describe_topics([topic])
        return sorted(p["partition"] for d in described for p in d.get("partitions", ()))

    async def read_all(self, topic: str) -> list[DeadLetter]:
        tps = [TopicPartition(topic, p) for p in await self.partitions(topic)]
        if not tps:
            return []
        self._consumer.assign(tps)
        await self._consumer.seek_to_beginning(*tps)
        found = await self._read(await self._consumer.end_offsets(tps), to_end=True)
        return sorted(found, key=lambda d: (d.partition, d.offset))

    async def read_one(self, topic: str, partition: int, offset: int) -> DeadLetter:
        tp = TopicPartition(topic, partition)
        if partition not in await self.partitions(topic):
            raise LookupError(f"{topic} has no partition {partition}")
        self._consumer.assign([tp])
        first = (await self._consumer.beginning_offsets([tp]))[tp]
        if offset >= first:
            self._consumer.seek(tp, offset)
            for found in await self._read({tp: offset + 1}, to_end=False):
                if found.offset == offset:
                    return found
        raise LookupError(f"no message at {topic} {partition}:{offset}")

    async def _read(self, targets: dict[TopicPartition, int], *, to_end: bool) -> list[DeadLetter]:
        """Fetch until each partition reaches its target offset, or the end of its log.

        With ``to_end``, the end is the high watermark the fetches report, not the listed end
        offset: the embedded broker was seen listing a lower one when records share a batch.
        """
        found: list[DeadLetter] = []
        deadline = asyncio.get_running_loop().time() + READ_TIMEOUT_S
        pending = [tp for tp in targets if await self._consumer.position(tp) < targets[tp]]
        while pending:
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"reading {pending} took over {READ_TIMEOUT_S}s")
            batches = await self._consumer.getmany(*pending, timeout_ms=500)
            for records in batches.values():
                found += [DeadLetter.from_record(r) for r in records]
            pending = [tp for tp in pending if not await self._done(tp, targets[tp], to_end)]
        return found

    async def _done(self, tp: TopicPartition, target: int, to_end: bool) -> bool:
        position = await self._consumer.position(tp)
        highwater = self._consumer.highwater(tp)  # from the last fetch; None before one
        at_end = highwater is not None and position >= highwater
        if to_end and highwater is not None:
            return at_end
        return at_end or position >= target


def check_replayable(dead_letter: DeadLetter) -> None:
    """Refuse a message whose headers do not say where it came from and who parked it."""
    source, consumer = dead_letter.dlt("topic"), dead_letter.dlt("consumer")
    if not source or not consumer:
        raise ValueError(f"{dead_letter.ref} has no trc-dlt-topic/consumer header")
    if dead_letter_topic(source) != dead_letter.topic:
        raise ValueError(f"{dead_letter.ref} names source {source}, not this topic's source")


async def replay(
    kafka: KafkaSettings, dead_letters: list[DeadLetter], *, dry_run: bool = False
) -> list[Replayed]:
    """Publish each dead letter again to its source topic (all are checked before any is sent)."""
    for dead_letter in dead_letters:
        check_replayable(dead_letter)
    if dry_run or not dead_letters:
        return [Replayed(d, d.dlt("topic")) for d in dead_letters]
    producer = kafka_clients.make_producer(kafka, client_id="trc-dlt")
    await producer.start()
    done: list[Replayed] = []
    try:
        for d in dead_letters:
            sent = await producer.send_and_wait(
                d.dlt("topic"), value=d.value, key=d.key, headers=d.replay_headers()
            )
            done.append(Replayed(d, sent.topic, sent.partition, sent.offset))
            log.info(
                "dead_letter_replayed",
                dead_letter=d.ref,
                topic=sent.topic,
                partition=sent.partition,
                offset=sent.offset,
                consumer=d.dlt("consumer"),
            )
    finally:
        await producer.stop()
    return done
