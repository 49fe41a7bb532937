"""Teams, members and the roster as a department keeps them in a spreadsheet (CSV).

Headers in Bahasa Indonesia or English; every bad row is reported with its line number, and a
file with any bad row imports nothing. Pure: text in, rows or errors out.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

ROLES = {
    "leader": "leader", "ketua": "leader", "ketua tim": "leader", "koordinator": "leader",
    "member": "member", "anggota": "member",
    "driver": "driver", "sopir": "driver", "pengemudi": "driver",
    "social_worker": "social_worker", "social worker": "social_worker",
    "pekerja sosial": "social_worker", "peksos": "social_worker",
}  # fmt: skip
KINDS = {"staff": "staff", "pegawai": "staff", "asn": "staff", "pns": "staff", "bko": "bko"}
ALIASES = {
    "kode": "code", "nama": "name", "kapasitas": "capacity", "zona": "zones", "zone": "zones",
    "kecamatan": "zones", "jenis": "kind", "status": "kind", "peran": "role", "jabatan": "role",
    "telegram": "telegram_user_id", "telegram_id": "telegram_user_id", "tim": "teams",
    "team": "teams", "tanggal": "day", "date": "day", "sif": "shift", "team_code": "teams",
    "pengguna": "username", "akun": "username",
}  # fmt: skip
MAX_ROWS = 20_000


@dataclass(frozen=True)
class TeamRow:
    line: int
    code: str
    name: str
    capacity: int
    zones: tuple[str, ...]


@dataclass(frozen=True)
class MemberRow:
    line: int
    code: str
    name: str
    kind: str
    role: str
    telegram_user_id: int | None
    teams: tuple[str, ...]
    username: str | None


@dataclass(frozen=True)
class RosterRow:
    line: int
    day: date
    shift: str
    team: str


class SheetErrors(ValueError):
    """Rows that cannot be imported: (line number, message) each; nothing was imported."""

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        super().__init__("; ".join(f"line {n}: {m}" for n, m in errors[:20]))
        self.errors = errors


def _rows(text: str, required: set[str]) -> Iterator[tuple[int, dict[str, str]]]:
    # newline="": the csv module's own line endings, so a file saved with bare \r reads too.
    source = io.StringIO(text.lstrip("\ufeff"), newline="")
    reader = csv.DictReader(source, delimiter=_delimiter(text))
    try:
        yield from _read(reader, required)
    except csv.Error as exc:  # e.g. a cell past the csv module's size limit
        raise SheetErrors([(max(reader.line_num, 1), f"not readable as CSV: {exc}")]) from None


def _read(reader: csv.DictReader[str], required: set[str]) -> Iterator[tuple[int, dict[str, str]]]:
    if reader.fieldnames is None:
        raise SheetErrors([(1, "empty file")])
    headers = [ALIASES.get(h.strip().casefold(), h.strip().casefold()) for h in reader.fieldnames]
    missing = required - set(headers)
    if missing:
        raise SheetErrors([(1, f"missing column(s): {', '.join(sorted(missing))}")])
    reader.fieldnames = headers
    for count, row in enumerate(reader, start=1):
        number = reader.line_num  # the file's own line (blank lines skipped by csv count too)
        if count > MAX_ROWS:
            raise SheetErrors([(number, f"more than {MAX_ROWS} rows")])
        values = {k: (v or "").strip() for k, v in row.items() if k}
        if any(values.values()):
            yield number, values


def _delimiter(text: str) -> str:
    lines = [line for line in text.lstrip("\ufeff").splitlines() if line.strip()]
    first = lines[0] if lines else ""
    return ";" if first.count(";") > first.count(",") else ","


def _parse(
    text: str,
    required: set[str],
    build: Callable[[int, dict[str, str]], Any],
    unique: str | None = None,
) -> list[Any]:
    """Every row built, or every problem (bad rows and repeated keys) reported at once."""
    if not text.lstrip("\ufeff").strip():
        raise SheetErrors([(1, "empty file")])
    rows, errors = [], []
    seen: dict[str, int] = {}
    for number, values in _rows(text, required):
        key = values.get(unique or "")
        if unique and key:
            if key in seen:
                errors.append((number, f"{unique} {key!r} repeats line {seen[key]}"))
            seen.setdefault(key, number)
        try:
            rows.append(build(number, values))
        except ValueError as exc:
            errors.append((number, str(exc)))
    if errors:
        raise SheetErrors(sorted(errors))
    return rows


def _need(values: dict[str, str], key: str) -> str:
    if not values.get(key):
        raise ValueError(f"{key} is empty")
    return values[key]


def _list(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.replace(",", ";").split(";") if p.strip())


def parse_teams(text: str) -> list[TeamRow]:
    def build(line: int, v: dict[str, str]) -> TeamRow:
        capacity = v.get("capacity") or "2"
        if not capacity.isdigit() or not 1 <= int(capacity) <= 50:
            raise ValueError(f"capacity must be a number from 1 to 50, not {capacity!r}")
        return TeamRow(
            line, _need(v, "code"), _need(v, "name"), int(capacity), _list(v.get("zones", ""))
        )

    rows: list[TeamRow] = _parse(text, {"code", "name"}, build, unique="code")
    return rows


def parse_members(text: str) -> list[MemberRow]:
    def build(line: int, v: dict[str, str]) -> MemberRow:
        role = ROLES.get(v.get("role", "member").casefold() or "member")
        if role is None:
            raise ValueError(f"unknown role {v['role']!r} (ketua, anggota, sopir, pekerja sosial)")
        kind = KINDS.get(v.get("kind", "staff").casefold() or "staff")
        if kind is None:
            raise ValueError(f"unknown kind {v['kind']!r} (staff or bko)")
        telegram = v.get("telegram_user_id", "")
        if telegram and not telegram.isdigit():
            raise ValueError(
                "telegram_user_id must be the numeric Telegram user id, not a @username"
            )
        return MemberRow(
            line,
            _need(v, "code"),
            _need(v, "name"),
            kind,
            role,
            int(telegram) if telegram else None,
            _list(v.get("teams", "")),
            v.get("username") or None,
        )

    rows: list[MemberRow] = _parse(text, {"code", "name"}, build, unique="code")
    return rows


def parse_roster(text: str) -> list[RosterRow]:
    def build(line: int, v: dict[str, str]) -> RosterRow:
        return RosterRow(
            line, _date(_need(v, "day")), _need(v, "shift").casefold(), _need(v, "teams")
        )

    return _parse(text, {"day", "shift", "teams"}, build)


def _date(text: str) -> date:
    for form in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            continue
    raise ValueError(f"date {text!r} is not YYYY-MM-DD or DD/MM/YYYY")
