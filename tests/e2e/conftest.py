"""The embedded stack as a newcomer starts it (`trc up`), for the end-to-end tests."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support import ROOT, children_of, env_with
from trc.embedded.broker import free_port
from trc.embedded.stack import SERVICES


@pytest.fixture
def stack_env() -> dict[str, str]:
    """Extra environment for the stack; a test module overrides this fixture to set it."""
    return {}


@pytest.fixture
def stack_args() -> list[str]:
    """Extra `trc up` arguments; a test module overrides this fixture to set them. No warm
    spares by default: each is a service imported again (seconds of CPU) ten seconds after the
    start, for a restart most tests never make; the crash-recovery test keeps them."""
    return ["--no-spares"]


@pytest.fixture
def stack(tmp_path: Path, stack_env: dict[str, str], stack_args: list[str]) -> Iterator[Any]:
    ports = {name: free_port() for name in SERVICES}
    env = env_with(
        **{f"TRC_{name.upper()}_HTTP_PORT": str(port) for name, port in ports.items()},
        TRC_DATA_DIR=str(tmp_path / "data"),
        TRC_TELEGRAM_STANDIN_PORT=str(free_port()),
        **stack_env,
    )
    out = (tmp_path / "trc-up.out").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "trc.cli", "up", "--broker-port", str(free_port()), *stack_args],
        cwd=ROOT,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    output = lambda: (tmp_path / "trc-up.out").read_text(errors="replace")
    yield process, ports, output
    # The services and the broker are the stack's children: find them while it still lives,
    # let it stop them in order, and kill whatever is left, so nothing outlives the test.
    children = children_of(process.pid) if process.poll() is None else []
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    for pid in children:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    out.close()


@pytest.fixture
def chromium() -> str:
    """Debian's chromium for Playwright (never `playwright install`)."""
    path = shutil.which("chromium")
    if path is None:
        reason = "no chromium on this machine (Debian: apt-get install -y chromium)"
        if os.environ.get("TRC_REQUIRE_BROWSER") == "1":
            pytest.fail(reason + " and TRC_REQUIRE_BROWSER=1")
        pytest.skip(reason)
    return path
