"""Database migrations (Alembic): the platform lineage plus each service's own.

``trc migrate`` and a service's start (``auto_migrate``) run :func:`upgrade`; a new migration
for a service is written with ``trc makemigration <service> -m "what changed"``.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import MetaData

from shared.db import normalise_url


def service_versions(service_package: str) -> Path:
    """``services/<name>/migrations``: where a service keeps its own revisions."""
    return Path(str(files(service_package).joinpath("migrations")))


def alembic_config(
    url: str, *, versions: list[Path], target_metadata: MetaData | None = None
) -> Config:
    config = Config()
    config.set_main_option("script_location", str(files("shared").joinpath("migrations")))
    platform_versions = files("shared").joinpath("migrations", "versions")
    locations = [str(platform_versions), *(str(v) for v in versions if v.is_dir())]
    config.set_main_option("version_locations", " ".join(locations))
    config.set_main_option("path_separator", "space")
    config.attributes["url"] = normalise_url(url)
    config.attributes["target_metadata"] = target_metadata
    return config


def upgrade(url: str, *, versions: list[Path]) -> None:
    """Apply every pending revision of the platform and the service lineages."""
    command.upgrade(alembic_config(url, versions=versions), "heads")


def make_revision(
    url: str, *, versions: Path, label: str, message: str, target_metadata: MetaData
) -> Any:
    """Autogenerate a revision for a service from the difference between models and database."""
    versions.mkdir(parents=True, exist_ok=True)
    config = alembic_config(url, versions=[versions], target_metadata=target_metadata)
    command.upgrade(config, "heads")  # autogenerate compares against an up-to-date database
    existing = _has_branch(config, label)
    return command.revision(
        config,
        message=message,
        autogenerate=True,
        version_path=str(versions),
        head=f"{label}@head" if existing else "base",
        branch_label=None if existing else label,
    )


def _has_branch(config: Config, label: str) -> bool:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(config)
    return any(label in (rev.branch_labels or ()) for rev in script.walk_revisions())
