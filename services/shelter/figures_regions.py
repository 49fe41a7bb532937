"""A province's figures side by side per kabupaten/kota: one summary line for each kab/kota code
found under the province in the cases or shelters (cases opened, outcomes recorded, the "PPKS
mandiri" KPI, cases closed, people in shelters at the period's end, mean length of stay), counted
with one GROUP BY ``region_code`` a figure rather than a query a kab/kota. Aggregates only: no
names of people. The table of the XLSX sheet "Per kab/kota" is made here too."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.shelter.models import Case, Shelter
from shared.contracts.vocabulary import ppks_mandiri
from shared.regions import UnknownRegion, region_name
from shared.scope import within

Row = tuple[str, str, float | int | None]


def region_label(code: str) -> str:
    """The region's name (``64.72`` → ``Kota Samarinda``), or the code if it is not known."""
    try:
        return region_name(code)
    except UnknownRegion:
        return code


@dataclass
class RegionSummary:
    """One line of the per-kab/kota table (or the scope's own total line)."""

    region_code: str
    opened: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)  # outcomes recorded in the period
    closed: int = 0  # cases closed in the period (a different figure from the KPI's base)
    in_shelter_at_end: int = 0
    stay_days_mean: float | None = None

    @property
    def name(self) -> str:
        return region_label(self.region_code)

    @property
    def mandiri(self) -> dict[str, int | float | None]:
        return ppks_mandiri(self.outcomes)

    def as_json(self) -> dict[str, Any]:
        return {
            "region_code": self.region_code,
            "region_name": self.name,
            "opened": self.opened,
            "outcomes": dict(sorted(self.outcomes.items())),
            "ppks_mandiri": self.mandiri,
            "closed": self.closed,
            "in_shelter_at_end": self.in_shelter_at_end,
            "stay_days_mean": self.stay_days_mean,
        }

    def rows(self, last_day: str) -> list[Row]:
        """The line as (figure, key, value) rows, named as in the full figures' rows."""
        kpi = self.mandiri
        return [
            ("opened", "all", self.opened),
            *(("outcome", k, v) for k, v in sorted(self.outcomes.items())),
            ("closed", "all", self.closed),
            ("ppks_mandiri", "outcomes_recorded", kpi["closed"]),
            ("ppks_mandiri", "count", kpi["count"]),
            ("ppks_mandiri", "percent", kpi["percent"]),
            ("length_of_stay_days", "mean", self.stay_days_mean),
            ("occupancy_end_of_day", last_day, self.in_shelter_at_end),
        ]

    def cells(self) -> list[Any]:
        """The line as a row of the "Per kab/kota" sheet (in the order of ``HEADINGS``)."""
        kpi = self.mandiri
        return [
            self.region_code,
            self.name,
            self.opened,
            kpi["closed"],
            kpi["count"],
            kpi["percent"],
            self.closed,
            self.in_shelter_at_end,
            self.stay_days_mean,
        ]


HEADINGS = {
    "id": [
        "Kode",
        "Kabupaten/kota",
        "Kasus dibuka",
        "Hasil tercatat",
        "PPKS mandiri",
        "PPKS mandiri (%)",
        "Kasus ditutup",
        "Di shelter pada akhir periode",
        "Rata-rata lama tinggal (hari)",
    ],
    "en": [
        "Code",
        "Regency/city",
        "Cases opened",
        "Outcomes recorded",
        "PPKS mandiri",
        "PPKS mandiri (%)",
        "Cases closed",
        "In shelters at the period's end",
        "Mean length of stay (days)",
    ],
}
TOTAL = {"id": "Jumlah", "en": "Total"}


def table(parts: list[RegionSummary], total: RegionSummary, lang: str = "id") -> list[list[Any]]:
    """The "Per kab/kota" sheet's table: headings, a line a kab/kota, the total line."""
    last = total.cells()
    last[1] = f"{TOTAL[lang]} {total.name}"
    return [HEADINGS[lang], *(part.cells() for part in parts), last]


def summaries(
    opened: dict[str, int],
    outcomes: Iterable[tuple[str, str, int]],
    closed: dict[str, int],
    inside: dict[str, int],
    stays: dict[str, float],
    shelter_regions: Iterable[str] = (),
) -> list[RegionSummary]:
    """A line for every region code met in any of the counts (or holding a shelter), by code.
    ``outcomes`` is (region code, outcome, count); the others map a region code to its count."""
    found: dict[str, RegionSummary] = {}

    def line(code: str) -> RegionSummary:
        return found.setdefault(code, RegionSummary(code))

    for code in shelter_regions:
        line(code)
    for code, n in opened.items():
        line(code).opened = n
    for code, outcome, n in outcomes:
        line(code).outcomes[outcome] = n
    for code, n in closed.items():
        line(code).closed = n
    for code, n in inside.items():
        line(code).in_shelter_at_end = n
    for code, days in stays.items():
        line(code).stay_days_mean = round(days, 1)
    return [found[code] for code in sorted(found)]


async def by_region(
    session: AsyncSession, scope: str, start: datetime, end: datetime
) -> list[RegionSummary]:
    """The scope's lines per region code: opened and outcomes, closures and stays dated in
    [start, end) as in the full figures; people in shelters at ``end`` (admitted before it, no
    outcome before it)."""
    code = col(Case.region_code)
    where = within(Case.region_code, scope)
    admitted, left = col(Case.admitted_at), col(Case.outcome_at)
    ended = (left >= start) & (left < end)

    async def grouped(*conditions: Any) -> dict[str, int]:
        query = select(code, func.count()).where(where, *conditions).group_by(code)
        return {str(k): int(n) for k, n in (await session.exec(query)).all()}

    opened = await grouped(col(Case.opened_at) >= start, col(Case.opened_at) < end)
    closed = await grouped(col(Case.closed_at) >= start, col(Case.closed_at) < end)
    inside = await grouped(admitted < end, or_(left.is_(None), left >= end))
    outcome = col(Case.outcome)
    by_outcome = select(code, outcome, func.count()).where(where, ended).group_by(code, outcome)
    outcomes = [(str(k), str(o), int(n)) for k, o, n in (await session.exec(by_outcome)).all() if o]
    stay = col(Case.stay_days)
    mean = select(code, func.avg(stay)).where(where, ended, stay.is_not(None)).group_by(code)
    stays = {str(k): float(d) for k, d in (await session.exec(mean)).all() if d is not None}
    shelters = select(Shelter.region_code).where(within(Shelter.region_code, scope)).distinct()
    return summaries(opened, outcomes, closed, inside, stays, (await session.exec(shelters)).all())
