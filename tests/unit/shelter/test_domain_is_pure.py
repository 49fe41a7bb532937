"""Shelter's rules stay pure: its domain imports no database, web, broker or Telegram library."""

from pathlib import Path

from tests.unit.test_boundaries import ROOT, imported_modules

IO_LIBRARIES = ("sqlmodel", "sqlalchemy", "fastapi", "starlette", "faststream", "aiokafka", "telegram")


def test_the_shelter_domain_imports_no_io_library() -> None:
    found = imported_modules(ROOT / "services" / "shelter" / "domain")
    assert found, "the domain package is where it was"
    for path, module in found:
        assert not module.startswith(IO_LIBRARIES), f"{path} imports {module}"
        assert not module.startswith("services.shelter.") or module.startswith(
            "services.shelter.domain."
        ), f"{path} imports {module}"


def test_the_purity_check_catches_an_io_import(tmp_path: Path) -> None:
    (tmp_path / "rules.py").write_text("from sqlmodel import select\n")
    assert [m for _, m in imported_modules(tmp_path)] == ["sqlmodel"]
