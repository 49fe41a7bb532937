"""What the console shows beside the board: the teams and who is on duty, the shelters from
dispatch's copy of shelter's events, and a period's figures. Aggregates only: no reported
person's data."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.dispatch.console.blocked_chats import blocked_chats
from services.dispatch.console.board import place_name
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
from shared.contracts.vocabulary import ppks_mandiri
from shared.scope import is_province, within

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
    regions = sorted({t.region_code for t in rows} | (set() if is_province(region) else {region}))
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
    how fast they were served, and the shelter outcomes dated in it; for a province, the same
    per kab/kota (``by_region``), whose sums are the province's figures."""
    incidents = (
        await session.exec(
            select(Incident).where(
                within(Incident.region_code, region),
                col(Incident.received_at) >= start,
                col(Incident.received_at) < end,
            )
        )
    ).all()
    found = phases(_timings(incidents))
    times = {}
    for name, phase in TIMES.items():
        s = spread(found[phase])
        times[name] = {"count": s.count, "p50_s": s.p50_s, "p90_s": s.p90_s}
    outcomes_by_region: dict[str, dict[str, int]] = {}
    for code, outcome, n in (
        await session.exec(
            select(CaseProjection.region_code, CaseProjection.outcome, func.count())
            .where(
                within(CaseProjection.region_code, region),
                col(CaseProjection.outcome_at) >= start,
                col(CaseProjection.outcome_at) < end,
            )
            .group_by(col(CaseProjection.region_code), col(CaseProjection.outcome))
        )
    ).all():
        outcomes_by_region.setdefault(code, {})[str(outcome)] = n
    outcomes = _summed(outcomes_by_region.values())
    no_team: dict[str, int] = {}
    for i in incidents:
        if i.no_team_alternative:
            no_team[i.no_team_alternative] = no_team.get(i.no_team_alternative, 0) + 1
    reports, reports_by_region = await _reports(session, region, start, end)
    return {
        **reports,
        "incidents": len(incidents),
        "no_team": no_team,  # no TRC team could go: what was done instead
        "times": times,
        "outcomes": outcomes,
        "ppks_mandiri": ppks_mandiri(outcomes),
        "by_region": by_region(incidents, outcomes_by_region, reports_by_region)
        if is_province(region)
        else [],
    }


def _timings(incidents: Iterable[Incident]) -> list[Timings]:
    return [
        Timings(i.received_at, i.assigned_at, i.acknowledged_at, i.on_scene_at) for i in incidents
    ]


def _summed(counts: Iterable[dict[str, int]]) -> dict[str, int]:
    total: dict[str, int] = {}
    for one in counts:
        for key, n in one.items():
            total[key] = total.get(key, 0) + n
    return total


def by_region(
    incidents: Sequence[Incident],
    outcomes: dict[str, dict[str, int]],
    reports: dict[str, int],
) -> list[dict[str, Any]]:
    """A province's figures per kab/kota with any data in the period, by code: ``outcomes``
    (outcome → count) and ``reports`` (a count) by region code, from one grouped query each."""
    held: dict[str, list[Incident]] = {}
    for i in incidents:
        held.setdefault(i.region_code, []).append(i)
    rows = []
    for code in sorted(set(held) | set(outcomes) | set(reports)):
        mine = held.get(code, [])
        found = phases(_timings(mine))
        rows.append(
            {
                "region_code": code,
                "name": place_name(code),
                "reports": reports.get(code, 0),
                "incidents": len(mine),
                "report_to_assigned_p50_s": spread(found["report_to_assignment"]).p50_s,
                "report_to_on_scene_p50_s": spread(found["report_to_on_scene"]).p50_s,
                "ppks_mandiri": ppks_mandiri(outcomes.get(code, {})),
                "no_team": sum(1 for i in mine if i.no_team_alternative),
            }
        )
    return rows


async def _reports(
    session: AsyncSession, region: str, start: datetime, end: datetime
) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    """The period's reports by channel and by category, and how many per region code. Every
    report joined an incident that was open when it came: incidents closed before ``start``
    hold none of the period's."""
    rows = (
        await session.exec(
            select(ReportLink.report, Incident.region_code)
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
    per_region: dict[str, int] = {}
    for report, code in rows:
        try:
            received = datetime.fromisoformat(str(report.get("received_at")))
        except ValueError:
            continue
        if not start <= received < end:
            continue
        channel, category = str(report.get("channel")), str(report.get("category"))
        by_channel[channel] = by_channel.get(channel, 0) + 1
        by_category[category] = by_category.get(category, 0) + 1
        per_region[code] = per_region.get(code, 0) + 1
    return {"reports_by_channel": by_channel, "reports_by_category": by_category}, per_region


BY_REGION_CSV = (
    "name", "reports", "incidents", "report_to_assigned_p50_s", "report_to_on_scene_p50_s",
    "outcomes", "ppks_mandiri_count", "ppks_mandiri_percent", "no_team",
)  # fmt: skip


def csv_rows(result: dict[str, Any]) -> list[tuple[str, str, Any]]:
    """(figure, key, value) for the CSV download; a province's per-kab/kota figures as
    ``by_region.<figure>`` rows whose key is the kab/kota code."""
    rows: list[tuple[str, str, Any]] = []
    for figure in ("reports_by_channel", "reports_by_category", "outcomes", "no_team"):
        rows += [(figure, k, v) for k, v in sorted(result[figure].items())]
    rows.append(("incidents", "all", result["incidents"]))
    for name, values in result["times"].items():
        rows += [(name, k, v) for k, v in values.items()]
    rows += [("ppks_mandiri", k, v) for k, v in result["ppks_mandiri"].items()]
    for one in result.get("by_region", []):
        flat = one | {
            "outcomes": one["ppks_mandiri"]["closed"],
            "ppks_mandiri_count": one["ppks_mandiri"]["count"],
            "ppks_mandiri_percent": one["ppks_mandiri"]["percent"],
        }
        rows += [
            (f"by_region.{figure}", one["region_code"], flat[figure]) for figure in BY_REGION_CSV
        ]
    return rows
