"""Settings of the shelter service (environment prefix ``TRC_SHELTER_``)."""

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class ShelterSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="TRC_SHELTER_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    service_name: str = "shelter"
    http_port: int = 8003
