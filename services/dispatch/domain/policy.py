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

A P1 that still has no team borrows a busy one (when the rules allow it): the team on duty whose
work is least urgent — its most urgent incident has the highest P number, then is the least
advanced (assigned before accepted before on the way before on scene: a team not yet there can
turn round; one on scene is with a person), then started latest — over its capacity. A team
holding a P1 is never borrowed, nor one that missed this incident within the retry window.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

NEVER = datetime.min.replace(tzinfo=UTC)  # a team never assigned has been free "forever"
PROGRESS = {"assigned": 0, "acknowledged": 1, "en_route": 2, "on_scene": 3}


@dataclass(frozen=True)
class Held:
    """An incident a team holds now (what borrowing the team would interrupt)."""

    incident_id: str
    priority: str  # P1…P4
    state: str  # assigned | acknowledged | en_route | on_scene
    assigned_at: datetime
    number: str | None = None  # the number people read out

    def urgency(self) -> tuple[str, int, float]:
        """Smaller is more urgent to keep: lower P, further along, started earlier."""
        return (self.priority, -PROGRESS.get(self.state, 0), self.assigned_at.timestamp())


@dataclass(frozen=True)
class TeamState:
    team_id: str
    zones: frozenset[str]  # normalised kecamatan names and codes the team covers
    capacity: int  # concurrent incidents
    load: int  # incidents it holds now
    free_since: datetime | None = None  # when its load last dropped to zero (None: never busy)
    holding: tuple[Held, ...] = ()  # what it holds now (filled only when a P1 may borrow it)

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
    borrowed_from: Held | None = None  # a busy team borrowed for a P1: the work it was on


def zone_key(name_or_code: str | None) -> str | None:
    """Kecamatan names and codes compared without case or extra spaces."""
    key = " ".join((name_or_code or "").split()).casefold()
    return key or None


def queue_order(incidents: Iterable[QueuedIncident]) -> list[QueuedIncident]:
    return sorted(incidents, key=lambda i: (i.priority, i.received_at, i.incident_id))


def choose_team(
    incident: QueuedIncident,
    teams: Sequence[TeamState],
    now: datetime | None = None,
    *,
    borrow: bool = False,
) -> Decision | None:
    """The best team for one incident, with the reasons; None when no team can take it.
    ``now`` decides whether the teams that missed it may have it again (None: they may);
    ``borrow``: a P1 no team has room for may have a busy team (see the module's text)."""
    decision = _with_room(incident, teams, now)
    if decision is None and borrow and incident.priority == "P1":
        return _borrowed(incident, teams, now)
    return decision


def _with_room(
    incident: QueuedIncident, teams: Sequence[TeamState], now: datetime | None
) -> Decision | None:
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


def _borrowed(
    incident: QueuedIncident, teams: Sequence[TeamState], now: datetime | None
) -> Decision | None:
    may_retry = _may_retry(incident, now)
    candidates = [
        t
        for t in teams
        if t.holding
        and all(h.priority != "P1" for h in t.holding)  # never from another P1
        and (t.team_id not in incident.excluded or may_retry)
    ]
    if not candidates:
        return None
    best = min(candidates, key=lambda t: _borrow_rank(incident, t))
    work = _work(best)
    number = work.number or work.incident_id
    reasons = (
        "zone match" if _covers(incident, best) else "no free team: borrowed across zones",
        f"dipinjam dari insiden {work.priority} {number} (beban {best.load + 1}/{best.capacity}) "
        f"/ borrowed from a {work.priority} incident {number} "
        f"(load {best.load + 1}/{best.capacity}, over capacity)",
    )
    return Decision(incident.incident_id, best.team_id, reasons, borrowed_from=work)


def _work(team: TeamState) -> Held:
    """The most urgent incident a team holds: what it is busy with."""
    return min(team.holding, key=Held.urgency)


def _borrow_rank(incident: QueuedIncident, team: TeamState) -> tuple[object, ...]:
    work = _work(team)
    return (
        -int(work.priority[1:]),  # the least urgent work first (P4 before P3 before P2)
        PROGRESS.get(work.state, 0),  # then the least advanced
        -work.assigned_at.timestamp(),  # then the one that started latest
        0 if _covers(incident, team) else 1,
        team.team_id,
    )


def _may_retry(incident: QueuedIncident, now: datetime | None) -> bool:
    due = incident.retry_missed_at
    return due is None or now is None or due <= now


def plan(
    queue: Iterable[QueuedIncident],
    teams: Sequence[TeamState],
    now: datetime | None = None,
    *,
    borrow: bool = False,
) -> list[Decision]:
    """Assign as much of the queue as capacity allows, in queue order (and, with ``borrow``,
    each P1 nobody has room for to a busy team)."""
    current = {t.team_id: t for t in teams}
    decisions: list[Decision] = []
    for incident in queue_order(queue):
        if not any(t.has_room for t in current.values()) and not (
            borrow and incident.priority == "P1"
        ):
            break
        decision = choose_team(incident, list(current.values()), now, borrow=borrow)
        if decision is None:
            continue
        team = current[decision.team_id]
        held = Held(incident.incident_id, incident.priority, "assigned", now or NEVER)
        current[team.team_id] = replace(team, load=team.load + 1, holding=(*team.holding, held))
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
