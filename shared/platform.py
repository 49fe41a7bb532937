"""Composition root of a service's plumbing: database, outbox relay, broker and consumers.

Built by a factory from settings; importing this module starts nothing and connects nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient
from faststream.kafka import KafkaBroker
from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import AsyncEngine

from shared import db, migrate, tracing
from shared.faults import is_expected_fault
from shared.logging import get_logger
from shared.messaging import kafka as kafka_clients
from shared.messaging.consumer import ConsumerHooks, ReliableConsumer
from shared.messaging.groups import OffsetCarrier, instance_client_id, leave_for_former_self
from shared.messaging.handler import Handler
from shared.messaging.outbox import OutboxSignal, SignalListener
from shared.messaging.relay import OutboxRelay, RelayHooks
from shared.messaging.subscriber import Route, attach
from shared.messaging.tables import PLATFORM_TABLES
from shared.messaging.uow import UnitOfWork
from shared.metrics import Metrics, read_consumer_lag, read_outbox
from shared.settings import ServiceSettings

log = get_logger(__name__)
STOP_GRACE_S = 10.0  # how long stop() lets a periodic job finish


@dataclass(frozen=True)
class Subscription:
    """What :meth:`Platform.consume` registered (the AsyncAPI document is built from these)."""

    group: str  # the consumer's name: its inbox, its dead letters, its metrics
    topics: tuple[str, ...]
    handled: tuple[str, ...]  # event types with a handler; the others are read and skipped
    kafka_group: str = ""  # the service's consumer group (full id) that fetches them


@dataclass
class Platform:
    settings: ServiceSettings
    engine: AsyncEngine
    sessions: db.SessionFactory
    signal: OutboxSignal
    broker: KafkaBroker
    relay: OutboxRelay
    tables: list[Any]
    metrics: Metrics
    service_package: str | None = None
    consumers: list[ReliableConsumer] = field(default_factory=list)
    subscriptions: list[Subscription] = field(default_factory=list)
    connected: bool = False  # every consumer has joined its group and been given partitions
    reachable: bool = False  # the broker answered and the registry's topics exist
    periodic: list[tuple[str, float, Any]] = field(default_factory=list)
    companions: list[tuple[Any, Any]] = field(default_factory=list)
    _admin: AIOKafkaAdminClient | None = None
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)
    _periodic_tasks: list[asyncio.Task[None]] = field(default_factory=list)
    _subscribers: list[tuple[str, Any]] = field(default_factory=list)  # (group, subscriber)
    _routes: list[Route] = field(default_factory=list)
    _carrier: OffsetCarrier | None = None  # the former per-topic groups' offsets, taken over
    _wakes: dict[str, SignalListener] = field(default_factory=dict)  # until(): job → its ring
    _timed: set[str] = field(default_factory=set)  # until(): the jobs that say when to run next
    _stopping: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def service(self) -> str:
        return self.settings.service_name

    @property
    def stopping(self) -> asyncio.Event:
        """Set when :meth:`stop` begins: a periodic job that waits inside itself waits on this
        too, so the stop need not wait out its grace."""
        return self._stopping

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.sessions, producer=self.service, signal=self.signal)

    def consume(
        self,
        name: str,
        topics: list[str],
        handlers: dict[str, Handler],
        *,
        hooks: ConsumerHooks | None = None,
    ) -> ReliableConsumer:
        """Register an idempotent consumer (``<service>.<name>``: its inbox, dead letters and
        metrics) before :meth:`start`. Every consumer of the service reads through one Kafka
        consumer group, :attr:`group` (see :func:`~shared.messaging.subscriber.attach`)."""
        if self._subscribers:
            raise RuntimeError("consumers are registered before the service's subscriber is built")
        name = f"{self.service}.{name}"
        hooks = hooks or ConsumerHooks()
        if hooks.after_batch is None:
            hooks = replace(hooks, after_batch=partial(self.metrics.observe_batch, name))
        consumer = ReliableConsumer(
            name=name,
            producer=self.service,
            sessions=self.sessions,
            handlers=handlers,
            kafka=self.settings.kafka,
            messaging=self.settings.messaging,
            signal=self.signal,
            hooks=hooks,
        )
        self.consumers.append(consumer)
        self._routes.append(Route(consumer, tuple(topics)))
        self.subscriptions.append(
            Subscription(name, tuple(topics), tuple(handlers), kafka_group=self.group)
        )
        return consumer

    @property
    def group(self) -> str:
        """The service's consumer group: ``<prefix><service>.all``."""
        return self.settings.kafka.group(f"{self.service}.all")

    def subscriber(self) -> Any:
        """The service's one FastStream subscriber, for every consumer registered so far (built
        at the first call; :meth:`start` makes it)."""
        if not self._subscribers and self._routes:
            subscriber = attach(
                self._routes,
                self.broker,
                kafka=self.settings.kafka,
                messaging=self.settings.messaging,
                group_id=self.group,
            )
            self._subscribers.append((self.group, subscriber))
            kafka = self.settings.kafka
            former = {
                kafka.group(r.consumer.name): [kafka.topic(t) for t in r.topics]
                for r in self._routes
            }
            self._carrier = OffsetCarrier(self.group, former)
        return self._subscribers[0][1] if self._subscribers else None

    def consumer_names(self) -> dict[str, str]:
        """Topic (registry name) → the consumer(s) reading it, for metrics labels."""
        names: dict[str, list[str]] = {}
        for route in self._routes:
            for topic in route.topics:
                names.setdefault(topic, []).append(route.consumer.name)
        return {topic: ",".join(consumers) for topic, consumers in names.items()}

    def alongside(self, start: Any, stop: Any) -> None:
        """Run ``await start()`` after the platform starts and ``await stop()`` before it stops
        (e.g. a Telegram bot in the service's own event loop)."""
        self.companions.append((start, stop))

    def every(self, name: str, seconds: float, job: Any) -> None:
        """Run ``await job()`` every ``seconds`` while the service runs (register before
        :meth:`start`). A failing run is logged and the next one comes anyway."""
        self.periodic.append((name, seconds, job))

    def until(self, name: str, job: Any, *, retry_s: float = 1.0, on_commit: bool = True) -> None:
        """Run ``await job()`` while the service runs, again once the seconds it returns have
        passed (0: at once) or :attr:`signal` rang, whichever comes first: a loop that sleeps
        at rest and wakes on work (register before :meth:`start`). ``on_commit`` False: a job
        whose work only comes due with time sleeps its seconds whatever is committed. A failing
        run is logged and the next comes after ``retry_s``."""
        self.periodic.append((name, retry_s, job))
        self._timed.add(name)
        if on_commit:
            self._wakes[name] = self.signal.listener()  # a ring from now on is kept for its loop

    def wake(self, name: str) -> None:
        """Run the :meth:`until` loop ``name`` now, without waking the others (a commit that
        wrote events rings them all through :attr:`signal`). No such loop: nothing to wake."""
        if (listener := self._wakes.get(name)) is not None:
            listener.ring()

    async def _repeat(self, name: str, seconds: float, job: Any) -> None:
        failures = 0  # in a row: an outage is one line when it starts and one when it ends
        wake, timed = self._wakes.get(name), name in self._timed
        while not self._stopping.is_set():
            pause = seconds
            try:
                result = await job()
                if timed:
                    pause = max(0.0, float(result))
                if failures:
                    log.info("periodic_job_recovered", job=name, failed_runs=failures)
                failures = 0
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                failures += 1
                if not is_expected_fault(exc):
                    log.exception("periodic_job_failed", job=name)
                elif failures == 1:  # e.g. the database restarting: the next runs retry
                    log.warning(
                        "periodic_job_failed", job=name, error=repr(exc), retry_every_s=seconds
                    )
            if wake is None:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), pause)
            elif pause > 0:
                await wake.wait(pause)  # stop() rings too

    @property
    def migration_versions(self) -> list[Path]:
        return [migrate.service_versions(self.service_package)] if self.service_package else []

    async def migrate(self) -> None:
        """Apply the Alembic revisions (platform + this service); without a service package
        (tests, benchmarks) the extra tables are created directly."""
        url = self.settings.database_url.get_secret_value()
        await asyncio.to_thread(migrate.upgrade, url, versions=self.migration_versions)
        if not self.service_package:
            await db.create_tables(self.engine, self.tables)

    def metadata(self) -> MetaData:
        """The tables this service's database should hold (for autogenerate and checks)."""
        metadata = MetaData()
        for table in [*PLATFORM_TABLES, *self.tables]:
            table.to_metadata(metadata)
        return metadata

    async def start(self) -> None:
        """Start the relay at once, and connect the consumers in the background (with retries)."""
        self._stopping.clear()
        self._tasks.append(asyncio.create_task(self.relay.run(), name=f"{self.service}-relay"))
        self._tasks.append(asyncio.create_task(self._connect(), name=f"{self.service}-connect"))
        for start, _stop in self.companions:
            await start()
        for name, seconds, job in self.periodic:
            task = asyncio.create_task(
                self._repeat(name, seconds, job), name=f"{self.service}-{name}"
            )
            self._periodic_tasks.append(task)

    async def _connect(self) -> None:
        backoff = 0.5
        while True:
            try:
                if self._admin is None:
                    admin = kafka_clients.make_admin(self.settings.kafka, client_id=self.service)
                    await admin.start()
                    self._admin = admin
                await kafka_clients.ensure_topics(self._admin, self.settings.kafka)
                self.reachable = True
                await self._start_consumers()
                self.connected = True
                log.info("broker_connected", bootstrap=self.settings.kafka.bootstrap)
                return
            except Exception as exc:
                log.warning("broker_connect_failed", error=repr(exc), retry_in_s=backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 10)

    async def _start_consumers(self) -> None:
        """The service's group takes over the offsets of the per-topic groups it replaced (once,
        :mod:`~shared.messaging.groups`), then joins. Any other subscriber on the broker (tests)
        joins at the same time, not one after the other: a join waits for the group's rebalance
        (about 3 s on the embedded broker)."""
        self.subscriber()
        if self._carrier is not None and self._admin is not None:
            await self._carrier.carry(self._admin, self.settings.kafka)
        if self._subscribers and self._admin is not None:
            await leave_for_former_self(self._admin, self.group, self.broker.config.client_id)
        await self.broker.connect()
        subscribers = self.broker.subscribers
        try:
            await asyncio.gather(*(s.start() for s in subscribers))
        except BaseException:
            # Nothing half-started is left behind for the next attempt to start twice.
            await asyncio.gather(*(s.stop() for s in subscribers), return_exceptions=True)
            raise
        for publisher in self.broker.publishers:
            await publisher.start()
        self.broker.running = True

    async def stop(self) -> None:
        # A periodic job finishes what it is doing (a task cancelled inside a transaction can
        # keep the database connection from its pool — SQLite's only one — until a timeout);
        # the loops leave at their next pause, and only one still busy after the grace is cut.
        self._stopping.set()
        self.signal.notify()
        if self._periodic_tasks:
            _done, busy = await asyncio.wait(self._periodic_tasks, timeout=STOP_GRACE_S)
            for task in busy:
                task.cancel()
            await asyncio.gather(*self._periodic_tasks, return_exceptions=True)
        for _start, stop in reversed(self.companions):
            try:
                await stop()
            except Exception as exc:
                log.error("companion_stop_failed", error=repr(exc))
        self.relay.stop()
        for task in self._tasks:
            if task.get_name().endswith("-connect"):
                task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.broker.stop()
        if self._admin is not None:
            await self._admin.close()
        await self.engine.dispose()

    async def readiness(self) -> dict[str, Any]:
        """Ready = this instance can take work and keep it: the database answers, the broker
        answers, and the outbox relay runs (publishing, standing by for another replica, or
        starting without an error so far).
        Consumers still joining their groups do not hold readiness back: what they will read
        waits in Kafka, and what the HTTP API accepts waits in the outbox (docs/messaging.md)."""
        checks: dict[str, Any] = {}
        try:
            await asyncio.wait_for(db.ping(self.engine), 2)
            checks["database"] = "ok"
        except Exception as exc:
            checks["database"] = f"error: {type(exc).__name__}"
        checks["broker"] = "ok" if self.reachable and await self._broker_ping() else "down"
        checks["relay"] = (
            "ok" if self.relay.status.healthy else (self.relay.status.last_error or "starting")
        )
        # A relay still starting (its first batch under way) is no reason to turn writes away.
        checks["ready"] = all(v in ("ok", "starting") for v in checks.values())
        checks["consumers_joined"] = self.connected
        checks["consumers"] = [c.describe() for c in self.consumers]
        return checks

    async def _broker_ping(self) -> bool:
        if self._admin is None:
            return False
        try:
            await asyncio.wait_for(kafka_clients.cluster_id(self._admin), 1.0)
        except Exception:
            return False
        return True


def build_platform(
    settings: ServiceSettings,
    *,
    tables: list[Any] | None = None,
    service_package: str | None = None,
    relay_hooks: RelayHooks | None = None,
) -> Platform:
    """``service_package`` (e.g. ``"services.intake"``) names where the service keeps its
    migrations; its ``tables`` are then created by them, never directly."""
    tracing.setup(settings.tracing, settings.service_name)
    metrics = Metrics(settings.service_name)
    engine = db.create_engine(settings.database_url.get_secret_value())
    sessions = db.session_factory(engine)
    signal = OutboxSignal()
    broker = KafkaBroker(
        settings.kafka.bootstrap,
        client_id=instance_client_id(settings.service_name, settings.http_port),
        logger=logging.getLogger("trc.faststream"),
        log_level=logging.DEBUG,  # per-message lines off by default; our consumers log outcomes
        graceful_timeout=10.0,
        consumer_only=True,  # the outbox relay is the only producer
        security=kafka_clients.faststream_security(settings.kafka),
    )
    relay = OutboxRelay(
        name=settings.service_name,
        sessions=sessions,
        kafka=settings.kafka,
        messaging=settings.messaging,
        signal=signal,
        hooks=replace(relay_hooks or RelayHooks(), on_sent=metrics.observe_sent),
        listen_url=settings.database_url.get_secret_value(),
    )
    platform = Platform(
        settings=settings,
        engine=engine,
        sessions=sessions,
        signal=signal,
        broker=broker,
        relay=relay,
        tables=list(tables or []),
        metrics=metrics,
        service_package=service_package,
    )
    metrics.on_scrape("outbox", partial(read_outbox, metrics, sessions, relay.status))
    lag = partial(
        read_consumer_lag,
        metrics,
        platform._subscribers,
        settings.kafka.topic_prefix,
        platform.consumer_names,
    )
    metrics.on_scrape("consumer_lag", lag)
    return platform
