"""A roster gap is told to the supervisors' chat before it starts, once per gap, with its local
times; the alert when it has begun still comes (real broker, both databases, a clock moved by
hand)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.integration.dispatch_support import REGION, Dispatch, running_dispatch, set_up_batam

pytestmark = pytest.mark.integration
TODAY = "2026-11-22"


@pytest.fixture
async def dispatch(
    kafka_bootstrap: str, topic_prefix: str, new_database: Any
) -> AsyncIterator[Dispatch]:
    async with running_dispatch(kafka_bootstrap, topic_prefix, new_database("dispatch")) as d:
        yield d


def alerts(d: Dispatch, kind: str) -> list[dict[str, Any]]:
    return d.tail.of("incident.escalated", kind=kind)


async def alerted(d: Dispatch, kind: str, count: int = 1) -> list[dict[str, Any]]:
    return await d.tail.wait("incident.escalated", count, kind=kind)


async def test_a_roster_gap_is_told_two_hours_before_it_starts_once_then_when_it_begins(
    dispatch: Dispatch,
) -> None:
    d = dispatch
    roster = [{"day": TODAY, "shift": "pagi", "team_code": "A"},
              {"day": TODAY, "shift": "malam", "team_code": "C"}]  # fmt: skip
    await set_up_batam(d, roster)  # 10.00 WIB: nobody 15.00–23.00, five hours ahead
    await asyncio.sleep(0.5)  # a few sweeps: too far ahead to tell yet
    assert alerts(d, "roster_gap_ahead") == []

    d.clock.advance(hours=3)  # 13.00 WIB: the gap starts in two hours
    [ahead] = await alerted(d, "roster_gap_ahead")
    assert ahead["incident_id"] is None and ahead["level"] == 1
    assert "mulai 22 Nov 2026 15.00 WIB sampai 22 Nov 2026 23.00 WIB" in ahead["detail"]
    assert "from 22 Nov 2026 15:00 WIB to 22 Nov 2026 23:00 WIB" in ahead["detail"]

    d.clock.advance(minutes=30)  # the same roster saved again, and more sweeps: told once
    await d.api("POST", f"/api/v1/regions/{REGION}/roster", json=roster)
    d.clock.advance(minutes=60)
    await asyncio.sleep(0.5)
    assert len(alerts(d, "roster_gap_ahead")) == 1

    d.clock.advance(minutes=31)  # 15.01 WIB: the gap has begun, and that is told too
    await alerted(d, "roster_gap")
    assert len(alerts(d, "roster_gap_ahead")) == 1
