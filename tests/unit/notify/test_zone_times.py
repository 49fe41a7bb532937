"""Times in the teams' messages are read in the region's own zone: WIB, WITA or WIT, with the
date of that zone, in Indonesian (20.07) or English (20:07) style."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.notify.texts import assignment_body, handover, status_line
from shared.contracts.events import AssignmentCreated, ShiftHandover

BATAM, MAKASSAR, JAYAPURA = "21.71", "73.71", "91.71"


def deadline_line(region: str, lang: str, at: str = "2026-11-22T13:07:00Z") -> str:
    a = AssignmentCreated.model_validate(AssignmentCreated.EXAMPLE | {"ack_deadline": at})
    return assignment_body(a, region, lang).splitlines()[-2]


@pytest.mark.parametrize(
    ("region", "indonesian", "english"),
    [
        (BATAM, "Terima sebelum: 22 Nov 2026 20.07 WIB", "Accept before: 22 Nov 2026 20:07 WIB"),
        (MAKASSAR, "Terima sebelum: 22 Nov 2026 21.07 WITA", "Accept before: 22 Nov 2026 21:07 WITA"),
        (JAYAPURA, "Terima sebelum: 22 Nov 2026 22.07 WIT", "Accept before: 22 Nov 2026 22:07 WIT"),
    ],
)
def test_the_deadline_is_in_the_regions_zone(region: str, indonesian: str, english: str) -> None:
    assert deadline_line(region, "id") == indonesian
    assert deadline_line(region, "en") == english


def test_a_deadline_after_local_midnight_carries_the_local_date() -> None:
    assert deadline_line(BATAM, "id", "2026-11-22T16:30:00Z") == "Terima sebelum: 22 Nov 2026 23.30 WIB"
    assert deadline_line(JAYAPURA, "id", "2026-11-22T16:30:00Z") == "Terima sebelum: 23 Nov 2026 01.30 WIT"


def test_the_indonesian_months_are_indonesian() -> None:
    line = deadline_line(MAKASSAR, "id", "2026-08-17T01:00:00Z")
    assert line == "Terima sebelum: 17 Agu 2026 09.00 WITA"


@pytest.mark.parametrize(("region", "local"), [(BATAM, "20.06 WIB"), (MAKASSAR, "21.06 WITA"), (JAYAPURA, "22.06 WIT")])
def test_a_status_line_is_timed_in_the_regions_zone(region: str, local: str) -> None:
    at = datetime(2026, 11, 22, 13, 6, tzinfo=UTC)
    assert status_line("on_scene", None, at, region, "id") == f"Tiba (22 Nov 2026 {local})"


def test_a_shift_change_is_told_at_the_regions_hour() -> None:
    h = ShiftHandover.model_validate(ShiftHandover.EXAMPLE)
    assert handover(h, MAKASSAR, "id") == (
        "Pergantian shift 22 Nov 2026 16.00 WITA: 1 tugas diserahkan, 0 tetap pada tim di lokasi."
    )
    assert handover(h, JAYAPURA, "en") == (
        "Shift change 22 Nov 2026 17:00 WIT: 1 assignment(s) handed over, 0 kept by the team on scene."
    )
