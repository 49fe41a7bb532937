"""Data protection over HTTP (UU 27/2022): a person's data exported on their request, a person
anonymised; supervisors only, both audited."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

from services.shelter.api.access import Manager, person_of, refusals_as_conflicts, vault_of
from services.shelter.api.schemas import Erasure
from services.shelter.cases import privacy
from shared.http import platform_of


def add_privacy_routes(router: APIRouter) -> None:
    @router.get(
        "/people/{person_id}/export",
        summary="Everything kept about a person, on their request (audited)",
    )
    async def export_person(person_id: str, request: Request, staff: Manager) -> Response:
        vault = vault_of(request)
        async with platform_of(request).uow() as uow:
            person = await person_of(uow, staff, person_id)
            found = await privacy.export_person(
                uow.session, vault, person, staff.username, datetime.now(UTC)
            )
            await uow.commit()
        return JSONResponse(
            jsonable_encoder(found),
            headers={
                "Content-Disposition": f'attachment; filename="data-pribadi-{person_id}.json"',
                "Cache-Control": "no-store",
            },
        )

    @router.post(
        "/people/{person_id}/erase",
        summary="Anonymise a person whose cases are closed (audited; figures unchanged)",
    )
    async def erase_person(
        person_id: str, body: Erasure, request: Request, staff: Manager
    ) -> dict[str, Any]:
        async with platform_of(request).uow() as uow:
            person = await person_of(uow, staff, person_id)
            with refusals_as_conflicts():
                await privacy.erase_person(
                    uow.session, person, staff.username, datetime.now(UTC), body.reason
                )
            await uow.commit()
        return {"person_id": person_id, "erased": True}
