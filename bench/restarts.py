"""How long a killed service stays away: `trc up` in a fresh data folder, each service killed
with SIGKILL in turn, the time until its ``/readyz`` answers ready again — the window in which
the call-center page cannot save (it retries meanwhile) and a team's press waits."""

from __future__ import annotations

import json
import os
import signal
import statistics
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.stack import Stack, cpu_ticks
from trc.embedded.stack import SERVICES


def restart_times(rounds: int) -> dict[str, float]:
    """``restart_<service>_s`` (the slowest of ``rounds`` kills) and ``restart_p50_s`` over all,
    with `trc up` as a user starts it (a warm spare per service; without spares, ``--no-spares``,
    a restart pays Python's imports again: several seconds more)."""
    with tempfile.TemporaryDirectory(prefix="trc-bench-restart-") as tmp:
        stack = Stack(Path(tmp) / "data", spares=True)
        stack.start()
        try:
            figures: dict[str, float] = {}
            every: list[float] = []
            for name in SERVICES:
                times = [_kill_and_time(stack, name) for _ in range(rounds)]
                every += times
                figures[f"restart_{name}_s"] = max(times)
                print(
                    f"restart {name}: SIGKILL → /readyz ready in "
                    + ", ".join(f"{t:.2f}" for t in times)
                    + " s"
                )
            figures["restart_p50_s"] = statistics.median(every)
            return figures
        finally:
            stack.stop()


def _kill_and_time(stack: Stack, name: str) -> float:
    # A spare is made once the service has run a while, then loads: wait until one stands by
    # idle (or 30 s; without one the figure is a cold start's).
    _wait(lambda: _ready(stack.ports[name]), 60, f"{name} ready")
    _wait(lambda: _spare_idle(stack, name), 30, None)
    os.kill(stack.pids()[name], signal.SIGKILL)
    killed = time.monotonic()
    time.sleep(0.05)  # the old listener is gone before we ask
    _wait(lambda: _ready(stack.ports[name]), 60, f"{name} ready after a kill")
    return time.monotonic() - killed


def _spare_idle(stack: Stack, name: str) -> bool:
    """A warm spare of ``name`` exists and has stopped using the CPU (it waits on its stdin)."""
    spare = stack.spares().get(name)
    if spare is None:
        return False
    before = cpu_ticks(spare)
    time.sleep(0.5)
    return before is not None and cpu_ticks(spare) == before


def _ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1) as answer:
            return bool(json.load(answer)["ready"])
    except Exception:
        return False


def _wait(check: object, timeout: float, what: str | None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.02)
    if what:
        raise RuntimeError(f"timed out waiting for {what}")
