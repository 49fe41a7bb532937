"""Service levels over incidents: how fast reports became assignments, acceptances, arrivals."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Timings:
    received_at: datetime
    assigned_at: datetime | None
    acknowledged_at: datetime | None
    on_scene_at: datetime | None


@dataclass(frozen=True)
class Spread:
    count: int
    p50_s: float | None
    p90_s: float | None
    within_target: float | None  # share (0–1) within the target, when there is one


def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0–100) of ``values``; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q * len(ordered) / 100))  # q·n first: no 55.00000000000001
    return ordered[rank - 1]


def spread(seconds: Sequence[float], target: timedelta | None = None) -> Spread:
    within = None
    if target is not None and seconds:
        within = sum(1 for s in seconds if s <= target.total_seconds()) / len(seconds)
    return Spread(len(seconds), percentile(seconds, 50), percentile(seconds, 90), within)


def phases(incidents: Iterable[Timings]) -> dict[str, list[float]]:
    """Seconds each incident spent in each phase (only the phases it went through)."""
    found: dict[str, list[float]] = {
        "report_to_assignment": [],
        "assignment_to_acceptance": [],
        "acceptance_to_on_scene": [],
        "report_to_on_scene": [],
    }
    for t in incidents:
        if t.assigned_at:
            found["report_to_assignment"].append((t.assigned_at - t.received_at).total_seconds())
            if t.acknowledged_at:
                seconds = (t.acknowledged_at - t.assigned_at).total_seconds()
                found["assignment_to_acceptance"].append(seconds)
        if t.on_scene_at:
            found["report_to_on_scene"].append((t.on_scene_at - t.received_at).total_seconds())
            if t.acknowledged_at:
                seconds = (t.on_scene_at - t.acknowledged_at).total_seconds()
                found["acceptance_to_on_scene"].append(seconds)
    return found


def service_levels(
    incidents: Iterable[Timings],
    *,
    assign_target: timedelta = timedelta(seconds=60),
    arrival_target: timedelta = timedelta(minutes=45),
) -> dict[str, Spread]:
    """report→assignment (target 90 % within 60 s), assignment→acceptance, report→on scene
    (first response within 45 minutes, the published standard of Dinsos Banjarmasin)."""
    found = phases(incidents)
    return {
        "report_to_assignment": spread(found["report_to_assignment"], assign_target),
        "assignment_to_acceptance": spread(found["assignment_to_acceptance"]),
        "report_to_on_scene": spread(found["report_to_on_scene"], arrival_target),
    }
