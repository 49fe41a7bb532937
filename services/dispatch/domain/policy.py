"""The assignment policy: which on-shift team takes which queued incident, and why.

Pure and per region: it sees only the teams of one region (a handful), so its cost does not grow
with the teams of the whole country.

Order of the queue: P1 before P2 before P3 before P4, oldest first within a priority.
Choice of team, among teams on duty now with room under their capacity and that have not already
missed this incident: a team covering the incident's zone first, then the least loaded (relative
to capacity), then the one free longest.

A team that missed the incident (let it time out) is its last resort, not never: it may have it
again when no other team on duty has room, and not before ``retry_missed_at`` (a while after the
last miss), so the incident does not bounce straight back to the team that just let it go.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

NEVER = datetime.min.replace(tzinfo=UTC)  # a team never assigned has been free "forever"


@dataclass(frozen=True)
class TeamState:
    team_id: str
    zones: frozenset[str]  # normalised kecamatan names and codes the team covers
    capacity: int  # concurrent incidents
    load: int  # incidents it holds now
    free_since: datetime | None = None  # when its load last dropped to zero (None: never busy)

    @property
    def has_room(self) -> bool:
        return self.load < self.capacity


@dataclass(frozen=True)
class QueuedIncident:
    incident_id: str
    priority: str  # P1…P4
    received_at: datetime
    zones: frozenset[str] = frozenset()  # normalised kecamatan name and code of the incident
    excluded: frozenset[str] = field(default_factory=frozenset)  # teams that missed it
    retry_missed_at: datetime | None = None  # teams that missed it wait until then (None: no wait)


@dataclass(frozen=True)
class Decision:
    incident_id: str
    team_id: str
    reasons: tuple[str, ...]


def zone_key(name_or_code: str | None) -> str | None:
    """Kecamatan names and codes compared without case or extra spaces."""
    key = " ".join((name_or_code or "").split()).casefold()
    return key or None


def queue_order(incidents: Iterable[QueuedIncident]) -> list[QueuedIncident]:
    return sorted(incidents, key=lambda i: (i.priority, i.received_at, i.incident_id))


def choose_team(
    incident: QueuedIncident, teams: Sequence[TeamState], now: datetime | None = None
) -> Decision | None:
    """The best team for one incident, with the reasons; None when no team can take it.
    ``now`` decides whether the teams that missed it may have it again (None: they may)."""
    with_room = [t for t in teams if t.has_room]
    eligible = [t for t in with_room if t.team_id not in incident.excluded]
    last_resort = not eligible and _may_retry(incident, now)
    if last_resort:
        eligible = with_room
    if not eligible:
        return None
    best = min(eligible, key=lambda t: _rank(incident, t))
    reasons = _reasons(incident, best, eligible)
    if last_resort:
        reasons += ("last resort: missed it before, no other team has room",)
    return Decision(incident.incident_id, best.team_id, reasons)


def _may_retry(incident: QueuedIncident, now: datetime | None) -> bool:
    due = incident.retry_missed_at
    return due is None or now is None or due <= now


def plan(
    queue: Iterable[QueuedIncident], teams: Sequence[TeamState], now: datetime | None = None
) -> list[Decision]:
    """Assign as much of the queue as capacity allows, in queue order."""
    current = {t.team_id: t for t in teams}
    decisions: list[Decision] = []
    for incident in queue_order(queue):
        if not any(t.has_room for t in current.values()):
            break
        decision = choose_team(incident, list(current.values()), now)
        if decision is None:
            continue
        team = current[decision.team_id]
        current[team.team_id] = replace(team, load=team.load + 1)
        decisions.append(decision)
    return decisions


def _covers(incident: QueuedIncident, team: TeamState) -> bool:
    return bool(incident.zones & team.zones)


def _rank(incident: QueuedIncident, team: TeamState) -> tuple[int, float, datetime, str]:
    return (
        0 if _covers(incident, team) else 1,
        team.load / team.capacity,
        team.free_since or NEVER,
        team.team_id,
    )


def _reasons(
    incident: QueuedIncident, team: TeamState, eligible: Sequence[TeamState]
) -> tuple[str, ...]:
    reasons = []
    if _covers(incident, team):
        reasons.append("zone match")
    elif incident.zones:
        reasons.append("no free team covers the zone")
    else:
        reasons.append("zone unknown")
    reasons.append(f"load {team.load}/{team.capacity}")
    rivals = [
        t
        for t in eligible
        if t.team_id != team.team_id and _rank(incident, t)[:2] == _rank(incident, team)[:2]
    ]
    if rivals:
        reasons.append("free longest" if team.free_since else "never busy yet")
    if incident.excluded:
        reasons.append(f"after {len(incident.excluded)} missed")
    return tuple(reasons)
