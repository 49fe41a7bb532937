"""What the policy tests share: a clock, three kecamatan of Batam, incidents and teams."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.dispatch.domain.policy import Decision, QueuedIncident, TeamState

T0 = datetime(2026, 11, 22, 13, 0, tzinfo=UTC)

BATU_AMPAR = frozenset({"batu ampar", "21.71.02"})  # Kemendagri codes
LUBUK_BAJA = frozenset({"lubuk baja", "21.71.06"})
SEKUPANG = frozenset({"sekupang", "21.71.03"})


def incident(
    incident_id: str,
    priority: str = "P2",
    minutes: int = 0,
    zones: frozenset[str] = BATU_AMPAR,
    excluded: frozenset[str] = frozenset(),
) -> QueuedIncident:
    return QueuedIncident(incident_id, priority, T0 + timedelta(minutes=minutes), zones, excluded)


def team(
    team_id: str,
    zones: frozenset[str] = BATU_AMPAR,
    capacity: int = 2,
    load: int = 0,
    free_since: datetime | None = None,
) -> TeamState:
    return TeamState(team_id, zones, capacity, load, free_since)


def chosen(decision: Decision | None) -> str:
    assert decision is not None
    return decision.team_id
