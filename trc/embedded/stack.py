"""``trc up``: the embedded broker and the four services as supervised processes.

A service that dies is restarted at once (with a growing back-off only while it keeps dying); a
broker that dies is restarted with a new cluster id, and the outbox relays replay their window
into it. Ctrl-C stops the services first (so they finish their batches), then the Telegram
stand-in, then the broker: a clean stop writes no ERROR line.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from trc.embedded.broker import EmbeddedBroker

SERVICES: dict[str, int] = {"intake": 8001, "dispatch": 8002, "shelter": 8003, "notify": 8004}
STANDIN_PORT = 8081  # the local Telegram Bot API stand-in
MAX_BACKOFF_S = 30.0
HEALTHY_AFTER_S = 30.0  # a child up this long is no longer crash-looping: its back-off resets
SPARE_AFTER_S = 10.0  # a service up this long gets a warm spare for its next restart


@dataclass
class Child:
    name: str
    port: int
    log_path: Path
    env: dict[str, str]
    process: subprocess.Popen[bytes] | None = None
    restarts: int = 0
    next_start: float = 0.0
    started_at: float = 0.0
    command: list[str] = field(default_factory=list)  # default: the service, serving
    standby: bool = False  # keep a warm spare: a restart takes it over instead of starting cold
    spare: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _spawn(self, *, spare: bool = False) -> subprocess.Popen[bytes]:
        with self.log_path.open("ab") as log:
            command = self.command or [sys.executable, "-m", f"services.{self.name}", "serve"]
            return subprocess.Popen(
                [*command, "--standby"] if spare else command,
                env=self.env,
                stdin=subprocess.PIPE if spare else None,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def start(self) -> None:
        """The warm spare if there is one (it has imported and built everything, and serves as
        soon as it is told to), else a new process."""
        spare, self.spare = self.spare, None
        self.process = spare if spare is not None and _wake(spare) else self._spawn()
        self.started_at = time.monotonic()

    def prepare_spare(self, now: float) -> None:
        """A spare is made only once the child has run a while: never during a crash loop, and
        never competing for the CPU with a process that is still starting."""
        if self.spare is not None and self.spare.poll() is not None:
            self.spare = None  # it died waiting (e.g. killed): make another
        if self.standby and self.spare is None and now - self.started_at > SPARE_AFTER_S:
            self.spare = self._spawn(spare=True)

    def drop_spare(self) -> None:
        spare, self.spare = self.spare, None
        if spare is not None and spare.stdin is not None:
            spare.stdin.close()  # a spare told nothing exits
            try:
                spare.wait(5)
            except subprocess.TimeoutExpired:
                spare.kill()
                spare.wait()

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def ready(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + "/readyz", timeout=1) as response:  # noqa: S310
                return bool(json.load(response).get("ready"))
        except Exception:
            return False


def _wake(spare: subprocess.Popen[bytes]) -> bool:
    if spare.poll() is not None or spare.stdin is None:
        return False
    try:
        spare.stdin.write(b"go\n")
        spare.stdin.close()
    except OSError:  # it died meanwhile
        return False
    return True


@dataclass
class Stack:
    data_dir: Path
    broker_port: int = 9092
    broker: EmbeddedBroker | None = None
    children: list[Child] = field(default_factory=list)
    stopping: bool = False
    spares: bool = True  # a warm spare per service: restarts in about a second, ~110 MB each

    @property
    def log_dir(self) -> Path:
        return self.data_dir / "logs"

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env["TRC_DATA_DIR"] = str(self.data_dir)
        env.setdefault("TRC_AUTH_SECRET", self._auth_secret())
        dispatch_port = env.get("TRC_DISPATCH_HTTP_PORT", str(SERVICES["dispatch"]))
        env.setdefault("TRC_AUTH_LOGIN_URL", f":{dispatch_port}/masuk")
        intake_port = env.get("TRC_INTAKE_HTTP_PORT", str(SERVICES["intake"]))
        env.setdefault("TRC_DISPATCH_INTAKE_URL", f":{intake_port}")
        shelter_port = env.get("TRC_SHELTER_HTTP_PORT", str(SERVICES["shelter"]))
        env.setdefault("TRC_DISPATCH_SHELTER_URL", f":{shelter_port}")
        if self.broker is not None:
            env["TRC_KAFKA_BOOTSTRAP"] = self.broker.bootstrap
            env.setdefault("TRC_KAFKA_SESSION_TIMEOUT_MS", "6000")
        return env

    def _auth_secret(self) -> str:
        """The embedded stack's signing key: made once, kept in the data folder (mode 600)."""
        path = self.data_dir / ".auth-secret"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip()

    def start(self) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        if not os.environ.get("TRC_KAFKA_BOOTSTRAP"):
            self.broker = EmbeddedBroker(
                port=self.broker_port, log_file=self.log_dir / "broker.log"
            ).start()
        env = self.environment()
        if not env.get("TELEGRAM_BOT_TOKEN"):
            self._telegram_standin(env)
        services = []
        for name, default_port in SERVICES.items():
            port = int(env.get(f"TRC_{name.upper()}_HTTP_PORT", default_port))
            child_env = {**env, f"TRC_{name.upper()}_HTTP_PORT": str(port)}
            child = Child(name, port, self.log_dir / f"{name}.log", child_env, standby=self.spares)
            services.append(child)
            self.children.append(child)
        # Each service brings its own database up to date as it starts (auto_migrate), so they
        # all start at once; dispatch makes the first admin account of a fresh data folder.
        dispatch = next(c for c in services if c.name == "dispatch")
        dispatch.env["TRC_DISPATCH_FIRST_ADMIN_FILE"] = str(self.admin_password_file)
        for child in services:
            child.start()

    def _telegram_standin(self, env: dict[str, str]) -> None:
        """No bot token: a local Telegram stand-in, which notify talks to instead."""
        port = int(env.get("TRC_TELEGRAM_STANDIN_PORT", STANDIN_PORT))
        env["TRC_NOTIFY_TELEGRAM_STANDIN_URL"] = f"http://127.0.0.1:{port}"
        command = [sys.executable, "-m", "trc.embedded.telegram", "--port", str(port)]
        child = Child("telegram", port, self.log_dir / "telegram.log", env, command=command)
        child.start()
        self.children.append(child)

    @property
    def admin_password_file(self) -> Path:
        return self.data_dir / ".admin-password"

    def wait_ready(self, timeout: float = 60.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if all(c.ready() for c in self.children):
                return True
            time.sleep(0.3)
        return False

    def supervise_once(self) -> list[str]:
        """Restart what died; returns what was restarted (for the terminal)."""
        events: list[str] = []
        now = time.monotonic()
        if self.broker is not None and not self.broker.alive():
            self.broker.start()
            events.append(f"broker restarted (cluster {self.broker.cluster_id}); outboxes replay")
        for child in self.children:
            if child.alive():
                if now - child.started_at > HEALTHY_AFTER_S:
                    child.restarts = 0
                if not self.stopping:
                    child.prepare_spare(now)
                continue
            if child.next_start == 0.0:
                code = child.process.returncode if child.process else None
                # The first death is restarted at once; only a crash loop waits, 1 s, 2 s, 4 s …
                backoff = min(2.0 ** (child.restarts - 1), MAX_BACKOFF_S) if child.restarts else 0
                child.next_start = now + backoff
                if backoff:
                    events.append(f"{child.name} exited ({code}); restarting in {backoff:.0f}s")
                else:
                    events.append(f"{child.name} exited ({code}); restarting")
            if now >= child.next_start:
                child.restarts += 1
                child.next_start = 0.0
                child.start()
                events.append(f"{child.name} restarted")
        return events

    def stop(self) -> None:
        """The services first (they finish their batches and say goodbye to Telegram and the
        broker), then what they talk to: the Telegram stand-in, then the broker. Stopped in the
        other order, each service would log the peers it just lost as errors."""
        self.stopping = True
        for child in self.children:
            child.drop_spare()
        services = [c for c in self.children if c.name != "telegram"]
        _terminate(services, timeout=15)
        _terminate([c for c in self.children if c not in services], timeout=5)
        if self.broker is not None:
            self.broker.stop()


def _terminate(children: list[Child], *, timeout: float) -> None:
    """SIGTERM to each, then wait for all together; what is still running then is killed."""
    for child in children:
        if child.alive() and child.process is not None:
            child.process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for child in children:
        if child.process is None:
            continue
        try:
            child.process.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.process.kill()
            child.process.wait()
