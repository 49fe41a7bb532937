"""Assignments to Telegram: the time from an ``assignment.created`` event on the broker to the
``sendMessage`` at the Telegram stand-in (p50/p99) at a steady 20 assignments/s across 50 group
chats, and the time to drain a backlog of 1,000 messages against Telegram's limits (~1/s a chat,
20/min a group, ~30/s in all) beside the least those limits allow — on SQLite and PostgreSQL,
with the bare aiokafka ceiling of the same run. And what one team's group can carry: incidents
each through their usual life (assignment, accepted, en route, on scene, secured) offered faster
than the group's 18 calls a minute allow, counted fully delivered (the message shows it secured,
its buttons gone) per minute of that budget, with the calls the stand-in received checked
against Telegram's limits (no 60 s window over 20, no two calls to the chat under 1 s apart).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import time
import uuid
from typing import Any

from aiokafka import AIOKafkaProducer

from bench.baselines import bare_run
from bench.databases import Database, drop_postgres_databases, selected
from bench.platform import percentile
from services.notify.app import create_app
from services.notify.models import AssignmentMessage, Chat, KnownTeam
from services.notify.settings import NotifySettings
from shared.contracts import make_envelope
from shared.contracts.events import (
    AssignmentAcknowledged,
    AssignmentCreated,
    IncidentStatusChanged,
    Location,
    Payload,
)
from shared.contracts.vocabulary import Channel, IncidentState, Priority
from shared.logging import configure_logging
from shared.platform import Platform
from shared.settings import KafkaSettings
from trc.embedded.broker import EmbeddedBroker, free_port
from trc.embedded.telegram.app import in_process_server
from trc.embedded.telegram.state import StandIn

REGION = "21.71"


def assignment(n: int, team_id: str, number: str) -> AssignmentCreated:
    from datetime import UTC, datetime, timedelta

    return AssignmentCreated(
        assignment_id=f"a{n}-{uuid.uuid4().hex[:8]}",
        incident_id=f"i{n}-{number}",
        team_id=team_id,
        priority=Priority.P2,
        category="gelandangan",
        channel=Channel.CALL_CENTER,
        description="Orang tidur di emperan toko",
        location=Location(kecamatan="Lubuk Baja"),
        people_count=1,
        ack_deadline=datetime.now(UTC) + timedelta(minutes=5),
        incident_number=number,
    )


def event(n: int, chats: int, first_chat: int = 0) -> bytes:
    payload = assignment(n, f"team-{first_chat + n % chats}", f"B-{n:06d}")
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
            group = await one_group(platform, state, producer, kafka, args)
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
    print(
        f"{kind}: one group, incidents offered {args.group_offered:g}/min for {group['seconds']:.0f} s: "
        f"{group['delivered']:.0f} fully delivered with {group['calls']:.0f} calls to the group = "
        f"{group['per_min']:.1f} incidents per minute of its budget "
        f"({args.group_offered:g} offered) | at the stand-in: at most {group['max_60s']:.0f} calls "
        f"in any 60 s, shortest gap {group['min_gap']:.2f} s"
    )
    return {f"{kind}_p50_ms": percentile(latencies, 50), f"{kind}_p99_ms": percentile(latencies, 99),
            f"{kind}_drain_s": drain, f"{kind}_drain_efficiency": minimum / drain,
            f"{kind}_group_incidents_per_min": group["per_min"],
            f"{kind}_group_max_per_60s": group["max_60s"],
            f"{kind}_group_min_gap_s": group["min_gap"]}  # fmt: skip


GROUP_CHAT, GROUP_TEAM = -200000, "team-one-group"


async def one_group(
    platform: Platform,
    state: StandIn,
    producer: AIOKafkaProducer,
    kafka: KafkaSettings,
    args: argparse.Namespace,
) -> dict[str, float]:
    """Incidents through their usual life in one group, offered faster than it can carry; how
    many of them the group carries per minute of the sender's budget (18 calls), and the calls
    as the stand-in received them."""
    from datetime import UTC, datetime

    state.add_chat(GROUP_CHAT, "group", "Tim satu grup")
    async with platform.uow() as uow:
        uow.session.add(KnownTeam(team_id=GROUP_TEAM, region_code=REGION, code="G",
                                  name="Tim satu grup", chat_id=GROUP_CHAT))  # fmt: skip
        uow.session.add(
            Chat(chat_id=GROUP_CHAT, region_code=REGION, purpose="team", team_id=GROUP_TEAM)
        )
        await uow.commit()

    async def publish(payload: Payload) -> None:
        topic = "trc.assignments.v1"
        if isinstance(payload, IncidentStatusChanged):
            topic = "trc.incidents.v1"
        envelope = make_envelope(payload, producer="dispatch", region_code=REGION,
                                 correlation_id=getattr(payload, "incident_id", "x"))  # fmt: skip
        await producer.send_and_wait(kafka.topic(topic), envelope.to_bytes(), key=REGION.encode())

    async def told(assignment_id: str, acknowledged: bool) -> None:
        """Until notify has handled the assignment (or its acceptance): the next event of the
        life comes by another topic, which need not arrive after it."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            async with platform.sessions() as session:
                found = await session.get(AssignmentMessage, (assignment_id, GROUP_CHAT))
            if found is not None and (found.status or not acknowledged):
                return
            await asyncio.sleep(0.02)

    seconds = args.group_seconds if args.group_seconds is not None else 8 * args.seconds
    started = time.time()
    n = 0
    while time.time() < started + seconds:
        created = assignment(n, GROUP_TEAM, f"G-{n:06d}")
        await publish(created)
        await told(created.assignment_id, False)
        now = datetime.now(UTC)
        await publish(AssignmentAcknowledged(assignment_id=created.assignment_id, incident_id=created.incident_id,
                                             team_id=GROUP_TEAM, member_id="m-1", acknowledged_at=now))  # fmt: skip
        await told(created.assignment_id, True)
        life = [IncidentState.ACKNOWLEDGED, IncidentState.EN_ROUTE, IncidentState.ON_SCENE,
                IncidentState.SECURED]  # fmt: skip
        for before, after in itertools.pairwise(life):
            await publish(IncidentStatusChanged(incident_id=created.incident_id, from_state=before, to_state=after,
                                                changed_at=datetime.now(UTC), actor="member:m-1", category="gelandangan",
                                                people_count=1, priority=Priority.P2, team_id=GROUP_TEAM))  # fmt: skip
        n += 1
        await asyncio.sleep(max(0.0, started + n * 60 / args.group_offered - time.time()))
    ended = time.time()
    calls = sorted(e["at"] for e in state.log if e["chat_id"] in (GROUP_CHAT, str(GROUP_CHAT)))
    spent = [t for t in calls if started <= t <= ended]
    delivered = sum(
        1
        for m in state.chats[GROUP_CHAT].messages
        if "Nomor: G-" in m.get("text", "") and "Diamankan" in m.get("text", "") and "reply_markup" not in m
        and max(m.get("edit_date", 0), m.get("date", 0)) <= ended
    )  # fmt: skip
    budget_minutes = len(spent) / NotifySettings().per_group_per_minute
    return {
        "seconds": ended - started,
        "calls": len(spent),
        "delivered": delivered,
        "per_min": delivered / budget_minutes if budget_minutes else float("nan"),
        "max_60s": max((sum(1 for u in calls[i:] if u < t + 60) for i, t in enumerate(calls)), default=0),
        "min_gap": min((b - a for a, b in itertools.pairwise(calls)), default=float("inf")),
    }  # fmt: skip


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
    for figure, pick in (("incidents_per_min", min), ("max_per_60s", max), ("min_gap_s", min)):
        if found := [v for k, v in summary.items() if k.endswith(f"_group_{figure}")]:
            summary[f"group_{figure}"] = pick(found)
    efficiency = [v for k, v in summary.items() if k.endswith("_drain_efficiency")]
    figures = " ".join(
        f"{k}={v:.2f}"
        if k.endswith(("_efficiency", "_s"))
        else f"{k}={v:.1f}"
        if k.endswith("_per_min")
        else f"{k}={v:.0f}"
        for k, v in summary.items()
    )
    print(f"bench notify: {figures} ratio={min(efficiency) if efficiency else float('nan'):.2f}")
