"""Shelters and their beds: a shelter added or updated with its sections, each section's
occupancy now, and ``shelter.updated`` for the supervisors' console in dispatch."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.shelter.domain.beds import Section
from services.shelter.domain.cases import IN_SHELTER
from services.shelter.models import Case, Shelter, ShelterSection
from shared.contracts.events import ShelterSectionRef, ShelterUpdated


async def sections(session: AsyncSession, region: str) -> list[Section]:
    """Every section of the region's active shelters with its occupancy now."""
    rows = (
        await session.exec(
            select(Shelter, ShelterSection)
            .join(ShelterSection, col(ShelterSection.shelter_id) == col(Shelter.id))
            .where(Shelter.region_code == region, col(Shelter.active))
        )
    ).all()
    occupied = {
        (shelter_id, section): count
        for shelter_id, section, count in (
            await session.exec(
                select(Case.shelter_id, Case.section, func.count())
                .where(Case.region_code == region, col(Case.state).in_(IN_SHELTER))
                .group_by(col(Case.shelter_id), col(Case.section))
            )
        ).all()
    }
    return [
        Section(
            shelter.id,
            shelter.name,
            s.section,
            s.capacity,
            occupied.get((shelter.id, s.section), 0),
        )
        for shelter, s in rows
    ]


async def save_shelter(
    session: AsyncSession,
    emit: Callable[..., object],
    region: str,
    code: str,
    name: str,
    kind: str,
    capacities: Iterable[tuple[str, int]],
    now: datetime,
) -> Shelter:
    """Add the region's shelter with this code, or update it; each section given gets this
    capacity (sections not given are kept). Announced as ``shelter.updated``."""
    found = (
        await session.exec(
            select(Shelter).where(Shelter.region_code == region, Shelter.code == code)
        )
    ).first()
    shelter = found or Shelter(region_code=region, code=code, name=name, kind=kind)
    shelter.name, shelter.kind = name, kind
    session.add(shelter)
    await session.flush()
    for section, capacity in capacities:
        row = await session.get(ShelterSection, (shelter.id, section)) or ShelterSection(
            shelter_id=shelter.id, section=section, capacity=capacity
        )
        row.capacity = capacity
        session.add(row)
    await announce_shelter(session, emit, shelter, now)
    return shelter


async def announce_shelter(
    session: AsyncSession, emit: Callable[..., object], shelter: Shelter, now: datetime
) -> None:
    """``shelter.updated``: the shelter and every section's beds as they are now."""
    await session.flush()
    rows = await session.exec(
        select(ShelterSection)
        .where(ShelterSection.shelter_id == shelter.id)
        .order_by(col(ShelterSection.section))
    )
    emit(
        ShelterUpdated(
            shelter_id=shelter.id,
            region_code=shelter.region_code,
            code=shelter.code,
            name=shelter.name,
            kind=shelter.kind,
            sections=[ShelterSectionRef(section=r.section, capacity=r.capacity) for r in rows],
            active=shelter.active,
            updated_at=now,
        ),
        region_code=shelter.region_code,
        correlation_id=shelter.id,
    )
