"""Prometheus metrics of one service, served at ``GET /metrics``.

Every platform has a registry of its own, so several services in one process never clash.
Counters are fed where things are already counted (the consumer's :class:`BatchResult`, the
relay's hooks, notify's sender); gauges that live in the database (the outbox backlog, open
incidents) or in the Kafka client (consumer lag) are read when scraped, each read bounded by a
timeout. Every series carries the ``service`` label.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import col

from shared.db import SessionFactory
from shared.logging import get_logger
from shared.messaging.consumer import BatchResult
from shared.messaging.relay import RelayStatus
from shared.messaging.tables import OutboxMessage

log = get_logger(__name__)
CONTENT_TYPE = CONTENT_TYPE_LATEST
SCRAPE_JOB_TIMEOUT_S = 2.0
POSITION_TIMEOUT_S = 0.1
BATCH_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
ScrapeJob = Callable[[], Awaitable[None]]


class Metrics:
    def __init__(self, service: str) -> None:
        self.service = service
        self.registry = CollectorRegistry()
        self._scrape_jobs: list[tuple[str, ScrapeJob]] = []
        self.consumed = self.counter(
            "trc_events_consumed",
            "Messages a consumer read, by outcome: handled, duplicate, ignored, dead_lettered",
            "consumer", "topic", "event_type", "outcome",
        )  # fmt: skip
        self.dead_letters = self.counter(
            "trc_dead_letters",
            "Messages parked on a dead-letter topic, by reason: invalid or processing",
            "consumer", "topic", "reason",
        )  # fmt: skip
        self.batch_seconds = self.histogram(
            "trc_consumer_batch_duration_seconds",
            "Time a consumer took for one batch: handlers, inbox and commit",
            "consumer",
        )
        self.published = self.counter(
            "trc_events_published", "Outbox rows the broker acknowledged (replays too)", "topic"
        )
        self.outbox_backlog = self.gauge("trc_outbox_backlog", "Outbox rows not yet published")
        self.outbox_oldest_age = self.gauge(
            "trc_outbox_oldest_age_seconds", "Age of the oldest unpublished outbox row (0: none)"
        )
        self.relay_leader = self.gauge(
            "trc_outbox_relay_leader", "1 if this process holds the relay lease of its database"
        )
        self.consumer_lag = self.gauge(
            "trc_consumer_lag",
            "Messages on the broker the consumer has not fetched yet (highwater - position)",
            "consumer", "topic", "partition",
        )  # fmt: skip

    # ----------------------------------------------------------------- instruments
    def counter(self, name: str, documentation: str, *labels: str) -> Counter:
        return Counter(name, documentation, ["service", *labels], registry=self.registry)

    def gauge(self, name: str, documentation: str, *labels: str) -> Gauge:
        return Gauge(name, documentation, ["service", *labels], registry=self.registry)

    def histogram(self, name: str, documentation: str, *labels: str) -> Histogram:
        return Histogram(
            name, documentation, ["service", *labels], registry=self.registry, buckets=BATCH_BUCKETS
        )

    # ----------------------------------------------------------------- fed by the platform
    def observe_batch(self, consumer: str, result: BatchResult, seconds: float) -> None:
        """A consumer's batch (its ``after_batch`` hook)."""
        self.batch_seconds.labels(self.service, consumer).observe(seconds)
        for (topic, event_type, outcome), count in result.events.items():
            self.consumed.labels(self.service, consumer, topic, event_type, outcome).inc(count)
        for (topic, reason), count in result.parked.items():
            self.dead_letters.labels(self.service, consumer, topic, reason).inc(count)

    def observe_sent(self, rows: Sequence[Any]) -> None:
        """Rows the broker acknowledged (the relay's ``on_sent`` hook)."""
        by_topic: dict[str, int] = {}
        for row in rows:
            by_topic[row.topic] = by_topic.get(row.topic, 0) + 1
        for topic, count in by_topic.items():
            self.published.labels(self.service, topic).inc(count)

    # ----------------------------------------------------------------- scraping
    def on_scrape(self, name: str, job: ScrapeJob) -> None:
        """Run ``await job()`` before each scrape, to bring gauges up to date."""
        self._scrape_jobs.append((name, job))

    async def scrape(self) -> bytes:
        """The exposition text, after the scrape jobs ran (a failing or slow one is logged and
        its gauges keep their last values)."""
        for name, job in self._scrape_jobs:
            try:
                await asyncio.wait_for(job(), SCRAPE_JOB_TIMEOUT_S)
            except Exception as exc:
                log.warning("metrics_scrape_job_failed", job=name, error=repr(exc))
        return generate_latest(self.registry)


async def read_outbox(metrics: Metrics, sessions: SessionFactory, relay: RelayStatus) -> None:
    """Backlog and the age of its head: what the relay publishes next has waited longest (both
    queries run on the pending rows' partial index)."""
    pending = col(OutboxMessage.published_at).is_(None)
    async with sessions() as session:
        connection = await session.connection()
        backlog = (
            await connection.execute(
                sa_select(func.count()).select_from(OutboxMessage).where(pending)
            )
        ).scalar_one()
        oldest = (
            await connection.execute(
                sa_select(col(OutboxMessage.created_at))
                .where(pending)
                .order_by(col(OutboxMessage.id))
                .limit(1)
            )
        ).scalar_one_or_none()
    age = (datetime.now(UTC) - oldest).total_seconds() if oldest else 0.0
    metrics.outbox_backlog.labels(metrics.service).set(backlog)
    metrics.outbox_oldest_age.labels(metrics.service).set(max(age, 0.0))
    metrics.relay_leader.labels(metrics.service).set(1 if relay.leader else 0)


async def read_consumer_lag(
    metrics: Metrics,
    subscribers: Sequence[tuple[str, Any]],
    topic_prefix: str,
    consumer_names: Callable[[], dict[str, str]] = dict,
) -> None:
    """Lag of the partitions assigned to this process, from what the Kafka client already knows
    (the highwater of its last fetch and its position): no request to the broker. Labelled with
    the consumer reading the topic (``consumer_names``: topic → name), else the group."""
    metrics.consumer_lag.clear()
    names = consumer_names()
    for group, subscriber in subscribers:
        client = getattr(subscriber, "consumer", None)  # the AIOKafkaConsumer, once started
        if client is None:
            continue
        for tp in list(client.assignment()):
            try:
                highwater = client.highwater(tp)
                if highwater is None:  # nothing fetched from it yet
                    continue
                position = await asyncio.wait_for(client.position(tp), POSITION_TIMEOUT_S)
            except Exception as exc:  # revoked by a rebalance meanwhile, or no position yet
                log.debug("consumer_lag_unknown", topic=tp.topic, error=repr(exc))
                continue
            topic = tp.topic.removeprefix(topic_prefix)
            metrics.consumer_lag.labels(
                metrics.service, names.get(topic, group), topic, str(tp.partition)
            ).set(max(highwater - position, 0))
