"""`trc up --demo` as a newcomer runs it: within a minute of the stack being ready the demo's
reports are incidents on the board, the teams' Telegram groups show their assignments, and the
simulated members have pressed their buttons."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.staff import get, post
from tests.support import wait_until

pytestmark = pytest.mark.e2e


@pytest.fixture
def stack_args() -> list[str]:
    return ["--demo", "batam", "--demo-speed", "600", "--no-spares"]


def _chats(standin: str) -> list[dict[str, Any]]:
    with urllib.request.urlopen(f"{standin}/_standin/chats", timeout=5) as response:
        return json.load(response)  # type: ignore[no-any-return]


def test_the_demo_fills_the_board_and_the_telegram_groups_within_a_minute(
    stack: Any, tmp_path: Path
) -> None:
    _process, ports, output = stack
    wait_until(lambda: "siap / ready" in output(), timeout=120, what="trc up ready")
    # The set-up (accounts, roster, groups, shelters) before the plan: slower on a busy machine.
    wait_until(lambda: "laporan dalam" in output(), timeout=120, what="the demo's plan")
    assert "/konsol" in output()
    password = (tmp_path / "data" / ".admin-password").read_text().strip()
    dispatch = f"http://127.0.0.1:{ports['dispatch']}"
    token = post(f"{dispatch}/api/v1/auth/login", {"username": "admin", "password": password})[
        "token"
    ]
    board = f"{dispatch}/api/v1/incidents?region_code=21.71"
    handled = ("acknowledged", "en_route", "on_scene", "secured", "not_found")
    incidents = wait_until(
        lambda: [i for i in get(board, token) if i["state"] in handled],
        timeout=60,
        what="an incident a simulated team has taken on",
    )
    assert incidents
    standin = output().split("telegram (lokal)")[1].split()[0]
    groups = [c for c in _chats(standin) if c["type"] == "group" and c["messages"]]
    assert len(groups) >= 2, "the teams' groups and the supervisors' chat have messages"
    assert "[simulasi]" in output()
