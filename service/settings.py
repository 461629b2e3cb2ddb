"""Configuration: environment variables with the prefix SPRACHROHR_."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal
from urllib.parse import parse_qs, unquote, urlsplit
from zoneinfo import ZoneInfoNotFoundError

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from domain.calendar import DEFAULT_TIME_ZONE, zone


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SPRACHROHR_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    workers: int = Field(1, ge=1, le=64)
    data_dir: Path = Path("var")
    database_url: str | None = Field(
        None, description="postgresql://user:password@host:port/dbname[?schema=name]"
    )
    bootstrap_admin_email: str | None = None
    bootstrap_admin_password: str | None = None
    token_ttl_hours: int = Field(12, ge=1, le=24 * 30)
    max_body_bytes: int = Field(64 * 1024, ge=1024)
    max_upload_bytes: int = Field(
        20 * 1024 * 1024, ge=1024, description="Spreadsheets uploaded for an import."
    )
    read_wait_seconds: float = Field(5.0, ge=0, le=60)
    run_projector: bool = True
    projector: Literal["inline", "process"] = Field(
        "process",
        description="Where `serve` runs the projector: a `sprachrohr project` child it"
        " restarts when it dies (process, ADR 028), or a thread in each server process"
        " (inline)",
    )
    projector_nice: int = Field(
        10,
        ge=0,
        le=19,
        description="How much `sprachrohr project` (and the child of `serve`) yields the CPU"
        " to the server's requests when both want it (the process's nice value, ADR 028)",
    )
    api_docs: Literal["public", "signed-in", "off"] = Field(
        "signed-in", description="Who sees the API explorer at /api/docs."
    )
    login_failures_per_account: int = Field(
        5, ge=1, le=1000, description="Failures for one e-mail from one address before 429."
    )
    login_failures_per_address_per_minute: int = Field(100, ge=1)
    login_retry_after_cap_seconds: int = Field(900, ge=30, le=86_400)
    trusted_proxies: str = Field(
        "", description="Comma-separated addresses whose X-Forwarded-For is believed."
    )
    public_url: str | None = Field(
        None, description="Base of every link in mails; default http://HOST:PORT"
    )
    mail_retry_seconds: float = Field(
        2.0, gt=0, le=3600, description="First retry of a mail; doubles per failure, 15 min cap"
    )
    mail_from: str = Field("Sprachrohr <sprachrohr@localhost>", min_length=3, max_length=300)
    smtp_url: str | None = Field(
        None,
        description="smtp://host:port, smtp+starttls://user:pass@host:587,"
        " smtps://user:pass@host:465; unset: mails are written to DATA_DIR/outbox/",
    )
    webhooks_allow_private: bool = Field(
        False, description="Allow webhooks to loopback and private addresses (tests, labs)"
    )
    oidc_issuer: str | None = Field(
        None, description="OpenID issuer, e.g. https://login.microsoftonline.com/organizations/v2.0"
    )
    oidc_client_id: str | None = None
    oidc_client_secret: str | None = None
    signing_key_file: Path | None = Field(
        None, description="The Ed25519 key that signs dossiers (PEM); default a development key"
    )
    time_zone: str = Field(
        DEFAULT_TIME_ZONE,
        description="The association's time zone (IANA name): whose calendar says which day it is.",
    )
    association_name: str = Field(
        "MSPN e.V.", min_length=1, max_length=200, description="Printed on briefing dossiers."
    )

    @field_validator("time_zone")
    @classmethod
    def known_time_zone(cls, value: str) -> str:
        try:
            zone(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {value!r} (use an IANA name such as Europe/Berlin)"
            ) from None
        return value

    @property
    def oidc_configured(self) -> bool:
        return bool(self.oidc_issuer and self.oidc_client_id and self.oidc_client_secret)

    @property
    def public_base(self) -> str:
        """The base of every link the system sends out, without a trailing slash."""
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def signing_key_path(self) -> Path:
        """The configured signing key, or the development key under the data directory."""
        return self.signing_key_file or self.data_dir / "signing-key.pem"

    @property
    def uses_postgres(self) -> bool:
        if self.database_url:
            return True
        return os.environ.get("PERSISTENCE_MODULE", "").endswith("postgres")

    def event_store_env(self) -> dict[str, str]:
        """The eventsourcing library's environment for the application.

        The event store is the library's, with group commit (storage.sqlite,
        storage.postgres): concurrent commands are saved together in one transaction.
        """
        env = {"AGGREGATE_CACHE_MAXSIZE": "20000"}
        if self.database_url:
            env.update(postgres_env(self.database_url))
            env["PERSISTENCE_MODULE"] = "storage.postgres"
        elif not self.uses_postgres:
            env["PERSISTENCE_MODULE"] = "storage.sqlite"
            env["SQLITE_DBNAME"] = str(self.data_dir / "events.sqlite")
            env["SQLITE_LOCK_TIMEOUT"] = "10"
        return env


def postgres_env(url: str) -> dict[str, str]:
    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres"):
        raise ValueError("SPRACHROHR_DATABASE_URL must start with postgresql://")
    query = parse_qs(parts.query)
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": unquote(parts.path.lstrip("/")) or "sprachrohr",
        "POSTGRES_HOST": parts.hostname or "127.0.0.1",
        "POSTGRES_PORT": str(parts.port or 5432),
        "POSTGRES_USER": unquote(parts.username or "postgres"),
        "POSTGRES_PASSWORD": unquote(parts.password or ""),
        "POSTGRES_SCHEMA": query.get("schema", ["public"])[0],
        "POSTGRES_LOCK_TIMEOUT": "5",
    }
