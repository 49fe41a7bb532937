"""The reminder rule: a P1 still waiting in the triage queue, unclaimed, falls due ``every``
after it was received or last announced; not while an operator's claim holds; never once it has
left the queue (sent to a team, joined, dismissed) or if it is not a P1."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from services.intake.domain.reminders import due, next_due
from services.intake.reminders import pause

T0 = datetime(2026, 11, 22, 18, 40, tzinfo=UTC)
EVERY = timedelta(minutes=10)


@dataclass
class R:
    status: str = "needs_triage"
    priority: str = "P1"
    received_at: datetime = T0
    triage_announced_at: datetime | None = T0
    claimed_by: str | None = None
    claim_expires_at: datetime | None = None


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_due_ten_minutes_after_the_first_notice_not_before() -> None:
    r = R()
    assert due([r], at(9.9), EVERY) == []
    assert due([r], at(10), EVERY) == [r]
    assert next_due([r], at(3), EVERY) == at(10)


def test_counted_from_the_last_announcement() -> None:
    r = R(triage_announced_at=at(10))
    assert due([r], at(19), EVERY) == []
    assert due([r], at(20), EVERY) == [r]
    assert next_due([r], at(12), EVERY) == at(20)


def test_a_report_without_an_announcement_counts_from_its_receipt() -> None:
    r = R(triage_announced_at=None)
    assert due([r], at(10), EVERY) == [r]


def test_not_while_an_operator_holds_a_claim_and_due_when_it_lapses() -> None:
    r = R(claimed_by="rina", claim_expires_at=at(15))
    assert due([r], at(12), EVERY) == []
    assert next_due([r], at(12), EVERY) == at(15)
    assert due([r], at(15), EVERY) == [r]  # the claim lapsed: nobody is on it


def test_a_claim_that_lapses_before_the_time_changes_nothing() -> None:
    r = R(claimed_by="rina", claim_expires_at=at(4))
    assert next_due([r], at(2), EVERY) == at(10)
    assert due([r], at(10), EVERY) == [r]


def test_never_after_dispatch_joining_or_dismissal_nor_for_a_p2() -> None:
    gone = [R(status="open"), R(status="linked"), R(status="dismissed"), R(priority="P2")]
    assert due(gone, at(60), EVERY) == []
    assert next_due(gone, at(60), EVERY) is None


def test_the_oldest_first_and_the_earliest_next() -> None:
    old, new = R(received_at=at(-5), triage_announced_at=at(-5)), R()
    assert due([new, old], at(10), EVERY) == [old, new]
    assert next_due([new, old], at(0), EVERY) == at(5)


def test_the_loop_sleeps_until_the_next_but_never_longer_than_the_cap() -> None:
    assert pause(at(10), at(9.5)) == 30
    assert pause(at(10), at(0)) == 60
    assert pause(None, at(0)) == 60
    assert pause(at(0), at(1)) == 0
