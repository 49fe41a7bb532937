"""Assignments to Telegram: the time from an ``assignment.created`` event on the broker to the
``sendMessage`` at the Telegram stand-in (p50/p99) at a steady 20 assignments/s across 50 group
chats, and the time to drain a backlog of 1,000 messages against Telegram's limits (~1/s a chat,
20/min a group, ~30/s in all) beside the least those limits allow — on SQLite and PostgreSQL,
with the bare aiokafka ceiling of the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import time
import uuid
from typing import Any

from aiokafka import AIOKafkaProducer

from bench.baselines import bare_run
from bench.databases import Database, drop_postgres_databases, selected
from bench.platform import percentile
from services.notify.app import create_app
from services.notify.models import Chat, KnownTeam
from services.notify.settings import NotifySettings
from shared.contracts import make_envelope
from shared.contracts.events import AssignmentCreated, Location
from shared.contracts.vocabulary import Channel, Priority
from shared.logging import configure_logging
from shared.platform import Platform
from shared.settings import KafkaSettings
from trc.embedded.broker import EmbeddedBroker, free_port
from trc.embedded.telegram.app import in_process_server
from trc.embedded.telegram.state import StandIn

REGION = "21.71"


def event(n: int, chats: int, first_chat: int = 0) -> bytes:
    from datetime import UTC, datetime, timedelta

    payload = AssignmentCreated(
        assignment_id=f"a{n}-{uuid.uuid4().hex[:8]}",
        incident_id=f"i{n}",
        team_id=f"team-{first_chat + n % chats}",
        priority=Priority.P2,
        category="gelandangan",
        channel=Channel.CALL_CENTER,
        description="Orang tidur di emperan toko",
        location=Location(kecamatan="Lubuk Baja"),
        people_count=1,
        ack_deadline=datetime.now(UTC) + timedelta(minutes=5),
        incident_number=f"B-{n:06d}",
    )
    return make_envelope(
        payload, producer="dispatch", region_code=REGION, correlation_id=payload.incident_id
    ).to_bytes()


def sent_at(state: StandIn) -> dict[str, float]:
    """Incident number → when the stand-in accepted its sendMessage."""
    texts = {m["message_id"]: m.get("text", "") for c in state.chats.values() for m in c.messages}
    found = {}
    for entry in state.log:
        if entry["method"] == "sendMessage" and entry["status"] == 200 and entry.get("message_id"):
            text = texts.get(entry["message_id"], "")
            if "Nomor: " in text:
                found[text.split("Nomor: ")[1].split("\n")[0]] = entry["at"]
    return found


async def run(database: Database, bootstrap: str, args: argparse.Namespace) -> dict[str, float]:
    state = StandIn()
    port = free_port()
    server = in_process_server(state, port)
    serving = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.02)
    kafka = KafkaSettings(
        bootstrap=bootstrap, topic_prefix=f"bn{uuid.uuid4().hex[:6]}.", session_timeout_ms=6000
    )
    app = create_app(NotifySettings(database_url=await database.make_url("notify"), kafka=kafka,
                                    telegram_standin_url=f"http://127.0.0.1:{port}"))  # fmt: skip
    platform: Platform = app.state.platform
    await platform.migrate()
    chats = args.chats
    async with platform.uow() as uow:
        for k in range(2 * chats):  # the steady run's chats, then fresh ones for the backlog
            chat_id = -100000 - k
            state.add_chat(chat_id, "group", f"Tim {k}")
            uow.session.add(
                KnownTeam(
                    team_id=f"team-{k}",
                    region_code=REGION,
                    code=str(k),
                    name=f"Tim {k}",
                    chat_id=chat_id,
                )
            )
            uow.session.add(
                Chat(chat_id=chat_id, region_code=REGION, purpose="team", team_id=f"team-{k}")
            )
        await uow.commit()
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=0)
    await producer.start()
    topic = kafka.topic("trc.assignments.v1")
    try:
        async with app.router.lifespan_context(app):
            while not (platform.connected and app.state.telegram.application.running):
                await asyncio.sleep(0.05)
            await asyncio.sleep(4)  # the consumer group settles
            # steady load
            published: dict[str, float] = {}
            count = int(args.rate * args.seconds)
            started = time.perf_counter()
            for n in range(count):
                await asyncio.sleep(max(0.0, started + n / args.rate - time.perf_counter()))
                published[f"B-{n:06d}"] = time.time()
                await producer.send_and_wait(topic, event(n, chats), key=REGION.encode())
            await _until(lambda: len(sent_at(state)) >= count, 60)
            arrived = sent_at(state)
            latencies = [(arrived[k] - published[k]) * 1000 for k in published if k in arrived]
            # backlog
            state.log.clear()
            first = time.time()
            for n in range(count, count + args.backlog):
                await producer.send(topic, event(n, chats, first_chat=chats), key=REGION.encode())
            await producer.flush()
            await _until(lambda: len(sent_at(state)) >= args.backlog, 240)
            drain = max(sent_at(state).values()) - first
    finally:
        await producer.stop()
        server.should_exit = True
        await serving
    minimum = _minimum(args.backlog, chats)
    kind = database.kind
    print(
        f"{kind}: steady {args.rate:g}/s over {chats} chats: event→sendMessage p50 {percentile(latencies, 50):.0f} ms "
        f"p99 {percentile(latencies, 99):.0f} ms | backlog {args.backlog} drained in {drain:.1f} s "
        f"(the limits allow {minimum:.1f} s at best: ×{drain / minimum:.2f})"
    )
    return {f"{kind}_p50_ms": percentile(latencies, 50), f"{kind}_p99_ms": percentile(latencies, 99),
            f"{kind}_drain_s": drain, f"{kind}_drain_efficiency": minimum / drain}  # fmt: skip


def _minimum(messages: int, chats: int) -> float:
    """The least time Telegram's limits allow for ``messages`` spread evenly over ``chats``
    groups: ~30/s in all; 1/s and 20/min in each group."""
    per_chat = -(-messages // chats)
    overall = (messages - 1) / 30
    in_a_chat = (
        (per_chat - 1) * 1.0
        if per_chat <= 20
        else (per_chat - 1) // 20 * 60 + ((per_chat - 1) % 20)
    )
    return max(overall, in_a_chat)


async def _until(done: Any, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not done() and time.monotonic() < deadline:
        await asyncio.sleep(0.1)


async def main(args: argparse.Namespace) -> None:
    configure_logging("ERROR")
    databases = await selected(args.databases)
    summary: dict[str, float] = {}
    with EmbeddedBroker(port=free_port()) as broker:
        ceiling = await bare_run(broker.bootstrap, 2000, None)
        print(f"ceiling (bare aiokafka, 2000 events, no database): {ceiling:,.0f} events/s")
        summary["ceiling"] = ceiling
        try:
            for database in databases:
                summary |= await run(database, broker.bootstrap, args)
        finally:
            await drop_postgres_databases()
    summary["minimum_s"] = _minimum(args.backlog, args.chats)
    efficiency = [v for k, v in summary.items() if k.endswith("_drain_efficiency")]
    figures = " ".join(
        f"{k}={v:.2f}" if k.endswith(("_efficiency", "_s")) else f"{k}={v:.0f}"
        for k, v in summary.items()
    )
    print(f"bench notify: {figures} ratio={min(efficiency) if efficiency else float('nan'):.2f}")
