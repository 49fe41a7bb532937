"""Deadlines that keep nobody forgotten: acknowledgment per priority, on-scene check-ins, and
the reminders about an incident that has no team."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta


def _per_priority(p1: int, p2: int, p3: int, p4: int) -> dict[str, timedelta]:
    return {
        priority: timedelta(seconds=seconds)
        for priority, seconds in zip(("P1", "P2", "P3", "P4"), (p1, p2, p3, p4), strict=True)
    }


@dataclass(frozen=True)
class Deadlines:
    ack: dict[str, timedelta]  # priority → time to accept
    checkin_after: timedelta  # on scene this long without an update: ask the team
    checkin_grace: timedelta  # no answer this long after asking: escalate
    # priority → how often the supervisors' chat hears again of an incident with no team
    remind: dict[str, timedelta] = field(default_factory=lambda: _per_priority(120, 300, 900, 3600))
    # a team that let an incident time out may have it again this long after the last miss
    # (and only when no other team on duty has room)
    retry_missed: timedelta = timedelta(seconds=60)
    # priorities whose supervisors hear of a queued incident at once, not one interval later
    # (only P1: lower priorities queue routinely at peak)
    told_at_once: frozenset[str] = frozenset({"P1"})

    def ack_deadline(self, priority: str, assigned_at: datetime) -> datetime:
        return assigned_at + self.ack[priority]

    def first_reminder(self, priority: str, now: datetime) -> datetime:
        """When the supervisors first hear of an incident that goes without a team at ``now``."""
        return now if priority in self.told_at_once else self.next_reminder(priority, now)

    def next_reminder(self, priority: str, now: datetime) -> datetime:
        """When the supervisors hear again of an incident that has no team since ``now``."""
        return now + self.remind[priority]


DEFAULT = Deadlines(
    ack=_per_priority(120, 300, 900, 3600),
    checkin_after=timedelta(minutes=30),
    checkin_grace=timedelta(minutes=10),
)
