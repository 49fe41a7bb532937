"""The benchmark program still runs end to end (figures are printed, never asserted)."""

import re
import subprocess
import sys

import pytest

from tests.support import ROOT, env_with

pytestmark = pytest.mark.e2e


def test_platform_benchmark_runs_and_ends_with_its_summary_line() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "platform",
            "--events",
            "300",
            "--latency-samples",
            "5",
            "--databases",
            "sqlite",
        ],
        cwd=ROOT,
        env=env_with(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    last = result.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"bench platform: .*sqlite_reliable=\d+ .*ratio=\d+\.\d\d", last), last


def test_intake_benchmark_runs_and_ends_with_its_summary_line() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "intake",
            "--reports",
            "60",
            "--latency-samples",
            "3",
            "--databases",
            "sqlite",
        ],
        cwd=ROOT,
        env=env_with(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    last = result.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"bench intake: .*sqlite_http_rps=\d+ .*ratio=\d+\.\d+", last), last
