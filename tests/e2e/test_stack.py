"""`trc up` as a newcomer runs it: four services and the broker as processes, supervised."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pytest

from tests.support import children_of, cmdline, ready, wait_until

pytestmark = pytest.mark.e2e


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc to find the child processes")
def test_trc_up_starts_everything_recovers_from_crashes_and_stops_cleanly(stack) -> None:
    process, ports, output = stack
    wait_until(lambda: "siap / ready" in output(), timeout=120, what="trc up ready")
    for name, port in ports.items():
        assert f"http://127.0.0.1:{port}" in output(), f"{name}'s address not printed"
        assert ready(port), name
    pids = children_of(process.pid)
    broker = next(p for p in pids if "tansu" in cmdline(p))
    intake = next(p for p in pids if "services.intake" in cmdline(p))

    os.kill(broker, signal.SIGKILL)
    wait_until(lambda: "broker restarted" in output(), timeout=30, what="broker restarted")
    os.kill(intake, signal.SIGKILL)
    wait_until(lambda: "intake restarted" in output(), timeout=30, what="intake restarted")
    wait_until(lambda: all(ready(p) for p in ports.values()), timeout=90, what="all ready again")

    everything = children_of(process.pid)
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=40) == 0
    assert "berhenti / stopped" in output()
    assert not [p for p in everything if Path(f"/proc/{p}").exists() and cmdline(p)]
