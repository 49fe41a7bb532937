"""The benchmark programs still run end to end (figures are printed, never asserted)."""

import re
import subprocess
import sys

import pytest

from tests.support import ROOT, env_with

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    ("area", "options", "figure"),
    [
        ("platform", ["--events", "300", "--latency-samples", "5"], "sqlite_reliable"),
        ("intake", ["--reports", "60", "--latency-samples", "3"], "sqlite_http_rps"),
        (
            "dispatch",
            ["--reports", "60", "--latency-samples", "3", "--regions", "60"],
            "sqlite_assign_per_s",
        ),
        (
            "notify",
            ["--seconds", "2", "--rate", "10", "--backlog", "40", "--chats", "10"],
            "sqlite_p50_ms",
        ),
        ("shelter", ["--cases", "3000"], "sqlite_month_ms"),
        (
            "console",
            ["--seconds", "2", "--open-incidents", "500", "--events", "1000"],
            "update_p50_ms",
        ),
    ],
)
def test_a_benchmark_runs_and_ends_with_its_summary_line(
    area: str, options: list[str], figure: str
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bench", area, *options, "--databases", "sqlite"],
        cwd=ROOT,
        env=env_with(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    last = result.stdout.strip().splitlines()[-1]
    assert re.fullmatch(rf"bench {area}: .*{figure}=\d+ .*ratio=\d+\.\d+", last), last
