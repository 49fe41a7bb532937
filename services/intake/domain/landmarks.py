"""A department's landmarks: its CSV read and checked against the national list, overlays merged.

The CSV (``name,kelurahan,kecamatan,aliases``; docs/intake.md "Places anywhere") becomes the
``landmarks`` of a department file ``<code>.json`` in the same format as the shipped ones
(``data/regions/``); ``merge`` lays a department file over the shipped one. Pure: text in, data out.
"""

from __future__ import annotations

import csv
import difflib
import io
from dataclasses import dataclass
from typing import Any

from services.intake.domain.placematch import spelling_of
from services.intake.domain.wilayah import RegionData

COLUMNS = ("name", "kelurahan", "kecamatan", "aliases")
REQUIRED = {"name", "kelurahan"}
MAX_ROWS = 5000
_LEVEL_WORDS = ("kelurahan ", "kel. ", "kel ", "desa ", "ds. ", "ds ")
_KECAMATAN_WORDS = ("kecamatan ", "kec. ", "kec ", "distrik ")


@dataclass(frozen=True)
class Landmark:
    """One landmark as a department file holds it (``kecamatan`` only where the name is shared)."""

    name: str
    kelurahan: str
    kecamatan: str | None = None
    aliases: tuple[str, ...] = ()

    def entry(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"name": self.name}
        if self.aliases:
            entry["aliases"] = list(self.aliases)
        entry["kelurahan"] = self.kelurahan
        if self.kecamatan:
            entry["kecamatan"] = self.kecamatan
        return entry


class LandmarkErrors(ValueError):
    """Rows that cannot be imported, (line, message) each: nothing is written."""

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        super().__init__("; ".join(f"line {n}: {m}" for n, m in errors[:20]))
        self.errors = errors


def key(name: str) -> str:
    """What makes two landmark names the same one ("Pasar  Segiri" is "pasar segiri")."""
    return " ".join(name.casefold().split())


def read_csv(text: str, region: RegionData) -> list[Landmark]:
    """Every row of the CSV as a landmark of ``region``, or every problem at once."""
    rows = _rows(text)
    errors: list[tuple[int, str]] = []
    marks: list[Landmark] = []
    seen: dict[str, int] = {}
    places = _Places(region)
    for line, row in rows:
        try:
            mark = places.landmark(row)
        except ValueError as exc:
            errors.append((line, str(exc)))
            continue
        if key(mark.name) in seen:
            errors.append((line, f"{mark.name!r} is already on line {seen[key(mark.name)]}"))
            continue
        seen[key(mark.name)] = line
        marks.append(mark)
    if errors:
        raise LandmarkErrors(errors)
    if not marks:
        raise LandmarkErrors([(1, "no landmarks in the file")])
    return marks


def apply(department: dict[str, Any] | None, marks: list[Landmark], region: RegionData
          ) -> tuple[dict[str, Any], int, int]:  # fmt: skip
    """The department file with ``marks`` in it: a name already there is replaced in place, the
    others added; its spellings kept. Returns (file, added, replaced)."""
    data: dict[str, Any] = dict(department or {})
    data.setdefault("region_code", region.code)
    data.setdefault("name", region.name)
    data.setdefault("note", "Department data: landmarks imported with trc region landmarks import")
    existing = list(data.get("landmarks", ()))
    index = {key(entry["name"]): i for i, entry in enumerate(existing)}
    added = replaced = 0
    for mark in marks:
        at = index.get(key(mark.name))
        if at is None:
            index[key(mark.name)] = len(existing)
            existing.append(mark.entry())
            added += 1
        else:
            existing[at] = mark.entry()
            replaced += 1
    data["landmarks"] = existing
    return data, added, replaced


def merge(shipped: dict[str, Any] | None, department: dict[str, Any] | None
          ) -> dict[str, Any] | None:  # fmt: skip
    """The department file laid over the shipped one: a landmark of the same name is the
    department's, the shipped others kept; spellings of a place joined (the department's first)."""
    if not department:
        return shipped
    if not shipped:
        return department
    merged = {**shipped, **{k: v for k, v in department.items() if k != "landmarks"}}
    own = list(department.get("landmarks", ()))
    names = {key(m["name"]) for m in own}
    merged["landmarks"] = [m for m in shipped.get("landmarks", ()) if key(m["name"]) not in names]
    merged["landmarks"] += own
    for field in ("kecamatan_aliases", "kelurahan_aliases"):
        joined: dict[str, list[str]] = {}
        for source in (department.get(field, {}), shipped.get(field, {})):
            for place, spellings in source.items():
                bucket = joined.setdefault(place, [])
                bucket += [s for s in spellings if s not in bucket]
        merged[field] = joined
    return merged


class _Places:
    """The region's kecamatan and kelurahan/desa, looked up as people write them."""

    def __init__(self, region: RegionData) -> None:
        self.region = region
        self.kecamatan = {_plain(k.name, _KECAMATAN_WORDS): k.name for k in region.kecamatan}
        self.villages: dict[str, list[tuple[str, str]]] = {}  # plain name → [(name, kecamatan)]
        for kec in region.kecamatan:
            for village in kec.villages:
                plain = _plain(village.name, _LEVEL_WORDS)
                self.villages.setdefault(plain, []).append((village.name, kec.name))
        self._village_names = {plain: found[0][0] for plain, found in self.villages.items()}

    def landmark(self, row: dict[str, str]) -> Landmark:
        name = " ".join(row.get("name", "").split())
        if not name:
            raise ValueError("no name")
        if not spelling_of(name):
            raise ValueError(f"name {name!r} has no letters or digits to find it by")
        written = row.get("kelurahan", "")
        if not written.strip():
            raise ValueError(f"{name}: no kelurahan/desa")
        kecamatan = self._kecamatan(row.get("kecamatan", ""))
        found = self.villages.get(_plain(written, _LEVEL_WORDS), [])
        if not found:
            near = _near(written, self._village_names)
            raise ValueError(f"{name}: no {self.region.village_word} {written.strip()!r} in "
                             f"{self.region.name}{near}")  # fmt: skip
        shared = len(found) > 1
        if kecamatan:
            found = [f for f in found if f[1] == kecamatan]
            if not found:
                raise ValueError(f"{name}: {written.strip()!r} is not in Kec. {kecamatan}")
        elif shared:
            where = ", ".join(f"Kec. {k}" for _n, k in found)
            raise ValueError(f"{name}: {written.strip()!r} is in {len(found)} kecamatan ({where}): "
                             "give the kecamatan")  # fmt: skip
        village, kec = found[0]
        return Landmark(name, village, kec if shared else None, _aliases(name, row))

    def _kecamatan(self, written: str) -> str | None:
        if not written.strip():
            return None
        name = self.kecamatan.get(_plain(written, _KECAMATAN_WORDS))
        if name is None:
            raise ValueError(f"no kecamatan {written.strip()!r} in {self.region.name}"
                             f"{_near(written, self.kecamatan)}")  # fmt: skip
        return name


def _rows(text: str) -> list[tuple[int, dict[str, str]]]:
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise LandmarkErrors([(1, "empty file")])
    header = next(line for line in text.splitlines() if line.strip())
    delimiter = ";" if header.count(";") > header.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        fields = [(f or "").strip().casefold() for f in reader.fieldnames or ()]
        unknown = [f for f in fields if f not in COLUMNS]
        missing = sorted(REQUIRED - set(fields))
        if unknown or missing:
            problems = [f"unknown column(s): {', '.join(unknown)}"] if unknown else []
            problems += [f"missing column(s): {', '.join(missing)}"] if missing else []
            raise LandmarkErrors([(1, f"{'; '.join(problems)} (the header is "
                                      f"{','.join(COLUMNS)})")])  # fmt: skip
        reader.fieldnames = fields
        rows: list[tuple[int, dict[str, str]]] = []
        for row in reader:
            if len(rows) >= MAX_ROWS:
                raise LandmarkErrors([(reader.line_num, f"more than {MAX_ROWS} rows")])
            values = {k: (v or "").strip() for k, v in row.items() if k}
            if None in row:
                message = "more cells than columns (aliases with the separator in them need quotes)"
                raise LandmarkErrors([(reader.line_num, message)])
            if any(values.values()):
                rows.append((reader.line_num, values))
    except csv.Error as exc:
        raise LandmarkErrors([(max(reader.line_num, 1), f"not readable as CSV: {exc}")]) from None
    return rows


def _aliases(name: str, row: dict[str, str]) -> tuple[str, ...]:
    found: list[str] = []
    for alias in row.get("aliases", "").split(";"):
        alias = " ".join(alias.split())
        if alias and key(alias) != key(name) and key(alias) not in map(key, found):
            found.append(alias)
    return tuple(found)


def _plain(name: str, level_words: tuple[str, ...]) -> str:
    plain = key(name)
    for word in level_words:
        if plain.startswith(word):
            return plain.removeprefix(word).strip()
    return plain


def _near(written: str, names: dict[str, str]) -> str:
    """The names close to one written wrong, as " (did you mean 'Sungai Pinang Dalam'?)"."""
    close = difflib.get_close_matches(key(written), list(names), n=3, cutoff=0.75)
    return f" (did you mean {', '.join(repr(names[c]) for c in close)}?)" if close else ""
