"""`trc region landmarks import FILE.csv --region CODE [--dry-run]` and `… list --region CODE`."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

RESTART = ("Restart intake so it reads them: Ctrl-C and `trc up` again, or restart the intake "
           "service (its container).")  # fmt: skip


def places_folder(args: argparse.Namespace) -> Path:
    """``--places-dir``, else intake's setting (``TRC_INTAKE_PLACES_DIR``, ``data/places``)."""
    if args.places_dir:
        return Path(args.places_dir)
    from services.intake.settings import IntakeSettings

    return IntakeSettings().places_folder()


def cmd_import(args: argparse.Namespace) -> int:
    """Check every row against the region's national list; write all of them or nothing."""
    from services.intake.domain import gazetteer as gaz
    from services.intake.domain.landmarks import LandmarkErrors, apply, read_csv
    from services.intake.domain.wilayah import UnknownRegionData, load_region

    try:
        region, _others = load_region(args.region)
    except UnknownRegionData as exc:
        _say(f"{args.region}: {exc}", err=True)
        return 2
    path = Path(args.file)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        _say(f"{path}: cannot read it as UTF-8 text: {exc}", err=True)
        return 2
    try:
        marks = read_csv(text, region)
    except LandmarkErrors as exc:
        for line, message in exc.errors:
            _say(f"{path}: line {line}: {message}", err=True)
        _say(f"nothing written: {len(exc.errors)} row(s) refused", err=True)
        return 2
    folder = places_folder(args)
    target = folder / f"{region.code}.json"
    data, added, replaced = apply(gaz.department_overlay(region.code, folder), marks, region)
    what = f"{len(marks)} landmark(s) for {region.code} {region.name}: {added} new, {replaced} "
    what += "replaced"
    if args.dry_run:
        _say(f"dry run, nothing written: {what} (would go to {target})")
        return 0
    _write(target, data)
    _say(f"{what} → {target} ({len(data['landmarks'])} in the department's file)")
    _say(RESTART)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    """The region's landmarks, shipped and the department's, as intake will read them."""
    from services.intake.domain import gazetteer as gaz

    folder = places_folder(args)
    own = gaz.department_overlay(args.region, folder) or {}
    shipped = gaz.shipped_overlay(args.region) or {}
    mine = {m["name"].casefold() for m in own.get("landmarks", ())}
    rows = [(m, "department") for m in own.get("landmarks", ())]
    rows += [
        (m, "shipped") for m in shipped.get("landmarks", ()) if m["name"].casefold() not in mine
    ]
    if not rows:
        _say(f"{args.region}: no landmarks (department file: {folder / f'{args.region}.json'})")
        return 0
    for mark, source in sorted(rows, key=lambda r: r[0]["name"].casefold()):
        where = mark["kelurahan"] + (f", Kec. {mark['kecamatan']}" if mark.get("kecamatan") else "")
        aliases = f"  aka {'; '.join(mark['aliases'])}" if mark.get("aliases") else ""
        _say(f"{mark['name']:<32} {where:<36} {source}{aliases}")
    _say(f"{len(rows)} landmark(s); department file: {folder / f'{args.region}.json'}")
    return 0


def _say(text: str, *, err: bool = False) -> None:
    (sys.stderr if err else sys.stdout).write(text + "\n")


def _write(target: Path, data: dict[str, Any]) -> None:
    """Whole or not at all: a temporary file beside it, then renamed over it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def register(actions: Any) -> None:
    """Add ``landmarks import|list`` under ``trc region``."""
    landmarks = actions.add_parser(
        "landmarks", help="the department's landmarks: import FILE.csv --region CODE | list"
    )
    verbs = landmarks.add_subparsers(dest="verb", required=True)
    load = verbs.add_parser(
        "import", help="add or replace landmarks from a CSV (name,kelurahan,kecamatan,aliases)"
    )
    load.add_argument("file", help="CSV: name,kelurahan,kecamatan,aliases (aliases split by ;)")
    load.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
    load.set_defaults(func=cmd_import)
    show = verbs.add_parser("list", help="the landmarks intake reads for a region")
    show.set_defaults(func=cmd_list)
    for verb in (load, show):
        verb.add_argument("--region", required=True, help="kabupaten/kota code, e.g. 64.72")
        verb.add_argument(
            "--places-dir",
            help="folder of the department files; default TRC_INTAKE_PLACES_DIR or data/places",
        )
