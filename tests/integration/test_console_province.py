"""A provincial office over its kab/kota on the supervisors' console (Kalimantan Timur, 64):
the provincial supervisor sees Kota Samarinda (64.72) and Kota Balikpapan (64.71) side by side
on the board, named, and the period's figures per kab/kota with the 'PPKS mandiri' KPI of each
(their sums are the province's); a kab/kota supervisor sees only their own."""

from __future__ import annotations

import asyncio
import csv
import io
import time
from datetime import timedelta
from typing import Any

import pytest

from services.dispatch.domain.sheets import RosterRow, TeamRow
from services.dispatch.roster.writes import save_roster, save_shifts, save_teams
from shared.auth import Role
from shared.contracts.events import CaseOutcomeRecorded, Location
from shared.contracts.vocabulary import CaseOutcome
from tests.integration.dispatch_support import AUTH, PAGI, report
from tests.integration.test_console_api import Console, serving
from tests.support import staff_headers

pytestmark = pytest.mark.integration
SAMARINDA, BALIKPAPAN, PROVINCE = "64.72", "64.71", "64"


async def _a_team_for_samarinda(c: Console) -> None:
    """One team on a 24-hour shift in Samarinda; Balikpapan has none (its reports wait)."""
    async with c.d.platform.sessions() as session:
        await save_shifts(session, SAMARINDA, [("harian", "00:00", "00:00")])
        await save_teams(session, SAMARINDA, [TeamRow(1, "A", "Tim A Samarinda", 5, ())])
        days = [PAGI.date() + timedelta(days=d) for d in (-1, 0, 1)]
        rows = [RosterRow(1, day, "harian", "A") for day in days]
        await save_roster(session, SAMARINDA, rows, replace_days=True)
        await session.commit()


async def _get(c: Console, path: str, role: Role, region: str) -> Any:
    return await c.d.client.get(path, headers=staff_headers(AUTH, role, region))


async def _until(c: Console, path: str, role: Role, region: str, check: Any) -> Any:
    deadline = time.monotonic() + 15
    while True:
        body = (await _get(c, path, role, region)).json()
        if check(body) or time.monotonic() > deadline:
            return body
        await asyncio.sleep(0.1)


async def _outcome(c: Console, case_id: str, region: str, outcome: CaseOutcome) -> None:
    event = CaseOutcomeRecorded(
        case_id=case_id,
        incident_id=f"inc-{case_id}",
        outcome=outcome,
        outcome_at=PAGI - timedelta(hours=1),
    )
    await c.d.publish(event, region=region, key=f"inc-{case_id}")


async def test_a_provincial_supervisor_sees_each_kab_kota_on_the_board_and_in_the_figures(
    kafka_bootstrap: str, topic_prefix: str, new_database: Any
) -> None:
    async with serving(
        kafka_bootstrap, topic_prefix, new_database("dispatch"), sweep_seconds=3600
    ) as c:
        d = c.d
        await _a_team_for_samarinda(c)
        d.clock.advance(seconds=120)  # reports received at PAGI, assigned two minutes later
        for n in (1, 2):
            await d.publish(report(n, kecamatan="Samarinda Ulu"), region=SAMARINDA)
        await d.publish(
            report(3, location=Location(kecamatan="Balikpapan Kota")), region=BALIKPAPAN
        )
        await d.tail.wait("assignment.created", 2)
        for case_id, region, outcome in [
            ("s1", SAMARINDA, CaseOutcome.INDEPENDENT),
            ("s2", SAMARINDA, CaseOutcome.RETURNED_TO_FAMILY),
            ("b1", BALIKPAPAN, CaseOutcome.INDEPENDENT),
        ]:
            await _outcome(c, case_id, region, outcome)

        board_path = f"/api/v1/console/board?region={PROVINCE}"
        province = Role.PROVINCIAL_SUPERVISOR
        board = await _until(c, board_path, province, PROVINCE, lambda b: len(b["incidents"]) == 3)
        named = sorted((r["region_code"], r["region_name"]) for r in board["incidents"])
        assert named == [
            (BALIKPAPAN, "Kota Balikpapan"),
            (SAMARINDA, "Kota Samarinda"),
            (SAMARINDA, "Kota Samarinda"),
        ]
        waiting = next(r for r in board["incidents"] if r["region_code"] == BALIKPAPAN)
        assert waiting["breaches"] == ["no_team"]
        assert board["regions_without_team"] == [BALIKPAPAN]
        answer = await c.d.client.post(
            f"/api/v1/incidents/{waiting['incident_id']}/no-team",
            json={"alternative": "police", "reason": "tidak ada tim di Balikpapan"},
            headers=staff_headers(AUTH, Role.SUPERVISOR, BALIKPAPAN),
        )
        assert answer.status_code == 200, answer.text

        figures_path = f"/api/v1/console/figures?region={PROVINCE}&period=today"
        figures = await _until(
            c, figures_path, province, PROVINCE, lambda f: f["ppks_mandiri"]["closed"] == 3
        )
        assert figures["ppks_mandiri"] == {"count": 2, "closed": 3, "percent": 66.7}
        by_code = {r["region_code"]: r for r in figures["by_region"]}
        assert list(by_code) == [BALIKPAPAN, SAMARINDA]
        samarinda, balikpapan = by_code[SAMARINDA], by_code[BALIKPAPAN]
        assert (samarinda["name"], balikpapan["name"]) == ("Kota Samarinda", "Kota Balikpapan")
        assert samarinda["ppks_mandiri"] == {"count": 1, "closed": 2, "percent": 50.0}
        assert balikpapan["ppks_mandiri"] == {"count": 1, "closed": 1, "percent": 100.0}
        assert (samarinda["reports"], samarinda["incidents"], samarinda["no_team"]) == (2, 2, 0)
        assert (balikpapan["reports"], balikpapan["incidents"], balikpapan["no_team"]) == (1, 1, 1)
        assert samarinda["report_to_assigned_p50_s"] == 120.0
        assert balikpapan["report_to_assigned_p50_s"] is None
        assert samarinda["report_to_on_scene_p50_s"] is None  # nobody on scene yet
        # The province's figures are the sum of its kab/kota's.
        rows = figures["by_region"]
        assert sum(r["reports"] for r in rows) == sum(figures["reports_by_channel"].values()) == 3
        assert sum(r["incidents"] for r in rows) == figures["incidents"] == 3
        assert sum(r["no_team"] for r in rows) == sum(figures["no_team"].values()) == 1
        assert sum(r["ppks_mandiri"]["closed"] for r in rows) == sum(figures["outcomes"].values())
        assert sum(r["ppks_mandiri"]["count"] for r in rows) == figures["ppks_mandiri"]["count"]

        download = await _get(c, f"{figures_path}&format=csv", province, PROVINCE)
        lines = list(csv.reader(io.StringIO(download.text)))
        assert ["by_region.name", SAMARINDA, "Kota Samarinda"] in lines
        assert ["by_region.ppks_mandiri_percent", SAMARINDA, "50.0"] in lines
        assert ["by_region.no_team", BALIKPAPAN, "1"] in lines

        # A kab/kota's supervisor: only their own rows, no breakdown, and nobody else's region.
        own = await _get(c, f"/api/v1/console/board?region={SAMARINDA}", Role.SUPERVISOR, SAMARINDA)
        assert {r["region_code"] for r in own.json()["incidents"]} == {SAMARINDA}
        figures_own = await _get(
            c, f"/api/v1/console/figures?region={SAMARINDA}", Role.SUPERVISOR, SAMARINDA
        )
        assert figures_own.json()["by_region"] == []
        assert figures_own.json()["ppks_mandiri"] == samarinda["ppks_mandiri"]
        for other in (BALIKPAPAN, PROVINCE):
            for page in ("board", "figures", "stream"):
                path = f"/api/v1/console/{page}?region={other}"
                answer = await _get(c, path, Role.SUPERVISOR, SAMARINDA)
                assert answer.status_code == 403, (page, other)
