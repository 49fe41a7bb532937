"""Room in shelters: a full section refuses an admission and names another with room. Pure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


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
