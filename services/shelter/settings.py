"""Settings of the shelter service (environment prefix ``TRC_SHELTER_``)."""

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from services.shelter.domain.cases import PGOT_AND_ODGJ_14_DAYS, PlanRules
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

    assessment_days: int = Field(
        default=3, ge=1, le=60, description="Days from admission to the assessment"
    )
    plan_days: int = Field(
        default=2, ge=0, le=60, description="Days after the assessment's due date to the plan"
    )
    service_days: dict[str, int] = Field(
        default_factory=lambda: dict(PGOT_AND_ODGJ_14_DAYS),
        description="Target service period in days per PPKS category (JSON), e.g. "
        '{"odgj_terlantar": 14, "gepeng": 14}',
    )
    default_service_days: int = Field(
        default=30, ge=1, le=730, description="Target service period of the other categories"
    )
    retention_days: int = Field(
        default=1825,
        ge=30,
        description="Days after a person's last case closed before their name, alias, NIK and "
        "phone are erased (the figures keep counting them)",
    )

    def plan_rules(self) -> PlanRules:
        return PlanRules(
            assessment_days=self.assessment_days,
            plan_days=self.plan_days,
            service_days=self.service_days,
            default_service_days=self.default_service_days,
        )

    def vault(self) -> Vault:
        return Vault(self.data_key.get_secret_value() or self.auth.secret.get_secret_value())
