"""Who may call shelter's routes, the case or person a call is about (only in the staff's
regions), and the refusals of the use cases as HTTP answers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Annotated, TypeVar

from fastapi import Depends, HTTPException, Request, status

from services.shelter.cases.store import SqlCaseStore
from services.shelter.domain.beds import ShelterFull
from services.shelter.domain.cases import CaseError, CaseTransitionError
from services.shelter.models import Case, Person
from services.shelter.vault import Vault
from shared.auth import Role, Staff, require
from shared.http import platform_of
from shared.messaging.uow import UnitOfWork

Worker = Annotated[Staff, Depends(require(Role.SHELTER_STAFF, Role.SUPERVISOR))]
Manager = Annotated[Staff, Depends(require(Role.SUPERVISOR))]
Reader = Annotated[
    Staff, Depends(require(Role.SHELTER_STAFF, Role.SUPERVISOR, Role.PROVINCIAL_SUPERVISOR))
]
T = TypeVar("T")


def vault_of(request: Request) -> Vault:
    vault: Vault | None = request.app.state.vault
    if vault is None:
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE, "no key for personal data (TRC_SHELTER_DATA_KEY)"
        )
    return vault


@contextmanager
def refusals_as_conflicts() -> Iterator[None]:
    """A use case's refusal is a 409 saying why (a full section also says where there is room)."""
    try:
        yield
    except ShelterFull as exc:
        suggestions = [
            {"shelter_id": s.shelter_id, "shelter_name": s.shelter_name, "free": s.free}
            for s in exc.suggestions
        ]
        raise HTTPException(
            status.HTTP_409_CONFLICT, {"message": str(exc), "suggestions": suggestions}
        ) from None
    except (CaseError, CaseTransitionError) as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from None


async def on_case(
    request: Request,
    staff: Staff,
    case_id: str,
    action: Callable[[SqlCaseStore, Case, datetime], Awaitable[T]],
) -> T:
    """Run ``action`` on a case of the staff's regions in one unit of work, committed if it
    succeeds."""
    async with platform_of(request).uow() as uow:
        case = await uow.session.get(Case, case_id)
        if case is None or not staff.covers(case.region_code):
            raise HTTPException(status.HTTP_404_NOT_FOUND, "no such case in your region")
        with refusals_as_conflicts():
            result = await action(SqlCaseStore(uow.session, uow.emit), case, datetime.now(UTC))
        await uow.commit()
    return result


async def person_of(uow: UnitOfWork, staff: Staff, person_id: str) -> Person:
    person = await uow.session.get(Person, person_id)
    if person is None or not staff.covers(person.region_code):
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such person in your region")
    return person

