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
            ["--reports", "60", "--latency-samples", "3", "--regions", "60", "--restart-rounds", "1"],
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
    last = _summary_line(area, options)
    assert re.fullmatch(rf"bench {area}: .*{figure}=\d+ .*ratio=\d+\.\d+", last), last


def test_the_end_to_end_benchmark_runs_and_ends_with_its_summary_line() -> None:
    """Tiny: three teams, a few reports a second for two seconds a step, SQLite only."""
    options = ["--teams", "3", "--offered", "6", "--seconds", "2", "--events", "1000"]
    options += ["--rest-seconds", "2", "--idle-after", "1"]
    last = _summary_line("e2e", options)
    assert re.fullmatch(r"bench e2e: (\w+=\d+(\.\d+)? )+ratio=\d+\.\d+", last), last
    figures = {k: float(v) for k, v in (pair.split("=") for pair in last.split()[2:])}
    assert figures["sqlite_max_rps"] > 0
    assert figures["sqlite_idle_cpu_pct"] > 0
    for level in (10, 50, 80):
        assert 0 < figures[f"sqlite_p50_ms_{level}pct"] <= figures[f"sqlite_p99_ms_{level}pct"]
    for service in ("intake", "dispatch", "shelter", "notify"):
        assert figures[f"sqlite_rss_mb_{service}"] > 0
    assert figures["ratio"] > 0


def test_the_triage_benchmark_scores_the_held_out_set_against_the_rules_alone() -> None:
    last = _summary_line("triage", [])
    assert re.fullmatch(r"bench triage: (\w+=\d+(\.\d+)? )+ratio=\d+\.\d+", last), last
    figures = {k: float(v) for k, v in (pair.split("=") for pair in last.split()[2:])}
    assert figures["texts"] >= 300
    assert 0 <= figures["noise_dispatched"] <= 100 and 0 < figures["genuine_dispatched"] <= 100
    assert figures["p99_ms"] > 0 and figures["ratio"] > 0


def _summary_line(area: str, options: list[str]) -> str:
    """Run ``python -m bench <area>`` on SQLite; its last line, once it exited cleanly."""
    result = subprocess.run(
        [sys.executable, "-m", "bench", area, *options, "--databases", "sqlite"],
        cwd=ROOT,
        env=env_with(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.strip().splitlines()[-1]
