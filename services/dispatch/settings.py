"""Settings of the dispatch service (environment prefix ``TRC_DISPATCH_``)."""

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class DispatchSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="TRC_DISPATCH_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    service_name: str = "dispatch"
    http_port: int = 8002
