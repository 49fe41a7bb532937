"""`trc up`'s supervision: a dead service is restarted at once (by its warm spare when it has
one), and only a crash loop waits."""

import signal
import sys
import time
from pathlib import Path

import pytest

from tests.support import wait_until
from trc.embedded.stack import SPARE_AFTER_S, Child, Stack

# Stands in for a service: a spare (--standby) waits for "go" on stdin, as shared/service.py does.
FAKE_SERVICE = """
import sys, time
if "--standby" in sys.argv:
    if sys.stdin.buffer.readline().strip() != b"go":
        sys.exit(0)
    print("woken", flush=True)
else:
    print("cold", flush=True)
time.sleep(60)
"""


def _child(tmp_path: Path, *, standby: bool) -> Child:
    command = [sys.executable, "-c", FAKE_SERVICE]
    return Child("fake", 0, tmp_path / "fake.log", {}, command=command, standby=standby)


@pytest.fixture
def stack(tmp_path: Path) -> Stack:
    stack = Stack(data_dir=tmp_path)
    yield stack
    for child in stack.children:
        child.drop_spare()
        if child.process is not None and child.process.poll() is None:
            child.process.kill()
            child.process.wait()


def _die(child: Child) -> None:
    assert child.process is not None
    child.process.send_signal(signal.SIGKILL)
    child.process.wait()


def test_a_dead_service_is_restarted_at_once_and_a_crash_loop_backs_off(
    stack: Stack, tmp_path: Path
) -> None:
    child = _child(tmp_path, standby=False)
    stack.children.append(child)
    child.start()
    first = child.process
    _die(child)
    assert stack.supervise_once()[-1] == "fake restarted"  # the same call, no back-off
    assert child.process is not first and child.alive()
    _die(child)  # dies again at once: now it waits
    assert "restarting in 1s" in stack.supervise_once()[0]
    assert not child.alive()


def test_a_restart_wakes_the_warm_spare_which_serves_at_once(stack: Stack, tmp_path: Path) -> None:
    child = _child(tmp_path, standby=True)
    stack.children.append(child)
    child.start()
    assert child.spare is None
    child.started_at -= SPARE_AFTER_S + 1  # it has run a while: it gets a spare
    stack.supervise_once()
    spare = child.spare
    assert spare is not None and spare.poll() is None
    _die(child)
    stack.supervise_once()
    assert child.process is spare and child.spare is None
    wait_until(lambda: "woken" in child.log_path.read_text(), timeout=10, what="the spare serving")
    assert child.log_path.read_text().count("cold") <= 1  # only the first one started cold


def test_a_spare_not_needed_exits_when_the_stack_stops(stack: Stack, tmp_path: Path) -> None:
    child = _child(tmp_path, standby=True)
    stack.children.append(child)
    child.start()
    child.prepare_spare(time.monotonic() + SPARE_AFTER_S + 1)
    spare = child.spare
    assert spare is not None
    stack.stop()
    assert spare.poll() == 0 and not child.alive()
