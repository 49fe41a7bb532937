"""Services never import each other; shared never imports a service; contracts stay pure."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = sorted(p.name for p in (ROOT / "services").iterdir() if (p / "__init__.py").exists())


def imported_modules(package: Path) -> list[tuple[Path, str]]:
    found = []
    for path in package.rglob("*.py"):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found += [(path, alias.name) for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.append((path, node.module))
            elif isinstance(node, ast.ImportFrom) and node.level > 1:
                found.append((path, "<relative import leaving the package>"))
    return found


def test_there_are_four_services() -> None:
    assert SERVICES == ["dispatch", "intake", "notify", "shelter"]


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_imports_no_other_service(service: str) -> None:
    for path, module in imported_modules(ROOT / "services" / service):
        assert not module.startswith("<relative"), f"{path}: {module}"
        if module.startswith("services."):
            assert module.split(".")[1] == service, f"{path} imports {module}"


def test_shared_imports_no_service() -> None:
    for path, module in imported_modules(ROOT / "shared"):
        assert not module.startswith("services"), f"{path} imports {module}"


def test_contracts_depend_on_pydantic_only() -> None:
    allowed = (
        "pydantic",
        "uuid6",
        "shared.contracts",
        "__future__",
        "typing",
        "datetime",
        "enum",
        "dataclasses",
        "collections",
        # the shipped list of known regions is read with the standard library alone
        "json",
        "functools",
        "importlib",
    )
    for path, module in imported_modules(ROOT / "shared" / "contracts"):
        assert module.startswith(allowed), f"{path} imports {module}"


def test_the_boundary_check_catches_a_cross_service_import(tmp_path: Path) -> None:
    bad = tmp_path / "intake"
    bad.mkdir()
    (bad / "x.py").write_text("from services.dispatch.app import create_app\n")
    assert "services.dispatch.app" in [m for _, m in imported_modules(bad)]
