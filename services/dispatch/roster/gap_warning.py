"""A roster gap is told to the supervisors' chat before it starts, once per gap: the sweep (at
a shift end's warning instant) and every roster change look ``gap_warning`` ahead."""

from __future__ import annotations

from datetime import timedelta

from services.dispatch.domain.shifts import gap_ahead
from services.dispatch.incidents.context import Ctx
from services.dispatch.incidents.timeline import escalate
from services.dispatch.models import RegionState
from services.dispatch.roster.duty import region_duties
from shared.regions import format_local

KIND = "roster_gap_ahead"
HORIZON = timedelta(hours=24)


async def warn_of_gap_ahead(ctx: Ctx, region: RegionState) -> None:
    """Escalate the next gap starting within the warning time, unless this gap was told."""
    warn = ctx.rules.gap_warning
    if warn <= timedelta(0):
        return
    duties = await region_duties(ctx.session, region.region_code, ctx.now, ahead=HORIZON)
    gap = gap_ahead(duties, ctx.now, warn, horizon=HORIZON)
    if gap is None or region.gap_ahead_warned_start == gap[0]:
        return
    region.gap_ahead_warned_start = gap[0]
    start, end = (format_local(t, region.region_code) for t in gap)
    start_en, end_en = (format_local(t, region.region_code, lang="en") for t in gap)
    escalate(
        ctx,
        None,
        region.region_code,
        KIND,
        f"Tidak ada tim yang bertugas mulai {start} sampai {end}: isi jadwal sekarang / "
        f"no team on duty from {start_en} to {end_en}: fill the roster now",
    )
