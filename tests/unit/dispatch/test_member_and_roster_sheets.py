"""CSV import of members and the roster: column names in either language, roles and kinds,
Telegram ids, dates; every bad row reported with its line number."""

from __future__ import annotations

from datetime import date

import pytest

from services.dispatch.domain.sheets import (
    MemberRow,
    RosterRow,
    parse_members,
    parse_roster,
)
from tests.unit.dispatch.sheet_support import BOM, errors_of, lines_of

# --- members ------------------------------------------------------------------------------------


def test_a_member_sheet_with_indonesian_headers_is_read() -> None:
    text = (
        "kode;nama;jenis;peran;telegram;tim\n"
        "M-001;Budi Santoso;staff;ketua;123456789;TRC-01\n"
        "M-002;Siti Aminah;bko;peksos;987654321;TRC-01, TRC-02\n"
        "M-003;Rahmat;pegawai;sopir;;TRC-02\n"
    )
    assert parse_members(text) == [
        MemberRow(2, "M-001", "Budi Santoso", "staff", "leader", 123456789, ("TRC-01",), None),
        MemberRow(
            3, "M-002", "Siti Aminah", "bko", "social_worker", 987654321, ("TRC-01", "TRC-02"), None
        ),
        MemberRow(4, "M-003", "Rahmat", "staff", "driver", None, ("TRC-02",), None),
    ]


def test_a_member_sheet_with_english_headers_is_read() -> None:
    text = (
        "code,name,kind,role,telegram_user_id,teams,username\n"
        'M-001,Budi Santoso,staff,leader,123456789,"TRC-01;TRC-02",budi\n'
        "M-002,Siti Aminah,bko,social worker,,TRC-02,\n"
    )
    assert parse_members(text) == [
        MemberRow(
            2, "M-001", "Budi Santoso", "staff", "leader", 123456789, ("TRC-01", "TRC-02"), "budi"
        ),
        MemberRow(3, "M-002", "Siti Aminah", "bko", "social_worker", None, ("TRC-02",), None),
    ]


@pytest.mark.parametrize(
    ("header", "attribute", "cell", "value"),
    [
        ("status", "kind", "bko", "bko"),
        ("jabatan", "role", "sopir", "driver"),
        ("telegram_id", "telegram_user_id", "42", 42),
        ("team", "teams", "TRC-01", ("TRC-01",)),
        ("team_code", "teams", "TRC-01", ("TRC-01",)),
        ("pengguna", "username", "siti", "siti"),
        ("akun", "username", "siti", "siti"),
    ],
)
def test_other_member_column_names_are_accepted(
    header: str, attribute: str, cell: str, value: object
) -> None:
    rows = parse_members(f"kode;nama;{header}\nM-001;Siti Aminah;{cell}\n")
    assert getattr(rows[0], attribute) == value


@pytest.mark.parametrize(
    ("cell", "role"),
    [
        ("ketua", "leader"),
        ("Ketua", "leader"),
        ("ketua tim", "leader"),
        ("koordinator", "leader"),
        ("anggota", "member"),
        ("ANGGOTA", "member"),
        ("sopir", "driver"),
        ("pengemudi", "driver"),
        ("pekerja sosial", "social_worker"),
        ("Pekerja Sosial", "social_worker"),
        ("peksos", "social_worker"),
        ("leader", "leader"),
        ("member", "member"),
        ("driver", "driver"),
        ("social_worker", "social_worker"),
        ("Social Worker", "social_worker"),
    ],
)
def test_roles_in_indonesian_or_english_are_mapped(cell: str, role: str) -> None:
    rows = parse_members(f"kode;nama;peran\nM-001;Siti Aminah;{cell}\n")
    assert rows[0].role == role


@pytest.mark.parametrize(
    ("cell", "kind"),
    [
        ("bko", "bko"),
        ("BKO", "bko"),
        ("staff", "staff"),
        ("pegawai", "staff"),
        ("ASN", "staff"),
        ("pns", "staff"),
    ],
)
def test_kind_is_bko_or_staff(cell: str, kind: str) -> None:
    rows = parse_members(f"kode;nama;jenis\nM-001;Siti Aminah;{cell}\n")
    assert rows[0].kind == kind


def test_role_and_kind_default_to_member_and_staff() -> None:
    without_columns = parse_members("kode;nama\nM-001;Siti Aminah\n")[0]
    with_empty_cells = parse_members("kode;nama;jenis;peran\nM-001;Siti Aminah;;\n")[0]
    for row in (without_columns, with_empty_cells):
        assert (row.kind, row.role, row.telegram_user_id, row.teams, row.username) == (
            "staff",
            "member",
            None,
            (),
            None,
        )


def test_an_unknown_role_is_refused() -> None:
    errors = errors_of(parse_members, "kode;nama;peran\nM-001;Siti Aminah;relawan\n")
    assert len(errors) == 1
    assert errors[0][0] == 2
    assert "unknown role 'relawan'" in errors[0][1]


def test_an_unknown_kind_is_refused() -> None:
    errors = errors_of(parse_members, "kode;nama;jenis\nM-001;Siti Aminah;honorer\n")
    assert len(errors) == 1
    assert errors[0][0] == 2
    assert "unknown kind 'honorer'" in errors[0][1]


@pytest.mark.parametrize("cell", ["@siti_trc", "siti_trc", "t.me/siti_trc", "12a45"])
def test_a_telegram_username_is_refused_because_the_numeric_id_is_required(cell: str) -> None:
    errors = errors_of(parse_members, f"kode;nama;telegram\nM-001;Siti Aminah;{cell}\n")
    assert len(errors) == 1
    line, message = errors[0]
    assert line == 2
    assert "numeric" in message


def test_a_numeric_telegram_id_is_read_as_a_number() -> None:
    rows = parse_members("kode;nama;telegram\nM-001;Siti Aminah; 5012345678 \n")
    assert rows[0].telegram_user_id == 5012345678


@pytest.mark.parametrize(
    ("cell", "teams"),
    [
        ("TRC-01;TRC-02", ("TRC-01", "TRC-02")),
        ("TRC-01, TRC-02", ("TRC-01", "TRC-02")),
        ("TRC-01,;TRC-02;", ("TRC-01", "TRC-02")),
    ],
)
def test_member_teams_are_split_on_semicolons_or_commas(cell: str, teams: tuple[str, ...]) -> None:
    rows = parse_members(f'code,name,teams\nM-001,Siti Aminah,"{cell}"\n')
    assert rows[0].teams == teams


def test_a_missing_required_member_column_is_reported_on_line_1() -> None:
    assert errors_of(parse_members, "nama;peran\nSiti Aminah;anggota\n") == [
        (1, "missing column(s): code")
    ]


def test_every_bad_member_row_is_reported_with_its_line_number() -> None:
    text = (
        "kode;nama;jenis;peran;telegram\n"
        "M-001;Budi;staff;ketua;111\n"  # 2: good
        "M-002;Siti;staff;ketua;@siti\n"  # 3: username instead of id
        "M-003;Rahmat;honorer;anggota;\n"  # 4: unknown kind
        "M-004;Ani;staff;relawan;\n"  # 5: unknown role
        "M-005;;staff;anggota;\n"  # 6: no name
        "M-006;Dewi;bko;sopir;222\n"  # 7: good
    )
    errors = errors_of(parse_members, text)
    assert lines_of(errors) == [3, 4, 5, 6]
    assert "numeric" in errors[0][1]
    assert "kind" in errors[1][1]
    assert "role" in errors[2][1]
    assert errors[3][1] == "name is empty"


def test_a_repeated_member_code_is_reported_with_the_line_it_repeats() -> None:
    text = "kode;nama\nM-001;Budi\nM-002;Siti\nM-001;Budi Santoso\n"
    assert errors_of(parse_members, text) == [(4, "code 'M-001' repeats line 2")]


# --- roster -------------------------------------------------------------------------------------


def test_a_roster_sheet_with_indonesian_headers_and_day_first_dates_is_read() -> None:
    text = "tanggal;sif;tim\n05/01/2026;pagi;TRC-01\n05/01/2026;malam;TRC-02\n13/01/2026;siang;TRC-01\n"
    assert parse_roster(text) == [
        RosterRow(2, date(2026, 1, 5), "pagi", "TRC-01"),
        RosterRow(3, date(2026, 1, 5), "malam", "TRC-02"),
        RosterRow(4, date(2026, 1, 13), "siang", "TRC-01"),
    ]


def test_a_roster_sheet_with_english_headers_and_iso_dates_is_read() -> None:
    text = "date,shift,team\n2026-01-05,pagi,TRC-01\n2026-01-06,malam,TRC-02\n"
    assert parse_roster(text) == [
        RosterRow(2, date(2026, 1, 5), "pagi", "TRC-01"),
        RosterRow(3, date(2026, 1, 6), "malam", "TRC-02"),
    ]


@pytest.mark.parametrize("header", ["tanggal;sif;tim", "tanggal;shift;tim", "day;shift;teams"])
def test_the_roster_columns_may_be_named_in_either_language(header: str) -> None:
    rows = parse_roster(f"{header}\n2026-01-05;pagi;TRC-01\n")
    assert rows == [RosterRow(2, date(2026, 1, 5), "pagi", "TRC-01")]


@pytest.mark.parametrize("cell", ["2026-01-05", "05/01/2026", "5/1/2026", "05-01-2026"])
def test_roster_dates_are_iso_or_day_first(cell: str) -> None:
    assert parse_roster(f"tanggal;sif;tim\n{cell};pagi;TRC-01\n")[0].day == date(2026, 1, 5)


@pytest.mark.parametrize(
    "cell", ["01/13/2026", "31/02/2026", "2026/01/05", "5 Januari 2026", "besok", "20260105"]
)
def test_a_date_that_is_not_iso_or_day_first_is_refused(cell: str) -> None:
    errors = errors_of(parse_roster, f"tanggal;sif;tim\n{cell};pagi;TRC-01\n")
    assert errors == [(2, f"date {cell!r} is not YYYY-MM-DD or DD/MM/YYYY")]


def test_shift_codes_are_lower_cased_in_roster_rows() -> None:
    text = "tanggal;sif;tim\n05/01/2026;PAGI;TRC-01\n05/01/2026; Malam ;TRC-02\n"
    assert [r.shift for r in parse_roster(text)] == ["pagi", "malam"]


def test_roster_with_a_bom_semicolons_and_blank_lines_is_read() -> None:
    text = f"{BOM}Tanggal;Sif;Tim\r\n05/01/2026;Pagi;TRC-01\r\n;;\r\n06/01/2026;Siang;TRC-02\r\n"
    assert parse_roster(text) == [
        RosterRow(2, date(2026, 1, 5), "pagi", "TRC-01"),
        RosterRow(4, date(2026, 1, 6), "siang", "TRC-02"),
    ]


@pytest.mark.parametrize(
    ("header", "missing"),
    [
        ("sif;tim", "day"),
        ("tanggal;tim", "shift"),
        ("tanggal;sif", "teams"),
        ("tim", "day, shift"),
    ],
)
def test_a_missing_required_roster_column_is_reported_on_line_1(header: str, missing: str) -> None:
    assert errors_of(parse_roster, f"{header}\nx;y\n") == [(1, f"missing column(s): {missing}")]


def test_every_bad_roster_row_is_reported_with_its_line_number() -> None:
    text = (
        "tanggal;sif;tim\n"
        "05/01/2026;pagi;TRC-01\n"  # 2: good
        "32/01/2026;pagi;TRC-01\n"  # 3: no such day
        "05/01/2026;;TRC-01\n"  # 4: no shift
        "05/01/2026;siang;\n"  # 5: no team
        ";malam;TRC-02\n"  # 6: no date
        "06/01/2026;malam;TRC-02\n"  # 7: good
    )
    assert errors_of(parse_roster, text) == [
        (3, "date '32/01/2026' is not YYYY-MM-DD or DD/MM/YYYY"),
        (4, "shift is empty"),
        (5, "teams is empty"),
        (6, "day is empty"),
    ]
