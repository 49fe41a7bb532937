#!/usr/bin/env python3
"""Set up and run TRC Dispatch with nothing but Python 3.11+ and pip.

    python3 bootstrap.py up      # install into .venv, then start the whole embedded system
    python3 bootstrap.py test    # install into .venv (with test tools), then run the test suite
    python3 bootstrap.py lint    # ruff + mypy

Standard library only: it creates ``.venv`` beside this file, installs the project into it
(again only when pyproject.toml changed), and hands over to the project's own commands.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def ensure_environment(extras: str) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 (this script may be started by any python3)
        sys.exit(f"TRC Dispatch needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not PYTHON.exists():
        print("[bootstrap] creating .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    stamp = VENV / f".trc-installed{extras}"
    with_tests = VENV / ".trc-installed[test]"
    if any(s.exists() and s.read_text() == digest for s in (stamp, with_tests)):
        return
    print(f"[bootstrap] installing TRC Dispatch{extras} into .venv …", flush=True)
    pip = [str(PYTHON), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "install", "-e", f".{extras}"], check=True, cwd=ROOT)
    stamp.write_text(digest)


def ensure_browser() -> None:
    """The page tests drive Debian's chromium; install it when we may (root with apt-get)."""
    if shutil.which("chromium"):
        return
    if not shutil.which("apt-get") or not hasattr(os, "geteuid") or os.geteuid() != 0:
        print("[bootstrap] no chromium: the browser tests will be skipped", flush=True)
        return
    print("[bootstrap] installing chromium (Debian package) for the browser tests …", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    apt = ["apt-get", "-qq", "-o", "Dpkg::Use-Pty=0"]
    install = [*apt, "install", "-y", "--no-install-recommends", "chromium"]
    if subprocess.call(install, env=env, stdout=subprocess.DEVNULL) != 0:
        subprocess.call([*apt, "update"], env=env, stdout=subprocess.DEVNULL)
        subprocess.call(install, env=env, stdout=subprocess.DEVNULL)


def run_whole_suite() -> int:
    """The tests that run whole stacks, browsers and benchmarks (e2e, fault) two at a time, then
    the rest over four worker processes: most of them wait on a broker, a service or a database,
    not on the CPU. More heavy tests at once starve each other of two cores until their waits
    time out. A worker that runs out of tests takes some of another's (``worksteal``): with
    xdist's default the queues are dealt out early, and two workers used to sit idle for the
    last third of the run while the other two worked through their slow tests.
    ``TRC_TEST_WORKERS=1`` runs everything one test after another."""
    pytest = [str(PYTHON), "-m", "pytest"]
    workers = int(os.environ.get("TRC_TEST_WORKERS", "4"))
    env = _compiled_once()
    if workers <= 1:
        return subprocess.call(pytest, cwd=ROOT, env=env)
    spread = [*pytest, "--dist", "worksteal", "-n"]
    heavy = subprocess.call(
        [*spread, str(min(workers, 2)), "tests/e2e", "tests/fault"], cwd=ROOT, env=env
    )
    rest = subprocess.call(
        [*spread, str(workers), "-m", "not e2e and not fault"], cwd=ROOT, env=env
    )
    return heavy or rest


def _compiled_once() -> dict[str, str]:
    """The environment for the test run, with each module compiled once for the whole run
    (into ``__pycache__``, which git ignores): where ``PYTHONDONTWRITEBYTECODE`` is set, every
    worker, service and command the tests start would compile (and pytest rewrite) the same
    modules again — about 4 s of CPU for each worker's collection alone."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def main() -> int:
    command, rest = (sys.argv[1], sys.argv[2:]) if len(sys.argv) > 1 else ("up", [])
    if command == "up":
        ensure_environment("")
        return subprocess.call([str(BIN / "trc"), "up", *rest], cwd=ROOT)
    if command == "test":
        ensure_environment("[test]")
        ensure_browser()
        if rest:  # a tier, a file or pytest's own options: exactly what was asked
            return subprocess.call(
                [str(PYTHON), "-m", "pytest", *rest], cwd=ROOT, env=_compiled_once()
            )
        return run_whole_suite()
    if command == "lint":
        ensure_environment("[test]")
        ruff = subprocess.call([str(PYTHON), "-m", "ruff", "check", "."], cwd=ROOT)
        mypy = subprocess.call([str(PYTHON), "-m", "mypy"], cwd=ROOT)
        return ruff or mypy
    sys.exit(__doc__)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
