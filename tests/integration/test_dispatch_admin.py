"""A region's shifts and the department's spreadsheet from the server's command line."""

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.support import ROOT, env_with

pytestmark = pytest.mark.integration


def roster(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "services.dispatch", "roster", *args, "--region", "21.71"],
        cwd=ROOT,
        env=env_with(TRC_DATA_DIR=str(tmp_path / "data")),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_shifts_teams_and_roster_from_the_command_line_and_nobody_forgotten(tmp_path: Path) -> None:
    assert roster(tmp_path, "shifts", "harian=00:00-00:00").returncode == 0
    teams = tmp_path / "tim.csv"
    teams.write_text("kode;nama;kapasitas;zona\nA;Tim A;2;Lubuk Baja\nB;Tim B;x;Batam Kota\n")
    refused = roster(tmp_path, "import", "teams", str(teams))
    assert refused.returncode == 1
    assert f"{teams}:3: capacity" in refused.stdout and "nothing imported" in refused.stdout
    teams.write_text("kode;nama;kapasitas;zona\nA;Tim A;2;Lubuk Baja\n")
    assert "1 teams row(s) saved" in roster(tmp_path, "import", "teams", str(teams)).stdout
    nobody = roster(tmp_path, "duty").stdout
    assert "on duty NOBODY" in nobody and "gap:" in nobody
    today = datetime.now(UTC).date()  # yesterday to tomorrow: whatever the local date in WIB
    days = [today + timedelta(days=n) for n in (-1, 0, 1)]
    slots = tmp_path / "jadwal.csv"
    slots.write_text("tanggal,sif,tim\n" + "".join(f"{day:%d/%m/%Y},harian,A\n" for day in days))
    assert roster(tmp_path, "import", "roster", str(slots)).returncode == 0
    assert "on duty ['A']" in roster(tmp_path, "duty").stdout
    dropped = roster(tmp_path, "shifts", "pagi=07:00-19:00")  # the roster still names 'harian'
    assert (dropped.returncode, "refused:" in dropped.stdout) == (1, True), dropped.stderr
    assert "on duty ['A']" in roster(tmp_path, "duty").stdout  # nothing changed
