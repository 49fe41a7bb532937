"""CSV import of teams, and what every sheet shares: Indonesian or English headers, BOMs, line
endings, empty files, every bad row reported with its line number."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from services.dispatch.domain.sheets import (
    SheetErrors,
    TeamRow,
    parse_members,
    parse_roster,
    parse_teams,
)
from tests.unit.dispatch.sheet_support import BOM, PARSERS, errors_of, lines_of

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
