"""Pure parts of the supervisors' console: which promises an open incident has broken, and
where a reporting period starts on the region's own calendar."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from typing import Literal

from services.dispatch.domain.states import WAITING

Period = Literal["today", "week", "month"]
ACK_OVERDUE = "ack_overdue"
NO_ARRIVAL = "no_arrival"
NO_TEAM = "no_team"


def breaches(
    state: str,
    *,
    now: datetime,
    ack_deadline: datetime | None,
    acknowledged_at: datetime | None,
    on_scene_at: datetime | None,
    arrival_target: timedelta,
    no_team_recorded: bool = False,
) -> list[str]:
    """``no_team``: waiting with no team, from the first second, until one holds it or a
    supervisor records that no TRC team can go. ``ack_overdue``: assigned, not accepted, past
    the deadline. ``no_arrival``: accepted (or on the way) and not on scene longer than the
    arrival target after accepting."""
    found = []
    if state in WAITING and not no_team_recorded:
        found.append(NO_TEAM)
    if (
        state == "assigned"
        and acknowledged_at is None
        and ack_deadline is not None
        and now > ack_deadline
    ):
        found.append(ACK_OVERDUE)
    if (
        state in ("acknowledged", "en_route")
        and on_scene_at is None
        and acknowledged_at is not None
        and now > acknowledged_at + arrival_target
    ):
        found.append(NO_ARRIVAL)
    return found


def period_start(period: Period, now: datetime, zone: tzinfo) -> datetime:
    """Local midnight of today, of this week's Monday, or of the 1st of this month (aware, in
    ``zone``; compare it with UTC times as it is)."""
    local = now.astimezone(zone)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if period == "today":
        return midnight
    if period == "week":
        return midnight - timedelta(days=local.weekday())
    return midnight.replace(day=1)
