"""A producer or consumer process for the reliability tests, with fault-injection switches.

    python -m tests.integration.worker produce --db URL --count N [--kill-after-publish K]
    python -m tests.integration.worker consume --db URL [--kill-after-commit SEQ] [--receipts F]

Broker and topic prefix come from TRC_KAFKA_BOOTSTRAP / TRC_KAFKA_TOPIC_PREFIX.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import Field, SQLModel

from shared.contracts.events import Location, ReportReceived
from shared.contracts.vocabulary import Channel, Priority
from shared.logging import configure_logging
from shared.messaging.consumer import ConsumerHooks
from shared.messaging.handler import HandlerContext
from shared.messaging.relay import RelayHooks
from shared.platform import Platform, build_platform
from shared.settings import KafkaSettings, MessagingSettings, ServiceSettings

ALWAYS_FAIL = "always-fail"


class ProducedItem(SQLModel, table=True):
    """The producer's own state change, committed with its event."""

    __tablename__ = "test_produced_item"
    seq: int = Field(primary_key=True)
    event_id: str


class Effect(SQLModel, table=True):
    """The consumer's effect. No unique constraint on purpose: only the inbox prevents doubles."""

    __tablename__ = "test_effect"
    id: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(index=True)
    seq: int


def effect_consumer(database_url: str, kafka: KafkaSettings) -> Platform:
    """A "dispatch" platform whose consumer ``reports`` writes an :class:`Effect` per report
    (not started; more consumers may be registered before it is)."""
    platform = build_platform(
        ServiceSettings(
            service_name="dispatch",
            database_url=database_url,
            kafka=kafka,
            messaging=MessagingSettings(),
        ),
        tables=[Effect.__table__],  # type: ignore[attr-defined]
    )

    async def on_report(ctx: HandlerContext) -> None:
        ctx.session.add(Effect(event_id=ctx.envelope.event_id, seq=0))

    platform.consume("reports", ["trc.reports.v1"], {"report.received": on_report})
    return platform


def report(seq: int, description: str = "Orang terlantar di halte") -> ReportReceived:
    return ReportReceived(
        report_id=f"rep-{seq}",
        channel=Channel.CALL_CENTER,
        category="gelandangan",
        priority=Priority.P3,
        description=description,
        location=Location(kecamatan="Batam Kota", kelurahan="Belian"),
        people_count=1,
        received_at=datetime.now(UTC),
    )


def _kill_self() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


async def produce(args: argparse.Namespace) -> None:
    published = 0

    def after_publish(rows: object) -> None:
        nonlocal published
        published += len(rows)  # type: ignore[arg-type]
        if args.kill_after_publish and published >= args.kill_after_publish:
            _kill_self()  # published, not yet marked sent

    settings = ServiceSettings(service_name="producer", database_url=args.db)
    platform = build_platform(
        settings,
        tables=[ProducedItem.__table__],
        relay_hooks=RelayHooks(after_publish),  # type: ignore[attr-defined]
    )
    await platform.migrate()
    await platform.start()
    fail = set(args.fail_seq or [])
    seq = args.start
    while seq < args.start + args.count:
        async with platform.uow() as uow:
            for _ in range(min(args.batch, args.start + args.count - seq)):
                payload = report(seq, ALWAYS_FAIL if seq in fail else "Orang terlantar di halte")
                envelope = uow.emit(payload, region_code="21.71", correlation_id=f"rep-{seq}")
                uow.session.add(ProducedItem(seq=seq, event_id=envelope.event_id))
                seq += 1
            await uow.commit()
        if args.interval:
            await asyncio.sleep(args.interval)
    await asyncio.Event().wait()  # keep relaying (and replaying) until the test stops us


async def consume(args: argparse.Namespace) -> None:
    receipts = Path(args.receipts).open("a", buffering=1) if args.receipts else None  # noqa: SIM115

    def on_receive(records: object) -> None:
        if receipts:
            for r in records:  # type: ignore[attr-defined]
                try:
                    event_id = json.loads(r.value)["event_id"]
                except Exception:
                    event_id = "-"
                receipts.write(f"{event_id}\n")

    def after_commit(records: object) -> None:
        if args.kill_after_commit is None:
            return
        for r in records:  # type: ignore[attr-defined]
            if f'"report_id":"rep-{args.kill_after_commit}"'.encode() in (r.value or b""):
                marker = Path(args.db_marker)
                if not marker.exists():
                    marker.write_text("killed")
                    _kill_self()  # effect committed, offset not yet

    async def on_report(ctx: HandlerContext) -> None:
        assert isinstance(ctx.payload, ReportReceived)
        if ctx.payload.description == ALWAYS_FAIL:
            raise RuntimeError("this report always fails")
        ctx.session.add(Effect(event_id=ctx.envelope.event_id, seq=int(ctx.payload.report_id[4:])))

    settings = ServiceSettings(service_name="consumer", database_url=args.db)
    platform = build_platform(settings, tables=[Effect.__table__])  # type: ignore[attr-defined]
    platform.consume(
        "reports",
        ["trc.reports.v1"],
        {"report.received": on_report},
        hooks=ConsumerHooks(after_commit=after_commit, on_receive=on_receive),
    )
    await platform.migrate()
    await platform.start()
    await asyncio.Event().wait()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("role", choices=["produce", "consume"])
    parser.add_argument("--db", required=True)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--batch", type=int, default=10)
    parser.add_argument("--interval", type=float, default=0.0)
    parser.add_argument("--fail-seq", type=int, action="append")
    parser.add_argument("--kill-after-publish", type=int)
    parser.add_argument("--kill-after-commit", type=int)
    parser.add_argument("--db-marker", default="")
    parser.add_argument("--receipts")
    args = parser.parse_args()
    configure_logging("INFO", json=True, service=args.role)
    asyncio.run(produce(args) if args.role == "produce" else consume(args))


if __name__ == "__main__":
    main()
