"""What the console shows beside the board: the teams and who is on duty, the shelters from
dispatch's copy of shelter's events, and a period's figures. Aggregates only: no reported
person's data."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.dispatch.console.blocked_chats import blocked_chats
from services.dispatch.domain.casestate import IN_SHELTER, long_stay_days
from services.dispatch.domain.levels import Timings, phases, spread
from services.dispatch.incidents.capacity import team_loads
from services.dispatch.models import (
    CaseProjection,
    Incident,
    ReportLink,
    ShelterProjection,
    Team,
)
from services.dispatch.roster.duty import duty_picture, team_members
from shared.contracts.vocabulary import CaseOutcome
from shared.scope import within

# The console's names for the service-level phases (domain/levels.py).
TIMES = {
    "report_to_assigned": "report_to_assignment",
    "assigned_to_accepted": "assignment_to_acceptance",
    "accepted_to_on_scene": "acceptance_to_on_scene",
}


def team_status(active: bool, on_duty: bool, load: int, capacity: int) -> str:
    """inactive | full | busy | available (on duty, nothing held) | off_duty."""
    if not active:
        return "inactive"
    if load >= max(capacity, 1):
        return "full"
    if load:
        return "busy"
    return "available" if on_duty else "off_duty"


async def teams(session: AsyncSession, region: str, now: datetime) -> dict[str, Any]:
    rows = (
        await session.exec(
            select(Team)
            .where(within(Team.region_code, region))
            .order_by(col(Team.region_code), col(Team.code))
        )
    ).all()
    loads = await team_loads(session, [t.id for t in rows])
    regions = sorted({t.region_code for t in rows} | ({region} if "." in region else set()))
    several = len(regions) > 1
    label = {t.id: f"{t.region_code}/{t.code}" if several else t.code for t in rows}
    found: list[dict[str, Any]] = []
    per_region: list[dict[str, Any]] = []
    on_now: set[str] = set()
    following: set[str] = set()
    for code in regions:
        picture = await duty_picture(session, code, now)
        links = await team_members(session, code)
        on_now |= picture.on_now
        following |= picture.next
        per_region.append(
            {
                "region_code": code,
                "on_duty_now": sorted(label.get(t, t) for t in picture.on_now),
                "next": sorted(label.get(t, t) for t in picture.next),
                "gaps_next_24h": [{"from": a, "to": b} for a, b in picture.gaps],
            }
        )
        for t in (t for t in rows if t.region_code == code):
            mine = [m for m in links if m.team_id == t.id]
            load = loads.get(t.id, 0)
            found.append(
                {
                    "team_id": t.id, "region_code": t.region_code, "code": t.code,
                    "name": t.name, "capacity": t.capacity, "load": load,
                    "status": team_status(t.active, t.id in picture.on_now, load, t.capacity),
                    "on_duty": t.id in picture.on_now, "members": len(mine),
                    "members_without_telegram": sorted(
                        m.name for m in mine if m.telegram_user_id is None
                    ),
                }
            )  # fmt: skip
    return {
        "teams": found,
        "on_duty_now": sorted(label.get(t, t) for t in on_now),
        "next": sorted(label.get(t, t) for t in following),
        "gaps_next_24h": [
            {**gap, "region_code": r["region_code"]} if several else gap
            for r in per_region
            for gap in r["gaps_next_24h"]
        ],
        "regions": per_region,
        "blocked_chats": await blocked_chats(session, region),
    }


async def shelters(session: AsyncSession, region: str, now: datetime) -> dict[str, Any]:
    sections = (
        await session.exec(
            select(ShelterProjection)
            .where(within(ShelterProjection.region_code, region), col(ShelterProjection.active))
            .order_by(col(ShelterProjection.name), col(ShelterProjection.section))
        )
    ).all()
    in_region = within(CaseProjection.region_code, region)
    occupied = {
        (shelter_id, section): n
        for shelter_id, section, n in (
            await session.exec(
                select(CaseProjection.shelter_id, CaseProjection.section, func.count())
                .where(in_region, col(CaseProjection.state).in_(IN_SHELTER))
                .group_by(col(CaseProjection.shelter_id), col(CaseProjection.section))
            )
        ).all()
    }
    by_shelter: dict[str, dict[str, Any]] = {}
    for s in sections:
        shelter = by_shelter.setdefault(
            s.shelter_id,
            {"shelter_id": s.shelter_id, "name": s.name, "kind": s.kind, "sections": []},
        )
        shelter["sections"].append(
            {
                "section": s.section,
                "capacity": s.capacity,
                "occupied": occupied.get((s.shelter_id, s.section), 0),
            }
        )
    by_state = dict(
        (
            await session.exec(
                select(CaseProjection.state, func.count())
                .where(in_region, col(CaseProjection.state) != "closed")
                .group_by(col(CaseProjection.state))
            )
        ).all()
    )
    return {
        "shelters": list(by_shelter.values()),
        "cases_by_state": by_state,
        "long_stays": await _long_stays(session, region, now),
    }


async def _long_stays(session: AsyncSession, region: str, now: datetime) -> list[dict[str, Any]]:
    rows = (
        await session.exec(
            select(CaseProjection, Incident.number)
            .join(Incident, col(Incident.id) == col(CaseProjection.incident_id), isouter=True)
            .where(
                within(CaseProjection.region_code, region),
                col(CaseProjection.state).in_(IN_SHELTER),
                col(CaseProjection.admitted_at) <= now - timedelta(days=14),
            )
        )
    ).all()
    names = dict(
        (await session.exec(select(ShelterProjection.shelter_id, ShelterProjection.name))).all()
    )
    found = []
    for case, number in rows:
        assert case.admitted_at is not None
        days = (now - case.admitted_at).total_seconds() / 86400
        if days > long_stay_days(case.category):
            found.append(
                {
                    "case_id": case.case_id,
                    "incident_number": number,
                    "category": case.category,
                    "shelter_name": names.get(case.shelter_id or ""),
                    "days": round(days, 1),
                }
            )
    return sorted(found, key=lambda item: -item["days"])


async def figures(
    session: AsyncSession, region: str, start: datetime, end: datetime
) -> dict[str, Any]:
    """Reports received in [start, end) by channel and category, incidents received in it and
    how fast they were served, and the shelter outcomes dated in it."""
    incidents = (
        await session.exec(
            select(Incident).where(
                within(Incident.region_code, region),
                col(Incident.received_at) >= start,
                col(Incident.received_at) < end,
            )
        )
    ).all()
    found = phases(
        Timings(i.received_at, i.assigned_at, i.acknowledged_at, i.on_scene_at) for i in incidents
    )
    times = {}
    for name, phase in TIMES.items():
        s = spread(found[phase])
        times[name] = {"count": s.count, "p50_s": s.p50_s, "p90_s": s.p90_s}
    outcomes = dict(
        (
            await session.exec(
                select(CaseProjection.outcome, func.count())
                .where(
                    within(CaseProjection.region_code, region),
                    col(CaseProjection.outcome_at) >= start,
                    col(CaseProjection.outcome_at) < end,
                )
                .group_by(col(CaseProjection.outcome))
            )
        ).all()
    )
    closed = sum(outcomes.values())
    mandiri = outcomes.get(CaseOutcome.INDEPENDENT.value, 0)
    no_team: dict[str, int] = {}
    for i in incidents:
        if i.no_team_alternative:
            no_team[i.no_team_alternative] = no_team.get(i.no_team_alternative, 0) + 1
    return {
        **await _reports(session, region, start, end),
        "incidents": len(incidents),
        "no_team": no_team,  # no TRC team could go: what was done instead
        "times": times,
        "outcomes": outcomes,
        "ppks_mandiri": {
            "count": mandiri,
            "closed": closed,
            "percent": round(100 * mandiri / closed, 1) if closed else None,
        },
    }


async def _reports(
    session: AsyncSession, region: str, start: datetime, end: datetime
) -> dict[str, dict[str, int]]:
    """Every report joined an incident that was open when it came: incidents closed before
    ``start`` hold none of the period's."""
    rows = (
        await session.exec(
            select(ReportLink.report)
            .join(Incident, col(Incident.id) == col(ReportLink.incident_id))
            .where(
                within(Incident.region_code, region),
                col(Incident.received_at) < end,
                col(Incident.closed_at).is_(None) | (col(Incident.closed_at) >= start),
            )
        )
    ).all()
    by_channel: dict[str, int] = {}
    by_category: dict[str, int] = {}
    for report in rows:
        try:
            received = datetime.fromisoformat(str(report.get("received_at")))
        except ValueError:
            continue
        if not start <= received < end:
            continue
        channel, category = str(report.get("channel")), str(report.get("category"))
        by_channel[channel] = by_channel.get(channel, 0) + 1
        by_category[category] = by_category.get(category, 0) + 1
    return {"reports_by_channel": by_channel, "reports_by_category": by_category}


def csv_rows(result: dict[str, Any]) -> list[tuple[str, str, Any]]:
    """(figure, key, value) for the CSV download."""
    rows: list[tuple[str, str, Any]] = []
    for figure in ("reports_by_channel", "reports_by_category", "outcomes", "no_team"):
        rows += [(figure, k, v) for k, v in sorted(result[figure].items())]
    rows.append(("incidents", "all", result["incidents"]))
    for name, values in result["times"].items():
        rows += [(name, k, v) for k, v in values.items()]
    rows += [("ppks_mandiri", k, v) for k, v in result["ppks_mandiri"].items()]
    return rows
