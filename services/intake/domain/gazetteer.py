"""A region's places (kecamatan, kelurahan/desa, landmarks) and finding them in free text.

Kecamatan and kelurahan/desa, with their Kemendagri codes, come from the national data
(``wilayah.py``) for any kabupaten/kota; a region's file adds only landmarks and the spellings
people use: the one shipped (``data/regions/<code>.json``) with the department's own laid over it
(``<places dir>/<code>.json``, ``use_places_dir``; ``landmarks.py``). How names are found:
``placematch.py``.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from services.intake.domain.elsewhere import nearby_names
from services.intake.domain.landmarks import merge
from services.intake.domain.placematch import Hit, Spellings, shared_starts, spelling_of, variants
from services.intake.domain.text import normalise
from services.intake.domain.wilayah import RegionData, UnknownRegionData, load_region

__all__ = ["Gazetteer", "LocationGuess", "Place", "UnknownRegionData", "gazetteer"]

_RANK = {"landmark": 2, "kelurahan": 2, "kecamatan": 1}
_HOW = {"exact": 2, "partial": 1, "typo": 0}


@dataclass(frozen=True)
class Place:
    kind: str  # kecamatan | kelurahan (a kelurahan or a desa) | landmark
    name: str
    kecamatan: str
    kecamatan_code: str
    kelurahan: str | None
    names: tuple[str, ...]  # normalised spellings that identify it
    code: str = ""  # its Kemendagri code (a landmark: its kelurahan's)


@dataclass(frozen=True)
class LocationGuess:
    kecamatan: str | None  # None only when ambiguous
    kecamatan_code: str | None
    kelurahan: str | None
    landmark: str | None
    matched: str  # the spelling found in the text
    confidence: float  # landmark/kelurahan 0.9 (a typo 0.8), kecamatan alone 0.6, ambiguous 0
    candidates: tuple[str, ...] = ()  # ambiguous: "Sukamaju (Kec. Cibadak)", … — never guessed

    @property
    def ambiguous(self) -> bool:
        return bool(self.candidates)


class Gazetteer:
    def __init__(
        self,
        region: RegionData,
        overlay: dict[str, Any] | None = None,
        others: list[RegionData] | None = None,
    ) -> None:
        """``others``: the other kabupaten/kota of the province, whose distinctive place names
        tell a text placed elsewhere (``nearby``, for ``elsewhere.ElsewhereFinder``)."""
        overlay = overlay or {}
        self.region_code = region.code
        self.name = region.name
        self.province = region.province
        self.sample = False  # the places are the national list; landmarks are department data
        self.village_word = region.village_word
        self.overlay_file = overlay.get("_files", "none") if overlay else "none"
        self._kinds = region.village_kinds()
        kec_aliases = overlay.get("kecamatan_aliases", {})
        kel_aliases = overlay.get("kelurahan_aliases", {})
        self.places: list[Place] = []
        for kec in region.kecamatan:
            names = (kec.name, *kec_aliases.get(kec.name, ()))
            self.places.append(_place("kecamatan", kec.name, kec.code, kec, None, names))
            for village in kec.villages:
                names = (village.name, *kel_aliases.get(village.name, ()))
                self.places.append(
                    _place("kelurahan", village.name, village.code, kec, village.name, names)
                )
        self.unplaced: list[str] = []  # department landmarks whose kelurahan the list lacks
        for mark in overlay.get("landmarks", ()):
            try:
                home = self._village(mark["kelurahan"], mark.get("kecamatan"))
            except ValueError:
                if not mark.get("_department"):
                    raise  # a shipped file is checked by the tests
                self.unplaced.append(f"{mark['name']} ({mark['kelurahan']})")
                continue  # e.g. a kelurahan renamed by a later decree: told, not fatal
            names = (mark["name"], *mark.get("aliases", ()))
            self.places.append(
                Place("landmark", mark["name"], home.kecamatan, home.kecamatan_code,
                      home.name, _spellings(names), home.code)
            )  # fmt: skip
        self.landmark_count = sum(p.kind == "landmark" for p in self.places)
        self._by_spelling: dict[str, list[Place]] = {}
        for place in self.places:
            for spelling in place.names:
                self._by_spelling.setdefault(spelling, []).append(place)
        kecamatan = {p.kecamatan: p for p in self.places if p.kind == "kecamatan"}
        starts = shared_starts(
            (s, p.kecamatan) for p in self.places if p.kind == "kelurahan" for s in p.names
        )
        self._partial = {
            start: kecamatan[kec]
            for start, kec in starts.items()
            if any(w not in region.everyday for w in start.split()) and len(start) >= 4
        }
        own = {normalise(region.name.removeprefix("Kabupaten ").removeprefix("Kota "))}
        self._spellings = Spellings(
            ((s, p.kind) for p in self.places for s in p.names),
            everyday=region.everyday,
            own_names=frozenset(own | {normalise(region.province)}),
            partial=self._partial,
            not_typos=region.not_typos,
        )
        self.nearby = nearby_names((s for p in self.places for s in p.names), others or ())

    def kecamatan(self) -> list[Place]:
        return [p for p in self.places if p.kind == "kecamatan"]

    def kelurahan_of(self, kecamatan: str) -> list[str]:
        return [p.name for p in self.places if p.kind == "kelurahan" and p.kecamatan == kecamatan]

    def village_kinds(self) -> Counter[str]:
        """How many kelurahan and desa (and desa adat) the region has."""
        return Counter(self._kinds)

    def find(self, text: str) -> LocationGuess | None:
        """The most specific place named in ``text``: a landmark or kelurahan/desa before a
        kecamatan, a name as written before a partial name before a typo. A name that several
        kecamatan share is resolved by a kecamatan the text also names, otherwise the guess is
        ambiguous (``candidates``)."""
        words = normalise(text).split()
        hits = self._spellings.exact(words)
        if not any(_RANK[p.kind] == 2 for h in hits for p in self._places(h, words)):
            hits += self._spellings.typos(words)
        readings: list[tuple[tuple[int, bool, int, int], int, Hit, Place]] = []
        unresolved: list[tuple[tuple[int, int, int], Hit, list[Place]]] = []
        for i, hit in enumerate(hits):
            places = self._places(hit, words)
            said = self._kecamatan_named(hits, words, besides=hit)
            if len({p.kecamatan for p in places}) > 1 and said & {p.kecamatan for p in places}:
                places = [p for p in places if p.kecamatan in said]
            best = max(_RANK[p.kind] for p in places)
            top = [p for p in places if _RANK[p.kind] == best]
            size = (_HOW[hit.how], len(hit.spelling))
            if len({p.kecamatan for p in places}) == 1 and len({p.name for p in top}) == 1:
                # A village in a kecamatan the text also names reads best ("Bulak, Jatibarang").
                readings.append(((best, top[0].kecamatan in said, *size), i, hit, top[0]))
            else:
                unresolved.append(((best, *size), hit, places))
        unresolved.sort(key=lambda u: u[0], reverse=True)
        top_unresolved = unresolved[0][0][0] if unresolved else 0
        for key, _i, hit, place in sorted(readings, reverse=True):
            if key[0] < top_unresolved:
                break  # a more specific name the text gives is ambiguous: no guess
            if not any(_overlap(hit, u[1]) for u in unresolved):
                return _guess(place, hit)
        if not unresolved:
            return None
        _key, hit, places = unresolved[0]
        return LocationGuess(
            kecamatan=None,
            kecamatan_code=None,
            kelurahan=None,
            landmark=None,
            matched=hit.written,
            confidence=0.0,
            candidates=tuple(sorted({f"{p.name} (Kec. {p.kecamatan})" for p in places})),
        )

    def _places(self, hit: Hit, words: list[str]) -> list[Place]:
        if self._spellings.is_partial(hit.spelling):
            return [self._partial[hit.spelling]]
        levels = self._spellings.levels(hit.spelling, words, hit.start)
        return [p for p in self._by_spelling[hit.spelling] if p.kind in levels]

    def _kecamatan_named(self, hits: list[Hit], words: list[str], besides: Hit) -> set[str]:
        """Kecamatan that hits other than ``besides`` (and not overlapping it) name."""
        span = range(besides.start, besides.start + besides.words)
        return {
            p.kecamatan
            for h in hits
            if h.start + h.words <= span.start or h.start >= span.stop
            for p in self._places(h, words)
            if p.kind == "kecamatan"
        }

    def _village(self, name: str, kecamatan: str | None) -> Place:
        found = [p for p in self.places if p.kind == "kelurahan" and p.name == name
                 and kecamatan in (None, p.kecamatan)]  # fmt: skip
        if len(found) != 1:
            raise ValueError(f"{self.region_code}: landmark kelurahan {name!r} found {len(found)}x")
        return found[0]


def _overlap(a: Hit, b: Hit) -> bool:
    return a.start < b.start + b.words and b.start < a.start + a.words


def _guess(place: Place, hit: Hit) -> LocationGuess:
    typo = hit.how == "typo"
    return LocationGuess(
        kecamatan=place.kecamatan,
        kecamatan_code=place.kecamatan_code,
        kelurahan=place.kelurahan,
        landmark=place.name if place.kind == "landmark" else None,
        matched=hit.written,
        confidence=(0.8 if typo else 0.9) if place.kind != "kecamatan" else (0.5 if typo else 0.6),
    )


def _spellings(names: tuple[str, ...]) -> tuple[str, ...]:
    spellings = {spelling_of(n) for n in names} - {""}
    spellings |= {v for s in spellings for v in variants(s)}  # "sungai beliung", "35 ilir"
    spellings |= {s.replace(" ", "") for s in spellings if " " in s}  # "batuampar"
    return tuple(sorted(spellings, key=len, reverse=True))


def _place(kind: str, name: str, code: str, kec: Any, kelurahan: str | None,
           names: tuple[str, ...]) -> Place:  # fmt: skip
    return Place(kind, name, kec.name, kec.code, kelurahan, _spellings(names), code)


@cache
def gazetteer(region_code: str) -> Gazetteer:
    """A kabupaten/kota's gazetteer: the national places, the shipped file and the department's,
    if any. Read once per process (one province file, about 10 ms); unknown codes raise."""
    region, others = load_region(region_code)
    return Gazetteer(region, overlay(region_code), others)


@cache
def village_word(region_code: str) -> str:
    """What the region calls a village: "kelurahan" (a kota) or "desa" (most kabupaten);
    "kelurahan" where its places are not known."""
    try:
        return "desa" if gazetteer(region_code).village_word == "desa" else "kelurahan"
    except LookupError:
        return "kelurahan"


_places_dir: Path | None = None


def use_places_dir(folder: Path | None) -> None:
    """Where the department's own files are (``TRC_INTAKE_PLACES_DIR``); forgets what was read."""
    global _places_dir
    _places_dir = folder
    gazetteer.cache_clear()


def places_dir() -> Path | None:
    return _places_dir


def shipped_overlay(region_code: str) -> dict[str, Any] | None:
    """The landmarks and spellings shipped with intake (``data/regions/<code>.json``), if any."""
    path = files("services.intake").joinpath("data", "regions", f"{region_code}.json")
    if not path.is_file():
        return None
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def department_overlay(region_code: str, folder: Path | None = None) -> dict[str, Any] | None:
    """The department's own file (``<places dir>/<code>.json``), if it has one."""
    folder = folder or _places_dir
    path = folder / f"{region_code}.json" if folder else None
    if path is None or not path.is_file():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def overlay(region_code: str) -> dict[str, Any] | None:
    """The region's landmarks and spellings: the department's file over the shipped one."""
    shipped, own = shipped_overlay(region_code), department_overlay(region_code)
    if own is not None:
        own = {**own, "landmarks": [{**m, "_department": True} for m in own.get("landmarks", ())]}
    merged = merge(shipped, own)
    if merged is None:
        return None
    named = [f"data/regions/{region_code}.json"] if shipped else []
    named += [str(_places_dir / f"{region_code}.json")] if own is not None and _places_dir else []
    return {**merged, "_files": " + ".join(named)}


def known_regions() -> list[str]:
    """Region codes with a file of landmarks (shipped or the department's own), sorted."""
    folder = files("services.intake").joinpath("data", "regions")
    codes = {p.name.removesuffix(".json") for p in folder.iterdir() if p.name.endswith(".json")}
    if _places_dir is not None and _places_dir.is_dir():
        codes |= {p.stem for p in _places_dir.glob("??.??.json") if p.is_file()}
    return sorted(codes)
