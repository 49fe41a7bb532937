"""Helpers for tests that drive real processes, a real broker and real databases."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import text

from shared.db import create_engine

ROOT = Path(__file__).resolve().parents[1]


def run_async(coro: Any) -> Any:
    """Run a coroutine to completion from sync code, even inside a running loop's thread."""
    result: dict[str, Any] = {}

    def target() -> None:
        try:
            result["value"] = asyncio.run(coro)
        except BaseException as exc:
            result["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result.get("value")


def fetch(url: str, sql: str) -> list[tuple[Any, ...]]:
    async def go() -> list[tuple[Any, ...]]:
        engine = create_engine(url)
        try:
            async with engine.connect() as conn:
                rows = (await conn.execute(text(sql))).all()
                return [tuple(r) for r in rows]
        finally:
            await engine.dispose()

    try:
        return run_async(go())  # type: ignore[no-any-return]
    except Exception as exc:
        if "no such table" in str(exc) or "does not exist" in str(exc):
            return []
        raise


def wait_until(
    predicate: Callable[[], Any], *, timeout: float, interval: float = 0.25, what: str = ""
) -> Any:
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(
        f"timed out after {timeout}s waiting for {what or predicate}; last={last!r}"
    )


async def eventually(check: Callable[[], Any], *, timeout: float, interval: float = 0.1) -> Any:
    """Await ``check()`` (sync or async) until it gives something truthy; its last result
    (falsy when ``timeout`` passed first) — the async twin of :func:`wait_until`."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result or asyncio.get_running_loop().time() >= deadline:
            return result
        await asyncio.sleep(interval)


def consumer_record(
    value: bytes,
    *,
    offset: int = 0,
    headers: Any = (),
    topic: str = "trc.reports.v1",
    key: bytes = b"21.71",
) -> Any:
    """A Kafka record as aiokafka hands it to a consumer, for feeding handlers directly."""
    from aiokafka.structs import ConsumerRecord

    return ConsumerRecord(
        topic=topic,
        partition=0,
        offset=offset,
        timestamp=0,
        timestamp_type=0,
        key=key,
        value=value,
        checksum=None,
        serialized_key_size=len(key),
        serialized_value_size=len(value),
        headers=tuple(headers or ()),
    )


class Process:
    """A child Python process with its output in a log file; killed at teardown."""

    def __init__(self, args: list[str], log: Path, env: dict[str, str]) -> None:
        self.args = args
        self.log = log
        self._out = log.open("ab")
        self.popen = subprocess.Popen(
            [sys.executable, *args], cwd=ROOT, stdout=self._out, stderr=subprocess.STDOUT, env=env
        )

    def kill(self) -> None:
        if self.popen.poll() is None:
            self.popen.kill()
        self.popen.wait()

    def stop(self, timeout: float = 10) -> None:
        self.terminate()
        self.finish(timeout)

    def terminate(self) -> None:
        """Ask it to stop (SIGTERM); :meth:`finish` waits for it."""
        if self.popen.poll() is None:
            self.popen.terminate()

    def finish(self, timeout: float = 10) -> None:
        """Wait for a stop asked for; killed if it takes longer than ``timeout``."""
        try:
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()
        self._out.close()

    def output(self) -> str:
        return self.log.read_text(errors="replace")


class Processes:
    def __init__(self, tmp: Path, env: dict[str, str]) -> None:
        self.tmp = tmp
        self.env = env
        self.started: list[Process] = []

    def start(self, name: str, *args: str) -> Process:
        process = Process(list(args), self.tmp / f"{name}-{len(self.started)}.log", self.env)
        self.started.append(process)
        return process

    def stop_all(self) -> None:
        """Every process asked at once, then waited for: they stop side by side."""
        for process in self.started:
            process.terminate()
        for process in self.started:
            process.finish()


def env_with(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRC_")}
    env.update(overrides)
    return env


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


def staff_headers(
    auth: Any, role: Any, region: str | tuple[str, ...] = "21.71", username: str = "sari"
) -> dict[str, str]:
    """An ``Authorization`` header for a signed-in staff member with one role in one region
    (or in each region of a tuple)."""
    from shared.auth import Staff, issue_token

    regions = frozenset((region,) if isinstance(region, str) else region)
    staff = Staff(f"id-{username}", username, frozenset({role}), regions)
    return {"Authorization": f"Bearer {issue_token(staff, auth)}"}


def error_lines(log_dir: Path, *, after: dict[str, int] | None = None) -> list[str]:
    """The ERROR (and worse) lines and tracebacks in the services' log files (``trc up``'s
    ``logs`` folder; ``after``: from these byte offsets on): each should be something a person
    must act on, never an expected fault the service rides out."""
    found = []
    for path in sorted(log_dir.glob("*.log")):
        name = path.stem
        if name in ("broker", "telegram"):
            continue
        text = path.read_bytes()[(after or {}).get(name, 0) :].decode(errors="replace")
        for line in text.splitlines():
            if line.startswith("Traceback"):
                found.append(f"{name}: {line}")
                continue
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if not isinstance(entry, dict):
                continue
            if entry.get("level") in ("error", "critical") or "exception" in entry:
                # What failed, to tell faults apart: the error, or the traceback's last line.
                cause = entry.get("error") or str(entry.get("exception", "")).strip()[-200:]
                what = f"{entry.get('logger')} {str(entry.get('event'))[:160]}"
                found.append(f"{name}: {what} {entry.get('job') or ''} {cause}".rstrip())
    return found
