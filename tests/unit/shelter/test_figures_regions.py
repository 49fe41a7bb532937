"""A province's per-kab/kota lines from grouped counts, the "PPKS mandiri" KPI from outcomes
recorded in the period (not closures), and the CSV and XLSX a province gets — on plain values,
no database."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone

from openpyxl import load_workbook

from services.shelter.figures import Figures, as_csv, as_xlsx
from services.shelter.figures_regions import HEADINGS, RegionSummary, summaries, table

WITA = timezone(timedelta(hours=8))
START, END = datetime(2026, 11, 1, tzinfo=WITA), datetime(2026, 12, 1, tzinfo=WITA)


def lines() -> list[RegionSummary]:
    return summaries(
        opened={"64.72": 3, "64.71": 5},
        outcomes=[
            ("64.72", "independent", 1),
            ("64.72", "returned_to_family", 1),
            ("64.71", "independent", 2),
            ("64.71", "placed_in_institution", 1),
        ],
        closed={"64.72": 2, "64.71": 3},
        inside={"64.72": 1, "64.71": 1},
        stays={"64.72": 11.5, "64.71": 9.0},
        shelter_regions=["64.74", "64.72"],
    )


def province() -> Figures:
    return Figures(
        "64",
        START,
        END,
        opened_by_category={"gepeng": 6, "anak_jalanan": 2},
        outcomes={"independent": 3, "returned_to_family": 1, "placed_in_institution": 1},
        closed=5,
        stay_days_mean=10.0,
        occupancy=[("2026-11-29", 3), ("2026-11-30", 2)],
        by_region=lines(),
    )


def test_a_line_for_every_code_met_sorted_with_the_kpi_of_each() -> None:
    found = {line.region_code: line for line in lines()}
    assert list(found) == ["64.71", "64.72", "64.74"]  # Bontang: a shelter, no cases
    assert found["64.71"].mandiri == {"count": 2, "closed": 3, "percent": 66.7}
    assert found["64.72"].mandiri == {"count": 1, "closed": 2, "percent": 50.0}
    assert found["64.74"].mandiri == {"count": 0, "closed": 0, "percent": None}
    assert found["64.72"].name == "Kota Samarinda"
    assert found["64.74"].as_json()["opened"] == 0


def test_the_kpi_counts_outcomes_recorded_not_cases_closed() -> None:
    figures = Figures("64.72", START, END, outcomes={"independent": 1, "died": 3}, closed=9)
    rows = {(f, k): v for f, k, v in figures.rows()}
    assert rows[("ppks_mandiri", "outcomes_recorded")] == 4
    assert rows[("ppks_mandiri", "count")] == 1
    assert rows[("ppks_mandiri", "percent")] == 25.0
    assert rows[("closed", "all")] == 9  # a figure of its own


def test_the_province_total_line_comes_from_its_own_figures() -> None:
    total = province().summary()
    assert (total.opened, total.closed, total.in_shelter_at_end) == (8, 5, 2)
    assert total.mandiri == {"count": 3, "closed": 5, "percent": 60.0}
    assert province().last_day == "2026-11-30"


def test_the_sheet_table_has_headings_a_line_a_kab_kota_and_the_total() -> None:
    rows = table(lines(), province().summary())
    assert rows[0] == HEADINGS["id"]
    assert rows[1] == ["64.71", "Kota Balikpapan", 5, 3, 2, 66.7, 3, 1, 9.0]
    assert rows[-1][:2] == ["64", "Jumlah Kalimantan Timur"]
    assert table(lines(), province().summary(), "en")[-1][1] == "Total Kalimantan Timur"


def test_the_csv_carries_each_kab_kota_under_its_own_code() -> None:
    read = list(csv.DictReader(io.StringIO(as_csv(province()))))
    count = {
        r["region"]: r["value"]
        for r in read
        if (r["figure"], r["key"]) == ("ppks_mandiri", "count")
    }
    assert count == {"64": "3", "64.71": "2", "64.72": "1", "64.74": "0"}
    inside = {r["region"]: r["value"] for r in read if r["figure"] == "occupancy_end_of_day"}
    assert inside["64.71"] == "1" and inside["64"] == "2"


def test_the_xlsx_of_a_province_has_the_per_kab_kota_sheet_and_of_a_kab_kota_not() -> None:
    book = load_workbook(io.BytesIO(as_xlsx(province())))
    assert book.sheetnames == ["Ringkasan", "Per kab-kota"]
    rows = list(book["Per kab-kota"].iter_rows(min_row=4, values_only=True))
    assert [r[0] for r in rows] == ["Kode", "64.71", "64.72", "64.74", "64"]
    alone = Figures("64.72", START, END, outcomes={"independent": 1})
    assert load_workbook(io.BytesIO(as_xlsx(alone))).sheetnames == ["Ringkasan"]
    english = load_workbook(io.BytesIO(as_xlsx(province(), "en")))
    assert english.sheetnames == ["Summary", "By kab-kota"]
    assert english["By kab-kota"]["B4"].value == "Regency/city"
