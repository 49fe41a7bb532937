"""Deadlines that keep nobody forgotten: acknowledgment per priority, on-scene check-ins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Deadlines:
    ack: dict[str, timedelta]  # priority → time to accept
    checkin_after: timedelta  # on scene this long without an update: ask the team
    checkin_grace: timedelta  # no answer this long after asking: escalate

    def ack_deadline(self, priority: str, assigned_at: datetime) -> datetime:
        return assigned_at + self.ack[priority]


DEFAULT = Deadlines(
    ack={
        "P1": timedelta(minutes=2),
        "P2": timedelta(minutes=5),
        "P3": timedelta(minutes=15),
        "P4": timedelta(minutes=60),
    },
    checkin_after=timedelta(minutes=30),
    checkin_grace=timedelta(minutes=10),
)
