"""The regions the system knows, their time zones, and times shown the way a region reads them.

Which codes are regions at all is the contracts' list (``shared.contracts.regions``, re-exported
here); every province in it has a zone below (a unit test holds the two together).

Times are stored in UTC everywhere; a person sees them in the region's own zone, labelled
WIB (UTC+7), WITA (UTC+8) or WIT (UTC+9). Indonesia keeps no daylight saving time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from shared.contracts.regions import (
    UnknownRegion,
    check_region,
    is_known_region,
    known_region_codes,
    region_name,
)

__all__ = [
    "RegionZone",
    "UnknownRegion",
    "check_region",
    "format_local",
    "is_known_region",
    "known_region_codes",
    "region_name",
    "region_zone",
    "to_local",
]


@dataclass(frozen=True)
class RegionZone:
    label: str  # WIB / WITA / WIT
    iana: str

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.iana)


WIB = RegionZone("WIB", "Asia/Jakarta")
WITA = RegionZone("WITA", "Asia/Makassar")
WIT = RegionZone("WIT", "Asia/Jayapura")

# Province codes (the first two digits of every Kemendagri code). West and Central Kalimantan
# keep WIB; the rest of Kalimantan, Bali, Nusa Tenggara and Sulawesi are WITA; Maluku and the
# Papua provinces are WIT.
_PROVINCE_ZONES: dict[str, RegionZone] = {
    **dict.fromkeys(
        [
            "11",
            "12",
            "13",
            "14",
            "15",
            "16",
            "17",
            "18",
            "19",
            "21",
            "31",
            "32",
            "33",
            "34",
            "35",
            "36",
            "61",
            "62",
        ],
        WIB,
    ),
    **dict.fromkeys(["51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"], WITA),
    **dict.fromkeys(["81", "82", "91", "92", "93", "94", "95", "96"], WIT),
}
_MONTHS_ID = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def region_zone(region_code: str) -> RegionZone:
    """``21.71`` (Kota Batam) → WIB; ``73.71`` (Kota Makassar) → WITA; ``91`` (Papua) → WIT."""
    try:
        return _PROVINCE_ZONES[region_code[:2]]
    except KeyError:
        raise UnknownRegion(f"no time zone known for region code {region_code!r}") from None


def to_local(moment: datetime, region_code: str) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetime: times are stored in UTC with their zone")
    return moment.astimezone(region_zone(region_code).zone)


def format_local(moment: datetime, region_code: str, *, lang: str = "id") -> str:
    """``22 Nov 2026 20.05 WIB`` (Indonesian style) or ``22 Nov 2026 20:05 WIB`` (English)."""
    local = to_local(moment, region_code)
    months, sep = (_MONTHS_ID, ".") if lang == "id" else (_MONTHS_EN, ":")
    label = region_zone(region_code).label
    return (
        f"{local.day} {months[local.month - 1]} {local.year} "
        f"{local.hour:02d}{sep}{local.minute:02d} {label}"
    )
