"""Reports from intake become incidents: a new one, or a report joining the incident it was
linked to; an unlinked report leaves and becomes an incident of its own."""

from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from services.dispatch.domain.states import TERMINAL
from services.dispatch.incidents.assignment import assign_waiting
from services.dispatch.incidents.context import Ctx
from services.dispatch.incidents.headcount import count_joined, recount_after_split
from services.dispatch.incidents.region_lock import lock_region
from services.dispatch.incidents.timeline import announce_new
from services.dispatch.models import Incident, RegionState, ReportLink
from services.dispatch.roster.teamless import warn_if_teamless
from shared.contracts.events import ReportReceived, ReportUnlinked
from shared.contracts.vocabulary import IncidentState
from shared.regions import to_local


async def on_report(ctx: Ctx, region_code: str, report: ReportReceived) -> Incident:
    region = await lock_region(ctx.session, region_code)
    known = await ctx.session.get(ReportLink, report.report_id)
    if known is not None:  # the same report again (a replay): nothing new
        incident = await ctx.session.get(Incident, known.incident_id)
        assert incident is not None
        return incident
    joined = await _joinable(ctx.session, report.duplicate_of)
    if joined is not None:
        _join(ctx, joined, report)
        return joined
    incident = Incident(
        number=next_number(region, ctx.now),
        region_code=region_code,
        state=IncidentState.RECEIVED.value,
        priority=report.priority.value,
        category=report.category,
        channel=report.channel.value,
        description=report.description,
        address=report.location.address,
        kecamatan=report.location.kecamatan,
        kelurahan=report.location.kelurahan,
        zone_code=report.location.zone_code,
        latitude=report.location.latitude,
        longitude=report.location.longitude,
        people_count=report.people_count,
        danger_flags=[f.value for f in report.danger_flags],
        report_ids=[report.report_id],
        received_at=report.received_at,
        created_at=ctx.now,
    )
    ctx.session.add(incident)
    ctx.session.add(_link(report, incident))
    announce_new(ctx, incident)
    await ctx.session.flush()
    await assign_waiting(ctx, region_code)
    await warn_if_teamless(ctx.session, region_code)
    return incident


def next_number(region: RegionState, now: datetime) -> str:
    """``21.71-261122-0001``: per region and local day (the lock is held)."""
    day = to_local(now, region.region_code).strftime("%y%m%d")
    if region.incident_seq_day != day:
        region.incident_seq_day, region.incident_seq = day, 0
    region.incident_seq += 1
    return f"{region.region_code}-{day}-{region.incident_seq:04d}"


async def _joinable(session: AsyncSession, report_id: str | None) -> Incident | None:
    if report_id is None:
        return None
    link = await session.get(ReportLink, report_id)
    incident = await session.get(Incident, link.incident_id) if link else None
    if incident is None or IncidentState(incident.state) in TERMINAL:
        return None  # nothing open to join: this report is dispatched on its own
    return incident


def _join(ctx: Ctx, incident: Incident, report: ReportReceived) -> None:
    incident.report_ids = [*incident.report_ids, report.report_id]
    detail: dict[str, object] = {"report_id": report.report_id, "priority": report.priority.value}
    if report.priority.value < incident.priority:  # "P1" < "P3": the new call is more urgent
        detail["raised_from"] = incident.priority
        incident.priority = report.priority.value
    flags = sorted(set(incident.danger_flags) | {f.value for f in report.danger_flags})
    incident.danger_flags = flags
    ctx.session.add(_link(report, incident))
    people = count_joined(ctx, incident, report.people_count)  # never fewer people
    ctx.note(incident, incident.region_code, "report_joined", "intake", **detail, **people)


def _link(report: ReportReceived, incident: Incident) -> ReportLink:
    return ReportLink(
        report_id=report.report_id,
        incident_id=incident.id,
        report=report.model_dump(mode="json"),
    )


async def on_unlinked(ctx: Ctx, region_code: str, unlinked: ReportUnlinked) -> Incident | None:
    """The operator says the report is a case of its own: it leaves its incident."""
    await lock_region(ctx.session, region_code)
    link = await ctx.session.get(ReportLink, unlinked.report_id)
    if link is None:
        return None  # never reached dispatch as part of an incident
    old = await ctx.session.get(Incident, link.incident_id)
    if old is None or old.report_ids == [unlinked.report_id]:
        return old  # it already stands alone
    old.report_ids = [r for r in old.report_ids if r != unlinked.report_id]
    await ctx.session.delete(link)
    await ctx.session.flush()
    people = await recount_after_split(ctx, old)
    alone = {"duplicate_of": None, "duplicate_reason": None}
    report = ReportReceived.model_validate({**link.report, **alone})
    new = await on_report(ctx, region_code, report)
    why = {"report_id": unlinked.report_id, "reason": unlinked.reason}
    to = {"split_to": new.number, "split_to_id": new.id}  # ids: the console links the two
    back = {"split_from": old.number, "split_from_id": old.id}
    ctx.note(old, region_code, "report_unlinked", unlinked.actor, **why, **to)
    ctx.note(new, region_code, "split_from", unlinked.actor, **why, **back)
    if people:
        ctx.note(old, region_code, "people_recounted", unlinked.actor, **people)
    return new
