"""Settings of the intake service (environment prefix ``TRC_INTAKE_``)."""

from pydantic import Field
from pydantic_settings import SettingsConfigDict

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
