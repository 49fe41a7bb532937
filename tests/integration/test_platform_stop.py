"""A service stopping lets a periodic job finish its transaction: cancelled inside one, the job
could keep SQLite's only pooled connection and hold the rest of the stop for the pool's 30 s."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import text

from shared.platform import build_platform
from shared.settings import KafkaSettings, ServiceSettings

pytestmark = pytest.mark.integration


async def test_stop_waits_for_a_periodic_job_in_a_transaction_and_ends_its_loop(
    kafka_bootstrap: str, topic_prefix: str, tmp_path: Path
) -> None:
    platform = build_platform(
        ServiceSettings(
            service_name="dispatch",
            database_url=f"sqlite:///{tmp_path}/d.db",
            kafka=KafkaSettings(bootstrap=kafka_bootstrap, topic_prefix=topic_prefix),
        )
    )
    inside, finished, runs = asyncio.Event(), asyncio.Event(), [0]

    async def job() -> float:
        runs[0] += 1
        async with platform.sessions() as session:
            await session.exec(text("SELECT 1"))  # type: ignore[call-overload]
            inside.set()
            await asyncio.sleep(0.5)  # the stop comes now
            await session.commit()
        finished.set()
        return 3600.0

    platform.until("job", job)
    platform.every("hourly", 3600, job)
    await platform.migrate()
    await platform.start()
    await asyncio.wait_for(inside.wait(), 10)
    loop = asyncio.get_running_loop()
    started = loop.time()
    await platform.stop()
    assert finished.is_set(), "the job was cut off inside its transaction"
    assert loop.time() - started < 8, "stop() waited on a held connection"
    assert all(t.done() and not t.cancelled() for t in platform._periodic_tasks)


async def test_a_timed_loop_sleeps_its_seconds_whatever_is_committed(tmp_path: Path) -> None:
    """``until(..., on_commit=False)``: a job due by time alone (triage reminders) is not run
    again by every commit's ring; one that wakes on work is."""
    platform = build_platform(
        ServiceSettings(service_name="intake", database_url=f"sqlite:///{tmp_path}/i.db")
    )
    runs = {"timed": 0, "woken": 0}

    def counting(name: str):  # type: ignore[no-untyped-def]
        async def job() -> float:
            runs[name] += 1
            return 3600.0

        return job

    platform.until("timed", counting("timed"), on_commit=False)
    platform.until("woken", counting("woken"))
    loops = [asyncio.create_task(platform._repeat(*entry)) for entry in platform.periodic]
    await asyncio.sleep(0.1)
    platform.signal.notify()  # a commit
    await asyncio.sleep(0.2)
    platform._stopping.set()
    platform.signal.notify()
    for loop in loops:
        loop.cancel()
    assert runs == {"timed": 1, "woken": 2}
