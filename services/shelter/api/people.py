"""Person records over HTTP: who the person of a case is, earlier people they may be, and the
record itself; names, NIK and phone only to the region's staff, every read and change audited."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, HTTPException, Request, status

from services.shelter.api.access import Worker, on_case, vault_of
from services.shelter.api.schemas import Lookalike, PersonIn
from services.shelter.cases import people
from services.shelter.cases.store import SqlCaseStore
from services.shelter.models import Case


def add_person_routes(router: APIRouter) -> None:
    @router.put(
        "/cases/{case_id}/person",
        summary="Record who the person is (audited; NIK and phone sealed)",
    )
    async def put_person(
        case_id: str, body: PersonIn, request: Request, staff: Worker
    ) -> dict[str, str]:
        vault = vault_of(request)
        fields = people.PersonFields(**body.model_dump())

        async def go(store: SqlCaseStore, case: Case, now: datetime) -> dict[str, str]:
            person = await people.save_person(
                store.session, vault, case, fields, staff.username, now
            )
            return {"person_id": person.id}

        return await on_case(request, staff, case_id, go)

    @router.post(
        "/cases/{case_id}/similar", summary="Earlier people this may be (to confirm; audited)"
    )
    async def similar(
        case_id: str, body: Lookalike, request: Request, staff: Worker
    ) -> list[dict[str, Any]]:
        async def go(store: SqlCaseStore, case: Case, now: datetime) -> list[dict[str, Any]]:
            return await people.similar_people(
                store.session,
                case,
                body.name,
                body.sex,
                body.estimated_age,
                body.origin_region_code,
                staff.username,
                now,
            )

        return await on_case(request, staff, case_id, go)

    @router.get("/cases/{case_id}/person", summary="The person record (every read is audited)")
    async def get_person(case_id: str, request: Request, staff: Worker) -> dict[str, Any]:
        vault = vault_of(request)

        async def go(store: SqlCaseStore, case: Case, now: datetime) -> dict[str, Any]:
            found = await people.read_person(store.session, vault, case, staff.username, now)
            if found is None:
                raise HTTPException(status.HTTP_404_NOT_FOUND, "no person recorded for this case")
            return found

        return await on_case(request, staff, case_id, go)
