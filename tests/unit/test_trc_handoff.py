"""`trc user|roster|apikey …` hand their arguments on to the service's own command line, without
building the whole `trc` parser (its imports cost most of a second per call), and the parser's
route to the same commands is unchanged."""

from __future__ import annotations

import sys
from typing import Any

import pytest

from trc import cli

CASES = [
    (["user", "create", "sari", "--role", "supervisor", "--region", "64.72"],
     ["services.dispatch", "user", "create", "sari", "--role", "supervisor", "--region", "64.72"]),
    (["roster", "import", "teams", "tim.csv", "--region", "64.72"],
     ["services.dispatch", "roster", "import", "teams", "tim.csv", "--region", "64.72"]),
    (["apikey", "create", "--name", "social-monitor", "--region", "64.72"],
     ["services.intake", "apikey", "create", "--name", "social-monitor", "--region", "64.72"]),
    (["user", "--help"], ["services.dispatch", "user", "--help"]),
]  # fmt: skip


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    commands: list[list[str]] = []

    def call(command: list[str], **_: Any) -> int:
        commands.append(command)
        return 3

    monkeypatch.setattr(cli.subprocess, "call", call)
    return commands


@pytest.mark.parametrize(("argv", "command"), CASES)
def test_handed_on_without_the_whole_parser(
    argv: list[str], command: list[str], started: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_parser() -> None:
        raise AssertionError("the whole parser was built")

    monkeypatch.setattr(cli, "build_parser", no_parser)
    assert cli.main(argv) == 3  # the service command's exit status
    assert started == [[sys.executable, "-m", *command]]


@pytest.mark.parametrize(("argv", "command"), CASES[:3])
def test_the_parser_routes_them_the_same_way(
    argv: list[str], command: list[str], started: list[list[str]]
) -> None:
    args = cli.build_parser().parse_args(argv)
    assert args.func(args) == 3
    assert started == [[sys.executable, "-m", *command]]


def test_other_commands_still_parse(started: list[list[str]]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["serve", "nosuchservice"])  # argparse refuses an unknown choice
    assert started == []
