"""The call-center page in a real headless Chromium, against the stack `trc up` starts: sign in,
file a report with the keyboard alone, see the nearby-duplicate hint, attach the call, take the
suggestion intake makes from the description being typed; and a call saved while intake is down
is kept on the page, retried, and saved once."""

from __future__ import annotations

import os
import signal
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import expect, sync_playwright

from bench.stack import listening_pids
from tests.e2e.screens import shoot
from tests.e2e.staff import PASSWORD, add_operator, post, sign_in
from tests.support import children_of, ready, wait_until

pytestmark = pytest.mark.e2e


def test_an_operator_files_a_call_with_the_keyboard_and_attaches_it_to_a_nearby_report(
    stack: Any, chromium: str, tmp_path: Path
) -> None:
    _, ports, output = stack
    wait_until(lambda: "siap / ready" in output(), timeout=120, what="trc up ready")
    assert all(ready(port) for port in ports.values())
    assert (tmp_path / "data" / ".admin-password").exists(), "a fresh stack has a first admin"
    add_operator(tmp_path / "data")
    intake = f"http://127.0.0.1:{ports['intake']}"
    session = post(
        f"http://127.0.0.1:{ports['dispatch']}/api/v1/auth/login",
        {"username": "rina", "password": PASSWORD},
    )
    earlier = post(
        f"{intake}/api/v1/reports",
        {
            "region_code": "21.71",
            "category": "odgj_terlantar",
            "description": "Pria berteriak-teriak di depan ruko, warga takut mendekat",
            "location": {"kecamatan": "Lubuk Baja", "kelurahan": "Baloi Indah"},
        },
        token=session["token"],
    )

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        page = browser.new_page()
        problems: list[str] = []
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on(
            "console",
            lambda message: problems.append(message.text) if message.type == "error" else None,
        )
        page.goto(f"{intake}/laporan")
        assert page.url == (
            f"http://127.0.0.1:{ports['dispatch']}/masuk?next="
            + quote(f"{intake}/laporan", safe="")
        )
        expect(page.locator("#username")).to_be_focused()
        shoot(page, "masuk", tmp_path)
        sign_in(page, "rina")

        expect(page).to_have_url(f"{intake}/laporan")
        expect(page.locator("#who")).to_contain_text("rina")
        expect(page.locator("#channel")).to_be_focused()  # one region: its picker is hidden
        keys = page.keyboard
        keys.press("Tab")
        keys.type("Pak Anto")  # the caller's name: for staff only, never in events or logs
        keys.press("Tab")
        keys.type("0812 3456 7890")
        keys.press("Tab")
        keys.type("ODGJ")  # type-ahead in the category picker
        expect(page.locator("#category")).to_have_value("odgj_terlantar")
        keys.press("Tab")
        keys.type("Laki-laki bicara sendiri dan melempar batu ke kendaraan")
        for _ in range(6):  # people, four danger flags, then the kecamatan picker
            keys.press("Tab")
        expect(page.locator("#kecamatan")).to_be_focused()
        keys.type("Lubuk")
        keys.press("Tab")
        keys.type("Baloi")
        expect(page.locator("#kelurahan")).to_have_value("Lubuk Baja|Baloi Indah")

        hint = page.locator("#nearby li")
        expect(hint).to_have_count(1)
        # intake's reason ("same kelurahan, 0 min"), in the page's language
        expect(hint).to_contain_text("kelurahan yang sama, 0 menit")
        expect(hint).not_to_contain_text("same kelurahan")
        expect(hint).to_contain_text("WIB")
        shoot(page, "formulir-call-center", tmp_path)

        keys.press("Control+Enter")  # first press: the hint must be looked at
        expect(page.locator("#form-message")).to_contain_text("laporan serupa")
        expect(hint.locator("button.attach")).to_be_focused()
        shoot(
            page, "laporan-serupa", tmp_path, part="section:has(#nearby-title), #form-message, #new"
        )
        keys.press("Enter")  # attach to it
        expect(page.locator("#attach-note")).to_contain_text(earlier["report_id"])
        expect(page.locator("#save")).to_be_focused()
        keys.press("Enter")

        result = page.locator("#result")
        expect(result).to_contain_text("Laporan tersimpan")
        expect(result).to_contain_text(f"digabungkan ke laporan {earlier['report_id']}")
        expect(page.locator("#channel")).to_be_focused()  # ready for the next call
        expect(page.locator("#suggestion")).to_be_hidden()  # the last call's suggestion went too
        shoot(page, "laporan-tersimpan", tmp_path, part="#result")

        # The next call: while the description is typed, intake suggests what its pipeline would
        # make of it; nothing is filled until the operator says so.
        page.locator("#description").focus()
        keys.type("Pria dewasa ngamuk bawa parang di depan ruko, Kelurahan Tanjung Riau")
        suggestion = page.locator("#suggestion")
        expect(suggestion).to_contain_text("Saran: ODGJ terlantar")
        expect(suggestion).to_contain_text("ngamuk")
        expect(suggestion).to_contain_text("Prioritas P1: kekerasan")
        expect(suggestion).not_to_contain_text("violence")  # of "kekerasan / violence"
        expect(suggestion).to_contain_text("Lokasi: Kec. Sekupang, Kel. Tanjung Riau")
        expect(suggestion).not_to_contain_text("null")  # no alternatives: nothing in their place
        expect(page.locator("#category")).to_have_value("")
        expect(page.locator("#kecamatan")).to_have_value("")
        expect(page.locator("#description")).to_be_focused()  # typing goes on undisturbed
        shoot(page, "saran", tmp_path, part="#description >> xpath=ancestor::fieldset")
        suggestion.get_by_role("button", name="Pakai saran").click()
        expect(page.locator("#category")).to_have_value("odgj_terlantar")
        expect(page.locator("#kecamatan")).to_have_value("Sekupang")
        expect(page.locator("#kelurahan")).to_have_value("Sekupang|Tanjung Riau")
        expect(page.locator("input[name=danger][value=violence]")).to_be_checked()
        expect(page.locator("#people_count")).to_have_value("1")  # what it does not know stays
        expect(suggestion).to_contain_text("Saran dipakai")

        page.locator("#lang").click()
        expect(page.locator("#save")).to_have_text("Save report")
        expect(suggestion).to_contain_text("Suggestion: Neglected person with mental illness")
        expect(suggestion).to_contain_text("Priority P1: violence")
        browser.close()
    assert problems == []


def intake_pid(trc_up: Any, port: int) -> int:
    """The intake serving now: the process listening on its port (not its idle warm spare)."""
    return listening_pids(children_of(trc_up.pid))[port]


def reports_in(data_dir: Path) -> list[tuple[Any, ...]]:
    [path] = [p for p in data_dir.rglob("*.db") if "intake" in p.name]
    with sqlite3.connect(path) as db:
        query = "SELECT id, description, category, kelurahan, people_count FROM report"
        return db.execute(query).fetchall()


def test_a_call_saved_while_intake_is_down_is_kept_retried_and_saved_once(
    stack: Any, chromium: str, tmp_path: Path
) -> None:
    process, ports, output = stack
    wait_until(lambda: "siap / ready" in output(), timeout=120, what="trc up ready")
    add_operator(tmp_path / "data")
    intake = f"http://127.0.0.1:{ports['intake']}"
    typed = "Nenek tidur di emper toko sejak kemarin, tidak mau makan"

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        page = browser.new_page()
        page.goto(f"{intake}/laporan")
        sign_in(page, "rina")
        expect(page).to_have_url(f"{intake}/laporan", timeout=20_000)
        expect(page.locator("#channel")).to_be_focused(timeout=20_000)
        page.locator("#category").select_option("lanjut_usia_terlantar")
        page.locator("#description").fill(typed)
        page.locator("#people_count").fill("2")
        page.locator("#kecamatan").select_option("Lubuk Baja")
        page.locator("#kelurahan").select_option("Lubuk Baja|Baloi Indah")

        pid = intake_pid(process, ports["intake"])
        os.kill(pid, signal.SIGSTOP)  # no answer at all: the request waits in the socket
        try:
            page.keyboard.press("Control+Enter")
            message = page.locator("#form-message")
            expect(message).to_contain_text("Menyimpan", timeout=3_000)
            expect(message).to_contain_text("mencoba lagi", timeout=20_000)
            expect(page.locator("#description")).to_have_value(typed)  # nothing is lost
            expect(page.locator("#save")).to_be_disabled()
        finally:
            os.kill(pid, signal.SIGKILL)  # then killed: `trc up` starts it again

        result = page.locator("#result")
        expect(result).to_contain_text("Laporan tersimpan", timeout=60_000)
        expect(result).not_to_contain_text("sudah tersimpan sebelumnya")
        saved_id = page.locator("#saved-id").inner_text()
        browser.close()

    [report] = reports_in(tmp_path / "data")
    assert report == (saved_id, typed, "lanjut_usia_terlantar", "Baloi Indah", 2)
