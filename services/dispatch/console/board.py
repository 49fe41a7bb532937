"""The supervisors' board: every open incident of a region as one row — who holds it, since
when, which promise it has broken, and how far the person's shelter case has come."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, Field
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.dispatch.domain.console import breaches
from services.dispatch.domain.states import OPEN
from services.dispatch.models import Assignment, CaseProjection, Incident, ShelterProjection, Team
from shared.regions import UnknownRegion, region_name
from shared.scope import within

OPEN_STATES = sorted(state.value for state in OPEN)
PERSONAL = ("description", "address")  # what a call-center account does not see here


class CaseBrief(BaseModel):
    case_id: str
    state: str
    outcome: str | None
    shelter_name: str | None
    updated_at: datetime


class BoardRow(BaseModel):
    incident_id: str
    number: str
    region_code: str
    region_name: str | None = Field(
        default=None,
        description="The kab/kota's name ('Kota Samarinda'): a province's board shows it in its "
        "Kab/Kota column and offers each one present in its kab/kota filter",
    )
    state: str
    priority: str
    category: str
    channel: str
    kecamatan: str | None
    kelurahan: str | None
    description: str | None = Field(description="Null for call-center accounts")
    address: str | None = Field(description="Null for call-center accounts")
    latitude: float | None
    longitude: float | None
    people_count: int
    danger_flags: list[str]
    duplicates: int = Field(description="Further reports joined to this incident")
    team_id: str | None
    team_name: str | None
    escalations: int
    received_at: datetime
    assigned_at: datetime | None
    acknowledged_at: datetime | None
    on_scene_at: datetime | None
    ack_deadline: datetime | None = Field(description="Of the current assignment")
    breaches: list[str] = Field(description="no_team | ack_overdue | no_arrival")
    no_team_alternative: str | None = Field(
        default=None, description="A supervisor recorded no TRC team can go: what was done instead"
    )
    no_team_at: datetime | None = Field(default=None, description="When that was recorded")
    case: CaseBrief | None = Field(description="The incident's latest shelter case, if any")


def place_name(region_code: str) -> str | None:
    """``64.72`` → ``Kota Samarinda`` (None for a code the national data does not hold)."""
    try:
        return region_name(region_code)
    except UnknownRegion:
        return None


def without_personal(row: dict[str, Any]) -> dict[str, Any]:
    return row | dict.fromkeys(PERSONAL)


async def shelter_names(session: AsyncSession, shelter_ids: set[str]) -> dict[str, str]:
    if not shelter_ids:
        return {}
    rows = await session.exec(
        select(ShelterProjection.shelter_id, ShelterProjection.name).where(
            col(ShelterProjection.shelter_id).in_(sorted(shelter_ids))
        )
    )
    return dict(rows.all())


async def case_briefs(
    session: AsyncSession, incident_ids: Sequence[str]
) -> dict[str, list[CaseBrief]]:
    """Each incident's cases, oldest change first."""
    if not incident_ids:
        return {}
    cases = (
        await session.exec(
            select(CaseProjection)
            .where(col(CaseProjection.incident_id).in_(list(incident_ids)))
            .order_by(col(CaseProjection.updated_at), col(CaseProjection.case_id))
        )
    ).all()
    names = await shelter_names(session, {c.shelter_id for c in cases if c.shelter_id})
    found: dict[str, list[CaseBrief]] = {}
    for c in cases:
        found.setdefault(c.incident_id, []).append(
            CaseBrief(
                case_id=c.case_id,
                state=c.state,
                outcome=c.outcome,
                shelter_name=names.get(c.shelter_id or ""),
                updated_at=c.updated_at,
            )
        )
    return found


async def board_rows(
    session: AsyncSession,
    *,
    now: datetime,
    arrival_target: timedelta,
    region: str | None = None,
    incident_ids: Sequence[str] = (),
) -> list[BoardRow]:
    """The open incidents of ``region`` (priority, then oldest first), or the incidents named
    (open or not: the stream tells a page when one has left the board)."""
    query = select(Incident)
    if region is not None:
        query = query.where(within(Incident.region_code, region))
        query = query.where(col(Incident.state).in_(OPEN_STATES))
    if incident_ids:
        query = query.where(col(Incident.id).in_(list(incident_ids)))
    query = query.order_by(col(Incident.priority), col(Incident.received_at), col(Incident.id))
    incidents = (await session.exec(query)).all()
    ids = [i.id for i in incidents]
    if not ids:
        return []
    current = {
        incident_id: (deadline, acknowledged)
        for incident_id, deadline, acknowledged in (
            await session.exec(
                select(
                    Assignment.incident_id, Assignment.ack_deadline, Assignment.acknowledged_at
                ).where(col(Assignment.incident_id).in_(ids), col(Assignment.is_current))
            )
        ).all()
    }
    team_ids = sorted({i.team_id for i in incidents if i.team_id})
    teams = dict(
        (await session.exec(select(Team.id, Team.name).where(col(Team.id).in_(team_ids)))).all()
    )
    cases = await case_briefs(session, ids)
    return [
        _row(i, current.get(i.id, (None, None)), teams, cases.get(i.id), now, arrival_target)
        for i in incidents
    ]


def _row(
    i: Incident,
    assignment: tuple[datetime | None, datetime | None],
    teams: dict[str, str],
    cases: list[CaseBrief] | None,
    now: datetime,
    arrival_target: timedelta,
) -> BoardRow:
    """``assignment``: the current one's deadline and acceptance (a reassigned incident keeps
    its first acceptance time, the new team has not accepted yet)."""
    ack_deadline, accepted = assignment
    if i.state != "assigned":
        accepted = accepted or i.acknowledged_at
    return BoardRow(
        incident_id=i.id, number=i.number, region_code=i.region_code,
        region_name=place_name(i.region_code), state=i.state,
        priority=i.priority, category=i.category, channel=i.channel, kecamatan=i.kecamatan,
        kelurahan=i.kelurahan, description=i.description, address=i.address,
        latitude=i.latitude, longitude=i.longitude, people_count=i.people_count,
        danger_flags=i.danger_flags, duplicates=max(len(i.report_ids) - 1, 0),
        team_id=i.team_id, team_name=teams.get(i.team_id or ""), escalations=i.escalations,
        received_at=i.received_at, assigned_at=i.assigned_at,
        acknowledged_at=i.acknowledged_at, on_scene_at=i.on_scene_at, ack_deadline=ack_deadline,
        breaches=breaches(
            i.state, now=now, ack_deadline=ack_deadline, acknowledged_at=accepted,
            on_scene_at=i.on_scene_at, arrival_target=arrival_target,
            no_team_recorded=i.no_team_at is not None,
        ),
        no_team_alternative=i.no_team_alternative, no_team_at=i.no_team_at,
        case=cases[-1] if cases else None,
    )  # fmt: skip
