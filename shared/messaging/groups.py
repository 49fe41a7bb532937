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

A service restarted after a crash would wait for the broker to drop the dead process from the
group (the session timeout, 10 s) before reading again; :func:`leave_for_former_self` removes it
at once instead: the same instance (same host and port) consumes under the same client id, and
Kafka names members ``<client id>-<uuid>``.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.protocol.group import LeaveGroupRequest
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


def instance_client_id(service: str, port: int, host: str | None = None) -> str:
    """The client id a service instance consumes under: the same for a process restarted in its
    place (same host, same port), another for a second instance (``dispatch-srv1-8002``)."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", host or socket.gethostname()).strip("-")
    return f"{service}-{name or 'host'}-{port}"


async def leave_for_former_self(admin: AIOKafkaAdminClient, group: str, client_id: str) -> int:
    """Remove from ``group`` the members this instance left behind when it died (their id is
    ``client_id`` and a uuid), so the group rebalances now instead of after their session
    timeout. A member that was in fact alive (it cannot be: it held this host's port) would
    rejoin, and the batch it had not committed would come again, absorbed by the inbox. Best
    effort: returns how many left; any failure is logged, and the join simply waits as before."""
    prefix = f"{client_id}-"
    try:
        node = await admin.find_coordinator(group)
        (described,) = await admin.describe_consumer_groups([group], group_coordinator_id=node)
        members = [m[0] for g in described.groups for m in g[5] if g[1] == group]
        former = [m for m in members if m.startswith(prefix) and len(m) == len(prefix) + 36]
        removed = 0
        for member in former:
            # The admin client has no LeaveGroup of its own: its connection to the coordinator.
            answer = await admin._client.send(node, LeaveGroupRequest(group, member))
            removed += answer.error_code == 0  # else gone already (its session ended meanwhile)
    except Exception as exc:
        log.warning("former_member_not_removed", group=group, error=repr(exc))
        return 0
    if removed:
        log.info("former_member_removed", group=group, members=removed)
    return removed
