"""The triage queue page in a real headless Chromium, against the stack `trc up` starts: two
social-media posts intake cannot send on as they stand (a desa name two kecamatan of Indramayu
share; an advert) wait in the queue. An operator signs in at /triase and sees each with its
reason; the one another operator holds is refused in words (409); she claims the first, chooses
category, kecamatan and desa, and sends it — it leaves the queue and becomes an incident in
dispatch; once the other operator lets go, she dismisses the advert with a reason."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.e2e.screens import shoot
from tests.e2e.staff import PASSWORD, add_operator, get, post, sign_in
from tests.support import ROOT, env_with, ready, wait_until

pytestmark = pytest.mark.e2e
REGION = "32.12"  # Kabupaten Indramayu: its villages are desa
# Desa Kedungwungu is in Kecamatan Anjatan and in Kecamatan Krangkeng: no guess, an operator.
LOST = (
    "Ada anak kecil mengemis sendirian di perempatan jalan Ds. Kedungwungu sampai malam, "
    "kasihan sekali"
)
ADVERT = "Promo akhir tahun! Diskon 50% semua sepatu di toko kami, kunjungi sekarang juga"


def integration_key(data_dir: Path) -> str:
    """A key for the social-media monitor, as `trc apikey create` prints it once."""
    made = subprocess.run(
        [sys.executable, "-m", "services.intake", "apikey", "create",
         "--name", "social-monitor", "--region", REGION],
        cwd=ROOT, env=env_with(TRC_DATA_DIR=str(data_dir)),
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    key = re.search(r"^key (\S+)$", made.stdout, re.MULTILINE)
    assert key is not None, "no key printed"
    return key.group(1)


def social_post(intake: str, key: str, post_id: str, text: str) -> dict[str, Any]:
    body = {"platform": "x", "post_id": post_id, "text": text,
            "posted_at": datetime.now(UTC).isoformat()}  # fmt: skip
    return post(f"{intake}/api/v1/webhooks/social", body, api_key=key)


def test_an_operator_sends_one_report_from_the_triage_queue_and_dismisses_another(
    stack: Any, chromium: str, tmp_path: Path
) -> None:
    _, ports, output = stack
    wait_until(lambda: "siap / ready" in output(), timeout=120, what="trc up ready")
    assert all(ready(port) for port in ports.values())
    data_dir = tmp_path / "data"
    for username in ("rina", "budi"):
        add_operator(data_dir, username, REGION)
    key = integration_key(data_dir)
    intake = f"http://127.0.0.1:{ports['intake']}"
    dispatch = f"http://127.0.0.1:{ports['dispatch']}"
    lost = social_post(intake, key, "1001", LOST)
    advert = social_post(intake, key, "1002", ADVERT)
    assert (lost["status"], advert["status"]) == ("needs_triage", "needs_triage")
    login = f"{dispatch}/api/v1/auth/login"
    budi = post(login, {"username": "budi", "password": PASSWORD})["token"]
    post(f"{intake}/api/v1/triage/{advert['report_id']}/claim", {}, token=budi)

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
        page.goto(f"{intake}/triase")
        sign_in(page, "rina")
        expect(page).to_have_url(f"{intake}/triase")

        first = page.locator(f'#queue li[data-report="{lost["report_id"]}"]')
        expect(first).to_contain_text("Lokasi ambigu")
        expect(first).to_contain_text("Media sosial")
        expect(first).to_contain_text("WIB")
        expect(first).to_contain_text("anak kecil mengemis sendirian")
        expect(first).to_contain_text("Calon lokasi: Ds. Kedungwungu, Kec. Anjatan")
        expect(first).to_contain_text("Belum diklaim")
        second = page.locator(f'#queue li[data-report="{advert["report_id"]}"]')
        expect(second).to_contain_text("Bukan laporan")
        expect(second).to_contain_text("Dipegang oleh budi")
        # "diperbarui …" in the region's zone (Indramayu: WIB), not the browser's own clock
        expect(page.locator("#queue-status")).to_contain_text(re.compile(r"\d\d\.\d\d\.\d\d WIB"))

        first.locator("button.claim").click()
        expect(first).to_contain_text("Diklaim Anda")
        expect(page.locator("#work-text")).to_contain_text("anak kecil mengemis sendirian")
        expect(page.locator('label[for="kelurahan"]')).to_have_text("Desa")
        expect(page.locator("#category")).to_have_value("anak_jalanan")  # the suggestion
        page.locator("#send").click()  # no place yet: said before anything is sent
        expect(page.locator("#work-message")).to_contain_text("Pilih kecamatan")
        page.locator("#candidates button", has_text="Krangkeng").click()
        expect(page.locator("#kecamatan")).to_have_value("Krangkeng")
        expect(page.locator("#kelurahan")).to_have_value("Krangkeng|Kedungwungu")
        page.locator("#category").select_option("anak_jalanan")
        page.locator("#kecamatan").select_option("Anjatan")  # chosen by hand as well
        page.locator("#kelurahan").select_option("Anjatan|Kedungwungu")
        page.locator("#address").fill("perempatan jalan")
        shoot(page, "antrean-triase", tmp_path, part="main")
        page.locator("#send").click()
        expect(page.locator("#done")).to_contain_text(
            f"Laporan {lost['report_id']} dikirim ke tim dispatch"
        )
        expect(first).to_have_count(0)
        second.locator("button.claim").click()  # budi holds it: the API's 409, in words
        expect(second.locator(".error")).to_contain_text("sedang dipegang oleh budi")

        post(f"{intake}/api/v1/triage/{advert['report_id']}/release", {}, token=budi)
        expect(second).to_contain_text("Belum diklaim", timeout=15_000)  # the list polls
        second.locator("button.claim").click()
        page.locator("#reason").fill("bukan laporan (iklan, berita, donasi)")
        page.locator("#dismiss").click()
        expect(page.locator("#done")).to_contain_text("diabaikan")
        expect(page.locator("#queue li")).to_have_count(0)
        expect(page.locator("#queue-status")).to_contain_text("Tidak ada laporan yang menunggu")

        page.locator("#lang").click()
        expect(page.locator("#queue-status")).to_contain_text("No report is waiting")
        page.locator("#to-form").click()  # the call-center form, and its way back
        expect(page).to_have_url(f"{intake}/laporan")
        expect(page.locator("#to-triage")).to_have_text("Triage queue")
        browser.close()
    conflict = "the server responded with a status of 409"  # the browser's note of the 409
    assert [p for p in problems if conflict not in p] == []

    rina = post(login, {"username": "rina", "password": PASSWORD})["token"]
    incidents = f"{dispatch}/api/v1/incidents?region_code={REGION}"
    wait_until(
        lambda: any(lost["report_id"] in i["report_ids"] for i in get(incidents, rina)),
        timeout=30,
        what="the triaged report's incident in dispatch",
    )
    assert not any(advert["report_id"] in i["report_ids"] for i in get(incidents, rina))
