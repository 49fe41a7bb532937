"""The supervisor console in a real headless Chromium, against the stack `trc up` starts: a
report appears on the board by itself, its row turns red at the acknowledgment deadline (the
page's own clock, not the server's sweep), a supervisor reassigns it with a reason and sees that
in the timeline; a call-center account sees the board without what was said and cannot act; a
call linked to the incident is listed on its page and split off (at intake, in the same browser
session) as an incident of its own; the figures page's monthly XLSX downloads from shelter."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect, sync_playwright

from tests.e2e.screens import shoot
from tests.e2e.staff import PASSWORD, add_operator, get, post, sign_in
from tests.support import ROOT, env_with, ready, wait_until

pytestmark = pytest.mark.e2e
ACK_SECONDS = 20
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
WINDOW: ViewportSize = {"width": 1400, "height": 900}  # the board's columns all fit


@pytest.fixture
def stack_env() -> dict[str, str]:
    # Every priority gets a short deadline. The server's sweep (which would time the
    # assignment out and move it on) is made hourly: the row must turn red by the page's clock.
    return {
        **{f"TRC_DISPATCH_ACK_P{n}_SECONDS": str(ACK_SECONDS) for n in range(1, 5)},
        "TRC_DISPATCH_SWEEP_SECONDS": "3600",
    }


def add_supervisor(data_dir: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "services.dispatch", "user", "create", "sari",
         "--role", "supervisor", "--region", "21.71", "--password-env", "PW"],
        cwd=ROOT, env=env_with(TRC_DATA_DIR=str(data_dir), PW=PASSWORD),
        check=True, capture_output=True,
    )  # fmt: skip


def send(method: str, url: str, body: Any, token: str) -> Any:
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    request = urllib.request.Request(url, json.dumps(body).encode(), headers, method=method)
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def two_teams_on_duty(dispatch: str, token: str) -> None:
    """Tim A covers Lubuk Baja, Tim B elsewhere; both work a 24-hour shift round today."""
    region = f"{dispatch}/api/v1/regions/21.71"
    send("PUT", f"{region}/shifts", [{"code": "harian", "starts": "00:00", "ends": "00:00"}], token)
    teams = [
        {"code": "A", "name": "Tim A", "capacity": 2, "zones": ["Lubuk Baja"]},
        {"code": "B", "name": "Tim B", "capacity": 2, "zones": ["Batam Kota"]},
    ]
    send("POST", f"{region}/teams", teams, token)
    today = (datetime.now(UTC) + timedelta(hours=7)).date()
    slots = [
        {"day": str(today + timedelta(days=d)), "shift": "harian", "team_code": code}
        for d in (-1, 0, 1)
        for code in ("A", "B")
    ]
    send("POST", f"{region}/roster", slots, token)


def a_shelter(shelter: str, token: str) -> None:
    """One shelter with three sections, for the console's shelter page."""
    sections = [("laki-laki", 12), ("perempuan", 10), ("anak", 6)]
    body = {
        "code": "NS",
        "name": "UPT Nilam Suri",
        "kind": "upt",
        "sections": [{"section": name, "capacity": beds} for name, beds in sections],
    }
    send("POST", f"{shelter}/api/v1/regions/21.71/shelters", body, token)


def watched(browser: Browser, problems: list[str]) -> Page:
    """A page in a profile of its own (its own session cookie), console errors collected."""
    page = browser.new_context(viewport=WINDOW).new_page()
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    return page


def test_a_supervisor_watches_a_report_turn_red_and_reassigns_it_while_the_call_center_only_reads(
    stack: Any, chromium: str, tmp_path: Path
) -> None:
    _, ports, output = stack
    wait_until(lambda: "siap / ready" in output(), timeout=120, what="trc up ready")
    assert all(ready(port) for port in ports.values())
    add_operator(tmp_path / "data")
    add_supervisor(tmp_path / "data")
    dispatch = f"http://127.0.0.1:{ports['dispatch']}"
    intake = f"http://127.0.0.1:{ports['intake']}"
    login = f"{dispatch}/api/v1/auth/login"
    supervisor = post(login, {"username": "sari", "password": PASSWORD})["token"]
    operator = post(login, {"username": "rina", "password": PASSWORD})["token"]
    two_teams_on_duty(dispatch, supervisor)
    a_shelter(f"http://127.0.0.1:{ports['shelter']}", supervisor)
    problems: list[str] = []

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=BROWSER_ARGS)
        page = watched(browser, problems)
        page.goto(f"{dispatch}/konsol")
        sign_in(page, "sari")
        expect(page).to_have_url(f"{dispatch}/konsol")
        expect(page.locator("#live")).to_contain_text("Langsung")
        expect(page.locator("#rows tr")).to_have_count(0)

        report = post(
            f"{intake}/api/v1/reports",
            {
                "region_code": "21.71",
                "category": "gelandangan",
                "description": "Bapak tua tidur di halte, tampak lemas",
                "location": {"kecamatan": "Lubuk Baja", "kelurahan": "Baloi Indah"},
            },
            token=operator,
        )
        row = page.locator("#rows tr")
        expect(row).to_have_count(1, timeout=20_000)  # streamed in: the page was never reloaded
        expect(row).to_contain_text("Tim A", timeout=10_000)
        expect(row).to_contain_text("Bapak tua tidur di halte")
        expect(row).not_to_have_class("breach")
        expect(page.locator("#counts")).to_contain_text("1 terbuka")  # the summary follows
        shoot(page, "papan", tmp_path, viewport=WINDOW)
        incident_id = row.get_attribute("data-id")
        assert incident_id
        detail = get(f"{dispatch}/api/v1/incidents/{incident_id}", supervisor)
        assert report["report_id"] in detail["report_ids"]
        deadline = datetime.fromisoformat(detail["assignments"][-1]["ack_deadline"])

        # The summary is read in the same frame as the row is first seen red: it must not lag.
        summary_when_red = page.wait_for_function(
            "() => document.querySelector('#rows tr.breach') && document.getElementById('counts')"
            ".textContent",
            timeout=(ACK_SECONDS + 10) * 1000,
        ).json_value()
        assert "1 melewati batas" in summary_when_red
        expect(row).to_have_class("breach")
        assert datetime.now(UTC) >= deadline, "red only once the deadline has passed"
        expect(page.locator("#map .tile.breach, #map .dot.breach")).to_have_count(1)
        expect(row).to_contain_text("belum diterima lewat batas")
        shoot(page, "papan-terlambat", tmp_path, viewport=WINDOW)

        row.locator("td.number a").click()
        expect(page).to_have_url(f"{dispatch}/konsol/insiden/{incident_id}?region=21.71")
        expect(page.locator("#timeline")).to_contain_text("Ditugaskan ke Tim A")
        expect(page.locator("#timeline")).to_contain_text("Ditugaskan ke Tim A oleh kebijakan")
        expect(page.locator("#timeline")).to_contain_text("zona tim cocok, beban 0/2")
        expect(page.locator("#timeline")).not_to_contain_text("zone match")
        expect(page.locator("#timeline")).not_to_contain_text("oleh system")
        teams = page.locator("#assign-team option", has_text="— Tim B")
        page.locator("#assign-team").select_option(teams.get_attribute("value"))
        page.locator("#assign-reason").fill("Tim A tidak menjawab radio")
        page.locator("#assign button").click()
        expect(page.locator("#action-result")).to_contain_text("Tersimpan")
        timeline = page.locator("#timeline")
        expect(timeline).to_contain_text("Ditugaskan ke Tim B oleh sari")
        expect(timeline).to_contain_text("Tim A tidak menjawab radio")
        shoot(page, "insiden", tmp_path, viewport=WINDOW)

        page.goto(f"{dispatch}/konsol/angka")
        expect(page.locator("body")).to_have_attribute("data-ready", "1")
        expect(page.locator("[data-figure='g.category'] svg rect")).to_have_count(1)
        expect(page.locator("#csv")).to_have_attribute(
            "href", "/api/v1/console/figures?region=21.71&period=today&format=csv"
        )
        # The monthly XLSX: last full month (WIB) from shelter, in the same browser session.
        this_month = (datetime.now(UTC) + timedelta(hours=7)).date().replace(day=1)
        last_month = (this_month - timedelta(days=1)).replace(day=1)
        shelter = f"http://127.0.0.1:{ports['shelter']}"
        expect(page.locator("#xlsx")).to_have_attribute(
            "href",
            f"{shelter}/api/v1/regions/21.71/figures?from={last_month}&to={this_month}"
            "&format=xlsx&lang=id",
        )
        with page.expect_download(timeout=10_000) as download:
            page.locator("#xlsx").click()
        saved = tmp_path / download.value.suggested_filename  # shelter names it (cross-origin)
        assert saved.suffix == ".xlsx"
        download.value.save_as(saved)
        book = openpyxl.load_workbook(saved)
        assert book["Ringkasan"]["B1"].value == "21.71"
        shoot(page, "angka", tmp_path, viewport=WINDOW)

        page.goto(f"{dispatch}/konsol/tim")
        expect(page.locator("#teams tr")).to_have_count(2)
        expect(page.locator("#teams")).to_contain_text("Tim A")
        shoot(page, "tim", tmp_path, viewport=WINDOW)
        shelters = f"{dispatch}/api/v1/console/shelters?region=21.71"
        wait_until(lambda: get(shelters, supervisor)["shelters"], timeout=20, what="shelter")
        page.goto(f"{dispatch}/konsol/shelter")
        expect(page.locator("#shelters")).to_contain_text("UPT Nilam Suri")
        expect(page.locator("#shelters h2 .hint")).to_have_text(" · UPT")  # not its code, "upt"
        expect(page.locator("#cases")).to_contain_text("Belum ada kasus")
        shoot(page, "shelter", tmp_path, viewport=WINDOW)

        # The call center: the same board, without what was said, and no actions.
        desk = watched(browser, problems)
        desk.goto(f"{dispatch}/konsol")
        sign_in(desk, "rina")
        desk_row = desk.locator("#rows tr")
        expect(desk_row).to_have_count(1)
        expect(desk_row).to_contain_text("Tim B")
        expect(desk_row).not_to_contain_text("Bapak tua")
        expect(desk.locator("#board")).to_have_class("board no-text")
        desk_row.locator("td.number a").click()
        expect(desk.locator("#timeline")).to_contain_text("Ditugaskan ke Tim B")
        expect(desk.locator("#actions")).to_be_hidden()

        # A call linked to the incident is listed there and split off as an incident of its own.
        post(
            f"{intake}/api/v1/reports",
            {
                "region_code": "21.71",
                "category": "gelandangan",
                "description": "Ada anak kecil sendirian di halte yang sama",
                "location": {"kecamatan": "Lubuk Baja", "kelurahan": "Baloi Indah"},
                "attach_to": report["report_id"],
            },
            token=operator,
        )
        url = f"{dispatch}/api/v1/incidents/{incident_id}"
        wait_until(lambda: len(get(url, supervisor)["report_ids"]) == 2, timeout=20, what="joined")
        page.goto(f"{dispatch}/konsol/insiden/{incident_id}?region=21.71")
        linked = page.locator("#reports tbody tr")
        expect(linked).to_have_count(2)
        expect(page.locator("#facts dt").first).to_have_text("Status")
        expect(linked.first).to_contain_text("laporan awal")
        expect(linked.first.locator("button")).to_have_count(0)
        expect(linked.nth(1)).to_contain_text("dikaitkan oleh operator")
        expect(linked.nth(1)).not_to_contain_text("attached by")
        shoot(
            page, "laporan-tergabung", tmp_path, part="#reports-title >> xpath=..", viewport=WINDOW
        )
        linked.nth(1).get_by_role("button", name="Pisahkan").click()
        page.locator("#split-reason").fill("Anak ini kasus lain")
        page.locator("#split button[type=submit]").click()
        expect(page.locator("#split-result")).to_contain_text("kini insiden", timeout=20_000)
        expect(timeline).to_contain_text("dipisahkan menjadi insiden sendiri")
        expect(timeline).to_contain_text("Anak ini kasus lain")
        expect(linked).to_have_count(1)
        page.locator("#split-result a").click()
        expect(page.locator("#timeline")).to_contain_text("Dipisahkan dari insiden")
        page.goto(f"{dispatch}/konsol")
        expect(page.locator("#rows tr")).to_have_count(2)
        browser.close()

    with pytest.raises(urllib.error.HTTPError) as refused:
        post(f"{dispatch}/api/v1/incidents/{incident_id}/cancel", {"reason": "uji"}, operator)
    assert refused.value.code == 403
    assert problems == []
