"""``trc simulate``: play a scenario's day (or several, sped up) against a running stack.

    trc simulate --scenario batam --days 1 --speed 120
    trc simulate --region 64.72          # any kabupaten/kota, its scenario generated
    trc simulate --list

The stack's addresses come from the same variables as ``trc up`` (``TRC_<SERVICE>_HTTP_PORT``,
``TRC_TELEGRAM_STANDIN_PORT``); accounts and the integration key are made with ``trc user`` and
``trc apikey`` in the data folder the first time and reused after.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from shared.regions import region_zone
from trc.simulator import scenario as scenarios
from trc.simulator.anywhere import scenario_for
from trc.simulator.clock import Clock
from trc.simulator.ledger import Ledger
from trc.simulator.plan import Planner
from trc.simulator.play import Simulation
from trc.simulator.scenario import Scenario
from trc.simulator.world import Credentials, Endpoints, build


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scenario", default=None, help="a shipped name or a YAML file (batam)")
    parser.add_argument(
        "--region", default=None, help="a kabupaten/kota code (64.72): a scenario generated for it"
    )
    parser.add_argument(
        "--save", default=None, help="write the scenario (e.g. the generated one) as YAML and stop"
    )
    parser.add_argument("--days", type=float, default=1.0, help="simulated days")
    parser.add_argument(
        "--speed", type=float, default=60.0, help="simulated seconds per real second"
    )
    parser.add_argument("--seed", type=int, default=None, help="default: the scenario's")
    parser.add_argument(
        "--settle", type=float, default=0.0, help="real seconds of work after the last report"
    )
    parser.add_argument("--ledger", default=None, help="where to write what was done (JSON)")
    parser.add_argument("--data-dir", default=os.environ.get("TRC_DATA_DIR", "data"))
    parser.add_argument("--list", action="store_true", help="list the shipped scenarios")


def chosen(args: argparse.Namespace) -> Scenario:
    """The scenario asked for: generated for ``--region``, else a shipped name or a file."""
    if args.region and args.scenario:
        raise ValueError("--region or --scenario, not both")
    if args.region:
        return scenario_for(args.region, args.seed)
    return scenarios.load(args.scenario or "batam")


async def simulate(args: argparse.Namespace, env: dict[str, str] | None = None) -> Ledger:
    scenario = chosen(args)
    env = dict(os.environ if env is None else env)
    urls = Endpoints.from_env(env)
    data_dir = Path(args.data_dir)
    creds = Credentials(data_dir, env)
    ledger = Ledger(scenario.name, scenario.region_code, args.speed, args.days)
    seed = scenario.seed if args.seed is None else args.seed
    async with httpx.AsyncClient(timeout=30) as http:
        world = await build(http, urls, scenario, creds, args.days)
        clock = Clock(args.speed)
        zone = region_zone(scenario.region_code).iana
        plan = Planner(scenario, world.places, datetime.now(UTC), zone, seed).plan(args.days)
        print(
            f"[simulasi] {scenario.title}: {len(plan)} laporan dalam {args.days:g} hari "
            f"(reports in {args.days:g} days), kecepatan/speed ×{args.speed:g}; "
            f"{scenario.members} anggota + {scenario.bko} BKO, {len(scenario.teams)} tim",
            flush=True,
        )
        simulation = Simulation(world, urls, http, clock, ledger, seed, say=_say)
        try:
            await simulation.run(plan, settle_s=args.settle)
        finally:
            path = Path(args.ledger) if args.ledger else data_dir / f"simulasi-{scenario.name}.json"
            ledger.write(path)
            _say(f"[simulasi] catatan / ledger: {path}")
    return ledger


def _say(line: str) -> None:
    print(line, flush=True)


def cmd_simulate(args: argparse.Namespace) -> int:
    if args.list:
        for name, path in scenarios.shipped().items():
            print(f"{name:<18} {scenarios.load(str(path)).title}")
        return 0
    try:
        if args.save:
            scenarios.save(chosen(args), Path(args.save))
            print(f"[simulasi] skenario / scenario: {args.save}")
            return 0
        asyncio.run(simulate(args))
    except KeyboardInterrupt:
        return 130
    except (RuntimeError, LookupError, ValueError, OSError, httpx.HTTPError) as exc:
        print(f"[simulasi] berhenti / stopped: {exc}", file=sys.stderr)
        return 1
    return 0


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "simulate", help="play a scenario's day against the running stack: simulate --list"
    )
    add_arguments(parser)
    parser.set_defaults(func=cmd_simulate)
