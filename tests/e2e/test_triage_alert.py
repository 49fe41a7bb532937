"""Through the public doors of the stack `trc up` starts: a supervisor names the region's
supervisors' group; a social-media post of a baby left alone that names no place waits in the
triage queue as a P1 — and the supervisors' group in the Telegram stand-in is told at once, in
Bahasa Indonesia, with the time in WIB and the way to /triase."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.staff import PASSWORD, post
from tests.support import ROOT, env_with, ready, wait_until

pytestmark = pytest.mark.e2e
REGION = "21.71"  # Kota Batam (WIB)
SUPERVISORS = -100777
URGENT_NO_PLACE = "tolong ada bayi ditinggal sendirian di emperan toko, nangis terus dari tadi"


def service_command(data_dir: Path, module: str, *args: str) -> str:
    """A service's own command line, as the IT officer runs it; what it printed."""
    done = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT, env=env_with(TRC_DATA_DIR=str(data_dir), PW=PASSWORD),
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return done.stdout


def call(method: str, url: str, body: Any = None, token: str | None = None) -> Any:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data, headers, method=method)
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def test_a_p1_post_without_a_place_is_told_in_the_supervisors_group(
    stack: Any, tmp_path: Path
) -> None:
    _, ports, output = stack
    wait_until(lambda: "siap / ready" in output(), timeout=120, what="trc up ready")
    assert all(ready(port) for port in ports.values())
    found = re.search(r"telegram \(lokal\)\s+(\S+)", output())
    assert found is not None, output()
    telegram = found.group(1).rstrip("/")
    data_dir = tmp_path / "data"
    service_command(data_dir, "services.dispatch", "user", "create", "sari",
                    "--role", "supervisor", "--region", REGION, "--password-env", "PW")  # fmt: skip
    made = service_command(data_dir, "services.intake", "apikey", "create",
                           "--name", "social-monitor", "--region", REGION)  # fmt: skip
    key = re.search(r"^key (\S+)$", made, re.MULTILINE)
    assert key is not None, "no key printed"

    dispatch = f"http://127.0.0.1:{ports['dispatch']}"
    token = post(f"{dispatch}/api/v1/auth/login", {"username": "sari", "password": PASSWORD})[
        "token"
    ]
    call("POST", f"{telegram}/_standin/chats",
         {"id": SUPERVISORS, "type": "group", "title": "Supervisor TRC Batam"})  # fmt: skip
    notify = f"http://127.0.0.1:{ports['notify']}"
    call("PUT", f"{notify}/api/v1/regions/{REGION}/supervisors-chat",
         {"chat_id": SUPERVISORS}, token)  # fmt: skip

    body = {"platform": "x", "post_id": "p1-no-place", "text": URGENT_NO_PLACE,
            "posted_at": datetime.now(UTC).isoformat()}  # fmt: skip
    intake = f"http://127.0.0.1:{ports['intake']}"
    accepted = post(f"{intake}/api/v1/webhooks/social", body, api_key=key.group(1))
    assert accepted["status"] == "needs_triage"

    def told() -> list[str]:
        messages = call("GET", f"{telegram}/_standin/chats/{SUPERVISORS}/messages")
        return [m["text"] for m in messages if m["from"]["is_bot"]]

    wait_until(lambda: bool(told()), timeout=30, what="the supervisors' group told")
    [text] = told()
    assert text.startswith("🔴 P1 MENUNGGU TRIASE — belum ada tim yang bisa dikirim: lokasi")
    assert re.search(r"^Diterima: .+ \d\d\.\d\d WIB$", text, re.MULTILINE), text
    assert "Laporan: tolong ada bayi ditinggal sendirian" in text
    assert "/triase" in text
