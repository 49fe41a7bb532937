"""The figures a department publishes, over a large history: ``--cases`` (default 1,000,000)
shelter cases over five years in one region, then the time to compute a month's report and a
five-year report, on SQLite and PostgreSQL — with the date indexes, and once without them to
show what they are worth. Beside the bare aiokafka ceiling of the same run (for the common
summary line)."""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, text

from bench.baselines import bare_run
from bench.databases import Database, drop_postgres_databases, selected
from services.shelter.app import create_app
from services.shelter.figures import compute
from services.shelter.models import Case, Shelter
from services.shelter.settings import ShelterSettings
from shared.contracts.vocabulary import CaseOutcome
from shared.logging import configure_logging
from shared.platform import Platform
from shared.settings import KafkaSettings
from trc.embedded.broker import EmbeddedBroker, free_port

REGION = "21.71"
START = datetime(2021, 1, 1, tzinfo=UTC)
CATEGORIES = [
    "odgj_terlantar",
    "anak_jalanan",
    "lanjut_usia_terlantar",
    "gepeng",
    "gelandangan",
    "korban_bencana_alam",
]
OUTCOMES = [o.value for o in CaseOutcome]
INDEXES = (
    "ix_case_region_opened",
    "ix_case_region_closed",
    "ix_case_region_outcome",
    "ix_case_region_admitted",
)
CHANNELS = ["call_center", "social_media", "patrol", "integration"]


def rows(first: int, count: int, rng: random.Random) -> list[dict[str, object]]:
    """Cases ``first`` … ``first + count - 1`` of the five years."""
    span = 5 * 365 * 24 * 60
    found = []
    for n in range(first, first + count):
        opened = START + timedelta(minutes=rng.randrange(span))
        admitted = opened + timedelta(hours=rng.randint(1, 48))
        outcome_at = admitted + timedelta(days=rng.randint(1, 60))
        ended = outcome_at < START + timedelta(days=5 * 365)
        found.append(
            {
                "id": f"c{n}",
                "region_code": REGION,
                "incident_id": f"i{n}",
                "seq": 1,
                "category": CATEGORIES[n % len(CATEGORIES)],
                "channel": CHANNELS[n % 7 % len(CHANNELS)],
                "state": "closed" if ended else "in_service",
                "shelter_id": f"s{n % 4}",
                "section": "x",
                "belongings": [],
                "opened_at": opened,
                "admitted_at": admitted,
                "outcome": rng.choice(OUTCOMES) if ended else None,
                "outcome_at": outcome_at if ended else None,
                "closed_at": outcome_at if ended else None,
                "stay_days": round((outcome_at - admitted).total_seconds() / 86400, 1)
                if ended
                else None,
            }
        )
    return found


async def timed(platform: Platform, start: datetime, end: datetime, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        async with platform.sessions() as session:
            began = time.perf_counter()
            await compute(session, REGION, start, end)
            runs.append((time.perf_counter() - began) * 1000)
    return statistics.median(runs)


async def run(database: Database, args: argparse.Namespace) -> dict[str, float]:
    settings = ShelterSettings(
        database_url=await database.make_url("shelter"),
        kafka=KafkaSettings(bootstrap="127.0.0.1:1"),
    )
    platform: Platform = create_app(settings).state.platform
    await platform.migrate()
    rng = random.Random(5)
    began = time.perf_counter()
    async with platform.sessions() as session:
        await session.execute(
            insert(Shelter),
            [
                {
                    "id": f"s{k}",
                    "region_code": REGION,
                    "code": f"s{k}",
                    "name": f"Shelter {k}",
                    "kind": "upt",
                    "active": True,
                }
                for k in range(4)
            ],
        )
        for offset in range(0, args.cases, 20_000):
            await session.execute(insert(Case), rows(offset, min(20_000, args.cases - offset), rng))
        await session.commit()
        if database.kind == "postgresql":
            await session.execute(text("ANALYZE shelter_case"))
            await session.commit()
    loaded = time.perf_counter() - began
    month = (datetime(2025, 6, 1, tzinfo=UTC), datetime(2025, 7, 1, tzinfo=UTC))
    years = (START, START + timedelta(days=5 * 365))
    with_month, with_years = await timed(platform, *month, 5), await timed(platform, *years, 3)
    async with platform.sessions() as session:
        for name in INDEXES:
            await session.execute(text(f"DROP INDEX {name}"))
        await session.commit()
    without_month = await timed(platform, *month, 3)
    await platform.engine.dispose()
    kind = database.kind
    print(
        f"{kind}: {args.cases:,} cases over 5 years loaded in {loaded:.0f} s; a month's report {with_month:.0f} ms, "
        f"five years {with_years:.0f} ms; without the date indexes a month takes {without_month:.0f} ms "
        f"(×{without_month / with_month:.1f})"
    )
    return {
        f"{kind}_month_ms": with_month,
        f"{kind}_five_years_ms": with_years,
        f"{kind}_month_without_indexes_ms": without_month,
    }


async def main(args: argparse.Namespace) -> None:
    configure_logging("ERROR")
    summary: dict[str, float] = {}
    with EmbeddedBroker(port=free_port()) as broker:
        summary["ceiling"] = await bare_run(broker.bootstrap, 2000, None)
    print(f"ceiling (bare aiokafka, 2000 events, no database): {summary['ceiling']:,.0f} events/s")
    try:
        for database in await selected(args.databases):
            summary |= await run(database, args)
    finally:
        await drop_postgres_databases()
    gains = [
        summary[k.replace("_month_ms", "_month_without_indexes_ms")] / v
        for k, v in summary.items()
        if k.endswith("_month_ms")
    ]
    figures = " ".join(f"{k}={v:.0f}" for k, v in summary.items())
    print(f"bench shelter: {figures} ratio={min(gains) if gains else float('nan'):.1f}")
