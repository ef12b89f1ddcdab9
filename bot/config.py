"""Settings from the environment (and ``.env``); read once at start-up, never at import."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from conversations.zones import DEFAULT_TIMEZONE

DEFAULT_DATABASE_URL = "sqlite:///data/lapor-posyandu.db"


class Settings(BaseSettings):
    """Every knob of the service. Names match DESIGN.md's contract and ``.env.example``."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", env_ignore_empty=True)

    database_url: str = DEFAULT_DATABASE_URL
    sqlite_synchronous: Literal["OFF", "NORMAL", "FULL", "EXTRA"] = "NORMAL"

    telegram_bot_token: SecretStr | None = None
    telegram_library: Literal["ptb", "aiogram"] = "ptb"
    telegram_api_base_url: str | None = None
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: SecretStr | None = None
    telegram_rate_per_second: float = Field(default=30, gt=0)

    whatsapp_access_token: SecretStr | None = None
    whatsapp_phone_number_id: str | None = None
    whatsapp_app_secret: SecretStr | None = None
    whatsapp_verify_token: SecretStr | None = None
    whatsapp_api_base_url: str = "https://graph.facebook.com/v23.0"
    whatsapp_rate_per_second: float = Field(default=80, gt=0)
    whatsapp_template_name: str = "pemberitahuan"
    whatsapp_template_language: str = "id"

    inbox_retention_days: int = Field(default=30, ge=1)
    """Days a finished inbound message and its replies are kept (numbers and texts are personal
    data); a sender not on the roster leaves nothing once answered."""
    inbox_sweep_seconds: float = Field(default=1.0, gt=0)
    """How often waiting work (a retry that is due, a crashed worker's lane) is looked for."""
    outbox_max_retry_after_seconds: float = Field(default=60, gt=0)
    """The longest a platform's ``Retry-After`` is obeyed for one send; longer asks are logged."""
    rate_limit_redis_url: str | None = None
    """Redis shared by every process sending for the same bot or number (their sending slots);
    unset: counted in this process, right for one process per token or number."""

    http_host: str = "127.0.0.1"
    http_port: int = Field(default=8080, ge=1, le=65535)
    web_base_url: str | None = None
    """Where people's browsers reach the web app (sign-in links in chat); default the server."""
    default_timezone: str = DEFAULT_TIMEZONE
    holidays: str = ""
    log_level: str = "INFO"
    media_dir: Path = Path("data/media")
    """Photos received as evidence, content-addressed (never in the database)."""
    media_max_bytes: int = Field(default=5 * 1024 * 1024, gt=0)

    @property
    def telegram_enabled(self) -> bool:
        return self.telegram_bot_token is not None

    @property
    def web_url(self) -> str:
        """``WEB_BASE_URL`` without a trailing slash, or this server's own address."""
        return (self.web_base_url or f"http://{self.http_host}:{self.http_port}").rstrip("/")

    @property
    def whatsapp_enabled(self) -> bool:
        return self.whatsapp_access_token is not None and self.whatsapp_phone_number_id is not None
