"""A region's places (kecamatan, kelurahan, landmarks) as data, and finding them in free text."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from services.intake.domain.text import contains_phrase, normalise


@dataclass(frozen=True)
class Place:
    kind: str  # kecamatan | kelurahan | landmark
    name: str
    kecamatan: str
    kecamatan_code: str
    kelurahan: str | None
    names: tuple[str, ...]  # normalised spellings that identify it


@dataclass(frozen=True)
class LocationGuess:
    kecamatan: str
    kecamatan_code: str
    kelurahan: str | None
    landmark: str | None
    matched: str  # the spelling found in the text
    confidence: float  # landmark/kelurahan 0.9, kecamatan alone 0.6


class Gazetteer:
    def __init__(self, raw: dict[str, Any]) -> None:
        self.region_code: str = raw["region_code"]
        self.name: str = raw["name"]
        self.sample: bool = bool(raw.get("sample", False))
        self.places: list[Place] = []
        kelurahan_home: dict[str, tuple[str, str]] = {}
        for kec in raw["kecamatan"]:
            names = (kec["name"], *kec.get("aliases", ()))
            self.places.append(_place("kecamatan", kec["name"], kec, None, names))
            for kel in kec["kelurahan"]:
                kelurahan_home[kel] = (kec["name"], kec["code"])
                self.places.append(_place("kelurahan", kel, kec, kel, (kel,)))
        for mark in raw.get("landmarks", ()):
            kec_name, kec_code = kelurahan_home[mark["kelurahan"]]
            names = (mark["name"], *mark.get("aliases", ()))
            home = {"name": kec_name, "code": kec_code}
            self.places.append(_place("landmark", mark["name"], home, mark["kelurahan"], names))

    def kecamatan(self) -> list[Place]:
        return [p for p in self.places if p.kind == "kecamatan"]

    def kelurahan_of(self, kecamatan: str) -> list[str]:
        return [p.name for p in self.places if p.kind == "kelurahan" and p.kecamatan == kecamatan]

    def find(self, text: str) -> LocationGuess | None:
        """The most specific place named in ``text`` (landmark or kelurahan before kecamatan)."""
        normalised = normalise(text)
        best: tuple[int, int, Place, str] | None = None
        for place in self.places:
            rank = {"landmark": 2, "kelurahan": 2, "kecamatan": 1}[place.kind]
            for spelling in place.names:
                if _named(normalised, spelling):
                    key = (rank, len(spelling))
                    if best is None or key > best[:2]:
                        best = (rank, len(spelling), place, spelling)
        if best is None:
            return None
        place, spelling = best[2], best[3]
        return LocationGuess(
            kecamatan=place.kecamatan,
            kecamatan_code=place.kecamatan_code,
            kelurahan=place.kelurahan,
            landmark=place.name if place.kind == "landmark" else None,
            matched=spelling,
            confidence=0.9 if place.kind != "kecamatan" else 0.6,
        )


# Place names that are also everyday words count only after "kelurahan"/"kecamatan"/"desa":
# "rumah baru" is not Kelurahan Baru, "galang dana" is not Kecamatan Galang.
AMBIGUOUS_PLACE_WORDS = frozenset(
    {"baru", "daya", "layang", "melayu", "pandang", "bira", "makassar", "galang", "batam", "ende"}
)


def _named(normalised_text: str, spelling: str) -> bool:
    if spelling in AMBIGUOUS_PLACE_WORDS:
        return any(
            contains_phrase(normalised_text, f"{prefix} {spelling}")
            for prefix in ("kelurahan", "kecamatan", "desa")
        )
    return contains_phrase(normalised_text, spelling)


def _place(
    kind: str, name: str, kec: dict[str, Any], kelurahan: str | None, names: tuple[str, ...]
) -> Place:
    spellings = {normalise(n) for n in names}
    spellings |= {s.replace(" ", "") for s in spellings if " " in s}  # "batuampar"
    return Place(
        kind=kind,
        name=name,
        kecamatan=kec["name"],
        kecamatan_code=kec["code"],
        kelurahan=kelurahan,
        names=tuple(sorted(spellings, key=len, reverse=True)),
    )


class UnknownRegionData(LookupError):
    """No gazetteer ships for this region code."""


@cache
def gazetteer(region_code: str) -> Gazetteer:
    """The shipped gazetteer of a region (``21.71`` Kota Batam, ``73.71`` Kota Makassar)."""
    path = files("services.intake").joinpath("data", "regions", f"{region_code}.json")
    if not path.is_file():
        raise UnknownRegionData(f"no gazetteer for region {region_code}")
    return Gazetteer(json.loads(path.read_text()))


def known_regions() -> list[str]:
    """Region codes with a shipped gazetteer, sorted."""
    folder = files("services.intake").joinpath("data", "regions")
    return sorted(
        p.name.removesuffix(".json") for p in folder.iterdir() if p.name.endswith(".json")
    )
