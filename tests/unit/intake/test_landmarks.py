"""A department's landmarks from its CSV: every row checked against the national list (all or
nothing), re-imports replace by name, the file laid over the shipped one and read by the gazetteer."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from services.intake.domain import gazetteer as gaz
from services.intake.domain.landmarks import LandmarkErrors, apply, merge, read_csv
from services.intake.domain.wilayah import RegionData, load_region
from trc.cli import main as trc

SAMARINDA, INDRAMAYU, BATAM = "64.72", "32.12", "21.71"
HEADER = "name,kelurahan,kecamatan,aliases\n"


def region(code: str) -> RegionData:
    return load_region(code)[0]


def errors(text: str, code: str = SAMARINDA) -> list[tuple[int, str]]:
    with pytest.raises(LandmarkErrors) as caught:
        read_csv(text, region(code))
    return caught.value.errors


@pytest.fixture
def places_dir(tmp_path: Path) -> Iterator[Path]:
    """A department folder the gazetteer reads; afterwards none, and every cache forgotten."""
    folder = tmp_path / "places"
    gaz.use_places_dir(folder)
    yield folder
    gaz.use_places_dir(None)


# ------------------------------------------------------------------ reading the CSV (pure)
def test_rows_become_landmarks_with_the_national_names() -> None:
    text = (HEADER + "Pasar Segiri,pelita,,Segiri; Psr Segiri ;;segiri\n"
            "\n"
            "Terminal Lempake,Kelurahan Lempake,Kec. Samarinda Utara,\n")  # fmt: skip
    first, second = read_csv(text, region(SAMARINDA))
    assert (first.name, first.kelurahan, first.kecamatan) == ("Pasar Segiri", "Pelita", None)
    assert first.aliases == ("Segiri", "Psr Segiri")  # trimmed, empty and repeated ones dropped
    assert (second.kelurahan, second.kecamatan) == ("Lempake", None)  # only kept where needed


def test_a_spreadsheet_saved_with_semicolons_and_a_bom_reads_too() -> None:
    text = '\ufeffName;Kelurahan;Kecamatan;Aliases\nPasar Segiri;Pelita;;"Segiri;Psr Segiri"\n'
    (mark,) = read_csv(text, region(SAMARINDA))
    assert mark.aliases == ("Segiri", "Psr Segiri")


def test_every_bad_row_is_refused_with_its_line() -> None:
    text = (
        HEADER + "Mall X,Pelitaa,,\n"  # line 2: no such kelurahan (a near one suggested)
        "Pasar Pagi Baru,Pasar Pagi,,\n"  # fine
        "Y,Pelita,Nowhere,\n"  # line 4: no such kecamatan
        ",Pelita,,\n"  # line 5: no name
        "Z,Pelita,Palaran,\n"  # line 6: Pelita is not in Palaran
        "pasar pagi baru,Bugis,,\n"  # line 7: the same name twice
        "W,,,\n"  # line 8: no kelurahan
    )
    found = errors(text)
    assert [line for line, _ in found] == [2, 4, 5, 6, 7, 8]
    assert "did you mean 'Pelita'" in found[0][1]
    assert "line 3" in found[4][1]


def test_a_village_two_kecamatan_share_needs_its_kecamatan() -> None:
    ((line, message),) = errors(HEADER + "Balai Desa,Mekarsari,,\n", INDRAMAYU)
    assert line == 2 and "Kec. Patrol" in message and "Kec. Tukdana" in message
    (mark,) = read_csv(HEADER + "Balai Desa,Mekarsari,Tukdana,\n", region(INDRAMAYU))
    assert (mark.kelurahan, mark.kecamatan) == ("Mekarsari", "Tukdana")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "empty file"),
        ("nama,kelurahan\nX,Pelita\n", "unknown column(s): nama"),
        ("name,kecamatan\nX,Palaran\n", "missing column(s): kelurahan"),
        (HEADER, "no landmarks"),
        (HEADER + "X,Pelita,,a,b\n", "more cells than columns"),
    ],
)
def test_a_file_that_is_not_the_format_is_refused(text: str, problem: str) -> None:
    assert problem in errors(text)[0][1]


def test_reimporting_replaces_by_name_and_keeps_the_rest() -> None:
    samarinda = region(SAMARINDA)
    first = read_csv(HEADER + "Pasar Segiri,Pelita,,\nMasjid Raya,Pasar Pagi,,\n", samarinda)
    data, added, replaced = apply(None, first, samarinda)
    assert (added, replaced, data["region_code"]) == (2, 0, SAMARINDA)
    again = read_csv(HEADER + "PASAR SEGIRI,Sidodamai,,Segiri\nJembatan Mahkota,Selili,,\n",
                     samarinda)  # fmt: skip
    data, added, replaced = apply(data, again, samarinda)
    assert (added, replaced) == (1, 1)
    assert [m["name"] for m in data["landmarks"]] == ["PASAR SEGIRI", "Masjid Raya",
                                                       "Jembatan Mahkota"]  # fmt: skip
    assert data["landmarks"][0] == {"name": "PASAR SEGIRI", "aliases": ["Segiri"],
                                    "kelurahan": "Sidodamai"}  # fmt: skip


def test_the_department_file_wins_over_the_shipped_one_which_is_kept() -> None:
    shipped = {"landmarks": [{"name": "Nagoya", "kelurahan": "Lubuk Baja Kota"},
                             {"name": "Simpang Jam", "kelurahan": "Baloi Indah"}],
               "kelurahan_aliases": {"Belian": ["Belian Baru"]}}  # fmt: skip
    own = {"landmarks": [{"name": "nagoya", "kelurahan": "Kampung Seraya"}],
           "kelurahan_aliases": {"Belian": ["Blian"]}}  # fmt: skip
    merged = merge(shipped, own)
    assert merged is not None
    assert merged["landmarks"] == [{"name": "Simpang Jam", "kelurahan": "Baloi Indah"},
                                   {"name": "nagoya", "kelurahan": "Kampung Seraya"}]  # fmt: skip
    assert merged["kelurahan_aliases"] == {"Belian": ["Blian", "Belian Baru"]}
    assert merge(shipped, None) is shipped and merge(None, own) is own


# ------------------------------------------------------------------ the command and the gazetteer
def test_an_imported_landmark_is_found_after_the_next_start(places_dir: Path, capsys) -> None:
    csv = places_dir.parent / "landmarks.csv"
    csv.write_text(HEADER + "Pasar Segiri,Pelita,,Psr Segiri\n"
                   "Jembatan Mahkota Dua,Simpang Tiga,Loa Janan Ilir,Jembatan Mahkota II\n")  # fmt: skip
    text = "ada ODGJ ngamuk di depan psr segiri pagi ini"
    assert gaz.gazetteer(SAMARINDA).find(text) is None  # no shipped file for Samarinda

    argv = ["region", "landmarks", "import", str(csv), "--region", SAMARINDA,
            "--places-dir", str(places_dir)]  # fmt: skip
    assert trc([*argv, "--dry-run"]) == 0
    assert not (places_dir / f"{SAMARINDA}.json").exists()  # a dry run writes nothing
    assert trc(argv) == 0
    assert "Restart intake" in capsys.readouterr().out
    assert trc(argv) == 0  # again: the same two, replaced
    assert len(json.loads((places_dir / f"{SAMARINDA}.json").read_text())["landmarks"]) == 2

    gaz.use_places_dir(places_dir)  # what intake does when it starts (the cache forgotten)
    guess = gaz.gazetteer(SAMARINDA).find(text)
    assert guess is not None
    assert (guess.landmark, guess.kelurahan, guess.kecamatan) == (
        "Pasar Segiri",
        "Pelita",
        "Samarinda Ilir",
    )
    bridge = gaz.gazetteer(SAMARINDA).find("gelandangan tidur di bawah jembatan mahkota ii")
    assert bridge is not None and bridge.kecamatan == "Loa Janan Ilir"
    assert SAMARINDA in gaz.known_regions()


def test_a_refused_file_writes_nothing(places_dir: Path, capsys) -> None:
    csv = places_dir.parent / "bad.csv"
    csv.write_text(HEADER + "Pasar Segiri,Pelita,,\nMall X,Pelitaa,,\n")
    argv = ["region", "landmarks", "import", str(csv), "--region", SAMARINDA,
            "--places-dir", str(places_dir)]  # fmt: skip
    assert trc(argv) == 2
    assert "line 3: Mall X: no kelurahan 'Pelitaa'" in capsys.readouterr().err
    assert not (places_dir / f"{SAMARINDA}.json").exists()


def test_batam_keeps_its_shipped_landmarks_beside_the_departments(places_dir: Path) -> None:
    places_dir.mkdir()
    own = {"landmarks": [{"name": "Pasar Induk Jodoh", "kelurahan": "Sungai Jodoh"},
                         {"name": "Gone", "kelurahan": "No Such Kelurahan"}]}  # fmt: skip
    (places_dir / f"{BATAM}.json").write_text(json.dumps(own))
    gaz.use_places_dir(places_dir)
    batam = gaz.gazetteer(BATAM)
    assert batam.landmark_count == 13  # the 12 shipped and the department's one that is placed
    assert batam.unplaced == ["Gone (No Such Kelurahan)"]  # told, not a crash at start
    found = batam.find("pengemis di pasar induk jodoh")
    assert found is not None and found.landmark == "Pasar Induk Jodoh"
    nagoya = batam.find("anak jalanan di nagoya")
    assert nagoya is not None and nagoya.landmark == "Nagoya"


def test_region_show_prints_what_the_system_knows_of_a_region(
    places_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from trc.cli import main

    monkeypatch.setenv("TRC_INTAKE_PLACES_DIR", str(places_dir))
    assert main(["region", "show", "32.12"]) in (0, None)
    shown = capsys.readouterr().out
    assert "Kabupaten Indramayu" in shown and "WIB" in shown
    assert "desa (309 desa, 8 kelurahan)" in shown
    assert "kecamatan:       31" in shown and "kelurahan/desa:  317" in shown
    assert "loaded in:" in shown
