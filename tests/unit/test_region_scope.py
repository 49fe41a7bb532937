"""The one region-scope rule: a province covers its kabupaten/kota, a kab/kota only itself, in
Python and in SQL alike; and the one "PPKS mandiri" KPI."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, MetaData, String, Table, create_engine, select
from sqlalchemy.orm import Session

from shared.contracts.vocabulary import ppks_mandiri
from shared.scope import in_any, in_scope, is_province, within, within_any

CODES = ["64", "64.72", "64.71", "63.71", "21.71", "21.710", "640.1"]


@pytest.mark.parametrize(
    ("code", "scope", "inside"),
    [
        ("64.72", "64", True),
        ("64", "64", True),
        ("64.72", "64.72", True),
        ("64.71", "64.72", False),
        ("63.71", "64", False),
        ("640.1", "64", False),
        ("21.710", "21.71", False),
        ("64", "64.72", False),
    ],
)
def test_in_scope(code: str, scope: str, inside: bool) -> None:
    assert in_scope(code, scope) is inside


def test_is_province_and_any() -> None:
    assert is_province("64") and not is_province("64.72")
    assert in_any("63.71", ["64", "63"]) and not in_any("63.71", [])


# Its own metadata: the services' tables never see this one.
PLACE = Table("scope_place", MetaData(), Column("region_code", String, primary_key=True))


@pytest.mark.parametrize("scope", ["64", "64.72", "21.71", "63"])
def test_sql_matches_python(scope: str) -> None:
    engine = create_engine("sqlite://")
    PLACE.metadata.create_all(engine)
    code = PLACE.c.region_code
    with Session(engine) as session:
        session.execute(PLACE.insert(), [{"region_code": c} for c in CODES])
        found = session.scalars(select(code).where(within(code, scope))).all()
        assert sorted(found) == sorted(c for c in CODES if in_scope(c, scope))
        several = session.scalars(select(code).where(within_any(code, ["63", "21.71"]))).all()
        assert sorted(several) == ["21.71", "63.71"]
        assert session.scalars(select(code).where(within_any(code, []))).all() == []


def test_ppks_mandiri_one_definition() -> None:
    assert ppks_mandiri({"independent": 3, "returned_to_family": 1}) == {
        "count": 3,
        "closed": 4,
        "percent": 75.0,
    }
    assert ppks_mandiri({}) == {"count": 0, "closed": 0, "percent": None}
