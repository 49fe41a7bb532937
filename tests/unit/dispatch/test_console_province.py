"""A province's figures per kab/kota (pure parts): one row per kab/kota with data, named, with
its own 'PPKS mandiri' KPI and medians, and the CSV rows keyed by the kab/kota's code."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from services.dispatch.console.board import place_name
from services.dispatch.console.summaries import by_region, csv_rows
from services.dispatch.models import Incident

pytestmark = pytest.mark.unit
AT = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)


def _incident(n: int, region: str, *, assigned_s: float | None = None, **extra: Any) -> Incident:
    return Incident(
        id=f"i{n}", number=f"{region}-261122-{n:04d}", region_code=region, state="assigned",
        priority="P2", category="gepeng", channel="call_center", description="-",
        received_at=AT, created_at=AT,
        assigned_at=None if assigned_s is None else AT + timedelta(seconds=assigned_s),
        **extra,
    )  # fmt: skip


def test_each_kab_kota_with_data_gets_its_own_row_and_kpi() -> None:
    incidents = [
        _incident(1, "64.72", assigned_s=60, on_scene_at=AT + timedelta(minutes=20)),
        _incident(2, "64.72", assigned_s=180),
        _incident(3, "64.71", no_team_alternative="police"),
    ]
    outcomes = {
        "64.72": {"independent": 1, "returned_to_family": 3},
        "64.02": {"independent": 2},  # outcomes only: still a row
    }
    rows = by_region(incidents, outcomes, {"64.72": 3, "64.71": 1})
    assert [r["region_code"] for r in rows] == ["64.02", "64.71", "64.72"]
    kutai, balikpapan, samarinda = rows
    assert samarinda["name"] == "Kota Samarinda" and balikpapan["name"] == "Kota Balikpapan"
    assert (samarinda["reports"], samarinda["incidents"], samarinda["no_team"]) == (3, 2, 0)
    assert samarinda["report_to_assigned_p50_s"] == 60.0  # nearest rank of 60 and 180
    assert samarinda["report_to_on_scene_p50_s"] == 1200.0
    assert samarinda["ppks_mandiri"] == {"count": 1, "closed": 4, "percent": 25.0}
    assert (balikpapan["incidents"], balikpapan["no_team"], balikpapan["reports"]) == (1, 1, 1)
    assert balikpapan["ppks_mandiri"] == {"count": 0, "closed": 0, "percent": None}
    assert balikpapan["report_to_assigned_p50_s"] is None
    assert (kutai["incidents"], kutai["ppks_mandiri"]["percent"]) == (0, 100.0)


def test_a_code_the_national_data_does_not_hold_has_no_name() -> None:
    assert place_name("64.72") == "Kota Samarinda"
    assert place_name("64.99") is None


def test_the_csv_names_each_kab_kota_by_its_code() -> None:
    result = {
        "reports_by_channel": {}, "reports_by_category": {}, "outcomes": {}, "no_team": {},
        "incidents": 0, "times": {}, "ppks_mandiri": {"count": 0, "closed": 0, "percent": None},
        "by_region": by_region([], {"64.72": {"independent": 1, "died": 1}}, {}),
    }  # fmt: skip
    rows = [r for r in csv_rows(result) if r[0].startswith("by_region.")]
    assert {r[1] for r in rows} == {"64.72"}
    found = {figure: value for figure, _, value in rows}
    assert found["by_region.name"] == "Kota Samarinda"
    assert found["by_region.outcomes"] == 2
    assert (found["by_region.ppks_mandiri_count"], found["by_region.ppks_mandiri_percent"]) == (
        1,
        50.0,
    )
    assert "by_region.name" not in {r[0] for r in csv_rows(result | {"by_region": []})}
