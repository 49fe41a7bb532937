"""The supervisor console in a headless Chromium against the stack `trc up` starts: how soon a
change reaches the board, and how long the board takes to load when it is full.

- **Update latency**: 200 open incidents on the board; a supervisor changes priorities through
  the API at ``--rate`` a second for ``--seconds``. Each change is timed from the moment its API
  call returned (the change and its event committed) to the moment the page had redrawn the
  row from the event stream (the page records it, with ``?rekam=1``, in ``window.konsolRekam``;
  one machine, one clock). p50/p99.
- **Load time** with ``--open-incidents`` (5,000) open incidents: navigation start → every row
  drawn (``window.konsolSiap``), median of three loads.
- **Baseline**: one event through the bare broker (aiokafka produce with ``acks=all`` → a
  consumer has it), p50 over 50 events on the stack's own broker, and the bare aiokafka ceiling.
  ``ratio`` is that p50 over the board's p50: the share of a board update the broker hop is.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from sqlalchemy import insert

from bench.baselines import bare_run
from bench.platform import percentile
from bench.stack import Stack
from services.dispatch.models import Incident
from shared import db
from shared.auth import COOKIE

REGION = "21.71"
PASSWORD = "kata-sandi-bench-123"
ON_BOARD = 200
KECAMATAN = ["Batam Kota", "Batu Aji", "Bengkong", "Lubuk Baja", "Nongsa", "Sekupang", "Sagulung"]
CATEGORIES = ["gelandangan", "pengemis", "odgj_terlantar", "anak_jalanan", "lanjut_usia_terlantar"]
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]


async def seed(stack: Stack, first: int, count: int) -> list[str]:
    """``count`` open incidents, accepted by a team, straight into dispatch's database."""
    rng = random.Random(first)
    now = datetime.now(UTC)
    rows = []
    for n in range(first, first + count):
        received = now - timedelta(minutes=rng.randint(1, 600))
        rows.append(
            {
                "id": uuid.uuid4().hex, "number": f"{REGION}-BENCH-{n:05d}", "region_code": REGION,
                "state": "acknowledged", "priority": f"P{rng.randint(1, 4)}",
                "category": rng.choice(CATEGORIES), "channel": "call_center",
                "description": "Orang tidur di emperan toko", "kecamatan": rng.choice(KECAMATAN),
                "latitude": 1.05 + rng.random() * 0.12, "longitude": 103.95 + rng.random() * 0.15,
                "people_count": 1, "danger_flags": [], "report_ids": [], "excluded_teams": [],
                "received_at": received, "created_at": received, "assigned_at": received,
                "acknowledged_at": now,
            }
        )  # fmt: skip
    engine = db.create_engine(f"sqlite+aiosqlite:///{stack.data_dir / 'dispatch.db'}")
    try:
        async with engine.begin() as conn:
            await conn.execute(insert(Incident), rows)
    finally:
        await engine.dispose()
    return [str(r["id"]) for r in rows]


async def bare_latency(bootstrap: str, samples: int) -> float:
    """One event at a time through the broker alone: produce (acks=all) → consumed, p50 ms."""
    topic = f"bench.console.{uuid.uuid4().hex[:8]}"
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=0)
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", fetch_max_wait_ms=10
    )
    await producer.start()
    await consumer.start()
    try:
        await producer.send_and_wait(topic, b"warm-up")
        await consumer.getone()
        found = []
        for n in range(samples):
            began = time.perf_counter()
            await producer.send_and_wait(topic, str(n).encode())
            await consumer.getone()
            found.append((time.perf_counter() - began) * 1000)
        return statistics.median(found)
    finally:
        await consumer.stop()
        await producer.stop()


async def changes(
    stack: Stack, token: str, ids: list[str], rate: float, seconds: float
) -> list[Any]:
    """Priority changes at ``rate``/s; (incident id, new priority, epoch ms when committed)."""
    done: list[Any] = []
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=stack.dispatch, headers=headers, timeout=30) as http:

        async def change(n: int) -> None:
            incident = ids[n % len(ids)]
            priority = f"P{n // len(ids) % 4 + 1}"
            answer = await http.post(
                f"/api/v1/incidents/{incident}/priority",
                json={"priority": priority, "reason": "uji beban konsol"},
            )
            committed = time.time() * 1000
            if answer.status_code == 200:
                done.append((incident, priority, committed))

        started = time.perf_counter()
        tasks = []
        for n in range(int(rate * seconds)):
            await asyncio.sleep(max(0.0, started + n / rate - time.perf_counter()))
            tasks.append(asyncio.create_task(change(n)))
        await asyncio.gather(*tasks)
    return done


def latencies(done: list[Any], landed: list[dict[str, Any]]) -> list[float]:
    """Each change → the first redraw of its row showing the new priority after it was sent."""
    found = []
    for incident, priority, committed in done:
        match = [e["at"] for e in landed if e["id"] == incident and e["priority"] == priority]
        if match:
            found.append(min(match, key=lambda at: abs(at - committed)) - committed)
    return found


async def measure(stack: Stack, args: argparse.Namespace) -> dict[str, float]:
    from playwright.async_api import async_playwright

    async with httpx.AsyncClient(base_url=stack.dispatch) as http:
        answer = await http.post(
            "/api/v1/auth/login", json={"username": "bench", "password": PASSWORD}
        )
    token = answer.json()["token"]
    ids = await seed(stack, 0, ON_BOARD)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=shutil.which("chromium") or "chromium", args=BROWSER_ARGS
        )
        context = await browser.new_context(viewport={"width": 1400, "height": 900})
        await context.add_cookies([{"name": COOKIE, "value": token, "url": stack.dispatch}])
        page = await context.new_page()
        await page.goto(f"{stack.dispatch}/konsol?rekam=1")
        # (Selectors, not wait_for_function: the page's CSP forbids evaluating strings.)
        await page.wait_for_selector(f"#rows tr:nth-child({ON_BOARD})", state="attached")
        await page.wait_for_selector("#live:text('●')")
        done = await changes(stack, token, ids, args.rate, args.seconds)
        await asyncio.sleep(2)
        landed = await page.evaluate("window.konsolRekam")
        found = latencies(done, landed)
        if not found:
            raise RuntimeError(f"no change reached the board ({len(done)} sent)")
        await seed(stack, ON_BOARD, args.open_incidents - ON_BOARD)
        loads = []
        for _ in range(3):
            fresh = await context.new_page()
            await fresh.goto(f"{stack.dispatch}/konsol")
            await fresh.wait_for_selector("body[data-ready='1']", state="attached", timeout=120_000)
            rows = await fresh.evaluate("document.querySelectorAll('#rows tr').length")
            loads.append(await fresh.evaluate("window.konsolSiap"))
            await fresh.close()
        await browser.close()
    print(
        f"board update, {ON_BOARD} open incidents, {args.rate:g} priority changes/s for "
        f"{args.seconds:g} s: {len(found)}/{len(done)} seen; API commit → row redrawn "
        f"p50 {percentile(found, 50):.0f} ms p99 {percentile(found, 99):.0f} ms"
    )
    print(
        f"board load with {rows:,} open incidents: {statistics.median(loads):,.0f} ms (median of 3)"
    )
    return {
        "update_p50_ms": percentile(found, 50),
        "update_p99_ms": percentile(found, 99),
        "load_ms": statistics.median(loads),
        "rows": rows,
    }


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-console-") as folder:
        stack = Stack(Path(folder) / "data")
        stack.start()
        try:
            stack.add_supervisor("bench", REGION, PASSWORD)
            bootstrap = f"127.0.0.1:{stack.broker_port}"
            ceiling = await bare_run(bootstrap, min(args.events, 5000), None)
            bare_ms = await bare_latency(bootstrap, 50)
            print(
                f"ceiling (bare aiokafka): {ceiling:,.0f} events/s; one event p50 {bare_ms:.1f} ms"
            )
            found = await measure(stack, args)
        finally:
            stack.stop()
    print(
        f"bench console: ceiling={ceiling:.0f} bare_p50_ms={bare_ms:.1f} "
        f"update_p50_ms={found['update_p50_ms']:.0f} update_p99_ms={found['update_p99_ms']:.0f} "
        f"load_{found['rows']:.0f}_ms={found['load_ms']:.0f} "
        f"ratio={bare_ms / max(found['update_p50_ms'], 0.001):.3f}"
    )
