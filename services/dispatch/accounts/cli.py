"""``python -m services.dispatch user create|list|disable``: manage staff accounts."""

from __future__ import annotations

import argparse
import getpass
import os
from pathlib import Path

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.dispatch.accounts.staff import AccountError, create_account, first_admin
from services.dispatch.app import create_app
from services.dispatch.models import StaffAccount
from services.dispatch.settings import DispatchSettings
from shared.auth import Role
from shared.service import run_admin


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.dispatch user")
    sub = parser.add_subparsers(dest="action", required=True)
    create = sub.add_parser("create", help="add a staff account")
    create.add_argument("username")
    create.add_argument("--name", help="display name", default=None)
    create.add_argument("--role", action="append", required=True, choices=[r.value for r in Role])
    create.add_argument("--region", action="append", default=[], help="e.g. 21.71 (repeatable)")
    create.add_argument(
        "--password-env", help="read the password from this environment variable, not a prompt"
    )
    sub.add_parser("list", help="accounts, roles and regions")
    disable = sub.add_parser("disable", help="stop an account from signing in")
    disable.add_argument("username")
    first = sub.add_parser(
        "first-admin", help="on a fresh install only: an 'admin' account, password into a file"
    )
    first.add_argument("--password-file", required=True, help="written with mode 600")
    args = parser.parse_args(argv)
    return run_admin(create_app(DispatchSettings()), lambda uow: _run(uow.session, args))


async def _run(session: AsyncSession, args: argparse.Namespace) -> int:
    if args.action == "first-admin":
        return await _first_admin(session, Path(args.password_file))
    if args.action == "create":
        password = (
            os.environ.get(args.password_env, "")
            if args.password_env
            else getpass.getpass("password: ")
        )
        try:
            account = await create_account(
                session,
                username=args.username,
                display_name=args.name or args.username,
                password=password,
                roles=[Role(r) for r in args.role],
                regions=args.region,
            )
        except AccountError as exc:
            print(f"refused: {exc}")
            return 1
        await session.commit()
        print(f"created {account.username} ({', '.join(account.roles)})")
    elif args.action == "list":
        for row in (await session.exec(select(StaffAccount))).all():
            state = "active" if row.active else "disabled"
            print(
                f"{row.username:<20} {','.join(row.roles):<30} {','.join(row.regions):<12} {state}"
            )
    else:
        query = select(StaffAccount).where(StaffAccount.username == args.username)
        found = (await session.exec(query)).first()
        if found is None:
            print("no such account")
            return 1
        found.active = False
        await session.commit()
        print(f"disabled {found.username}")
    return 0


async def _first_admin(session: AsyncSession, password_file: Path) -> int:
    if await first_admin(session, password_file):
        print(f"created admin; password in {password_file}")
    return 0
