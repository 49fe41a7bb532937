"""Services never import each other; shared never imports a service; neither imports nor starts
the tooling (trc); domain code imports no I/O library; contracts stay pure. bench may import
anything."""

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


def started_modules(package: Path) -> list[tuple[Path, str]]:
    """Modules a command line written in the code starts: ``[…, "-m", "trc.cli", …]``."""
    found = []
    for path in package.rglob("*.py"):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.List | ast.Tuple):
                continue
            for flag, module in zip(node.elts, node.elts[1:], strict=False):
                if _text(flag) == "-m" and _text(module) is not None:
                    found.append((path, str(_text(module))))
    return found


def _text(node: ast.expr) -> str | None:
    """A string constant, or the constant start of an f-string (``f"services.{name}"``)."""
    if isinstance(node, ast.JoinedStr) and node.values:
        node = node.values[0]
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def violations(package: Path, forbidden: tuple[str, ...]) -> list[str]:
    """What the package imports or starts with ``-m`` from the ``forbidden`` top-level names."""
    used = imported_modules(package) + started_modules(package)
    return [f"{path}: {module}" for path, module in used if module.split(".")[0] in forbidden]


IO_LIBRARIES = ("sqlmodel", "sqlalchemy", "fastapi", "faststream", "telegram")
DOMAINS = sorted(p.parent.name for p in (ROOT / "services").glob("*/domain/__init__.py"))


def test_there_are_four_services() -> None:
    assert SERVICES == ["dispatch", "intake", "notify", "shelter"]


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_imports_no_other_service(service: str) -> None:
    for path, module in imported_modules(ROOT / "services" / service):
        assert not module.startswith("<relative"), f"{path}: {module}"
        if module.startswith("services."):
            assert module.split(".")[1] == service, f"{path} imports {module}"


def test_shared_imports_no_service() -> None:
    assert violations(ROOT / "shared", ("services",)) == []


@pytest.mark.parametrize("package", ["services", "shared"])
def test_neither_services_nor_shared_import_or_start_the_tooling(package: str) -> None:
    assert violations(ROOT / package, ("trc",)) == []


@pytest.mark.parametrize("service", DOMAINS)
def test_domain_code_imports_no_io_library(service: str) -> None:
    assert violations(ROOT / "services" / service / "domain", IO_LIBRARIES) == []


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


def test_the_boundary_check_catches_shared_importing_a_service(tmp_path: Path) -> None:
    (tmp_path / "x.py").write_text("from services.dispatch import app\n")
    assert violations(tmp_path, ("services",)) == [f"{tmp_path / 'x.py'}: services.dispatch"]


@pytest.mark.parametrize(
    "source",
    [
        "from trc.embedded.stack import SERVICES\n",
        "import trc.cli\n",
        "command = [sys.executable, '-m', 'trc.simulator', '--list']\n",
        "command = (sys.executable, '-m', f'trc.{tool}')\n",
    ],
)
def test_the_boundary_check_catches_a_use_of_the_tooling(tmp_path: Path, source: str) -> None:
    (tmp_path / "x.py").write_text(source)
    assert len(violations(tmp_path, ("trc",))) == 1


@pytest.mark.parametrize("library", IO_LIBRARIES)
def test_the_boundary_check_catches_an_io_library_in_domain_code(
    tmp_path: Path, library: str
) -> None:
    (tmp_path / "policy.py").write_text(f"from {library} import something\n")
    assert len(violations(tmp_path, IO_LIBRARIES)) == 1


def test_a_started_service_is_not_taken_for_the_tooling(tmp_path: Path) -> None:
    (tmp_path / "x.py").write_text("run([sys.executable, '-m', f'services.{name}', 'serve'])\n")
    assert started_modules(tmp_path) == [(tmp_path / "x.py", "services.")]
    assert violations(tmp_path, ("trc",)) == []
