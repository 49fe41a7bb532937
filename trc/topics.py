"""``trc topics create``: every registry topic and its dead-letter twin, made once before the
services start (a production cluster has automatic topic creation off).

Partitions, replication factor and ``min.insync.replicas`` come from the ``TRC_KAFKA_``
settings, the same ones the services use when they find a topic missing. Existing topics are
never changed: adding partitions moves regions to other partitions, which an operator does on
purpose (see docs/scale.md), not a start-up script.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from dataclasses import dataclass, field
from typing import Any

from shared.settings import KafkaSettings


@dataclass
class TopicsReport:
    created: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    too_few_partitions: dict[str, int] = field(default_factory=dict)


async def create_topics(kafka: KafkaSettings) -> TopicsReport:
    from shared.messaging import kafka as kafka_clients  # aiokafka only when it is needed

    admin = kafka_clients.make_admin(kafka, client_id="trc-topics")
    await admin.start()
    try:
        report = TopicsReport(created=await kafka_clients.ensure_topics(admin, kafka))
        report.existing = [
            n for n in kafka_clients.registry_topics(kafka) if n not in report.created
        ]
        if report.existing:
            for described in await admin.describe_topics(report.existing):
                count = len(described.get("partitions", []))
                if count < kafka.partitions:
                    report.too_few_partitions[described["topic"]] = count
        return report
    finally:
        await admin.close()


def _until_reachable(kafka: KafkaSettings, wait_s: float) -> TopicsReport:
    deadline = time.monotonic() + wait_s
    while True:
        try:
            return asyncio.run(create_topics(kafka))
        except Exception as exc:
            if time.monotonic() >= deadline:
                raise SystemExit(
                    f"trc topics: broker {kafka.bootstrap} not usable: {exc!r}"
                ) from exc
            time.sleep(2)


def cmd_topics(args: argparse.Namespace) -> int:
    kafka = KafkaSettings()
    report = _until_reachable(kafka, args.wait)
    insync = kafka.min_insync_replicas or "broker default"
    _say(
        f"topics on {kafka.bootstrap}: {len(report.created)} created, "
        f"{len(report.existing)} already there (partitions {kafka.partitions}, "
        f"replication factor {kafka.replication_factor}, min.insync.replicas {insync})"
    )
    for name in report.created:
        _say(f"  created  {name}")
    for name, count in sorted(report.too_few_partitions.items()):
        _say(f"  WARNING  {name} has {count} partitions, fewer than {kafka.partitions}")
    return 0


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")


def register(sub: Any) -> None:
    """Add ``trc topics create`` to the ``trc`` command line."""
    topics = sub.add_parser(
        "topics", help="create the registry's topics and .dlt twins (TRC_KAFKA_* settings)"
    )
    topics.add_argument("action", choices=["create"])
    topics.add_argument(
        "--wait", type=float, default=60.0, help="seconds to keep trying to reach the broker"
    )
    topics.set_defaults(func=cmd_topics)
