"""How long a killed service stays away: `trc up` in a fresh data folder, each service killed
with SIGKILL in turn, the time until its ``/readyz`` answers ready again — the window in which
the call-center page cannot save (it retries meanwhile) — and until it reads its topics again
(its consumer group joined: the window in which a report waits for dispatch, a press for
notify)."""

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
            reading: list[float] = []
            for name in SERVICES:
                times = [_kill_and_time(stack, name) for _ in range(rounds)]
                every += [ready for ready, _ in times]
                reading += [read for _, read in times]
                figures[f"restart_{name}_s"] = max(ready for ready, _ in times)
                figures[f"restart_{name}_reading_s"] = max(read for _, read in times)
                print(
                    f"restart {name}: SIGKILL → /readyz ready in "
                    + ", ".join(f"{ready:.2f}" for ready, _ in times)
                    + " s, reading its topics again in "
                    + ", ".join(f"{read:.2f}" for _, read in times)
                    + " s"
                )
            figures["restart_p50_s"] = statistics.median(every)
            figures["restart_reading_p50_s"] = statistics.median(reading)
            return figures
        finally:
            stack.stop()


def _kill_and_time(stack: Stack, name: str) -> tuple[float, float]:
    """Seconds from the kill until ``/readyz`` answers ready, and until the new process has
    joined its consumer group (``broker_connected`` in its log)."""
    # A spare is made once the service has run a while, then loads: wait until one stands by
    # idle (or 30 s; without one the figure is a cold start's).
    _wait(lambda: _ready(stack.ports[name]), 60, f"{name} ready")
    _wait(lambda: _spare_idle(stack, name), 30, None)
    log = stack.data_dir / "logs" / f"{name}.log"
    seen = log.stat().st_size
    os.kill(stack.pids()[name], signal.SIGKILL)
    killed = time.monotonic()
    time.sleep(0.05)  # the old listener is gone before we ask
    _wait(lambda: _ready(stack.ports[name]), 60, f"{name} ready after a kill")
    ready = time.monotonic() - killed
    _wait(lambda: _joined(log, seen), 60, f"{name} reading after a kill")
    return ready, time.monotonic() - killed


def _joined(log: Path, since: int) -> bool:
    with log.open("rb") as text:
        text.seek(since)
        return b'"broker_connected"' in text.read()


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
