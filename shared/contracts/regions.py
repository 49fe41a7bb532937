"""The regions the system knows: every Kemendagri province (``21``) and kabupaten/kota
(``21.71``), with its name, from the shipped snapshot ``wilayah.json`` (its header names the
source, the decree, the date taken and the licence).

Every region code in an event or a request is checked here (``RegionCode``), so a report for a
region nobody can serve is refused at the door, the same way by every service.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files


class UnknownRegion(ValueError):
    """A region code the system does not know (no such code, or no time zone for it)."""


@cache
def _wilayah() -> dict[str, str]:
    """Code → name of every province and kabupaten/kota (read once, on first use)."""
    text = files("shared.contracts").joinpath("wilayah.json").read_text(encoding="utf-8")
    regions: dict[str, str] = json.loads(text)["regions"]
    return regions


def known_region_codes() -> list[str]:
    """Every known province and kabupaten/kota code, sorted."""
    return sorted(_wilayah())


def check_region(region_code: str) -> str:
    """``region_code`` when the system knows it; ``UnknownRegion`` saying why otherwise.

    ``21.71`` (Kota Batam) and ``64`` (Kalimantan Timur) pass; ``99.99`` (no such province),
    ``73.99`` (no such kabupaten/kota in Sulawesi Selatan) and ``21.71.05`` (a kecamatan) do not.
    """
    names = _wilayah()
    if region_code.count(".") > 1:
        raise UnknownRegion(
            f"kode wilayah harus provinsi (21) atau kabupaten/kota (21.71), bukan {region_code!r} "
            f"/ a region code is a province (21) or a kabupaten/kota (21.71), not {region_code!r}"
        )
    province = region_code[:2]
    if province not in names:
        raise UnknownRegion(
            f"wilayah {region_code!r} tidak dikenal: tidak ada provinsi {province!r} "
            f"/ unknown region {region_code!r}: no province {province!r}"
        )
    if region_code not in names:
        raise UnknownRegion(
            f"wilayah {region_code!r} tidak dikenal: tidak ada kabupaten/kota dengan kode ini "
            f"di {names[province]} / unknown region {region_code!r}: no kabupaten/kota with "
            f"this code in {names[province]}"
        )
    return region_code


def is_known_region(region_code: str) -> bool:
    try:
        check_region(region_code)
    except UnknownRegion:
        return False
    return True


def region_name(region_code: str) -> str:
    """``21.71`` → ``Kota Batam``; ``64`` → ``Kalimantan Timur``."""
    return _wilayah()[check_region(region_code)]
