"""An in-memory stand-in for shelter's ``CaseStore`` port: the rows kept, the events emitted and
the beds of the region's shelters."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from services.shelter.domain.beds import Section
from services.shelter.domain.cases import IN_SHELTER
from services.shelter.models import Case, CaseEntry
from shared.contracts.events import Payload

REGION = "21.71"


@dataclass(frozen=True)
class Bed:
    region: str
    shelter_id: str
    shelter_name: str
    section: str
    capacity: int


@dataclass(frozen=True)
class Emitted:
    payload: Payload
    region_code: str
    correlation_id: str


@dataclass
class MemoryCaseStore:
    beds: list[Bed] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    entries: list[CaseEntry] = field(default_factory=list)
    events: list[Emitted] = field(default_factory=list)

    def shelter(self, shelter_id: str, name: str, region: str = REGION, **sections: int) -> None:
        self.beds += [Bed(region, shelter_id, name, s, n) for s, n in sections.items()]

    def add(self, row: Any) -> None:
        if isinstance(row, Case) and row not in self.cases:
            self.cases.append(row)
        elif isinstance(row, CaseEntry):
            self.entries.append(row)

    def emit(self, payload: Payload, *, region_code: str, correlation_id: str) -> object:
        self.events.append(Emitted(payload, region_code, correlation_id))
        return payload

    async def case_opened(self, incident_id: str, seq: int) -> bool:
        return any(c.incident_id == incident_id and c.seq == seq for c in self.cases)

    async def sections(self, region: str) -> list[Section]:
        inside = [c for c in await self.in_shelter(region)]
        return [
            Section(
                b.shelter_id,
                b.shelter_name,
                b.section,
                b.capacity,
                sum(c.shelter_id == b.shelter_id and c.section == b.section for c in inside),
            )
            for b in self.beds
            if b.region == region
        ]

    async def in_shelter(self, region: str) -> list[Case]:
        return [c for c in self.cases if c.region_code == region and c.state in IN_SHELTER]

    async def timeline(self, case_id: str) -> list[CaseEntry]:
        return sorted((e for e in self.entries if e.case_id == case_id), key=lambda e: e.at)

    def kinds(self, case: Case) -> list[str]:
        return [e.kind for e in self.entries if e.case_id == case.id]

    def told(self) -> list[str]:
        return [type(e.payload).__name__ for e in self.events]


def a_case(
    state: str = "awaiting_admission",
    *,
    category: str = "gepeng",
    admitted_at: datetime | None = None,
    stage: str | None = None,
    region: str = REGION,
) -> Case:
    return Case(
        region_code=region,
        incident_id="inc-1",
        seq=1,
        category=category,
        state=state,
        stage=stage,
        admitted_at=admitted_at,
        opened_at=admitted_at or datetime(2026, 11, 1),
    )
