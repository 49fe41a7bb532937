"""The rules a dispatch deployment chooses: deadlines, handovers, borrowing, gap warnings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from services.dispatch.domain.deadlines import DEFAULT, Deadlines


@dataclass(frozen=True)
class DispatchRules:
    deadlines: Deadlines = DEFAULT
    keep_on_scene_at_handover: bool = True  # a team on scene finishes what it started
    p1_borrows_busy_team: bool = True  # a P1 nobody has room for goes to the least-urgent busy team
    gap_warning: timedelta = timedelta(hours=2)  # a roster gap starting this soon is told ahead
