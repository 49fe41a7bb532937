"""``python -m services.intake apikey create|list|revoke``: manage integration API keys.

The key is printed once, at creation; only its hash is stored.
"""

from __future__ import annotations

import argparse

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.intake.apikeys import KEY_CACHE_SECONDS, create_key, revoke_key
from services.intake.app import create_app
from services.intake.models import ApiKey
from services.intake.settings import IntakeSettings
from shared.regions import UnknownRegion, check_region
from shared.service import run_admin


def _region(code: str) -> str:
    try:
        return check_region(code)
    except UnknownRegion as exc:  # refused here, not by every post the integration sends
        raise argparse.ArgumentTypeError(str(exc)) from None


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.intake apikey")
    sub = parser.add_subparsers(dest="action", required=True)
    create = sub.add_parser("create", help="issue a key for an integration")
    create.add_argument("--name", required=True, help="who holds it, e.g. social-monitor")
    create.add_argument("--region", required=True, type=_region, help="Kemendagri code, e.g. 21.71")
    sub.add_parser("list", help="keys and whether they are revoked (never the keys)")
    revoke = sub.add_parser("revoke", help="revoke a key by its id")
    revoke.add_argument("key_id")
    args = parser.parse_args(argv)
    return run_admin(create_app(IntakeSettings()), lambda uow: _run(uow.session, args))


async def _run(session: AsyncSession, args: argparse.Namespace) -> int:
    if args.action == "create":
        record, key = await create_key(session, name=args.name, region_code=args.region)
        await session.commit()
        print(f"id {record.id}\nkey {key}\n(store it now: it is not shown again)")
    elif args.action == "list":
        for row in (await session.exec(select(ApiKey))).all():
            state = f"revoked {row.revoked_at:%Y-%m-%d}" if row.revoked_at else "active"
            print(f"{row.id}  {row.name:<24} {row.region_code:<8} {row.prefix}…  {state}")
    elif not await revoke_key(session, args.key_id):
        print("no active key with that id")
        return 1
    else:
        await session.commit()
        print(f"revoked (stops working within {KEY_CACHE_SECONDS:.0f} s)")
    return 0
