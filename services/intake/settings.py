"""Settings of the intake service (environment prefix ``TRC_INTAKE_``)."""

from datetime import timedelta
from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from services.intake.domain.duplicates import DuplicatePolicy
from shared.settings import ServiceSettings


class IntakeSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="TRC_INTAKE_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    service_name: str = "intake"
    http_port: int = 8001
    webhook_rate_limit: str = Field(
        default="120/minute", description="Per API key, e.g. '120/minute' (limits syntax)"
    )
    duplicate_window_minutes: int = Field(
        default=360, ge=1, le=7 * 24 * 60, description="How far back an open report is a match"
    )
    duplicate_distance_m: float = Field(
        default=500,
        gt=0,
        le=20_000,
        description="How far one person on foot may be from an open report of the same case",
    )
    duplicate_same_spot_m: float = Field(
        default=50,
        gt=0,
        le=1_000,
        description="How close a household or group reported by another person must be",
    )
    triage_remind_minutes: int = Field(
        default=10,
        ge=1,
        le=24 * 60,
        description="A P1 waiting in the triage queue that no operator has claimed is told again "
        "in the supervisors' chat this many minutes after it was received or last told",
    )

    places_dir: Path | None = Field(
        default=None,
        description="Folder of the department's own landmark files (<code>.json, written by `trc "
        "region landmarks import`), laid over the shipped ones; default: places/ in the data "
        "folder",
    )

    def places_folder(self) -> Path:
        """Where the department's landmark files are: the setting, or ``<data dir>/places``."""
        return self.places_dir if self.places_dir is not None else self.data_dir / "places"

    def triage_remind_every(self) -> timedelta:
        return timedelta(minutes=self.triage_remind_minutes)

    def duplicate_policy(self) -> DuplicatePolicy:
        return DuplicatePolicy(
            window=timedelta(minutes=self.duplicate_window_minutes),
            max_distance_m=self.duplicate_distance_m,
            same_spot_m=self.duplicate_same_spot_m,
        )
