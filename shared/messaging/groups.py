"""A service's consumer group starts where the groups it replaced stopped.

Services once read each topic in a group of its own (``<service>.<name>``, e.g.
``dispatch.reports``); now one group a service (``<service>.all``) reads them all. A group
without committed offsets would start at the earliest offset and read every event the broker
still keeps again. The inboxes skip what they remember (8 days by default), but a broker may
keep more than that, and an event handled twice past the inbox's memory is, for example, an
assignment message sent again. So before the service's group first joins, the offsets its
former groups committed are committed for it (once: a group with any offset of its own is left
alone), and nothing is read twice.

Reading offsets uses the admin client's OffsetFetch with the partitions named (the embedded
broker does not answer the form that asks for every partition); committing uses a consumer of
the new group with the partitions assigned by hand, which commits without joining.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.structs import OffsetAndMetadata

from shared.logging import get_logger
from shared.messaging import kafka as kafka_clients
from shared.settings import KafkaSettings

log = get_logger(__name__)
CARRY_ATTEMPTS = 3  # then the service's group starts without the former groups' offsets


@dataclass
class OffsetCarrier:
    """:func:`carry_offsets` for one service's group, tried with each connection attempt: a
    failure is raised (the connection is retried) until ``CARRY_ATTEMPTS``, then the service
    consumes anyway — a service that reads nothing dispatches nobody, and the inboxes skip
    what they remember of what the former groups read."""

    group: str
    former: dict[str, list[str]]  # old group id → the topics (full names) it read
    failures: int = 0

    async def carry(self, admin: AIOKafkaAdminClient, kafka: KafkaSettings) -> None:
        if self.failures >= CARRY_ATTEMPTS:
            return
        try:
            await carry_offsets(admin, kafka, self.group, self.former)
        except Exception as exc:
            self.failures += 1
            log.warning(
                "consumer_offsets_not_carried",
                group=self.group,
                error=repr(exc),
                attempt=self.failures,
                next="retry" if self.failures < CARRY_ATTEMPTS else "consume anyway",
            )
            if self.failures < CARRY_ATTEMPTS:
                raise


async def carry_offsets(
    admin: AIOKafkaAdminClient,
    kafka: KafkaSettings,
    group: str,
    former: Mapping[str, Sequence[str]],
) -> dict[TopicPartition, int]:
    """Commit for ``group`` (a full group id) the offsets that ``former`` (old group id → the
    topics, full names, it read) committed, unless ``group`` has offsets of its own. Returns
    what was carried."""
    topics = sorted({t for names in former.values() for t in names})
    consumer = AIOKafkaConsumer(
        group_id=group,
        enable_auto_commit=False,
        client_id=f"{group}-offsets",
        **kafka_clients.client_kwargs(kafka),
    )
    try:
        await consumer.start()  # inside: one that failed to start is closed all the same
        await consumer.topics()  # metadata of every topic, so partitions are known
        partitions = {
            t: [TopicPartition(t, p) for p in sorted(consumer.partitions_for_topic(t) or ())]
            for t in topics
        }
        every = [tp for t in topics for tp in partitions[t]]
        if not every:
            return {}
        own = await admin.list_consumer_group_offsets(group, partitions=every)
        if any(o.offset >= 0 for o in own.values()):
            return {}  # carried before, or consuming already
        carried: dict[TopicPartition, int] = {}
        for old, names in former.items():
            wanted = [tp for t in names for tp in partitions.get(t, [])]
            if not wanted:
                continue
            for tp, committed in (
                await admin.list_consumer_group_offsets(old, partitions=wanted)
            ).items():
                if committed.offset >= 0:
                    carried[tp] = committed.offset
        if carried:
            consumer.assign(sorted(carried, key=lambda tp: (tp.topic, tp.partition)))
            await consumer.commit({tp: OffsetAndMetadata(o, "") for tp, o in carried.items()})
            log.info(
                "consumer_offsets_carried",
                group=group,
                former=sorted(former),
                partitions=len(carried),
            )
        return carried
    finally:
        await consumer.stop()
