"""Regions with no team at all. A report from one becomes an incident that waits with nobody to
send, so an administrator is told: a WARNING in the log (once per region per process) and a
banner on the console's board, instead of an escalation that may have no chat to reach."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.dispatch.models import Team
from shared.logging import get_logger

log = get_logger(__name__)
_warned: set[str] = set()  # regions this process has logged already


async def regions_without_team(session: AsyncSession, codes: Iterable[str]) -> list[str]:
    """Those of ``codes`` that have no active team, sorted."""
    wanted = sorted(set(codes))
    if not wanted:
        return []
    query = (
        select(Team.region_code)
        .where(col(Team.region_code).in_(wanted), col(Team.active))
        .distinct()
    )
    staffed = set((await session.exec(query)).all())
    return [code for code in wanted if code not in staffed]


async def warn_if_teamless(session: AsyncSession, region_code: str) -> None:
    """Log once per region per process that a report came for a region with no team."""
    if region_code in _warned:
        return
    if await regions_without_team(session, [region_code]):
        _warned.add(region_code)
        log.warning(
            "region_without_team",
            region=region_code,
            hint="add a team (Tim & sif) and set the supervisors' chat (notify) for this region",
        )
