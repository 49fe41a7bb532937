"""A report that joins an incident never loses a person and never lowers its urgency."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from services.dispatch.incidents.context import Ctx
from services.dispatch.incidents.reports import _join
from services.dispatch.models import Incident, IncidentLog
from shared.contracts.events import IncidentStatusChanged, Location, ReportReceived
from shared.contracts.vocabulary import Channel, DangerFlag, Priority

NOW = datetime(2026, 11, 22, 13, 0, tzinfo=UTC)


class Recorder:
    """A session that keeps what was added, and an emit that keeps what was published."""

    def __init__(self) -> None:
        self.added: list[Any] = []
        self.published: list[Any] = []

    def add(self, row: Any) -> None:
        self.added.append(row)

    def emit(self, payload: Any, **_: Any) -> None:
        self.published.append(payload)

    def notes(self, kind: str) -> list[dict[str, Any]]:
        return [r.detail for r in self.added if isinstance(r, IncidentLog) and r.kind == kind]


def incident(state: str = "on_scene", people: int = 1, priority: str = "P2") -> Incident:
    return Incident(
        number="21.71-261122-0001",
        region_code="21.71",
        state=state,
        priority=priority,
        category="korban_bencana_alam",
        channel="call_center",
        description="Banjir",
        people_count=people,
        report_ids=["r1"],
        received_at=NOW,
        created_at=NOW,
    )


def joining(people: int = 1, priority: Priority = Priority.P2, **fields: Any) -> ReportReceived:
    return ReportReceived(
        report_id="r2",
        channel=Channel.CALL_CENTER,
        category="korban_bencana_alam",
        priority=priority,
        description="Sekarang ada tiga orang",
        location=Location(kelurahan="Baloi Indah"),
        people_count=people,
        received_at=NOW,
        duplicate_of="r1",
        **fields,
    )


def test_a_linked_report_with_more_people_raises_the_incidents_count() -> None:
    rec, case = Recorder(), incident(people=1)
    _join(Ctx(rec, rec.emit, NOW), case, joining(people=3))  # type: ignore[arg-type]
    assert case.people_count == 3
    [note] = rec.notes("report_joined")
    assert (note["people_from"], note["people_to"]) == (1, 3)
    assert rec.published == []  # on scene: the coming "secured" carries the count


def test_a_linked_report_with_fewer_people_loses_nobody() -> None:
    rec, case = Recorder(), incident(people=4)
    _join(Ctx(rec, rec.emit, NOW), case, joining(people=1))  # type: ignore[arg-type]
    assert case.people_count == 4
    assert "people_to" not in rec.notes("report_joined")[0]


def test_more_people_after_secured_is_announced_so_shelter_opens_the_missing_cases() -> None:
    rec, case = Recorder(), incident(state="secured", people=2)
    _join(Ctx(rec, rec.emit, NOW), case, joining(people=3))  # type: ignore[arg-type]
    [again] = rec.published
    assert isinstance(again, IncidentStatusChanged)
    assert (again.from_state, again.to_state, again.people_count) == ("secured", "secured", 3)
    assert "2 → 3" in (again.reason or "")


def test_a_follow_up_that_adds_danger_raises_the_incidents_priority() -> None:
    rec, case = Recorder(), incident(priority="P2")
    follow_up = joining(priority=Priority.P1, danger_flags=[DangerFlag.VIOLENCE])
    _join(Ctx(rec, rec.emit, NOW), case, follow_up)  # type: ignore[arg-type]
    assert (case.priority, case.danger_flags) == ("P1", ["violence"])
    assert rec.notes("report_joined")[0]["raised_from"] == "P2"
