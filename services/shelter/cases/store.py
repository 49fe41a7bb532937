"""The port the case use cases work through (rows to keep, events to emit, the few reads they
need), its database adapter, and the one way an entry goes on a case's timeline."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Protocol, TypeVar

from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.shelter.cases.occupancy import sections
from services.shelter.domain.beds import Section
from services.shelter.domain.cases import IN_SHELTER
from services.shelter.models import Case, CaseEntry
from shared.contracts.events import Payload

Emit = Callable[..., object]
RegionRow = TypeVar("RegionRow", bound=SQLModel)


class CaseStore(Protocol):
    """Keeps rows and stages events in the caller's transaction; never commits."""

    def add(self, row: SQLModel) -> None: ...
    def emit(self, payload: Payload, *, region_code: str, correlation_id: str) -> object: ...
    async def case_opened(self, incident_id: str, seq: int) -> bool: ...
    async def sections(self, region: str) -> list[Section]: ...
    async def in_shelter(self, region: str) -> list[Case]: ...
    async def timeline(self, case_id: str) -> list[CaseEntry]: ...


class SqlCaseStore:
    """The port on a database session and the transaction's outbox (``emit``)."""

    def __init__(self, session: AsyncSession, emit: Emit) -> None:
        self.session = session
        self._emit = emit

    @classmethod
    def reading(cls, session: AsyncSession) -> SqlCaseStore:
        """For reads only: there is no transaction's outbox to emit to."""
        return cls(session, _emits_nothing)

    def add(self, row: SQLModel) -> None:
        self.session.add(row)

    def emit(self, payload: Payload, *, region_code: str, correlation_id: str) -> object:
        return self._emit(payload, region_code=region_code, correlation_id=correlation_id)

    async def case_opened(self, incident_id: str, seq: int) -> bool:
        found = await self.session.exec(
            select(Case.id).where(Case.incident_id == incident_id, Case.seq == seq)
        )
        return found.first() is not None

    async def sections(self, region: str) -> list[Section]:
        return await sections(self.session, region)

    async def in_shelter(self, region: str) -> list[Case]:
        found = await self.session.exec(
            select(Case).where(Case.region_code == region, col(Case.state).in_(IN_SHELTER))
        )
        return list(found.all())

    async def timeline(self, case_id: str) -> list[CaseEntry]:
        return await timeline(self.session, case_id)


def _emits_nothing(payload: Payload, **_: object) -> object:
    raise RuntimeError(f"a read emits no events ({type(payload).__name__})")


async def newest_of_region(
    session: AsyncSession,
    model: type[RegionRow],
    region: str,
    newest_first: Any,
    **equal: str | None,
) -> Sequence[RegionRow]:
    """The region's rows of ``model`` (those whose fields equal the values given, when given),
    newest first, 500 at most: the lists the staff page through."""
    query = (
        select(model)
        .where(model.region_code == region)  # type: ignore[attr-defined]
        .order_by(col(newest_first).desc())
        .limit(500)
    )
    for name, value in equal.items():
        if value:
            query = query.where(getattr(model, name) == value)
    return (await session.exec(query)).all()


async def timeline(session: AsyncSession, case_id: str) -> list[CaseEntry]:
    """The case's entries, oldest first."""
    found = await session.exec(
        select(CaseEntry)
        .where(CaseEntry.case_id == case_id)
        .order_by(col(CaseEntry.at), col(CaseEntry.id))
    )
    return list(found.all())


def tell(store: CaseStore, case: Case, *events: Payload) -> None:
    """Emit events about a case: in its region, correlated with what opened it (the incident,
    or the referral for a case opened by one)."""
    for event in events:
        store.emit(event, region_code=case.region_code, correlation_id=case.incident_id)


def record(
    store: CaseStore,
    case: Case,
    kind: str,
    by: str,
    at: datetime,
    detail: dict[str, Any],
    *events: Payload,
) -> None:
    """An entry on the case's timeline, and the events that go with it."""
    store.add(CaseEntry(case_id=case.id, kind=kind, at=at, by=by, detail=detail))
    tell(store, case, *events)
