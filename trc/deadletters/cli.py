"""``trc dlt list | inspect | replay``: the dead-letter tool's commands (docs/deadletters.md).

Broker, topic prefix and credentials come from the ``TRC_KAFKA_*`` settings, as for the services.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Callable, Coroutine
from typing import Any, TextIO

from aiokafka.errors import KafkaError

from shared.settings import KafkaSettings
from trc.deadletters.tool import (
    DeadLetter,
    DeadLetterReader,
    Replayed,
    all_dead_letter_topics,
    dead_letter_topic_name,
    replay,
)

Run = Callable[[argparse.Namespace, KafkaSettings, TextIO], Coroutine[Any, Any, int]]
MAX_ERROR_IN_LIST = 160
MAX_RAW_BYTES = 4000


def add_dlt_parser(sub: Any) -> None:
    """Register ``trc dlt`` on the ``trc`` parser's subcommands."""
    dlt = sub.add_parser(
        "dlt", help="dead letters: dlt list | inspect TOPIC P:O | replay TOPIC (P:O ... | --all)"
    )
    commands = dlt.add_subparsers(dest="dlt_command", required=True)

    listing = commands.add_parser("list", help="the dead letters of every (or one) DLT topic")
    listing.add_argument("--topic", help="e.g. trc.reports.v1.dlt (default: all of them)")
    listing.add_argument("--limit", type=int, default=50, help="at most N per topic, oldest first")
    listing.set_defaults(func=_command(run_list), run=run_list)

    inspect = commands.add_parser("inspect", help="one dead letter in full")
    inspect.add_argument("topic")
    inspect.add_argument("position", type=_position, metavar="PARTITION:OFFSET")
    inspect.set_defaults(func=_command(run_inspect), run=run_inspect)

    again = commands.add_parser("replay", help="publish dead letters again to their source topic")
    again.add_argument("topic")
    again.add_argument("positions", type=_position, nargs="*", metavar="PARTITION:OFFSET")
    again.add_argument("--all", action="store_true", help="every message of the topic")
    again.add_argument("--dry-run", action="store_true", help="show, publish nothing")
    again.set_defaults(func=_command(run_replay), run=run_replay)


def _position(text: str) -> tuple[int, int]:
    partition, sep, offset = text.partition(":")
    if not sep or not partition.isdigit() or not offset.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not PARTITION:OFFSET (e.g. 0:12)")
    return int(partition), int(offset)


def _command(run: Run) -> Callable[[argparse.Namespace], int]:
    def command(args: argparse.Namespace) -> int:
        try:
            return asyncio.run(run(args, KafkaSettings(), sys.stdout))
        except (ValueError, LookupError, KafkaError) as exc:
            sys.stderr.write(f"trc dlt: {exc}\n")
            return 2

    return command


# ---------------------------------------------------------------------------- list
async def run_list(args: argparse.Namespace, kafka: KafkaSettings, out: TextIO) -> int:
    topics = (
        [dead_letter_topic_name(kafka, args.topic)] if args.topic else all_dead_letter_topics(kafka)
    )
    async with DeadLetterReader(kafka) as reader:
        for topic in topics:
            _write_list(out, topic, await reader.read_all(topic), args.limit)
    return 0


def _write_list(out: TextIO, topic: str, letters: list[DeadLetter], limit: int) -> None:
    out.write(f"{topic}: {len(letters)} dead letter{'' if len(letters) == 1 else 's'}\n")
    for d in letters[:limit]:
        error = d.dlt("error")
        if len(error) > MAX_ERROR_IN_LIST:
            error = error[: MAX_ERROR_IN_LIST - 1] + "…"
        out.write(
            f"  {d.partition}:{d.offset}  {d.parked_at}  {d.dlt('reason') or '?'}  "
            f"{d.dlt('consumer') or '?'}  from {d.source}\n"
            f"      {d.event()}  attempts {d.dlt('attempts') or '?'}\n"
            f"      error: {error}\n"
        )
    if len(letters) > limit:
        out.write(f"  … and {len(letters) - limit} more (--limit)\n")


# ---------------------------------------------------------------------------- inspect
async def run_inspect(args: argparse.Namespace, kafka: KafkaSettings, out: TextIO) -> int:
    topic = dead_letter_topic_name(kafka, args.topic)
    async with DeadLetterReader(kafka) as reader:
        dead_letter = await reader.read_one(topic, *args.position)
    out.write(describe(dead_letter))
    return 0


def describe(d: DeadLetter) -> str:
    """Everything the message holds: headers, key and the envelope (payload included)."""
    lines = [
        f"{d.topic} {d.partition}:{d.offset}",
        f"parked at  {d.parked_at}",
        f"reason     {d.dlt('reason')} (attempts {d.dlt('attempts')})",
        f"consumer   {d.dlt('consumer')}",
        f"source     {d.source}",
        f"error      {d.dlt('error')}",
        f"key        {_text(d.key)}",
        "headers",
        *(f"  {name}: {_text(value)}" for name, value in d.headers),
    ]
    envelope = d.envelope()
    if envelope is not None:
        lines += ["envelope", json.dumps(envelope, indent=2, ensure_ascii=False)]
    else:
        lines += [
            f"value ({len(d.value)} bytes, not a JSON envelope)",
            repr(d.value[:MAX_RAW_BYTES]),
        ]
    return "\n".join(lines) + "\n"


def _text(value: bytes | None) -> str:
    if value is None:
        return "(none)"
    try:
        return value.decode()
    except UnicodeDecodeError:
        return repr(value)


# ---------------------------------------------------------------------------- replay
async def run_replay(args: argparse.Namespace, kafka: KafkaSettings, out: TextIO) -> int:
    if args.all == bool(args.positions):
        raise ValueError("name the dead letters (PARTITION:OFFSET ...) or pass --all, not both")
    topic = dead_letter_topic_name(kafka, args.topic)
    async with DeadLetterReader(kafka) as reader:
        if args.all:
            letters = await reader.read_all(topic)
        else:
            letters = [await reader.read_one(topic, p, o) for p, o in args.positions]
    done = await replay(kafka, letters, dry_run=args.dry_run)
    for item in done:
        out.write(_replay_line(item, dry_run=args.dry_run))
    verb = "would replay" if args.dry_run else "replayed"
    out.write(f"{verb} {len(done)} dead letter{'' if len(done) == 1 else 's'}\n")
    return 0


def _replay_line(item: Replayed, *, dry_run: bool) -> str:
    d = item.dead_letter
    where = item.topic if dry_run else f"{item.topic} {item.partition}:{item.offset}"
    verb = "would replay" if dry_run else "replayed"
    return (
        f"{verb} {d.topic} {d.partition}:{d.offset} -> {where}  "
        f"{d.event()}  for {d.dlt('consumer')}\n"
    )
