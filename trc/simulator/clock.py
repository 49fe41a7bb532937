"""Simulated time for a played day: a scenario's hours pass ``speed`` times faster than real."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta


@dataclass
class Clock:
    """Simulated time: ``speed`` simulated seconds pass each real second."""

    speed: float
    started: float = field(default_factory=time.monotonic)
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def now_s(self) -> float:
        return (time.monotonic() - self.started) * self.speed

    def now(self) -> datetime:
        return self.started_at + timedelta(seconds=self.now_s())

    async def until(self, sim_s: float) -> None:
        await asyncio.sleep(max(0.0, (sim_s - self.now_s()) / self.speed))

    async def wait(self, sim_s: float) -> None:
        await asyncio.sleep(max(0.0, sim_s / self.speed))
