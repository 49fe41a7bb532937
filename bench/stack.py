"""The stack `trc up` starts, for the benchmarks that drive it from outside: a fresh data folder,
ports of its own, extra settings (database URLs, …) passed to every process it starts."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from trc.embedded.broker import free_port
from trc.embedded.stack import SERVICES

ROOT = Path(__file__).resolve().parents[1]
TICKS = os.sysconf("SC_CLK_TCK")


class Stack:
    """`trc up` in a fresh data folder, with ports of its own; stopped with SIGINT."""

    def __init__(
        self, data_dir: Path, extra: dict[str, str] | None = None, *, spares: bool = False
    ) -> None:
        self.data_dir = data_dir
        self.with_spares = spares  # warm spares only where restarts are measured: they cost CPU
        self.ports = {name: free_port() for name in SERVICES}
        self.broker_port = free_port()
        self.standin_port = free_port()
        self.extra = dict(extra or {})
        self.log = data_dir / "trc-up.out"

    def env(self, **more: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TRC_")}
        env.update({f"TRC_{n.upper()}_HTTP_PORT": str(p) for n, p in self.ports.items()})
        env.update(
            TRC_DATA_DIR=str(self.data_dir), TRC_TELEGRAM_STANDIN_PORT=str(self.standin_port)
        )
        return env | self.extra | more

    def start(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "trc.cli", "up", "--broker-port", str(self.broker_port)]
        command += [] if self.with_spares else ["--no-spares"]
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env(), stdout=out, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 180
        while "siap / ready" not in self.log.read_text(errors="replace"):
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError("trc up did not become ready; see " + str(self.log))
            time.sleep(0.5)

    def stop(self) -> None:
        """Let `trc up` stop its children in order; kill whatever of them is left after."""
        children = _children_of(self.process.pid) if self.process.poll() is None else []
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.broker_port}"

    @property
    def dispatch(self) -> str:
        return f"http://127.0.0.1:{self.ports['dispatch']}"

    def add_supervisor(self, username: str, region: str, password: str) -> None:
        subprocess.run(
            [sys.executable, "-m", "services.dispatch", "user", "create", username,
             "--role", "supervisor", "--region", region, "--password-env", "PW"],
            cwd=ROOT, env=self.env(PW=password), check=True, capture_output=True,
        )  # fmt: skip

    def pids(self) -> dict[str, int]:
        """The stack's processes: each service (the one listening on its port — a woken warm
        spare keeps ``--standby`` in its command line, so that cannot tell them apart), the
        ``broker`` and the Telegram stand-in (``telegram``)."""
        children = _children_of(self.process.pid)
        listeners = listening_pids(children)
        found = {name: listeners[port] for name, port in self.ports.items() if port in listeners}
        for pid in children:
            command = _cmdline(pid)
            if "tansu" in command and " broker" in command:
                found["broker"] = pid
            if "trc.embedded.telegram" in command:
                found["telegram"] = pid
        return found

    def spares(self) -> dict[str, int]:
        """Each service's warm spare (idle until the service dies), by service name."""
        serving = set(self.pids().values())
        found = {}
        for pid in _children_of(self.process.pid):
            command = _cmdline(pid)
            for name in SERVICES:
                spare = f"services.{name} serve" in command and "--standby" in command
                if spare and pid not in serving:
                    found[name] = pid
        return found

    def rss_mb(self) -> dict[str, float]:
        """Each process's resident memory now (VmRSS), in MiB."""
        found = {}
        for name, pid in self.pids().items():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmRSS:"):
                    found[name] = int(line.split()[1]) / 1024
        return found

    def cpu_s(self) -> dict[str, float]:
        """Each process's CPU time so far (user + system), in seconds."""
        found = {}
        for name, pid in self.pids().items():
            ticks = cpu_ticks(pid)
            if ticks is not None:
                found[name] = ticks / TICKS
        return found


def cpu_ticks(pid: int) -> int | None:
    """A process's CPU time so far (user + system) in clock ticks; None once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return None
    return int(fields[11]) + int(fields[12])


def _children_of(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            children = task.read_text().split()
        except OSError:
            continue
        for child in children:
            found.append(int(child))
            found += _children_of(int(child))
    return found


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def listening_pids(pids: list[int]) -> dict[int, int]:
    """Which of ``pids`` listens on which TCP port (from /proc: socket inodes of the process)."""
    ports_by_inode: dict[str, int] = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields[3] == "0A":  # LISTEN
                ports_by_inode[fields[9]] = int(fields[1].rsplit(":", 1)[1], 16)
    found: dict[int, int] = {}
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").glob("*"):
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:["):
                port = ports_by_inode.get(target[8:-1])
                if port is not None:
                    found[port] = pid
    return found
