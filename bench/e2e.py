"""End to end on the stack `trc up` starts: reports posted to intake's call-center API until each
assignment message is in the team's group in the Telegram stand-in — on SQLite and PostgreSQL.

- **Region**: ``--teams`` (100) teams of one member and capacity 50 each, all on one 24-hour
  shift, each with its Telegram group linked with ``/daftar`` (the simulator's
  :func:`~trc.simulator.world.build`); acknowledgment deadlines of a day, so nothing is
  escalated or reassigned while the benchmark runs, and room for every report, so no incident
  waits for a team. Left to limit the rate: the pipeline itself and Telegram's limits as notify
  keeps them — 30 messages/s in all, 1/s and 20/min a group (100 groups × 20/min = 33/s, so
  the 30/s binds first).
- **Maximum**: ``--offered`` (60) reports/s for ``--seconds`` (15); the sustained delivery rate
  is the middle 80 % of the messages over the time between the 10th and the 90th percentile
  arrival (steady state, without the ramp up and the tail).
- **Latency** at 10, 50 and 80 % of that maximum, ``--seconds`` each: from the moment a report's
  POST was sent to the moment the stand-in accepted the ``sendMessage`` of its assignment (its
  call log's time; the report carries a marker ``[e2e-000123]`` found in the message). p50/p99.
  Each step waits until every message is in before the next starts.
- **Where the time goes**: CPU of each process of the stack (and of the benchmark's client) per
  report in each step and with the stack idle, beside how busy the whole machine was.
- **At rest** (``idle_cpu_pct``): the whole stack's CPU, broker and Telegram stand-in included,
  in % of one core, over ``--rest-seconds`` once the region is set up and every consumer has
  gone ``TRC_KAFKA_FETCH_IDLE_AFTER_S`` without a record (nothing happening). Beside it, how
  busy it is right after a burst (``IDLE_S``, consumers still at their short pace).
- **Memory**: each service's resident set (VmRSS) after the runs.
- **Baseline**: bare aiokafka on the stack's own broker (events/s, no database), before the
  load. ``ratio`` is the maximum over that ceiling (the lower database).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from bench.baselines import bare_run
from bench.databases import POSTGRES_URL, drop_postgres_databases, postgres_database, selected
from bench.platform import percentile
from bench.stack import TICKS, Stack
from shared.settings import KafkaSettings
from trc.embedded.stack import SERVICES
from trc.simulator.scenario import CategorySpec, Scenario, ShiftSpec, TeamSpec
from trc.simulator.world import Credentials, Endpoints, World, build

REGION = "21.71"
LEVELS = (10, 50, 80)  # % of the measured maximum
CAPACITY = 50  # concurrent incidents per team (the most a team may hold)
TEXTS = {
    "gelandangan": "Gelandangan tidur di trotoar",
    "pengemis": "Pengemis meminta-minta di persimpangan",
}
MARKER = re.compile(r"\[e2e-(\d+)\]")
# No new message for this long: what has not arrived will not. Longer than a group's minute
# window: with few groups the maximum's burst spends every group's minute budget at once, and
# nothing is sent until the windows open again — a shorter wait left that backlog ahead of the
# next step's reports (--teams 30: the 10 % step read p50 8–9 s).
QUIET_S = 65.0
DAY_S = str(24 * 3600)
IDLE_S = 5.0


def load_scenario(teams: int) -> Scenario:
    """A region built for load: every team on one 24-hour shift (07:00 to 07:00)."""
    return Scenario(
        name="e2e-load",
        title="Uji beban ujung ke ujung",
        region_code=REGION,
        reports_per_day=1,
        channels={"call_center": 1.0},
        profiles={"flat": [1.0] * 24},
        categories=[
            CategorySpec(code=code, weight=1, profile="flat", texts=[text])
            for code, text in TEXTS.items()
        ],
        kecamatan={"Lubuk Baja": 1},
        bounds=(1.02, 103.93, 1.19, 104.13),
        shifts=[ShiftSpec(code="hari", starts="07:00", ends="07:00")],
        teams=[
            TeamSpec(
                code=f"E{n:03d}", name=f"Beban {n:03d}", shift="hari", capacity=CAPACITY, staff=1
            )
            for n in range(teams)
        ],
    )


@dataclass
class Step:
    label: str
    rate: float
    seconds: float
    sent: dict[int, float] = field(default_factory=dict)  # marker → epoch s, POST sent
    answered: list[float] = field(default_factory=list)  # epoch s of each 201
    arrived: dict[int, float] = field(default_factory=dict)  # marker → epoch s, message in

    @property
    def latencies_ms(self) -> list[float]:
        return [(self.arrived[n] - at) * 1000 for n, at in self.sent.items() if n in self.arrived]

    def delivered_rate(self) -> float:
        """Messages/s in steady state: the middle 80 % over their arrival span."""
        times = sorted(self.arrived.values())
        if len(times) < 5:
            return len(times) / max(self.seconds, 0.001)
        low, high = round(0.1 * (len(times) - 1)), round(0.9 * (len(times) - 1))
        return (high - low) / max(times[high] - times[low], 0.001)

    def busiest(self, window: float = 5.0) -> float:
        """Messages/s in the busiest ``window`` seconds (Telegram's limit: 30/s)."""
        times, most, low = sorted(self.arrived.values()), 0, 0
        for high, at in enumerate(times):
            while at - times[low] >= window:
                low += 1
            most = max(most, high - low + 1)
        return most / window

    def answered_rate(self) -> float:
        if len(self.answered) < 2:
            return float(len(self.answered)) / max(self.seconds, 0.001)
        return (len(self.answered) - 1) / max(max(self.answered) - min(self.sent.values()), 0.001)


class Load:
    """Posts marked reports to intake and finds their assignment messages in the stand-in."""

    def __init__(self, urls: Endpoints, world: World, http: httpx.AsyncClient) -> None:
        self.urls, self.world, self.http = urls, world, http
        self.run = uuid.uuid4().hex[:8]
        self.seq = 0
        self.accepted = 0  # reports intake accepted so far: each is one message to a team
        self.read = 0  # entries of the stand-in's call log read so far
        self.when: dict[tuple[int, int], float] = {}  # (chat, message) → epoch s, accepted
        self.team_chats = set(world.chats.values())
        self.places = sorted(world.places) or ["Lubuk Baja"]

    async def start(self) -> None:
        self.read = len(await self._log())

    async def _log(self) -> list[dict[str, Any]]:
        answer = await self.http.get(
            f"{self.urls.telegram}/_standin/log", params={"since": self.read}
        )
        answer.raise_for_status()
        return list(answer.json())

    async def offer(self, label: str, rate: float, seconds: float) -> Step:
        """``rate`` reports/s for ``seconds``; returns once their messages are in (or stopped
        coming)."""
        step = Step(label, rate, seconds)
        count = max(2, round(rate * seconds))
        url = f"{self.urls.intake}/api/v1/reports"
        categories = sorted(TEXTS)

        async def post(n: int) -> None:
            category = categories[n % len(categories)]
            body = {
                "region_code": REGION,
                "description": f"[e2e-{n:06d}] {TEXTS[category]}",
                "category": category,
                "location": {"kecamatan": self.places[n % len(self.places)]},
            }
            headers = {**self.world.headers("operator"), "Idempotency-Key": f"e2e-{self.run}-{n}"}
            step.sent[n] = time.time()
            try:
                answer = await self.http.post(url, json=body, headers=headers)
            except httpx.HTTPError:
                answer = None
            if answer is not None and answer.status_code == 201:
                step.answered.append(time.time())
                self.accepted += 1
            else:
                del step.sent[n]

        first, self.seq = self.seq, self.seq + count
        began = time.perf_counter()
        tasks = []
        for k in range(count):
            await asyncio.sleep(max(0.0, began + k / rate - time.perf_counter()))
            tasks.append(asyncio.create_task(post(first + k)))
        await asyncio.gather(*tasks)
        await self._drain()
        await self._match(step)
        return step

    async def _drain(self) -> None:
        """Until every accepted report's message is in a team's group (nothing else is sent
        there: no deadline passes, no shift changes hands), or none came for a while."""
        last_new = time.monotonic()
        while len(self.when) < self.accepted and time.monotonic() - last_new < QUIET_S:
            await asyncio.sleep(0.5)
            fresh = await self._log()
            self.read += len(fresh)
            for entry in fresh:
                if (
                    entry["method"] == "sendMessage"
                    and entry["status"] == 200
                    and entry.get("message_id")
                    and int(entry["chat_id"]) in self.team_chats
                ):
                    self.when[int(entry["chat_id"]), int(entry["message_id"])] = float(entry["at"])
                    last_new = time.monotonic()

    async def _match(self, step: Step) -> None:
        """The step's reports by the markers in the messages' texts."""
        for chat in {chat for chat, _ in self.when}:
            answer = await self.http.get(f"{self.urls.telegram}/_standin/chats/{chat}/messages")
            answer.raise_for_status()
            for message in answer.json():
                at = self.when.get((chat, int(message["message_id"])))
                marker = MARKER.search(str(message.get("text", "")))
                if at is not None and marker is not None and int(marker.group(1)) in step.sent:
                    step.arrived[int(marker.group(1))] = at


@dataclass
class Usage:
    """CPU seconds spent by each of the stack's processes, by the benchmark's own client and by
    the whole machine (other work included), and the wall time, between two moments."""

    cpu: dict[str, float]
    machine_busy: float  # seconds of any core busy
    machine_total: float  # seconds of all cores
    wall: float

    @classmethod
    def now(cls, stack: Stack) -> Usage:
        ticks = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        idle = ticks[3] + ticks[4]  # idle + iowait
        return cls(
            stack.cpu_s() | {"client": time.process_time()},
            (sum(ticks) - idle) / TICKS,
            sum(ticks) / TICKS,
            time.perf_counter(),
        )

    def since(self, before: Usage) -> Usage:
        return Usage(
            {k: v - before.cpu.get(k, 0.0) for k, v in self.cpu.items()},
            self.machine_busy - before.machine_busy,
            self.machine_total - before.machine_total,
            self.wall - before.wall,
        )

    def each(self, *, percent: bool = False) -> str:
        """Each process of the stack: cores it used (or % of one core)."""
        return ", ".join(
            f"{k} {v / max(self.wall, 0.001) * 100:.1f}" if percent
            else f"{k} {v / max(self.wall, 0.001):.2f}"
            for k, v in sorted(self.cpu.items()) if k != "client"
        )  # fmt: skip

    def cores(self) -> float:
        return sum(v for k, v in self.cpu.items() if k != "client") / max(self.wall, 0.001)

    def machine_percent(self) -> float:
        return self.machine_busy / max(self.machine_total, 0.001) * 100

    def describe(self, reports: int) -> str:
        per = ", ".join(
            f"{k} {v / max(reports, 1) * 1000:.1f}" for k, v in sorted(self.cpu.items())
        )
        return (
            f"CPU ms per report: {per}; the stack used {self.cores():.2f} cores, the machine "
            f"was {self.machine_percent():.0f} % busy ({os.cpu_count()} cores)"
        )


async def at_rest(stack: Stack, seconds: float, kind: str) -> float:
    """% of one core the stack spends with nothing happening (see the module's notes)."""
    told = stack.extra.get("TRC_KAFKA_FETCH_IDLE_AFTER_S")
    quiet = float(told) if told else KafkaSettings().fetch_idle_after_s
    await asyncio.sleep(quiet + 2.0)
    before = Usage.now(stack)
    await asyncio.sleep(seconds)
    rest = Usage.now(stack).since(before)
    print(
        f"{kind}: at rest for {rest.wall:.0f} s, the stack uses {rest.cores() * 100:.1f} % of "
        f"one core ({rest.each(percent=True)}); the machine is {rest.machine_percent():.0f} % busy (other work too)"
    )
    return rest.cores() * 100


async def measure(stack: Stack, args: argparse.Namespace, kind: str) -> dict[str, float]:
    urls = Endpoints.from_env(stack.env())
    found: dict[str, float] = {}
    async with httpx.AsyncClient(
        timeout=120, limits=httpx.Limits(max_connections=100, max_keepalive_connections=100)
    ) as http:
        began = time.perf_counter()
        world = await build(
            http, urls, load_scenario(args.teams), Credentials(stack.data_dir, stack.env()), 1
        )
        print(f"{kind}: region {REGION} set up in {time.perf_counter() - began:.0f} s "
              f"({args.teams} teams, one member each, capacity {CAPACITY}, one 24-hour shift)")  # fmt: skip
        found[f"{kind}_idle_cpu_pct"] = await at_rest(stack, args.rest_seconds, kind)
        load = Load(urls, world, http)
        await load.start()
        await load.offer("warm-up", 2, min(2.0, args.seconds))
        before = Usage.now(stack)
        await asyncio.sleep(min(IDLE_S, args.seconds))
        idle = Usage.now(stack).since(before)
        print(
            f"{kind}: idle, the stack uses {idle.cores():.2f} cores ({idle.each()}: consumers, "
            f"relays, timers); the machine is {idle.machine_percent():.0f} % busy (other work too)"
        )
        before = Usage.now(stack)
        saturation = await load.offer("maximum", args.offered, args.seconds)
        used = Usage.now(stack).since(before)
        top = saturation.delivered_rate()
        print(
            f"{kind}: maximum: {args.offered:g} reports/s offered for {args.seconds:g} s "
            f"(intake answered {saturation.answered_rate():.1f}/s): "
            f"{len(saturation.arrived)}/{len(saturation.sent)} delivered, sustained "
            f"{top:.1f} messages/s (busiest 5 s: {saturation.busiest():.1f}/s); "
            f"{used.describe(len(saturation.sent))}"
        )
        found[f"{kind}_max_rps"] = top
        for level in LEVELS:
            before = Usage.now(stack)
            step = await load.offer(f"{level} %", top * level / 100, args.seconds)
            used = Usage.now(stack).since(before)
            latencies = step.latencies_ms
            if not latencies:
                raise RuntimeError(f"{kind}: no message arrived at {level} % of the maximum")
            p50, p99 = percentile(latencies, 50), percentile(latencies, 99)
            print(
                f"{kind}: {level} % of the maximum: {step.rate:.1f} reports/s for "
                f"{args.seconds:g} s: {len(step.arrived)}/{len(step.sent)} delivered; "
                f"POST → message in the group p50 {p50:.0f} ms p99 {p99:.0f} ms; "
                f"{used.describe(len(step.sent))}"
            )
            found[f"{kind}_p50_ms_{level}pct"] = p50
            found[f"{kind}_p99_ms_{level}pct"] = p99
    rss = stack.rss_mb()
    print(f"{kind}: memory (VmRSS) " + ", ".join(f"{n} {v:.0f} MiB" for n, v in rss.items()))
    found |= {f"{kind}_rss_mb_{name}": rss.get(name, 0.0) for name in SERVICES}
    return found


async def run(kind: str, args: argparse.Namespace) -> dict[str, float]:
    extra = {f"TRC_DISPATCH_ACK_P{p}_SECONDS": DAY_S for p in range(1, 5)}
    if args.idle_after is not None:
        extra["TRC_KAFKA_FETCH_IDLE_AFTER_S"] = str(args.idle_after)
    if kind == "postgresql":
        for name in SERVICES:
            extra[f"TRC_{name.upper()}_DATABASE_URL"] = await postgres_database(f"e2e_{name}")
    with tempfile.TemporaryDirectory(prefix="bench-e2e-") as folder:
        stack = Stack(Path(folder) / "data", extra)
        stack.start()
        try:
            ceiling = await bare_run(stack.bootstrap, min(args.events, 10_000), None)
            print(f"{kind}: ceiling (bare aiokafka on the stack's broker): {ceiling:,.0f} events/s")
            found = {f"{kind}_ceiling": ceiling} | await measure(stack, args, kind)
        finally:
            stack.stop()
    found[f"{kind}_ratio"] = found[f"{kind}_max_rps"] / ceiling
    return found


async def main(args: argparse.Namespace) -> None:
    most = args.offered * args.seconds * (1 + sum(LEVELS) / 100) + 10
    if most > args.teams * CAPACITY:
        raise SystemExit(f"up to {most:.0f} reports but room for {args.teams * CAPACITY}: "
                         "more --teams or fewer --offered/--seconds")  # fmt: skip
    kinds = [d.kind for d in await selected(args.databases)]
    server = urlsplit(POSTGRES_URL)  # host and port only: never a password
    where = (
        f" (PostgreSQL at {server.hostname}:{server.port or 5432})" if "postgresql" in kinds else ""
    )
    print(
        f"trc up (embedded broker, four services, Telegram stand-in) on {', '.join(kinds)}{where}"
    )
    summary: dict[str, float] = {}
    try:
        for kind in kinds:
            summary |= await run(kind, args)
    finally:
        await drop_postgres_databases()
    ratios = [v for k, v in summary.items() if k.endswith("_ratio")]
    figures = " ".join(
        f"{k}={v:.6f}" if k.endswith("_ratio")
        else f"{k}={v:.1f}" if k.endswith(("_rps", "_pct"))
        else f"{k}={v:.0f}"
        for k, v in summary.items()
    )  # fmt: skip
    print(f"bench e2e: {figures} ratio={min(ratios) if ratios else float('nan'):.6f}")
