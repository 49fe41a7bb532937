"""``python -m services.dispatch roster …`` (``trc roster …``): a region's shifts and the
department's spreadsheet, from the command line of the server.

    trc roster shifts --region 21.71 pagi=07:00-15:00 siang=15:00-23:00 malam=23:00-07:00
    trc roster import teams tim.csv --region 21.71      (then members, then roster)
    trc roster duty --region 21.71
"""

from __future__ import annotations

import argparse
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlmodel.ext.asyncio.session import AsyncSession

from services.dispatch.app import create_app
from services.dispatch.domain.sheets import SheetErrors, parse_members, parse_roster, parse_teams
from services.dispatch.domain.shifts import UnknownShift, gaps, on_duty
from services.dispatch.incidents.assignment import assign_waiting
from services.dispatch.incidents.context import Ctx
from services.dispatch.incidents.region_lock import lock_region
from services.dispatch.roster import writes
from services.dispatch.roster.duty import region_duties
from services.dispatch.roster.gap_warning import warn_of_gap_ahead
from services.dispatch.settings import DispatchSettings
from shared.messaging.uow import UnitOfWork
from shared.regions import UnknownRegion, format_local
from shared.service import run_admin

SHIFT = re.compile(r"^(?P<code>[a-z0-9_-]+)=(?P<starts>\d\d:\d\d)-(?P<ends>\d\d:\d\d)$")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="trc roster", description=__doc__)
    sub = parser.add_subparsers(dest="action", required=True)
    shifts = sub.add_parser("shifts", help="define the region's shifts (local time)")
    shifts.add_argument("--region", required=True)
    shifts.add_argument("shift", nargs="+", help="name=HH:MM-HH:MM, e.g. malam=23:00-07:00")
    load = sub.add_parser("import", help="import a CSV: teams, members or roster")
    load.add_argument("kind", choices=["teams", "members", "roster"])
    load.add_argument("file", type=Path)
    load.add_argument("--region", required=True)
    duty = sub.add_parser("duty", help="who is on duty now, and gaps in the next 24 h")
    duty.add_argument("--region", required=True)
    args = parser.parse_args(argv)
    return run_admin(create_app(DispatchSettings()), lambda uow: _run(uow, args))


async def _run(uow: UnitOfWork, args: argparse.Namespace) -> int:
    session, region = uow.session, args.region
    if args.action == "duty":
        return await _duty(session, region)
    state = await lock_region(session, region)
    try:
        if args.action == "shifts":
            parsed = [SHIFT.match(text.casefold()) for text in args.shift]
            if not all(parsed):
                print("each shift as name=HH:MM-HH:MM, e.g. pagi=07:00-15:00")
                return 2
            rows = [(m["code"], m["starts"], m["ends"]) for m in parsed if m]
            await writes.save_shifts(session, region, rows)
            count = len(rows)
        else:
            count = await _import(
                session, region, args.kind, args.file.read_text(encoding="utf-8-sig")
            )
        await writes.announce_teams(session, uow.emit, region)
        await writes.announce_duty(session, uow.emit, region, datetime.now(UTC))
        # A team put on the current shift takes the waiting queue now, not at the next shift.
        now_ctx = Ctx(session, uow.emit, datetime.now(UTC), DispatchSettings().rules())
        await assign_waiting(now_ctx, region)
        await warn_of_gap_ahead(now_ctx, state)  # a gap the import leaves soon is told now
    except SheetErrors as exc:
        for line, message in exc.errors:
            print(f"{args.file}:{line}: {message}")
        print("nothing imported")
        return 1
    except (UnknownShift, UnknownRegion) as exc:  # a shift the roster still uses was left out
        print(f"refused: {exc}; nothing changed")
        return 1
    await uow.commit()
    print(f"{region}: {count} {args.action if args.action == 'shifts' else args.kind} row(s) saved")
    return 0


async def _import(session: AsyncSession, region: str, kind: str, text: str) -> int:
    if kind == "teams":
        return len(await writes.save_teams(session, region, parse_teams(text)))
    if kind == "members":
        return len(await writes.save_members(session, region, parse_members(text)))
    rows = parse_roster(text)
    await writes.save_roster(session, region, rows, replace_days=True)
    return len(rows)


async def _duty(session: AsyncSession, region: str) -> int:
    now = datetime.now(UTC)
    duties = await region_duties(session, region, now, ahead=timedelta(hours=24))
    codes = {t.id: t.code for t in (await writes.teams_by_code(session, region)).values()}
    teams = sorted(codes.get(t, t) for t in on_duty(duties, now)) or "NOBODY"
    print(f"{region} at {format_local(now, region)}: on duty {teams}")
    for start, end in gaps(duties, now, now + timedelta(hours=24)):
        print(f"  gap: {format_local(start, region)} – {format_local(end, region)}")
    return 0
