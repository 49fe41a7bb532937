"""Room in shelters: a full section refuses an admission and names another with room. Pure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from services.shelter.domain.cases import CaseError


@dataclass(frozen=True)
class Section:
    shelter_id: str
    shelter_name: str
    section: str  # male | female | children | odgj_observation | …
    capacity: int
    occupied: int

    @property
    def free(self) -> int:
        return max(self.capacity - self.occupied, 0)


class ShelterFull(CaseError):
    def __init__(self, section: str, suggestions: list[Section]) -> None:
        names = (
            ", ".join(f"{s.shelter_name} ({s.free} free)" for s in suggestions[:3])
            or "none in this region"
        )
        super().__init__(f"section {section} is full; room elsewhere: {names}")
        self.suggestions = suggestions


def alternatives(
    sections: Iterable[Section], wanted_section: str, exclude_shelter: str
) -> list[Section]:
    """Other shelters' sections of the same kind with room, most room first."""
    found = [
        s
        for s in sections
        if s.section == wanted_section and s.shelter_id != exclude_shelter and s.free > 0
    ]
    return sorted(found, key=lambda s: (-s.free, s.shelter_name))


def bed_for(sections: Iterable[Section], shelter_id: str, section: str) -> Section:
    """The section asked for, if it has room; else why not (and where there is room)."""
    room = {(s.shelter_id, s.section): s for s in sections}
    wanted = room.get((shelter_id, section))
    if wanted is None:
        raise CaseError("no such shelter section in this region")
    if wanted.free <= 0:
        raise ShelterFull(section, alternatives(room.values(), section, shelter_id))
    return wanted
