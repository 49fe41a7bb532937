"""Settings of the notify service (environment prefix ``TRC_NOTIFY_``)."""

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class NotifySettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="TRC_NOTIFY_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    service_name: str = "notify"
    http_port: int = 8004
