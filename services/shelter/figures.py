"""The figures a department publishes, computed from the cases of a period: cases opened by PPKS
category and channel, outcomes, admissions per shelter, people rehabilitated per category,
length of stay, the "persentase PPKS mandiri" KPI, disaster victims by disaster type, and
occupancy over time — for a kab/kota, or for a province over all its kab/kota (``shared.scope``)
with a line a kab/kota beside the total (``figures_regions``). Aggregates only: no names."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any

from openpyxl import Workbook
from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.shelter.figures_regions import RegionSummary, by_region, region_label, table
from services.shelter.models import Case, Shelter
from shared.contracts.vocabulary import CaseOutcome, ppks_mandiri
from shared.scope import is_province, within


@dataclass
class Figures:
    region_code: str  # a kab/kota, or a province: then the total of it and its kab/kota
    start: datetime
    end: datetime
    opened_by_category: dict[str, int] = field(default_factory=dict)
    outcomes: dict[str, int] = field(default_factory=dict)
    admitted_by_shelter: dict[str, int] = field(default_factory=dict)
    rehabilitated_by_category: dict[str, int] = field(default_factory=dict)
    closed: int = 0  # cases closed in the period (not the KPI's base: outcomes recorded in it)
    stay_days_mean: float | None = None
    stay_days_median: float | None = None
    opened_by_channel: dict[str, int] = field(default_factory=dict)
    disaster_people_by_type: dict[str, int] = field(default_factory=dict)
    disaster_incidents_by_type: dict[str, int] = field(default_factory=dict)
    # People in the region's shelters at the end of each day (a month-end point each month for
    # periods longer than three months).
    occupancy: list[tuple[str, int]] = field(default_factory=list)
    # A province's kab/kota side by side (and the province's own code if cases carry it); empty
    # for a kab/kota.
    by_region: list[RegionSummary] = field(default_factory=list)

    @property
    def kpi(self) -> dict[str, int | float | None]:
        """The "PPKS mandiri" KPI: the one definition, ``ppks_mandiri`` of the outcomes."""
        return ppks_mandiri(self.outcomes)

    @property
    def mandiri(self) -> int:
        return int(self.kpi["count"] or 0)

    @property
    def mandiri_percent(self) -> float | None:
        percent = self.kpi["percent"]
        return None if percent is None else float(percent)

    @property
    def last_day(self) -> str:
        """The period's last local day (``to`` is exclusive)."""
        zone = self.start.tzinfo
        return (self.end - timedelta(microseconds=1)).astimezone(zone).date().isoformat()

    def summary(self) -> RegionSummary:
        """The scope's own line of the per-kab/kota table, from these figures: the total."""
        inside = dict(self.occupancy).get(self.last_day, 0)
        return RegionSummary(
            self.region_code,
            opened=sum(self.opened_by_category.values()),
            outcomes=dict(self.outcomes),
            closed=self.closed,
            in_shelter_at_end=inside,
            stay_days_mean=self.stay_days_mean,
        )

    def rows(self) -> list[tuple[str, str, float | int | None]]:
        """(figure, key, value) — the same rows for CSV, XLSX and reading."""
        found: list[tuple[str, str, float | int | None]] = []
        found += [("opened", "all", sum(self.opened_by_category.values()))]
        found += [("opened_by_category", k, v) for k, v in sorted(self.opened_by_category.items())]
        found += [("opened_by_channel", k, v) for k, v in sorted(self.opened_by_channel.items())]
        found += [("outcome", k, v) for k, v in sorted(self.outcomes.items())]
        found += [
            ("admitted_by_shelter", k, v) for k, v in sorted(self.admitted_by_shelter.items())
        ]
        found += [
            ("rehabilitated_by_category", k, v)
            for k, v in sorted(self.rehabilitated_by_category.items())
        ]
        found += [
            ("closed", "all", self.closed),
            ("ppks_mandiri", "outcomes_recorded", self.kpi["closed"]),
            ("ppks_mandiri", "count", self.mandiri),
            ("ppks_mandiri", "percent", self.mandiri_percent),
            ("length_of_stay_days", "mean", self.stay_days_mean),
            ("length_of_stay_days", "median", self.stay_days_median),
        ]
        found += [
            ("disaster_people_by_type", k, v)
            for k, v in sorted(self.disaster_people_by_type.items())
        ]
        found += [
            ("disaster_incidents_by_type", k, v)
            for k, v in sorted(self.disaster_incidents_by_type.items())
        ]
        found += [("occupancy_end_of_day", day, n) for day, n in self.occupancy]
        return found


async def _grouped(session: AsyncSession, key: Any, *where: Any) -> dict[str, int]:
    query = select(key, func.count()).where(*where).group_by(key)
    return {str(k): int(n) for k, n in (await session.exec(query)).all() if k is not None}


async def _count(session: AsyncSession, *where: Any) -> int:
    return int((await session.exec(select(func.count()).select_from(Case).where(*where))).one())


async def compute(
    session: AsyncSession, region_code: str, start: datetime, end: datetime
) -> Figures:
    """Cases opened in [start, end), and outcomes and closures dated in it, in ``region_code``
    (a province: with its kab/kota, and a line for each of them) — counted by the database
    (GROUP BY on indexed columns), so five years cost little more than a month."""
    figures = Figures(region_code, start, end)
    region = within(Case.region_code, region_code)
    opened = (col(Case.opened_at) >= start) & (col(Case.opened_at) < end)
    ended = (col(Case.outcome_at) >= start) & (col(Case.outcome_at) < end)
    closed = (col(Case.closed_at) >= start) & (col(Case.closed_at) < end)
    figures.opened_by_category = await _grouped(session, col(Case.category), region, opened)
    figures.outcomes = await _grouped(session, col(Case.outcome), region, ended)
    by_shelter = await _grouped(
        session, col(Case.shelter_id), region, opened, col(Case.admitted_at).is_not(None)
    )
    shelters = (
        await session.exec(select(Shelter).where(within(Shelter.region_code, region_code)))
    ).all()
    twice = {n for n, k in Counter(s.name for s in shelters).items() if k > 1}
    names = {  # two kab/kota's shelters of one name are told apart by their region
        s.id: f"{s.name} ({s.region_code})" if s.name in twice else s.name for s in shelters
    }
    figures.admitted_by_shelter = {names.get(k, k): n for k, n in by_shelter.items()}
    gone = [CaseOutcome.LEFT_WITHOUT_NOTICE.value, CaseOutcome.DIED.value]
    figures.rehabilitated_by_category = await _grouped(
        session, col(Case.category), region, ended, col(Case.outcome).not_in(gone)
    )
    figures.closed = await _count(session, region, closed)
    # Length of stay from a histogram of tenths of days: a few hundred rows, not a row a case.
    histogram = [
        (float(days), int(n))
        for days, n in (
            await session.exec(
                select(Case.stay_days, func.count())
                .where(region, ended, col(Case.stay_days).is_not(None))
                .group_by(col(Case.stay_days))
            )
        ).all()
        if days is not None
    ]
    figures.stay_days_mean, figures.stay_days_median = _mean_median(histogram)
    figures.opened_by_channel = await _grouped(session, col(Case.channel), region, opened)
    disaster = col(Case.category).in_(DISASTER_CATEGORIES)
    figures.disaster_people_by_type = await _grouped(
        session, col(Case.category), region, opened, disaster
    )
    incidents = (
        select(Case.category, func.count(func.distinct(Case.incident_id)))
        .where(region, opened, disaster)
        .group_by(col(Case.category))
    )
    figures.disaster_incidents_by_type = {
        str(k): int(n) for k, n in (await session.exec(incidents)).all()
    }
    figures.occupancy = await occupancy(session, region_code, start, end)
    if is_province(region_code):
        figures.by_region = await by_region(session, region_code, start, end)
    return figures


# The disaster-victim categories (SPM group "korban bencana"): natural and social disasters and
# fires, counted by type.
DISASTER_CATEGORIES = ("korban_bencana_alam", "korban_bencana_sosial", "korban_kebakaran")


async def occupancy(
    session: AsyncSession, scope: str, start: datetime, end: datetime
) -> list[tuple[str, int]]:
    """People in shelters at the end of each local day of [start, end) — for periods longer than
    three months at the end of each month (and of the period): those inside at the start, plus
    admissions, minus departures, interval by interval, in ``scope`` (a province: with its
    kab/kota). For a kab/kota every count is a range of an index (``region_code`` with
    ``admitted_at``; with ``outcome_at, admitted_at``), never a scan; a province's prefix
    ``LIKE`` reads the whole index (SQLite), though not the table."""
    zone = start.tzinfo
    assert zone is not None
    first = start.astimezone(zone).date()
    last = (end - timedelta(microseconds=1)).astimezone(zone).date()
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    if len(days) > 92:
        days = [d for d in days if (d + timedelta(days=1)).day == 1 or d == last]
    region = within(Case.region_code, scope)
    admitted, left = col(Case.admitted_at), col(Case.outcome_at)
    inside = await _inside_at(session, region, start)
    series, since = [], start
    for day in days:
        until = min(end, datetime.combine(day + timedelta(days=1), time(), tzinfo=zone))
        inside += await _count(session, region, admitted >= since, admitted < until)
        inside -= await _count(session, region, left >= since, left < until, admitted.is_not(None))
        series.append((day.isoformat(), inside))
        since = until
    return series


async def _inside_at(session: AsyncSession, region: Any, moment: datetime) -> int:
    """People in shelters at ``moment``: admitted before it minus those who left before it — or,
    when ``moment`` is nearer the latest admissions than the earliest, those inside now minus
    what came after plus what left after (the same number, from the shorter index ranges)."""
    admitted, left = col(Case.admitted_at), col(Case.outcome_at)
    # One aggregate a query: SQLite answers a lone min() or max() from the index's ends, but
    # scans the index for both at once.
    earliest = (await session.exec(select(func.min(Case.admitted_at)).where(region))).one()
    latest = (await session.exec(select(func.max(Case.admitted_at)).where(region))).one()
    if earliest is None or latest is None:
        return 0
    earliest, latest = (_utc(v) for v in (earliest, latest))
    if moment - earliest <= latest - moment:
        return await _count(session, region, admitted < moment) - await _count(
            session, region, left < moment, admitted.is_not(None)
        )
    now_inside = await _count(session, region, left.is_(None), admitted.is_not(None))
    later_in = await _count(session, region, admitted >= moment)
    later_out = await _count(session, region, left >= moment, admitted.is_not(None))
    return now_inside - later_in + later_out


def _utc(value: datetime | str) -> datetime:
    """min()/max() come back untyped on SQLite (a string) and as aware datetimes elsewhere."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _mean_median(histogram: list[tuple[float, int]]) -> tuple[float | None, float | None]:
    total = sum(n for _, n in histogram)
    if not total:
        return None, None
    mean = sum(days * n for days, n in histogram) / total
    seen, median = 0, 0.0
    ordered = sorted(histogram)
    for days, n in ordered:  # the middle value (the lower middle for an even count)
        seen += n
        if seen * 2 >= total:
            median = days
            break
    if total % 2 == 0 and seen * 2 == total:  # exactly between two values: their mean
        later = next(d for d, _ in ordered if d > median)
        median = (median + later) / 2
    return round(mean, 1), round(median, 1)


def as_csv(figures: Figures) -> str:
    """The rows under the scope's code; a province's kab/kota follow, each line under its own
    code in the ``region`` column (the same figure and key names)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["region", "from", "to", "figure", "key", "value"])
    period = [figures.start.date(), figures.end.date()]
    for figure, key, value in figures.rows():
        writer.writerow([figures.region_code, *period, figure, key, value])
    for part in figures.by_region:
        for figure, key, value in part.rows(figures.last_day):
            writer.writerow([part.region_code, *period, figure, key, value])
    return out.getvalue()


# Sheet names cannot hold "/" (Excel refuses it): "Per kab-kota".
SHEETS = {"id": ("Ringkasan", "Per kab-kota"), "en": ("Summary", "By kab-kota")}
LABELS = {
    "id": ("Wilayah", "Periode", "tanpa tanggal akhir", ("Angka", "Kunci", "Nilai")),
    "en": ("Region", "Period", "end date excluded", ("Figure", "Key", "Value")),
}


def as_xlsx(figures: Figures, lang: str = "id") -> bytes:
    """Sheet "Ringkasan" (the rows); for a province also "Per kab-kota": a line a kab/kota and
    the province's total line. Headings in Bahasa Indonesia, or English with ``lang="en"``."""
    region, period, excluded, headings = LABELS[lang]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEETS[lang][0]
    top = [
        [region, figures.region_code, region_label(figures.region_code)],
        [period, f"{figures.start.date()} – {figures.end.date()} ({excluded})"],
        [],
    ]
    for line in [*top, list(headings)]:
        sheet.append(line)
    for row in figures.rows():
        sheet.append(list(row))
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 34
    if figures.by_region:
        parts = book.create_sheet(SHEETS[lang][1])
        for line in [*top, *table(figures.by_region, figures.summary(), lang)]:
            parts.append(line)
        parts.column_dimensions["A"].width = 12
        parts.column_dimensions["B"].width = 34
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
