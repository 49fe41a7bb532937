"""The monthly figures of a generated half-year equal an independent recount; the spreadsheet
opens with openpyxl and holds the same numbers; the figures carry no names."""

from __future__ import annotations

import io
import random
import statistics
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook

from services.shelter.app import create_app
from services.shelter.models import Case, Shelter
from services.shelter.settings import ShelterSettings
from shared.auth import AuthSettings, Role
from shared.contracts.vocabulary import CaseOutcome
from shared.settings import KafkaSettings
from tests.support import staff_headers

pytestmark = pytest.mark.integration
AUTH = AuthSettings(secret="f" * 48)
REGION = "21.71"
WIB = timedelta(hours=7)
CATEGORIES = [
    "odgj_terlantar",
    "anak_jalanan",
    "lanjut_usia_terlantar",
    "gepeng",
    "korban_bencana_alam",
    "korban_kebakaran",
]
CHANNELS = ["call_center", "social_media", "patrol", None]
MONTHS = [(2026, m) for m in range(1, 7)]


def generated(rng: random.Random) -> list[Case]:
    cases = []
    for n in range(400):
        opened = (
            datetime(2026, 1, 1, tzinfo=UTC)
            - WIB
            + timedelta(minutes=rng.randint(0, 181 * 24 * 60))
        )
        case = Case(
            region_code=REGION,
            incident_id=f"inc-{n // 2}",  # two people an incident
            seq=n % 2 + 1,
            category=rng.choice(CATEGORIES),
            channel=rng.choice(CHANNELS),
            state="awaiting_admission",
            opened_at=opened,
        )
        if rng.random() < 0.8:
            case.state, case.shelter_id, case.section = "admitted", "upt", "x"
            case.admitted_at = opened + timedelta(hours=rng.randint(1, 48))
            if rng.random() < 0.7:
                case.outcome = rng.choice(list(CaseOutcome)).value
                case.outcome_at = case.admitted_at + timedelta(days=rng.randint(1, 40))
                case.state = "outcome"
                case.stay_days = round(
                    (case.outcome_at - case.admitted_at).total_seconds() / 86400, 1
                )
                if rng.random() < 0.8:
                    case.state, case.closed_at = (
                        "closed",
                        case.outcome_at + timedelta(days=rng.randint(0, 5)),
                    )
        cases.append(case)
    return cases


def month(year: int, m: int) -> tuple[datetime, datetime]:
    start = datetime(year, m, 1, tzinfo=UTC) - WIB  # months begin at midnight WIB
    end = datetime(year + (m == 12), m % 12 + 1, 1, tzinfo=UTC) - WIB
    return start, end


def recount(cases: list[Case], start: datetime, end: datetime) -> dict[tuple[str, str], Any]:
    """Written apart from the service: the same definitions, counted the plain way."""
    found: dict[tuple[str, str], Any] = {}
    for c in cases:
        if start <= c.opened_at < end:
            found[("opened_by_category", c.category)] = (
                found.get(("opened_by_category", c.category), 0) + 1
            )
        if c.outcome_at and start <= c.outcome_at < end:
            outcome = ("outcome", str(c.outcome))
            found[outcome] = found.get(outcome, 0) + 1
    stays = [
        c.stay_days
        for c in cases
        if c.outcome_at and start <= c.outcome_at < end and c.stay_days is not None
    ]
    if stays:
        found[("length_of_stay_days", "mean")] = round(statistics.fmean(stays), 1)
        found[("length_of_stay_days", "median")] = round(statistics.median(stays), 1)
    closed = [c for c in cases if c.closed_at and start <= c.closed_at < end]
    found[("closed", "all")] = len(closed)
    ended = [c for c in cases if c.outcome_at and start <= c.outcome_at < end]
    found[("ppks_mandiri", "outcomes_recorded")] = len(ended)
    found[("ppks_mandiri", "count")] = sum(c.outcome == "independent" for c in ended)
    opened = [c for c in cases if start <= c.opened_at < end]
    for c in opened:
        if c.channel:
            found[("opened_by_channel", c.channel)] = (
                found.get(("opened_by_channel", c.channel), 0) + 1
            )
    disaster = [c for c in opened if c.category.startswith("korban_")]
    for category in {c.category for c in disaster}:
        found[("disaster_people_by_type", category)] = sum(c.category == category for c in disaster)
        found[("disaster_incidents_by_type", category)] = len(
            {c.incident_id for c in disaster if c.category == category}
        )
    days = int((end - start) / timedelta(days=1))
    ends = [start + timedelta(days=d + 1) for d in range(days)]
    if days > 92:  # month ends only
        ends = [e for e in ends if (e + WIB).day == 1]
    for day_end in ends:
        found[("occupancy_end_of_day", str((day_end + WIB - timedelta(days=1)).date()))] = sum(
            1
            for c in cases
            if c.admitted_at
            and c.admitted_at < day_end
            and (c.outcome_at is None or c.outcome_at >= day_end)
        )
    return found


async def _shelter(new_database: Any) -> Any:
    """The shelter app on a fresh, migrated database (HTTP only: no broker)."""
    app = create_app(
        ShelterSettings(
            database_url=new_database("shelter"),
            auth=AUTH,
            kafka=KafkaSettings(bootstrap="127.0.0.1:1"),
        )
    )
    await app.state.platform.migrate()
    return app


async def test_monthly_figures_equal_an_independent_recount_and_the_xlsx_holds_them(
    new_database: Any,
) -> None:
    app = await _shelter(new_database)
    platform = app.state.platform
    cases = generated(random.Random(2026))
    async with platform.uow() as uow:
        uow.session.add(
            Shelter(id="upt", region_code=REGION, code="upt", name="UPT Nilam Suri", kind="upt")
        )
        uow.session.add_all([c.model_copy() for c in cases])
        await uow.commit()
    headers = staff_headers(AUTH, Role.SUPERVISOR, REGION)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://shelter"
    ) as client:
        for year, m in MONTHS:
            start, end = month(year, m)
            params = {"from": f"{year}-{m:02d}-01", "to": f"{year + (m == 12)}-{m % 12 + 1:02d}-01"}
            answer = await client.get(
                f"/api/v1/regions/{REGION}/figures", params=params, headers=headers
            )
            assert answer.status_code == 200, answer.text
            served = {(f["figure"], f["key"]): f["value"] for f in answer.json()["figures"]}
            expected = recount(cases, start, end)
            assert {k: served.get(k, 0) for k in expected} == expected, (year, m)
        sheet = await client.get(
            f"/api/v1/regions/{REGION}/figures",
            params={"from": "2026-01-01", "to": "2026-07-01", "format": "xlsx"},
            headers=headers,
        )
        refused = await client.get(
            f"/api/v1/regions/{REGION}/figures",
            params={"from": "2026-01-01", "to": "2026-07-01"},
            headers=staff_headers(AUTH, Role.CALL_CENTER, REGION, "rina"),
        )
    assert refused.status_code == 403
    book = load_workbook(io.BytesIO(sheet.content))
    rows = {(r[0], r[1]): r[2] for r in book["Ringkasan"].iter_rows(min_row=5, values_only=True)}
    half_year = recount(cases, month(2026, 1)[0], month(2026, 6)[1])
    assert {k: rows.get(k, 0) for k in half_year} == half_year
    assert sum(v for (f, _), v in rows.items() if f == "opened_by_category") == sum(
        1 for c in cases if c.opened_at < month(2026, 6)[1]
    )
    await platform.engine.dispose()


async def test_a_period_beyond_ten_years_or_1970_to_2100_or_of_an_unknown_zone_is_refused(
    new_database: Any,
) -> None:
    app = await _shelter(new_database)
    platform = app.state.platform
    headers = staff_headers(AUTH, Role.ADMIN, REGION)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://shelter"
    ) as client:

        async def figures(region: str, start: str, end: str) -> int:
            answer = await client.get(
                f"/api/v1/regions/{region}/figures",
                params={"from": start, "to": end},
                headers=headers,
            )
            return answer.status_code

        assert await figures(REGION, "2016-07-01", "2026-07-01") == 200  # ten years: month-ends
        assert await figures(REGION, "1900-01-01", "2100-01-01") == 422  # was minutes of counting
        assert await figures(REGION, "0001-01-01", "0001-02-01") == 422  # was a server error
        assert await figures("00", "2026-01-01", "2026-02-01") == 422  # was a server error
    await platform.engine.dispose()
