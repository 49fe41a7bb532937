"""A simulated day in Kota Batam, sped up, on the whole stack as processes with PostgreSQL —
while every service is killed with SIGKILL in turn (twice), the broker is restarted (its log
lost), PostgreSQL is restarted, the Telegram stand-in answers 429 and then 5xx for a while, a
second dispatch instance joins and is killed (rebalances), and malformed and wrong-version
events are injected on every topic. Then, from the databases, the stand-in and the dead-letter
topics: nothing lost, nothing doubled, figures equal a recount, every bad event parked with its
reason and nothing else parked."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from shared.auth import AuthSettings, Role
from shared.contracts import TOPICS
from tests.conftest import EXTERNAL_KAFKA, _pg_execute
from tests.fault import checks
from tests.fault.injections import (
    Day,
    bad_events,
    inject,
    kill,
    parked,
    restart_broker,
    restart_postgres,
    second_dispatch,
    telegram_storm,
)
from tests.fault.own_postgres import OwnPostgres, own_postgres
from tests.support import (
    ROOT,
    error_lines,
    fetch,
    ready,
    run_async,
    staff_headers,
    wait_until,
)
from trc.embedded.broker import free_port
from trc.embedded.stack import SERVICES, Stack
from trc.simulator import scenario as scenarios

pytestmark = pytest.mark.fault
# Deadlines short enough that a team which never answers is timed out and replaced in the run.
ACK_SECONDS = {"P1": "20", "P2": "25", "P3": "30", "P4": "40"}
SPEED = 720.0  # 12 simulated minutes a second
DAYS = 0.5  # 12 simulated hours ≈ 60 s of reports
RESTART_LIMIT_S = 5.0  # SIGKILL → /readyz 200 again (trc up restarts at once)
ERRORS_PER_FAULT = 1  # ERROR = a person must act; these faults are ridden out (a little slack)


def _scenario(tmp: Path) -> Path:
    """Batam's day, busier and quicker: more reports, short stays (outcomes within the run),
    more room per team (the queue still forms in bursts)."""
    base = scenarios.load("batam").model_dump(mode="json")
    base.update(name="batam-faults", reports_per_day=90, duplicate_probability=0.15)
    base["teams"] = [{**t, "capacity": 4} for t in base["teams"]]
    base["response"]["no_answer_probability"] = 0.1
    for category in base["categories"]:
        category["stay_days"] = {"median": 0.04, "max": 0.1, "sigma": 0.5}
    path = tmp / "batam-faults.yaml"
    path.write_text(yaml.safe_dump(base, allow_unicode=True))
    return path


@pytest.fixture
def databases(request: pytest.FixtureRequest) -> Iterator[tuple[dict[str, str], OwnPostgres | None]]:
    """A database per service on a PostgreSQL server of the test's own (restarted mid-day while
    the other tiers go on with the machine's), else on the machine's server."""
    with own_postgres() as server:
        if server is None:
            create: Callable[[], str] = request.getfixturevalue("postgres_databases")
            yield {name: create() for name in SERVICES}, None
            return
        for name in SERVICES:
            run_async(_pg_execute(server.admin_url, f'CREATE DATABASE "{name}"'))
        yield {name: server.url(name) for name in SERVICES}, server


@pytest.fixture
def day(
    tmp_path: Path,
    databases: tuple[dict[str, str], OwnPostgres | None],
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Day]:
    if EXTERNAL_KAFKA:
        pytest.skip("kills and restarts the broker: needs the embedded one")
    for name in [k for k in os.environ if k.startswith("TRC_")]:
        monkeypatch.delenv(name)
    ports = {name: free_port() for name in SERVICES}
    urls, server = databases
    standin = free_port()
    for name in SERVICES:
        monkeypatch.setenv(f"TRC_{name.upper()}_HTTP_PORT", str(ports[name]))
        monkeypatch.setenv(f"TRC_{name.upper()}_DATABASE_URL", urls[name])
    for priority, seconds in ACK_SECONDS.items():
        monkeypatch.setenv(f"TRC_DISPATCH_ACK_{priority}_SECONDS", seconds)
    monkeypatch.setenv("TRC_TELEGRAM_STANDIN_PORT", str(standin))
    monkeypatch.setenv("TRC_KAFKA_SESSION_TIMEOUT_MS", "6000")
    data_dir = tmp_path / "data"
    stack = Stack(data_dir=data_dir, broker_port=free_port())
    stack.start()
    stop = threading.Event()
    supervisor = threading.Thread(target=_supervise, args=(stack, stop), daemon=True)
    supervisor.start()
    found = Day(stack, data_dir, ports, urls, f"http://127.0.0.1:{standin}", server)
    try:
        assert stack.wait_ready(timeout=120), "the stack did not become ready"
        yield found
    finally:
        print("\n".join([*found.log, *_diagnosis(found)]))
        stop.set()
        supervisor.join(5)
        stack.stop()


def _supervise(stack: Stack, stop: threading.Event) -> None:
    while not stop.wait(0.3):
        stack.supervise_once()


# ---------------------------------------------------------------------- the day
def _simulate(day: Day, scenario: Path, ledger: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "trc.simulator", "--scenario", str(scenario),
               "--days", str(DAYS), "--speed", str(SPEED), "--settle", "45",
               "--ledger", str(ledger), "--data-dir", str(day.data_dir)]  # fmt: skip
    out = (day.data_dir / "simulator.out").open("wb")
    return subprocess.Popen(command, cwd=ROOT, env=day.stack.environment(), stdout=out, stderr=-2)


def _faults(day: Day) -> list[tuple[float, Callable[[], None]]]:
    """What goes wrong, and when (seconds after the first report)."""
    return [
        (4, lambda: second_dispatch(day)),
        (8, lambda: kill(day, "intake")),
        (14, lambda: kill(day, "dispatch")),
        (18, lambda: telegram_storm(day, 429, 12)),
        (22, lambda: kill(day, "notify")),
        (27, lambda: kill(day, "shelter")),
        (32, lambda: restart_broker(day)),
        (42, lambda: restart_postgres(day)),
        (48, lambda: telegram_storm(day, 502, 12)),
        (52, lambda: kill(day, "dispatch-2")),
        (56, lambda: kill(day, "notify")),
        (60, lambda: kill(day, "intake")),
        (64, lambda: kill(day, "dispatch")),
        (68, lambda: kill(day, "shelter")),
    ]


def test_a_day_under_faults_loses_nothing_and_doubles_nothing(day: Day, tmp_path: Path) -> None:
    ledger_path = tmp_path / "ledger.json"
    simulator = _simulate(day, _scenario(tmp_path), ledger_path)
    output = lambda: (day.data_dir / "simulator.out").read_text(errors="replace")
    wait_until(lambda: "laporan dalam" in output(), timeout=120, what="the simulator's set-up")
    started = time.monotonic()
    faults = _faults(day)
    for at, fault in faults:
        time.sleep(max(0.0, started + at - time.monotonic()))
        fault()
    wait_until(
        lambda: all(ready(p) for p in day.ports.values()), timeout=120, what="every service ready"
    )
    bootstrap = day.stack.broker.bootstrap if day.stack.broker else ""
    probes = run_async(inject(bootstrap, bad_events()))
    day.note(f"{len(probes)} bad events injected")
    assert simulator.wait(timeout=300) == 0, output()[-3000:]
    ledger = json.loads(ledger_path.read_text())
    assert len(ledger["reports"]) >= 30 and ledger["presses"], "the day was too quiet to prove much"

    def kept() -> list[str]:
        return _broken_promises(day, ledger)

    deadline = time.monotonic() + 120
    while (wrong := kept()) and time.monotonic() < deadline:
        time.sleep(2)
    assert not wrong, "\n".join(wrong[:40])
    expected = {(p, consumer) for p, (topic, *_) in zip(probes, bad_events(), strict=True)
                for consumer in _consumers(topic)}  # fmt: skip

    def letters() -> list[tuple[str, str, str]]:
        return run_async(parked(bootstrap))  # type: ignore[no-any-return]

    wait_until(
        lambda: {(p, c.split(".")[0]) for p, c, _ in letters()} >= expected, timeout=60, what="DLT"
    )
    found = letters()
    assert {(p, c.split(".")[0]) for p, c, _ in found} == expected, "parked ≠ injected"
    assert all(reason for *_, reason in found), "a dead letter without its reason"
    assert len(found) == len({(p, c) for p, c, _ in found}), "a bad event parked twice"
    day.note(
        f"{len(ledger['reports'])} reports, {len(ledger['presses'])} presses, "
        f"{sum(o['count'] for o in ledger['outcomes'])} outcomes, {len(found)} dead letters"
    )
    for timer in day.timers:
        timer.join()
    errors = error_lines(day.stack.log_dir)
    day.note(f"{len(errors)} ERROR lines for {len(faults)} faults")
    wrong = checks.slow_restarts(day.restarts, RESTART_LIMIT_S)
    if len(errors) > ERRORS_PER_FAULT * len(faults):
        wrong += [f"{len(errors)} ERROR lines for {len(faults)} faults:", *errors[:60]]
    assert not wrong, "\n".join(wrong)


def _diagnosis(day: Day) -> list[str]:
    """Where things stand, for a failure's report: readiness and rows by state."""
    lines = []
    for name, port in day.ports.items():
        try:
            lines.append(f"{name} /readyz {httpx.get(f'http://127.0.0.1:{port}/readyz').text}")
        except httpx.HTTPError as exc:
            lines.append(f"{name} /readyz {type(exc).__name__}")
    queries = {
        "intake": "SELECT channel, status, COUNT(*) FROM report GROUP BY 1, 2",
        "dispatch": "SELECT 'incident', state, COUNT(*) FROM incident GROUP BY 1, 2 UNION ALL "
        "SELECT 'assignment', state, COUNT(*) FROM assignment GROUP BY 1, 2",
        "shelter": "SELECT state, COUNT(*) FROM shelter_case GROUP BY 1",
        "notify": "SELECT purpose, state, COUNT(*), MAX(attempts), MAX(next_attempt_at) "
        "FROM delivery GROUP BY 1, 2",
    }
    for name, sql in queries.items():
        try:
            lines += [f"{name}: {row}" for row in fetch(day.databases[name], sql)]
        except Exception as exc:
            lines.append(f"{name}: {type(exc).__name__}")
    return lines


def _consumers(topic: str) -> set[str]:
    return {t for spec in TOPICS if spec.name == topic for t in spec.consumers}


def _broken_promises(day: Day, ledger: dict[str, Any]) -> list[str]:
    db = day.databases
    messages = _chat_messages(day)
    wrong = checks.reports_have_incidents(db["intake"], db["dispatch"], ledger)
    wrong += checks.one_current_assignment(db["dispatch"])
    wrong += checks.one_message_per_assignment(db["dispatch"], db["notify"], messages)
    wrong += checks.actions_applied_once(db["dispatch"])
    wrong += checks.secured_people_have_cases(db["dispatch"], db["shelter"])
    wrong += checks.figures_match_recount(_figures(day), db["dispatch"], ledger)
    return wrong


def _chat_messages(day: Day) -> dict[int, list[dict[str, Any]]]:
    chats = httpx.get(f"{day.telegram}/_standin/chats").json()
    return {
        c["id"]: httpx.get(f"{day.telegram}/_standin/chats/{c['id']}/messages").json()
        for c in chats
    }


def _figures(day: Day) -> dict[str, Any]:
    """Shelter's figures over the run's days, read as its supervisor reads them."""
    auth = AuthSettings(secret=(day.data_dir / ".auth-secret").read_text().strip())
    today = date.today()
    answer = httpx.get(
        f"http://127.0.0.1:{day.ports['shelter']}/api/v1/regions/21.71/figures",
        params={"from": str(today - timedelta(days=1)), "to": str(today + timedelta(days=2))},
        headers=staff_headers(auth, Role.SUPERVISOR),
        timeout=30,
    )
    answer.raise_for_status()
    return answer.json()  # type: ignore[no-any-return]
