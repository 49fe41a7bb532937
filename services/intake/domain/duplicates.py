"""Is a new report the same case as an open one? Same category, close in place and time."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class DuplicatePolicy:
    window: timedelta = timedelta(hours=6)
    max_distance_m: float = 500.0  # one person on foot may have walked on (see linking.py)
    same_spot_m: float = 50.0  # a household or group: the same spot, within a phone's accuracy


@dataclass(frozen=True)
class Candidate:
    """What the matcher needs of a report (new or open); no personal data."""

    report_id: str
    category: str
    received_at: datetime
    kelurahan: str | None = None
    kecamatan: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    people_count: int = 1
    address: str | None = None
    village_word: str = "kelurahan"  # what the region calls a village: "kelurahan" or "desa"


@dataclass(frozen=True)
class Match:
    report_id: str
    reason: str  # "450 m, 35 min" / "same kelurahan, 2 h"
    distance_m: float | None
    age: timedelta


def distance_m(a_lat: float, a_lon: float, b_lat: float, b_lon: float) -> float:
    """Great-circle distance in metres (haversine)."""
    earth = 6_371_000.0
    p1, p2 = math.radians(a_lat), math.radians(b_lat)
    dp, dl = p2 - p1, math.radians(b_lon - a_lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * earth * math.asin(math.sqrt(h))


def find_duplicate(
    new: Candidate, open_reports: Iterable[Candidate], policy: DuplicatePolicy
) -> Match | None:
    """The closest open report of the same category within the window, if any.

    Coordinates on both sides: within ``max_distance_m``. Otherwise the same kelurahan (a
    kecamatan alone is too wide to call two reports the same case).
    """
    matches = find_nearby(new, open_reports, policy)
    return matches[0] if matches else None


def find_nearby(
    new: Candidate,
    open_reports: Iterable[Candidate],
    policy: DuplicatePolicy,
    *,
    same_kecamatan: bool = False,
) -> list[Match]:
    """Every open report of the same category within the window that is near, closest first.

    With ``same_kecamatan`` a report elsewhere in the same kecamatan counts too: wide enough for a
    hint an operator reads, too wide to link on its own.
    """
    found: list[Match] = []
    for other in open_reports:
        if other.report_id == new.report_id or other.category != new.category:
            continue
        age = abs(new.received_at - other.received_at)
        if age > policy.window:
            continue
        match = _near(new, other, policy, age) or (
            _same_kecamatan(new, other, age) if same_kecamatan else None
        )
        if match:
            found.append(match)
    return sorted(found, key=_closeness)


def _near(
    new: Candidate, other: Candidate, policy: DuplicatePolicy, age: timedelta
) -> Match | None:
    minutes = int(age.total_seconds() // 60)
    if None not in (new.latitude, new.longitude, other.latitude, other.longitude):
        metres = distance_m(new.latitude, new.longitude, other.latitude, other.longitude)  # type: ignore[arg-type]
        if metres <= policy.max_distance_m:
            return Match(other.report_id, f"{metres:.0f} m, {minutes} min", metres, age)
        return None
    if new.kelurahan and new.kelurahan == other.kelurahan and new.kecamatan == other.kecamatan:
        return Match(other.report_id, f"same {new.village_word}, {minutes} min", None, age)
    return None


def _same_kecamatan(new: Candidate, other: Candidate, age: timedelta) -> Match | None:
    if new.kecamatan and new.kecamatan == other.kecamatan:
        minutes = int(age.total_seconds() // 60)
        return Match(other.report_id, f"same kecamatan, {minutes} min", None, age)
    return None


def _closeness(match: Match) -> tuple[float, float]:
    if match.distance_m is not None:
        return (match.distance_m, match.age.total_seconds())
    wide = match.reason.startswith("same kecamatan")
    return (2e9 if wide else 1e9, match.age.total_seconds())
