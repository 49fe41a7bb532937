"""`trc up` as a newcomer runs it: four services and the broker as processes, supervised; ready\non every `/readyz`, a report fed in becomes an incident, crashes are recovered, and it stops\ncleanly."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.staff import PASSWORD, add_operator, get, post
from tests.support import children_of, cmdline, error_lines, ready, wait_until

pytestmark = pytest.mark.e2e


@pytest.fixture
def stack_args() -> list[str]:
    return []  # as a user starts it: warm spares, which the crash recovery takes over


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc to find the child processes")
def test_trc_up_starts_everything_recovers_from_crashes_and_stops_cleanly(
    stack: Any, tmp_path: Path
) -> None:
    process, ports, output = stack
    data_dir = tmp_path / "data"
    wait_until(lambda: "siap / ready" in output(), timeout=120, what="trc up ready")
    for name, port in ports.items():
        assert f"http://127.0.0.1:{port}" in output(), f"{name}'s address not printed"
        assert ready(port), name
    # Fed a report, the stack turns it into an incident: intake → broker → dispatch.
    add_operator(data_dir)
    dispatch = f"http://127.0.0.1:{ports['dispatch']}"
    token = post(f"{dispatch}/api/v1/auth/login", {"username": "rina", "password": PASSWORD})[
        "token"
    ]
    accepted = post(
        f"http://127.0.0.1:{ports['intake']}/api/v1/reports",
        {
            "region_code": "21.71",
            "category": "anak_jalanan",
            "description": "Dua anak mengamen di lampu merah simpang Jodoh sampai larut malam",
            "location": {"kecamatan": "Batu Ampar"},
        },
        token=token,
    )
    incidents = f"{dispatch}/api/v1/incidents?region_code=21.71"
    wait_until(
        lambda: any(accepted["report_id"] in i["report_ids"] for i in get(incidents, token)),
        timeout=30,
        what="the report's incident in dispatch",
    )
    pids = children_of(process.pid)
    broker = next(p for p in pids if "tansu" in cmdline(p))
    intake = next(p for p in pids if cmdline(p).rstrip().endswith("services.intake serve"))

    os.kill(broker, signal.SIGKILL)
    wait_until(lambda: "broker restarted" in output(), timeout=30, what="broker restarted")
    os.kill(intake, signal.SIGKILL)
    wait_until(lambda: "intake restarted" in output(), timeout=30, what="intake restarted")
    wait_until(lambda: all(ready(p) for p in ports.values()), timeout=90, what="all ready again")

    # A broker restart and a killed service are expected faults: warnings, never an ERROR.
    logs = data_dir / "logs"
    assert not error_lines(logs), error_lines(logs)
    before_stop = {path.stem: path.stat().st_size for path in logs.glob("*.log")}
    everything = children_of(process.pid)
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=40) == 0
    assert "berhenti / stopped" in output()
    assert not [p for p in everything if Path(f"/proc/{p}").exists() and cmdline(p)]
    # A clean stop (services first, then the Telegram stand-in and the broker) is quiet.
    assert not error_lines(logs, after=before_stop), error_lines(logs, after=before_stop)
