"""Incidents with no team are never silent: the supervisors' chat hears of each again at an
interval per priority until a person acts — assigns it by hand, or records that no TRC team
can go and what was done instead (police, ambulance, puskesmas, the next patrol, other)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.dispatch.engine import WAITING, Ctx, escalate
from services.dispatch.manual import ManualError
from services.dispatch.models import Incident
from services.dispatch.roster import lock_region
from shared.contracts.events import IncidentNoTeamRecorded
from shared.contracts.vocabulary import NoTeamAlternative
from shared.logging import get_logger

log = get_logger(__name__)
REMINDER = "unassigned"  # the escalation kind of a reminder


async def due_regions(session: AsyncSession, now: datetime) -> set[str]:
    """Regions with a reminder due, or a team that missed an incident allowed to have it again
    (both columns indexed, and empty for every incident that has a team)."""
    reminders = select(Incident.region_code).where(col(Incident.remind_at) <= now)
    retries = select(Incident.region_code).where(col(Incident.retry_missed_at) <= now)
    return set((await session.exec(reminders)).all()) | set((await session.exec(retries)).all())


async def sweep(ctx: Ctx, region_code: str) -> None:
    """After the queue moved: remind of what still has no team; forget passed retry times (the
    policy compares them with the clock itself; cleared, they no longer make the region due)."""
    rows = (
        await ctx.session.exec(
            select(Incident).where(
                Incident.region_code == region_code,
                (col(Incident.remind_at) <= ctx.now) | (col(Incident.retry_missed_at) <= ctx.now),
            )
        )
    ).all()
    for incident in rows:
        if incident.retry_missed_at is not None and incident.retry_missed_at <= ctx.now:
            incident.retry_missed_at = None
        if incident.remind_at is None or incident.remind_at > ctx.now:
            continue
        if incident.state not in WAITING or incident.no_team_at is not None:
            incident.remind_at = None
            continue
        waited = ctx.now - incident.received_at
        escalate(ctx, incident, region_code, REMINDER, reminder_text(waited))
        incident.remind_at = ctx.rules.deadlines.next_reminder(incident.priority, ctx.now)


def reminder_text(waited: timedelta) -> str:
    return (
        f"Sudah menunggu {_duration(waited, 'jam', 'menit')} sejak laporan; belum ada tim yang "
        "menuju lokasi. Tugaskan tim, atau catat 'tidak ada tim TRC' di konsol / waiting "
        f"{_duration(waited, 'h', 'min')} since the report; no team is on the way. Assign a "
        "team, or record 'no TRC team can go' in the console"
    )


def _duration(span: timedelta, hours_word: str, minutes_word: str) -> str:
    minutes = max(int(span.total_seconds()) // 60, 0)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} {hours_word} {minutes} {minutes_word}"
    return f"{minutes} {minutes_word}" if minutes else f"< 1 {minutes_word}"


async def record_no_team(
    ctx: Ctx,
    region_code: str,
    incident_id: str,
    alternative: NoTeamAlternative,
    actor: str,
    reason: str,
) -> Incident:
    """A supervisor says no TRC team can go and what was done instead: the reminders stop, the
    board no longer shows a breach, and the policy no longer offers it by itself (a person may
    still assign it by hand, or cancel it)."""
    await lock_region(ctx.session, region_code)
    incident = await ctx.session.get(Incident, incident_id)
    if incident is None or incident.region_code != region_code:
        raise ManualError("no such incident in this region")
    if incident.state not in WAITING:
        raise ManualError(f"an incident that is {incident.state} has a team or is over")
    ctx.note(
        incident,
        region_code,
        "manual",
        actor,
        action="no_team",
        reason=reason,
        alternative=alternative.value,
    )
    incident.no_team_alternative, incident.no_team_at = alternative.value, ctx.now
    incident.remind_at = None
    ctx.publish(
        IncidentNoTeamRecorded(
            incident_id=incident.id,
            incident_number=incident.number,
            alternative=alternative,
            actor=actor,
            reason=reason,
            recorded_at=ctx.now,
        ),
        region_code,
        incident.id,
    )
    log.info(
        "no_team_recorded",
        region=region_code,
        incident_id=incident.id,
        alternative=alternative.value,
    )
    return incident
