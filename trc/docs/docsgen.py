"""``trc docs``: the API and configuration documents, written from the code.

For every service: ``docs/openapi/<service>.json`` (its HTTP API) and
``docs/asyncapi/<service>.yaml`` (its Kafka channels); and ``docs/configuration.md``. The apps are
created offline (nothing connects or starts) from settings that ignore the environment and any
``.env``, so the output depends on the code alone and is the same on every machine.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trc.embedded.stack import SERVICES

# FastAPI, FastStream and the services are imported only when documents are made: every `trc`
# command builds the parser that registers this one.
if TYPE_CHECKING:
    from fastapi import FastAPI

    from shared.settings import ServiceSettings

DOCS = Path(__file__).resolve().parents[2] / "docs"
GENERATED = ("asyncapi", "openapi", "configuration.md")
_IGNORED_PREFIX = "TRC_DOCS_IGNORES_THE_ENVIRONMENT_"
_OFFLINE_DATABASE = "sqlite+aiosqlite:///never-opened.db"
_OFFLINE_SECRET = "documentation-only-key-never-signs-anything"  # noqa: S105


def service_parts(service: str) -> tuple[type[ServiceSettings], Callable[[Any], FastAPI]]:
    """The service's settings class and app factory."""
    from services.dispatch.app import create_app as dispatch_app
    from services.dispatch.settings import DispatchSettings
    from services.intake.app import create_app as intake_app
    from services.intake.settings import IntakeSettings
    from services.notify.app import create_app as notify_app
    from services.notify.settings import NotifySettings
    from services.shelter.app import create_app as shelter_app
    from services.shelter.settings import ShelterSettings

    parts: dict[str, tuple[type[ServiceSettings], Callable[[Any], FastAPI]]] = {
        "dispatch": (DispatchSettings, dispatch_app),
        "intake": (IntakeSettings, intake_app),
        "notify": (NotifySettings, notify_app),
        "shelter": (ShelterSettings, shelter_app),
    }
    return parts[service]


def settings_class(service: str) -> type[ServiceSettings]:
    """The service's settings class (the one ``services/<service>/settings.py`` defines)."""
    return service_parts(service)[0]


def offline_app(service: str) -> FastAPI:
    """The service's app with settings from the code's defaults alone (never started)."""
    from pydantic import SecretStr

    from shared.auth import AuthSettings
    from trc.docs.configref import is_group

    settings_cls, create_app = service_parts(service)
    groups: dict[str, Any] = {
        name: field.annotation(_env_file=None, _env_prefix=_IGNORED_PREFIX)  # type: ignore[misc]
        for name, field in settings_cls.model_fields.items()
        if is_group(field)
    }
    groups["auth"] = AuthSettings(
        _env_file=None, _env_prefix=_IGNORED_PREFIX, secret=SecretStr(_OFFLINE_SECRET)
    )
    settings = settings_cls(
        _env_file=None,
        _env_prefix=_IGNORED_PREFIX,
        database_url=SecretStr(_OFFLINE_DATABASE),
        **groups,
    )
    return create_app(settings)


def _json(document: Any) -> str:
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def render() -> dict[str, str]:
    """Every generated document by its path under docs/."""
    from shared.asyncapi import as_yaml, asyncapi_document
    from trc.docs.configref import configuration_markdown

    files: dict[str, str] = {}
    for service in SERVICES:
        app = offline_app(service)
        files[f"openapi/{service}.json"] = _json(app.openapi())
        files[f"asyncapi/{service}.yaml"] = as_yaml(asyncapi_document(app))
    classes = {service: settings_class(service) for service in SERVICES}
    files["configuration.md"] = configuration_markdown(classes)
    return files


def _orphans(out: Path, files: dict[str, str]) -> list[Path]:
    """Files in the generated folders that no service makes any more."""
    return [
        path
        for folder in ("asyncapi", "openapi")
        for path in sorted((out / folder).glob("*"))
        if f"{folder}/{path.name}" not in files
    ]


def write(out: Path = DOCS) -> list[Path]:
    """Write every document under ``out``, and remove the orphans."""
    files = render()
    for orphan in _orphans(out, files):
        orphan.unlink()
    for name, text in files.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text(text, encoding="utf-8")
    return [out / name for name in files]


def stale_files(out: Path = DOCS) -> list[str]:
    """What under ``out`` differs from what the code makes now (missing, changed, orphaned)."""
    files = render()
    changed = [name for name, text in files.items() if _read(out / name) != text]
    return changed + [str(path.relative_to(out)) for path in _orphans(out, files)]


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.exists() else None


def cmd_docs(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if args.check:
        stale = stale_files(out)
        if stale:
            sys.stderr.write(f"out of date in {out} (run `trc docs`): {', '.join(stale)}\n")
        return 1 if stale else 0
    for path in write(out):
        sys.stdout.write(f"wrote {path}\n")
    return 0


def register(sub: Any) -> None:
    """Add ``trc docs`` to the ``trc`` command line."""
    parser = sub.add_parser(
        "docs", help="regenerate docs/asyncapi, docs/openapi and docs/configuration.md"
    )
    parser.add_argument("--out", default=str(DOCS), help="folder (default: the repository's docs)")
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if the files differ"
    )
    parser.set_defaults(func=cmd_docs)
