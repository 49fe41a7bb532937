"""`trc up` as a newcomer runs it: four services and the broker as processes, supervised."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from shared.embedded.broker import free_port
from shared.embedded.stack import SERVICES
from tests.support import ROOT, env_with, wait_until

pytestmark = pytest.mark.e2e


def children_of(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        for child in task.read_text().split():
            found.append(int(child))
            found += children_of(int(child))
    return found


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as response:
            return bool(json.load(response)["ready"])
    except Exception:
        return False


@pytest.fixture
def stack(tmp_path: Path):
    ports = {name: free_port() for name in SERVICES}
    env = env_with(
        **{f"TRC_{name.upper()}_HTTP_PORT": str(port) for name, port in ports.items()},
        TRC_DATA_DIR=str(tmp_path / "data"),
    )
    out = (tmp_path / "trc-up.out").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "shared.cli", "up", "--broker-port", str(free_port())],
        cwd=ROOT,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    output = lambda: (tmp_path / "trc-up.out").read_text(errors="replace")
    yield process, ports, output
    if process.poll() is None:
        process.kill()
        process.wait()
    for pid in children_of(process.pid) if process.poll() is None else []:
        os.kill(pid, signal.SIGKILL)
    out.close()


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
