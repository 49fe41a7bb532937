"""The region lock: every change of a region's dispatch state runs while holding it."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.dispatch.models import RegionState


async def lock_region(session: AsyncSession, region_code: str) -> RegionState:
    """Take the region's lock for this transaction (a row lock on PostgreSQL; SQLite has one
    writer at a time anyway). Every change of a region's dispatch state starts here."""
    if (await session.connection()).dialect.name == "postgresql":
        await session.exec(
            pg_insert(RegionState).values(region_code=region_code).on_conflict_do_nothing()
        )
        query = select(RegionState).where(RegionState.region_code == region_code).with_for_update()
        return (await session.exec(query)).one()
    state = await session.get(RegionState, region_code)
    if state is None:
        state = RegionState(region_code=region_code)
        session.add(state)
        await session.flush()
    return state
