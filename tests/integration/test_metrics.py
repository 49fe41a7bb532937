"""Prometheus metrics: every service answers /metrics from a registry of its own, and the
counters move when events are handled, published and dead-lettered, and when Telegram is called."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import update
from sqlmodel import col, select
from telegram import Bot

from services.notify.models import TABLES as NOTIFY_TABLES
from services.notify.models import Delivery
from services.notify.projections import deliver
from services.notify.sender import Sender
from services.notify.settings import NotifySettings
from shared.clock import system_clock
from shared.http import create_http_app
from shared.messaging.tables import OutboxMessage
from shared.platform import Platform, build_platform
from shared.settings import ServiceSettings
from tests.integration.dispatch_support import report as dispatch_report
from tests.integration.dispatch_support import running_dispatch
from tests.integration.telegram_support import running_standin
from tests.integration.worker import report

pytestmark = pytest.mark.integration
Samples = list[tuple[str, dict[str, str], float]]


def parse(text: str) -> Samples:
    return [
        (s.name, s.labels, s.value)
        for family in text_string_to_metric_families(text)
        for s in family.samples
    ]


def total(samples: Samples, name: str, **labels: str) -> float:
    """The sum of ``name``'s samples that carry ``labels`` (0 when there are none)."""
    return sum(
        v for n, ls, v in samples if n == name and all(ls.get(k) == w for k, w in labels.items())
    )


async def scrape(client: httpx.AsyncClient) -> Samples:
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return parse(response.text)


async def until(
    read: Callable[[], Awaitable[Samples]], check: Callable[[Samples], bool], timeout: float = 20
) -> Samples:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        samples = await read()
        if check(samples) or asyncio.get_running_loop().time() > deadline:
            return samples
        await asyncio.sleep(0.1)


async def test_dispatch_metrics_count_handled_published_and_dead_lettered_events(
    kafka_bootstrap: str, topic_prefix: str, new_database: Any
) -> None:
    async with running_dispatch(kafka_bootstrap, topic_prefix, new_database("dispatch")) as d:
        await d.publish(dispatch_report(1))
        topic = d.platform.settings.kafka.topic("trc.reports.v1")
        await d.producer.send_and_wait(topic, b"not an event", key=b"21.71")
        reports = {"consumer": "dispatch.reports", "topic": "trc.reports.v1"}

        def settled(s: Samples) -> bool:
            return (
                total(s, "trc_dead_letters_total", **reports) == 1
                and total(s, "trc_events_published_total", topic="trc.reports.v1.dlt") == 1
                and total(s, "trc_outbox_backlog") == 0
            )

        s = await until(lambda: scrape(d.client), settled)
        handled = {**reports, "event_type": "report.received", "outcome": "handled"}
        assert total(s, "trc_events_consumed_total", **handled) == 1
        parked = {**reports, "event_type": "invalid", "outcome": "dead_lettered"}
        assert total(s, "trc_events_consumed_total", **parked) == 1
        assert total(s, "trc_dead_letters_total", **reports, reason="invalid") == 1
        assert total(s, "trc_events_published_total", topic="trc.reports.v1.dlt") == 1
        assert total(s, "trc_events_published_total", topic="trc.incidents.v1") >= 1
        assert total(s, "trc_consumer_batch_duration_seconds_count", consumer="dispatch.reports")
        assert total(s, "trc_incidents_open", region_code="21.71") == 1
        assert total(s, "trc_outbox_oldest_age_seconds") == 0
        assert total(s, "trc_outbox_relay_leader") == 1
        assert all(ls["service"] == "dispatch" for n, ls, _ in s if n.startswith("trc_"))
        lag = [v for n, ls, v in s if n == "trc_consumer_lag" and ls["topic"] == "trc.reports.v1"]
        assert lag and all(v == 0 for v in lag)  # read from the client: it fetched everything


async def test_two_services_in_one_process_keep_their_metrics_apart(tmp_path: Any) -> None:
    platforms = [
        build_platform(
            ServiceSettings(service_name=name, database_url=f"sqlite:///{tmp_path}/{name}.db")
        )
        for name in ("intake", "shelter")
    ]
    try:
        for platform in platforms:
            await platform.migrate()
        async with platforms[0].uow() as uow:
            uow.emit(report(1), region_code="21.71", correlation_id="rep-1")
            await uow.commit()
        backlogs = {}
        for platform in platforms:
            app = create_http_app(platform, title=platform.service)
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://svc") as client:
                s = await scrape(client)
            assert {ls["service"] for n, ls, _ in s if n.startswith("trc_")} == {platform.service}
            backlogs[platform.service] = total(s, "trc_outbox_backlog")
        assert backlogs == {"intake": 1, "shelter": 0}
    finally:
        for platform in platforms:
            await platform.engine.dispose()


async def test_the_outbox_age_is_that_of_the_oldest_unpublished_row(new_database: Any) -> None:
    platform: Platform = build_platform(
        ServiceSettings(service_name="intake", database_url=new_database("intake"))
    )
    try:
        await platform.migrate()
        async with platform.uow() as uow:
            for seq in range(3):
                uow.emit(report(seq), region_code="21.71", correlation_id=f"rep-{seq}")
            await uow.commit()
        async with platform.sessions() as session:  # the first row has waited 90 s
            await session.exec(
                update(OutboxMessage)
                .where(col(OutboxMessage.id) == 1)
                .values(created_at=datetime.now(UTC) - timedelta(seconds=90))
            )
            await session.commit()
        s = parse((await platform.metrics.scrape()).decode())
        assert total(s, "trc_outbox_backlog") == 3
        assert 90 <= total(s, "trc_outbox_oldest_age_seconds") < 120
    finally:
        await platform.engine.dispose()


async def test_notify_counts_telegram_calls_and_429s(new_database: Any) -> None:
    async with running_standin() as telegram:
        settings = NotifySettings(
            database_url=new_database("notify"), telegram_standin_url=telegram.url
        )
        platform = build_platform(settings, tables=NOTIFY_TABLES, service_package="services.notify")
        await platform.migrate()
        await telegram.control.post(
            "/_standin/chats", json={"id": -3003, "type": "group", "title": "Tim M"}
        )
        await telegram.control.post(
            "/_standin/faults", json={"status": 429, "count": 1, "retry_after": 1}
        )
        async with platform.uow() as uow:
            deliver(uow.session, "evt-1", -3003, "test", "Uji", datetime.now(UTC))
            await uow.commit()
        bot = Bot(settings.token, base_url=settings.api_base_url)
        try:
            async with bot:
                sender = Sender(platform, bot, settings, system_clock)
                for _ in range(100):
                    await sender.run_once()
                    async with platform.sessions() as session:
                        [delivery] = (await session.exec(select(Delivery))).all()
                    if delivery.state == "sent":
                        break
                    await asyncio.sleep(0.05)
            s = parse((await platform.metrics.scrape()).decode())
        finally:
            await platform.engine.dispose()
    calls = "trc_telegram_requests_total"
    assert delivery.state == "sent"
    assert total(s, calls, service="notify", method="sendMessage", outcome="retry_after") == 1
    assert total(s, calls, service="notify", method="sendMessage", outcome="sent") == 1
