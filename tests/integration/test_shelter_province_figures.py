"""A province over its kab/kota in the shelter figures: the provincial supervisor of Kalimantan
Timur (64) sees Kota Samarinda (64.72) and Kota Balikpapan (64.71) side by side — each with its
own "PPKS mandiri" KPI (outcomes recorded in the period), in JSON, CSV and the XLSX sheet
"Per kab-kota" — and the province's total is their sum; a 64.72 supervisor sees only 64.72."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook

from services.shelter.models import Case, Shelter
from shared.auth import Role
from tests.integration.test_shelter_figures import AUTH, _shelter
from tests.support import staff_headers

pytestmark = pytest.mark.integration
WITA = timedelta(hours=8)  # Kalimantan Timur
NOVEMBER = {"from": "2026-11-01", "to": "2026-12-01"}


def day(d: int, month: int = 11) -> datetime:
    """Noon WITA of a day of 2026, in UTC."""
    return datetime(2026, month, d, 12, tzinfo=UTC) - WITA


def case(
    region: str,
    n: int,
    opened: datetime,
    *,
    shelter: str | None = None,
    outcome: str | None = None,
    outcome_at: datetime | None = None,
    closed_at: datetime | None = None,
) -> Case:
    admitted = opened if shelter else None
    stay = (
        round((outcome_at - admitted).total_seconds() / 86400, 1)
        if admitted and outcome_at
        else None
    )
    return Case(
        region_code=region,
        incident_id=f"inc-{region}-{n}",
        seq=1,
        category="gepeng",
        channel="patrol",
        state="closed" if closed_at else "outcome" if outcome else "admitted",
        shelter_id=shelter,
        section="x" if shelter else None,
        admitted_at=admitted,
        outcome=outcome,
        outcome_at=outcome_at,
        stay_days=stay,
        closed_at=closed_at,
        opened_at=opened,
    )


def cases() -> list[Case]:
    """New rows each test (a row added once is not inserted again from a copy)."""
    return [
        # Kota Samarinda: 3 opened, 2 outcomes recorded (1 mandiri: 50 %), 2 closed (one whose
        # outcome was recorded in October: a closure, not in the KPI), 1 inside at the end.
        case("64.72", 1, day(3), shelter="rs-smd", outcome="independent", outcome_at=day(10),
             closed_at=day(11)),
        case("64.72", 2, day(4), shelter="rs-smd", outcome="returned_to_family", outcome_at=day(20)),
        case("64.72", 3, day(10, 10), shelter="rs-smd", outcome="independent",
             outcome_at=day(30, 10), closed_at=day(2)),
        case("64.72", 4, day(15), shelter="rs-smd"),
        # Kota Balikpapan: 5 opened, 3 outcomes (2 mandiri: 66.7 %), 3 closed, 1 inside at the end
        # (its outcome falls in December), 1 never admitted.
        case("64.71", 1, day(5), shelter="rs-bpn", outcome="independent", outcome_at=day(12),
             closed_at=day(12)),
        case("64.71", 2, day(6), shelter="rs-bpn", outcome="independent", outcome_at=day(16),
             closed_at=day(17)),
        case("64.71", 3, day(7), shelter="rs-bpn", outcome="placed_in_institution",
             outcome_at=day(17), closed_at=day(18)),
        case("64.71", 4, day(8), shelter="rs-bpn", outcome="independent", outcome_at=day(3, 12)),
        case("64.71", 5, day(9)),
        # Kota Banjarmasin (Kalimantan Selatan): never part of 64.
        case("63.71", 1, day(5), outcome="independent", outcome_at=day(10), closed_at=day(10)),
    ]  # fmt: skip


def shelters() -> list[Shelter]:
    """Two shelters of one name in two kab/kota; Kota Bontang has a shelter and no cases."""
    return [
        Shelter(id="rs-smd", region_code="64.72", code="rs", name="Rumah Singgah", kind="rps"),
        Shelter(id="rs-bpn", region_code="64.71", code="rs", name="Rumah Singgah", kind="rps"),
        Shelter(id="rs-btg", region_code="64.74", code="rs", name="RS Bontang", kind="rps"),
    ]


def _added(line: dict[str, Any]) -> tuple[int, ...]:
    kpi = line["ppks_mandiri"]
    return (line["opened"], kpi["closed"], kpi["count"], line["closed"], line["in_shelter_at_end"])


async def test_the_provincial_supervisor_sees_the_kab_kota_side_by_side_and_their_sum(
    new_database: Any,
) -> None:
    app = await _shelter(new_database)
    platform = app.state.platform
    async with platform.uow() as uow:
        uow.session.add_all(shelters())
        uow.session.add_all(cases())
        await uow.commit()
    province = staff_headers(AUTH, Role.PROVINCIAL_SUPERVISOR, "64", "dewi")
    city = staff_headers(AUTH, Role.SUPERVISOR, "64.72", "sari")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://shelter"
    ) as client:

        async def get(region: str, headers: dict[str, str], **params: str) -> httpx.Response:
            return await client.get(
                f"/api/v1/regions/{region}/figures", params=NOVEMBER | params, headers=headers
            )

        whole = await get("64", province)
        samarinda_by_province = await get("64.72", province)
        samarinda = await get("64.72", city)
        refused = [(await get(r, city)).status_code for r in ("64.71", "64")]
        sheet = await get("64", province, format="xlsx")
        city_sheet = await get("64.72", city, format="xlsx")
        table = await get("64", province, format="csv")
    await platform.engine.dispose()

    assert whole.status_code == 200, whole.text
    body = whole.json()
    lines = {line["region_code"]: line for line in body["by_region"]}
    assert list(lines) == ["64.71", "64.72", "64.74"]
    assert lines["64.72"]["region_name"] == "Kota Samarinda"
    assert lines["64.72"]["ppks_mandiri"] == {"count": 1, "closed": 2, "percent": 50.0}
    assert lines["64.71"]["ppks_mandiri"] == {"count": 2, "closed": 3, "percent": 66.7}
    assert _added(lines["64.72"]) == (3, 2, 1, 2, 1)
    assert _added(lines["64.71"]) == (5, 3, 2, 3, 1)
    assert _added(lines["64.74"]) == (0, 0, 0, 0, 0)
    assert (lines["64.72"]["stay_days_mean"], lines["64.71"]["stay_days_mean"]) == (11.5, 9.0)
    # The province's total, counted by its own queries, is the sum of its kab/kota.
    total = body["total"]
    assert _added(total) == tuple(map(sum, zip(*map(_added, lines.values()), strict=True)))
    assert total["ppks_mandiri"] == {"count": 3, "closed": 5, "percent": 60.0}
    rows = {(f["figure"], f["key"]): f["value"] for f in body["figures"]}
    assert rows[("ppks_mandiri", "percent")] == 60.0
    assert rows[("closed", "all")] == 5
    assert rows[("occupancy_end_of_day", "2026-11-30")] == 2
    assert rows[("admitted_by_shelter", "Rumah Singgah (64.72)")] == 3  # opened in November
    assert rows[("admitted_by_shelter", "Rumah Singgah (64.71)")] == 4

    # A kab/kota: the same figures for its supervisor and the province's; no lines under it.
    assert samarinda.status_code == samarinda_by_province.status_code == 200
    assert samarinda.json() == samarinda_by_province.json()
    assert samarinda.json()["by_region"] == []
    assert _added(samarinda.json()["total"]) == _added(lines["64.72"])
    assert refused == [403, 403]

    book = load_workbook(io.BytesIO(sheet.content))
    assert book.sheetnames == ["Ringkasan", "Per kab-kota"]
    found = list(book["Per kab-kota"].iter_rows(min_row=4, values_only=True))
    assert found[0][:3] == ("Kode", "Kabupaten/kota", "Kasus dibuka")
    assert found[1:] == [
        ("64.71", "Kota Balikpapan", 5, 3, 2, 66.7, 3, 1, 9.0),
        ("64.72", "Kota Samarinda", 3, 2, 1, 50.0, 2, 1, 11.5),
        ("64.74", "Kota Bontang", 0, 0, 0, None, 0, 0, None),
        ("64", "Jumlah Kalimantan Timur", 8, 5, 3, 60.0, 5, 2, 10.0),
    ]
    assert load_workbook(io.BytesIO(city_sheet.content)).sheetnames == ["Ringkasan"]

    read = list(csv.DictReader(io.StringIO(table.text)))
    mandiri = {r["region"]: r["value"] for r in read if r["figure"] == "ppks_mandiri"}
    assert {r["region"] for r in read} == {"64", "64.71", "64.72", "64.74"}
    assert mandiri["64.71"] == "66.7" and mandiri["64"] == "60.0"  # percent, the last row
