"""Settings of the shelter service (environment prefix ``TRC_SHELTER_``)."""

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from services.shelter.vault import Vault
from shared.settings import ServiceSettings


class ShelterSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="TRC_SHELTER_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    service_name: str = "shelter"
    http_port: int = 8003
    data_key: SecretStr = Field(
        default=SecretStr(""),
        description="Key sealing NIK and phone numbers (32+ characters); default: derived from "
        "TRC_AUTH_SECRET. Changing it makes sealed values unreadable: keep it with the backups.",
    )

    def vault(self) -> Vault:
        return Vault(self.data_key.get_secret_value() or self.auth.secret.get_secret_value())
