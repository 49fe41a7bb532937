"""Shift arithmetic: who is on duty at an instant, where the roster leaves nobody, and when
one team hands over to the next. Pure: instants are UTC-aware datetimes, shifts are local times
in the region's own zone (WIB/WITA/WIT — no daylight saving time in Indonesia)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class ShiftDef:
    """A named shift of a region, e.g. pagi 07:00–15:00; an end at or before the start means the
    shift runs past midnight (malam 23:00–07:00)."""

    code: str
    start: time
    end: time

    @property
    def crosses_midnight(self) -> bool:
        return self.end <= self.start

    def window(self, day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """The UTC instants of this shift when it starts on local ``day``."""
        start = datetime.combine(day, self.start, tzinfo=zone)
        end_day = day + timedelta(days=1) if self.crosses_midnight else day
        end = datetime.combine(end_day, self.end, tzinfo=zone)
        return start.astimezone(ZoneInfo("UTC")), end.astimezone(ZoneInfo("UTC"))


@dataclass(frozen=True)
class RosterEntry:
    day: date  # the local date on which the shift starts
    shift: str
    team_id: str


@dataclass(frozen=True)
class Duty:
    team_id: str
    shift: str
    day: date
    start: datetime  # UTC
    end: datetime  # UTC

    def covers(self, at: datetime) -> bool:
        return self.start <= at < self.end


class UnknownShift(ValueError):
    """A roster entry names a shift the region does not define."""


def duties(shifts: Iterable[ShiftDef], roster: Iterable[RosterEntry], zone: ZoneInfo) -> list[Duty]:
    """Every rostered team's duty as a UTC interval, sorted by start."""
    by_code = {s.code: s for s in shifts}
    found: list[Duty] = []
    for entry in roster:
        shift = by_code.get(entry.shift)
        if shift is None:
            raise UnknownShift(f"shift {entry.shift!r} is not defined for this region")
        start, end = shift.window(entry.day, zone)
        found.append(Duty(entry.team_id, entry.shift, entry.day, start, end))
    return sorted(found, key=lambda d: (d.start, d.team_id))


def on_duty(all_duties: Iterable[Duty], at: datetime) -> set[str]:
    """Teams working at instant ``at``."""
    return {d.team_id for d in all_duties if d.covers(at)}


def roster_days(at: datetime, zone: ZoneInfo, *, ahead: timedelta = timedelta(0)) -> list[date]:
    """The local dates whose shifts can touch [at, at + ahead]: a night shift of yesterday may
    still be running."""
    first = at.astimezone(zone).date() - timedelta(days=1)
    last = (at + ahead).astimezone(zone).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def gaps(
    all_duties: Iterable[Duty], start: datetime, end: datetime
) -> list[tuple[datetime, datetime]]:
    """The intervals within [start, end) when no team is on duty."""
    found: list[tuple[datetime, datetime]] = []
    cursor = start
    for duty in sorted(all_duties, key=lambda d: d.start):
        if duty.end <= cursor:
            continue
        if duty.start >= end:
            break
        if duty.start > cursor:
            found.append((cursor, duty.start))
        cursor = max(cursor, duty.end)
        if cursor >= end:
            break
    if cursor < end:
        found.append((cursor, end))
    return found


@dataclass(frozen=True)
class Handover:
    """At ``at`` the ``leaving`` teams' duty ends and the ``arriving`` teams' begins."""

    at: datetime
    leaving: tuple[str, ...]
    arriving: tuple[str, ...]


def handovers(all_duties: Iterable[Duty], since: datetime, until: datetime) -> list[Handover]:
    """Shift changes in (since, until]: duties ending then, and who is on duty just after.

    A team rostered on two consecutive shifts is neither leaving nor arriving.
    """
    listed = list(all_duties)
    ends = sorted({d.end for d in listed if since < d.end <= until})
    found: list[Handover] = []
    for moment in ends:
        before = on_duty(listed, moment - timedelta(microseconds=1))
        after = on_duty(listed, moment)
        leaving = tuple(sorted(before - after))
        if leaving:
            found.append(Handover(moment, leaving, tuple(sorted(after - before))))
    return found


def gap_ahead(
    all_duties: Iterable[Duty], now: datetime, warn: timedelta, *, horizon: timedelta
) -> tuple[datetime, datetime] | None:
    """The next gap that has not begun yet and begins within ``warn`` of ``now`` — with its
    true end, looked for up to ``horizon`` ahead (a gap that has begun is another alert's)."""
    for start, end in gaps(all_duties, now, now + horizon):
        if now < start <= now + warn:
            return start, end
    return None
