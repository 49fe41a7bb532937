"""When a P1 report that waits in the triage queue is told to the supervisors again.

A pure rule, without the database: a P1 still in the queue that no operator holds a live claim on
is due ``every`` after it was received or last announced. A claimed report is not reminded while
the claim holds (it falls due when the claim lapses, if its time has come); one sent to a team,
joined to another or dismissed has left the queue and is never reminded.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Protocol, TypeVar

NEEDS_TRIAGE = "needs_triage"  # services.intake.models.ReportStatus.NEEDS_TRIAGE
P1 = "P1"


class Waiting(Protocol):
    """What the rule reads of a report (services.intake.models.Report has it)."""

    @property
    def status(self) -> str: ...
    @property
    def priority(self) -> str: ...
    @property
    def received_at(self) -> datetime: ...
    @property
    def triage_announced_at(self) -> datetime | None: ...
    @property
    def claimed_by(self) -> str | None: ...
    @property
    def claim_expires_at(self) -> datetime | None: ...


R = TypeVar("R", bound=Waiting)


def is_waiting(report: Waiting) -> bool:
    """A P1 still in the triage queue: the only reports ever reminded."""
    return report.status == NEEDS_TRIAGE and report.priority == P1


def claim_holds(report: Waiting, now: datetime) -> bool:
    return bool(report.claimed_by and report.claim_expires_at and report.claim_expires_at > now)


def due_at(report: Waiting, every: timedelta) -> datetime:
    """``every`` after the last announcement (or the receipt, if none is recorded)."""
    return (report.triage_announced_at or report.received_at) + every


def due(reports: Iterable[R], now: datetime, every: timedelta) -> list[R]:
    """The waiting reports to announce again at ``now``: the oldest first."""
    found = [
        r for r in reports if is_waiting(r) and not claim_holds(r, now) and due_at(r, every) <= now
    ]
    return sorted(found, key=lambda r: r.received_at)


def next_due(reports: Iterable[Waiting], now: datetime, every: timedelta) -> datetime | None:
    """The earliest instant one of the waiting reports falls due (a claimed one: not before
    its claim lapses); None if none waits."""
    instants = []
    for r in reports:
        if not is_waiting(r):
            continue
        at = due_at(r, every)
        if claim_holds(r, now) and r.claim_expires_at is not None:
            at = max(at, r.claim_expires_at)
        instants.append(at)
    return min(instants, default=None)
