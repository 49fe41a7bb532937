"""Settings of the notify service (environment prefix ``TRC_NOTIFY_``; the bot token is
``TELEGRAM_BOT_TOKEN``: unset, notify talks to the local Telegram stand-in)."""

from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings

STANDIN_TOKEN = "1000000:standin"  # noqa: S105 (not a secret: the stand-in takes any token)


class NotifySettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="TRC_NOTIFY_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    service_name: str = "notify"
    http_port: int = 8004
    telegram_bot_token: SecretStr = Field(
        default=SecretStr(""),
        validation_alias=AliasChoices("TELEGRAM_BOT_TOKEN", "TRC_NOTIFY_TELEGRAM_BOT_TOKEN"),
        description="From @BotFather; unset: the local stand-in is used",
    )
    telegram_standin_url: str = Field(
        default="http://127.0.0.1:8081", description="The local Telegram stand-in (no token set)"
    )
    telegram_mode: Literal["polling", "webhook"] = Field(
        default="polling", description="How updates arrive: long polling, or a webhook"
    )
    webhook_url: str = Field(
        default="", description="Public https URL of /telegram/webhook (webhook mode)"
    )
    webhook_secret: SecretStr = Field(
        default=SecretStr(""),
        description="Telegram sends it back in a header; checked in constant time",
    )
    language: Literal["id", "en"] = Field(default="id", description="Language of the messages")
    members_privately: bool = Field(
        default=False, description="Also send each assignment to the team's members privately"
    )
    per_chat_gap_s: float = Field(
        default=1.05, gt=0, description="Seconds between two messages to a chat (Telegram: ~1/s)"
    )
    per_group_per_minute: int = Field(
        default=18, ge=1, description="Messages a minute to a group (Telegram: 20)"
    )
    global_per_second: int = Field(default=30, ge=1, description="Telegram: ~30/s in all")
    sender_max_sleep_s: float = Field(
        default=5.0,
        gt=0,
        description="Longest the idle sender sleeps: a delivery another process wrote waits "
        "at most this long (one written here wakes it at once)",
    )
    max_attempts: int = Field(default=12, ge=1, description="5xx/network tries before giving up")
    delivery_retention_days: int = Field(
        default=30, ge=1, description="How long settled deliveries stay in the log"
    )

    @property
    def token(self) -> str:
        return self.telegram_bot_token.get_secret_value() or STANDIN_TOKEN

    @property
    def api_base_url(self) -> str:
        if self.telegram_bot_token.get_secret_value():
            return "https://api.telegram.org/bot"
        return self.telegram_standin_url.rstrip("/") + "/bot"
