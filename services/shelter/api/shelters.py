"""Shelters and beds over HTTP: a supervisor adds or updates a shelter; staff see occupancy."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request

from services.shelter.api.access import Manager, Worker
from services.shelter.api.schemas import SectionView, ShelterIn, section_view
from services.shelter.cases.occupancy import save_shelter, sections
from shared.auth import ensure_covers
from shared.contracts.envelope import RegionCode
from shared.http import platform_of


def add_shelter_routes(router: APIRouter) -> None:
    @router.post(
        "/regions/{region_code}/shelters",
        response_model=list[SectionView],
        summary="Add or update a shelter",
    )
    async def put_shelter(
        region_code: RegionCode, body: ShelterIn, request: Request, staff: Manager
    ) -> list[SectionView]:
        ensure_covers(staff, region_code)
        capacities = [(s.section, s.capacity) for s in body.sections]
        async with platform_of(request).uow() as uow:
            await save_shelter(
                uow.session,
                uow.emit,
                region_code,
                body.code,
                body.name,
                body.kind,
                capacities,
                datetime.now(UTC),
            )
            await uow.commit()
        return await occupancy(region_code, request, staff)

    @router.get(
        "/regions/{region_code}/shelters",
        response_model=list[SectionView],
        summary="Occupancy per shelter and section",
    )
    async def occupancy(
        region_code: RegionCode, request: Request, staff: Worker
    ) -> list[SectionView]:
        ensure_covers(staff, region_code)
        async with platform_of(request).sessions() as session:
            found = await sections(session, region_code)
        return [section_view(s) for s in found]
