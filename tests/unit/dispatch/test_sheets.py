"""CSV import of teams, members and the roster: Indonesian or English headers, every bad row
reported with its line number, nothing imported when any row is bad."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from services.dispatch.domain.sheets import (
    MemberRow,
    RosterRow,
    SheetErrors,
    TeamRow,
    parse_members,
    parse_roster,
    parse_teams,
)

BOM = "\ufeff"
PARSERS: list[Callable[[str], list[Any]]] = [parse_teams, parse_members, parse_roster]


def errors_of(parse: Callable[[str], list[Any]], text: str) -> list[tuple[int, str]]:
    with pytest.raises(SheetErrors) as caught:
        parse(text)
    return caught.value.errors


def lines_of(errors: list[tuple[int, str]]) -> list[int]:
    return [line for line, _ in errors]


# --- teams --------------------------------------------------------------------------------------


def test_a_team_sheet_with_indonesian_headers_and_semicolons_is_read() -> None:
    text = (
        "kode;nama;kapasitas;zona\n"
        "TRC-01;Tim Utara;3;Banjarmasin Utara;\n"
        "TRC-02;Tim Selatan, Kota;5;Banjarmasin Selatan\n"
    )
    assert parse_teams(text) == [
        TeamRow(2, "TRC-01", "Tim Utara", 3, ("Banjarmasin Utara",)),
        TeamRow(3, "TRC-02", "Tim Selatan, Kota", 5, ("Banjarmasin Selatan",)),
    ]


def test_a_team_sheet_with_english_headers_and_commas_is_read() -> None:
    text = (
        "code,name,capacity,zones\n"
        'TRC-01,North team,4,"Banjarmasin Utara;Banjarmasin Tengah"\n'
        "TRC-02,South team,2,Banjarmasin Selatan\n"
    )
    assert parse_teams(text) == [
        TeamRow(2, "TRC-01", "North team", 4, ("Banjarmasin Utara", "Banjarmasin Tengah")),
        TeamRow(3, "TRC-02", "South team", 2, ("Banjarmasin Selatan",)),
    ]


def test_kecamatan_is_accepted_as_the_zone_column() -> None:
    rows = parse_teams("kode;nama;kecamatan\nTRC-01;Tim Utara;Banjarmasin Utara\n")
    assert rows[0].zones == ("Banjarmasin Utara",)


def test_headers_are_matched_regardless_of_case_and_surrounding_spaces() -> None:
    rows = parse_teams(" KODE ; Nama ;Kapasitas ; ZONA\nTRC-01;Tim Utara;3;Banjarmasin Utara\n")
    assert rows == [TeamRow(2, "TRC-01", "Tim Utara", 3, ("Banjarmasin Utara",))]


def test_cells_are_stripped_of_surrounding_spaces() -> None:
    rows = parse_teams("kode;nama;kapasitas;zona\n  TRC-01 ; Tim Utara ; 3 ;  Alalak , Kuin \n")
    assert rows == [TeamRow(2, "TRC-01", "Tim Utara", 3, ("Alalak", "Kuin"))]


@pytest.mark.parametrize(
    ("cell", "zones"),
    [
        ("Alalak;Kuin", ("Alalak", "Kuin")),
        ("Alalak, Kuin", ("Alalak", "Kuin")),
        ("Alalak; Kuin, Sungai Jingah", ("Alalak", "Kuin", "Sungai Jingah")),
        ("Alalak;;Kuin;", ("Alalak", "Kuin")),
        ("", ()),
    ],
)
def test_zones_are_split_on_semicolons_or_commas_and_empty_parts_dropped(
    cell: str, zones: tuple[str, ...]
) -> None:
    rows = parse_teams(f'code,name,zones\nTRC-01,Tim Utara,"{cell}"\n')
    assert rows[0].zones == zones


def test_a_team_without_a_zone_column_has_no_zones() -> None:
    assert parse_teams("kode;nama\nTRC-01;Tim Utara\n")[0].zones == ()


def test_a_utf8_bom_before_a_semicolon_header_is_ignored() -> None:
    rows = parse_teams(f"{BOM}kode;nama;kapasitas\nTRC-01;Tim Utara;3\n")
    assert rows == [TeamRow(2, "TRC-01", "Tim Utara", 3, ())]


def test_a_utf8_bom_before_a_comma_header_is_ignored() -> None:
    rows = parse_teams(f"{BOM}code,name,capacity\nTRC-01,North team,3\n")
    assert rows == [TeamRow(2, "TRC-01", "North team", 3, ())]


def test_windows_line_endings_are_read() -> None:
    rows = parse_teams(
        f"{BOM}kode;nama;kapasitas\r\nTRC-01;Tim Utara;3\r\nTRC-02;Tim Selatan;4\r\n"
    )
    assert [(r.line, r.code, r.name, r.capacity) for r in rows] == [
        (2, "TRC-01", "Tim Utara", 3),
        (3, "TRC-02", "Tim Selatan", 4),
    ]


def test_old_mac_line_endings_are_read() -> None:
    rows = parse_teams("kode;nama;kapasitas\rTRC-01;Tim Utara;3\rTRC-02;Tim Selatan;4\r")
    assert [(r.line, r.code, r.capacity) for r in rows] == [(2, "TRC-01", 3), (3, "TRC-02", 4)]


@pytest.mark.parametrize("parse", PARSERS)
def test_a_file_the_csv_module_cannot_read_is_refused_with_its_line(
    parse: Callable[[str], list[Any]],
) -> None:
    errors = errors_of(parse, "x" * 200_000 + ",nama\nA,b\n")  # a cell past csv's limit
    assert [(line, message.split(":")[0]) for line, message in errors] == [
        (1, "not readable as CSV")
    ]
    assert lines_of(errors_of(parse, "\r0")) == [1]  # found by fuzzing: was a server error


def test_capacity_defaults_to_two_when_the_column_is_missing_or_the_cell_empty() -> None:
    assert parse_teams("kode;nama\nTRC-01;Tim Utara\n")[0].capacity == 2
    assert parse_teams("kode;nama;kapasitas\nTRC-01;Tim Utara;\n")[0].capacity == 2


@pytest.mark.parametrize("capacity", ["1", "50"])
def test_capacity_from_1_to_50_is_accepted(capacity: str) -> None:
    rows = parse_teams(f"kode;nama;kapasitas\nTRC-01;Tim Utara;{capacity}\n")
    assert rows[0].capacity == int(capacity)


@pytest.mark.parametrize("capacity", ["0", "51", "-1", "2.5", "dua", "3 orang"])
def test_capacity_out_of_range_or_not_a_whole_number_is_refused(capacity: str) -> None:
    errors = errors_of(parse_teams, f"kode;nama;kapasitas\nTRC-01;Tim Utara;{capacity}\n")
    assert len(errors) == 1
    line, message = errors[0]
    assert line == 2
    assert "capacity" in message
    assert capacity in message


def test_a_header_without_data_rows_gives_no_rows() -> None:
    assert parse_teams("kode;nama;kapasitas;zona\n") == []
    assert parse_members("code,name,role\n") == []
    assert parse_roster("tanggal;sif;tim\n") == []


def test_blank_lines_and_rows_of_empty_cells_are_skipped() -> None:
    text = "kode;nama;kapasitas\n\nTRC-01;Tim Utara;3\n;;\n  ;  ;  \nTRC-02;Tim Selatan;4\n\n"
    assert [r.code for r in parse_teams(text)] == ["TRC-01", "TRC-02"]


def test_rows_of_empty_cells_still_count_as_lines() -> None:
    rows = parse_teams("kode;nama\nTRC-01;Tim Utara\n;\n;\nTRC-02;Tim Selatan\n")
    assert [(r.line, r.code) for r in rows] == [(2, "TRC-01"), (5, "TRC-02")]


def test_line_numbers_after_a_blank_line_are_the_lines_of_the_file() -> None:
    text = "kode;nama;kapasitas\nTRC-01;Tim Utara;3\n\nTRC-02;Tim Selatan;0\n"
    assert errors_of(parse_teams, text) == [
        (4, "capacity must be a number from 1 to 50, not '0'"),
    ]


def test_extra_columns_and_extra_cells_are_ignored() -> None:
    text = "kode;nama;catatan\nTRC-01;Tim Utara;mobil dinas;lebih;lagi\n"
    assert parse_teams(text) == [TeamRow(2, "TRC-01", "Tim Utara", 2, ())]


def test_a_row_with_fewer_cells_than_headers_reads_the_missing_cells_as_empty() -> None:
    assert parse_teams("kode;nama;kapasitas;zona\nTRC-01;Tim Utara\n") == [
        TeamRow(2, "TRC-01", "Tim Utara", 2, ())
    ]


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("nama;kapasitas\nTim Utara;3\n", "code"),
        ("kode;kapasitas\nTRC-01;3\n", "name"),
        ("kapasitas;zona\n3;Alalak\n", "code, name"),
    ],
)
def test_a_missing_required_team_column_is_reported_on_line_1(text: str, missing: str) -> None:
    assert errors_of(parse_teams, text) == [(1, f"missing column(s): {missing}")]


@pytest.mark.parametrize("column", ["code", "name"])
def test_a_required_team_value_left_empty_is_refused(column: str) -> None:
    row = {"code": "TRC-01", "name": "Tim Utara"} | {column: ""}
    errors = errors_of(parse_teams, f"code,name\n{row['code']},{row['name']}\n")
    assert errors == [(2, f"{column} is empty")]


def test_every_bad_row_is_reported_with_its_line_number() -> None:
    text = (
        "kode;nama;kapasitas\n"
        "TRC-01;Tim Utara;3\n"  # line 2: good
        "TRC-02;Tim Selatan;99\n"  # line 3: capacity
        "TRC-03;Tim Timur;2\n"  # line 4: good
        "TRC-04;;2\n"  # line 5: no name
        ";Tim Barat;2\n"  # line 6: no code
    )
    errors = errors_of(parse_teams, text)
    assert errors == [
        (3, "capacity must be a number from 1 to 50, not '99'"),
        (5, "name is empty"),
        (6, "code is empty"),
    ]


def test_sheet_errors_are_value_errors_whose_message_names_the_lines() -> None:
    with pytest.raises(ValueError, match=r"line 3: .*capacity.*; line 5: name is empty"):
        parse_teams("kode;nama;kapasitas\nA;a;2\nB;b;0\nC;c;2\nD;;2\n")


def test_the_message_names_at_most_20_lines_but_every_error_is_kept() -> None:
    text = "kode;nama;kapasitas\n" + "".join(f"T{i};Tim {i};0\n" for i in range(25))
    with pytest.raises(SheetErrors) as caught:
        parse_teams(text)
    assert lines_of(caught.value.errors) == list(range(2, 27))
    assert "line 21:" in str(caught.value)
    assert "line 22:" not in str(caught.value)


def test_a_repeated_team_code_is_reported_with_the_line_it_repeats() -> None:
    text = (
        "kode;nama\n"
        "TRC-01;Tim Utara\n"
        "TRC-02;Tim Selatan\n"
        "TRC-01;Tim Utara lagi\n"
        "TRC-02;Tim Selatan lagi\n"
        "TRC-01;Tim Utara sekali lagi\n"
    )
    assert errors_of(parse_teams, text) == [
        (4, "code 'TRC-01' repeats line 2"),
        (5, "code 'TRC-02' repeats line 3"),
        (6, "code 'TRC-01' repeats line 2"),
    ]


def test_a_repeated_code_is_reported_together_with_the_other_bad_rows() -> None:
    text = "kode;nama;kapasitas\nTRC-01;Tim Utara;0\nTRC-02;Tim Selatan;2\nTRC-02;Tim Timur;2\n"
    assert lines_of(errors_of(parse_teams, text)) == [2, 4]


# --- empty files --------------------------------------------------------------------------------


@pytest.mark.parametrize("parse", PARSERS)
def test_an_empty_file_is_reported_on_line_1(parse: Callable[[str], list[Any]]) -> None:
    assert errors_of(parse, "") == [(1, "empty file")]


@pytest.mark.parametrize("parse", PARSERS)
def test_a_file_of_blank_lines_is_refused_on_line_1(parse: Callable[[str], list[Any]]) -> None:
    assert lines_of(errors_of(parse, "\n\n  \n")) == [1]


@pytest.mark.parametrize("parse", PARSERS)
def test_a_file_holding_only_a_bom_is_reported_as_empty(
    parse: Callable[[str], list[Any]],
) -> None:
    assert errors_of(parse, BOM) == [(1, "empty file")]


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
