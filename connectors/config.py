"""The configuration: one TOML file, with secrets from the environment or a secrets file.

``shopwright.toml`` (or the file named by ``SHOPWRIGHT_CONFIG``) holds the database URL, daemon
and bot settings, and ``[connections.<name>]`` tables, each validated by its connector's own
pydantic settings model. Secret fields (``SecretStr`` in the model) are refused in the TOML: they
come from ``SHOPWRIGHT_<CONNECTION>_<FIELD>`` environment variables or from the secrets file.
"""

from __future__ import annotations

import os
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from connectors.types import ConnectorType, UnknownConnectorTypeError, load_connector_type

DEFAULT_CONFIG_PATH = Path("shopwright.toml")
DEFAULT_SECRETS_PATH = Path("var/secrets.toml")
DEFAULT_DATABASE_URL = "sqlite:///var/shopwright.db"


class ConfigError(ValueError):
    """A configuration that cannot run; ``problems`` holds one line per key."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


class DaemonConfig(BaseModel):
    """``[daemon]``: how the sync daemon schedules, retries and reports."""

    model_config = ConfigDict(extra="forbid")

    tick_seconds: float = Field(1.0, gt=0, description="How often the daemon looks for due flows.")
    max_attempts: int = Field(
        5, ge=1, description="Attempts of a failing flow before it waits a full interval."
    )
    backoff_base_seconds: float = Field(2.0, gt=0, description="First retry delay; doubles per attempt.")
    backoff_max_seconds: float = Field(300.0, gt=0, description="Longest retry delay.")
    lease_ttl_seconds: float = Field(300.0, gt=0, description="How long a SQLite flow claim lasts.")
    metrics_port: int | None = Field(None, ge=0, le=65535, description="Prometheus metrics port.")
    plugins: list[str] = Field(default_factory=list, description="Modules that add connector types.")


class BotConfig(BaseModel):
    """``[bot]``: who may approve writes and where alerts go."""

    model_config = ConfigDict(extra="forbid")

    approvers: list[str] = Field(default_factory=list, description="Slack user ids allowed to approve.")
    alerts_channel: str | None = Field(None, description="Slack channel id for on-call alerts.")
    approval_ttl_minutes: int = Field(24 * 60, gt=0, description="How long an approval card stays valid.")
    openai_model: str = Field("gpt-4o-mini", description="Model name for the OpenAI-compatible backend.")


class FileConfig(BaseModel):
    """The top level of ``shopwright.toml`` (connections are validated per type, separately)."""

    model_config = ConfigDict(extra="forbid")

    database_url: str = DEFAULT_DATABASE_URL
    secrets_file: str | None = None
    daemon: DaemonConfig = Field(default_factory=DaemonConfig)
    bot: BotConfig = Field(default_factory=BotConfig)
    connections: dict[str, dict[str, Any]] = Field(default_factory=dict)


@dataclass(frozen=True)
class ConnectionConfig:
    """One validated ``[connections.<name>]`` table."""

    name: str
    type: str
    settings: BaseModel
    connector: ConnectorType

    def public_settings(self) -> dict[str, Any]:
        """The settings without secrets, for the store and for people to read."""
        secret_fields = secret_field_names(type(self.settings))
        return self.settings.model_dump(mode="json", exclude=secret_fields)


@dataclass(frozen=True)
class ShopwrightConfig:
    """The whole validated configuration."""

    source: str
    database_url: str
    daemon: DaemonConfig = field(default_factory=DaemonConfig)
    bot: BotConfig = field(default_factory=BotConfig)
    connections: Mapping[str, ConnectionConfig] = field(default_factory=dict)

    def secret_values(self) -> list[str]:
        """Every secret value in force, so that log output can redact them."""
        values = []
        for connection in self.connections.values():
            for name in secret_field_names(type(connection.settings)):
                value = getattr(connection.settings, name)
                if isinstance(value, SecretStr) and value.get_secret_value():
                    values.append(value.get_secret_value())
        return values


def secret_field_names(model: type[BaseModel]) -> set[str]:
    """Fields declared as ``SecretStr`` (or optional ``SecretStr``)."""
    names = set()
    for name, info in model.model_fields.items():
        annotation = info.annotation
        if annotation is SecretStr or SecretStr in getattr(annotation, "__args__", ()):
            names.add(name)
    return names


def env_var_for_secret(connection: str, field_name: str) -> str:
    """``tiktok-us`` + ``app_secret`` -> ``SHOPWRIGHT_TIKTOK_US_APP_SECRET``."""
    slug = "".join(ch if ch.isalnum() else "_" for ch in connection).upper()
    return f"SHOPWRIGHT_{slug}_{field_name.upper()}"


def load_config(path: str | Path | None = None, environ: Mapping[str, str] | None = None) -> ShopwrightConfig:
    """Read, validate and resolve the configuration; raise ConfigError naming every problem.

    With no path and no ``SHOPWRIGHT_CONFIG``, a missing ``shopwright.toml`` means an empty
    configuration (no connections), which is what a fresh clone runs with.
    """
    env = os.environ if environ is None else environ
    explicit = path if path is not None else env.get("SHOPWRIGHT_CONFIG")
    config_path = Path(explicit) if explicit else DEFAULT_CONFIG_PATH
    source = str(config_path)
    raw: dict[str, Any] = {}
    if config_path.exists():
        try:
            raw = tomllib.loads(config_path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(source, [f"not valid TOML ({error}); fix the syntax at that line"]) from None
    elif explicit:
        raise ConfigError(source, ["file not found; check SHOPWRIGHT_CONFIG or the path you passed"])

    try:
        file_config = FileConfig.model_validate(raw)
    except ValidationError as error:
        raise ConfigError(source, _describe(error, prefix="")) from None

    secrets_path = _secrets_path(file_config, config_path, env)
    secrets = _read_secrets(secrets_path)
    problems: list[str] = []
    connections: dict[str, ConnectionConfig] = {}
    for name, table in file_config.connections.items():
        connection = _load_connection(name, table, file_config.daemon.plugins, secrets, env, problems)
        if connection is not None:
            connections[name] = connection
    if problems:
        raise ConfigError(source, problems)
    database_url = env.get("SHOPWRIGHT_DATABASE_URL") or file_config.database_url
    return ShopwrightConfig(
        source=source,
        database_url=database_url,
        daemon=file_config.daemon,
        bot=file_config.bot,
        connections=connections,
    )


def _load_connection(
    name: str,
    table: dict[str, Any],
    plugins: list[str],
    secrets: Mapping[str, Any],
    env: Mapping[str, str],
    problems: list[str],
) -> ConnectionConfig | None:
    key = f"connections.{name}"
    values = dict(table)
    type_name = values.pop("type", None)
    if not isinstance(type_name, str):
        problems.append(f'{key}.type: missing; add type = "tiktok", "sfcc" or "katana" under [{key}]')
        return None
    try:
        connector = load_connector_type(type_name, plugins)
    except UnknownConnectorTypeError as error:
        problems.append(f"{key}.type: {error}")
        return None
    model = connector.settings_model
    secret_names = secret_field_names(model)
    for secret in sorted(secret_names & values.keys()):
        problems.append(
            f"{key}.{secret}: secrets are not allowed in the configuration file; remove it and set "
            f"{env_var_for_secret(name, secret)} or put it under [{key}] in the secrets file"
        )
    if secret_names & values.keys():
        return None
    file_secrets = secrets.get("connections", {}).get(name, {})
    for secret in secret_names:
        env_value = env.get(env_var_for_secret(name, secret))
        if env_value:
            values[secret] = env_value
        elif secret in file_secrets:
            values[secret] = file_secrets[secret]
    try:
        settings = model.model_validate(values)
    except ValidationError as error:
        problems.extend(_describe(error, prefix=f"{key}.", secret_names=secret_names, connection=name))
        return None
    return ConnectionConfig(name=name, type=type_name, settings=settings, connector=connector)


def _describe(
    error: ValidationError,
    *,
    prefix: str,
    secret_names: set[str] | None = None,
    connection: str | None = None,
) -> list[str]:
    problems = []
    for item in error.errors():
        location = ".".join(str(part) for part in item["loc"])
        field_name = str(item["loc"][0]) if item["loc"] else ""
        message = item["msg"]
        if item["type"] == "missing" and secret_names and field_name in secret_names and connection:
            fix = (
                f"set {env_var_for_secret(connection, field_name)} or add it under "
                f"[connections.{connection}] in the secrets file"
            )
        elif item["type"] == "missing":
            fix = f"add {location} = ... under [{prefix.rstrip('.') or 'top level'}]"
        elif item["type"] == "extra_forbidden":
            fix = "remove it or check its spelling"
        else:
            fix = "correct the value"
        problems.append(f"{prefix}{location}: {message.lower()}; {fix}")
    return problems


def _secrets_path(file_config: FileConfig, config_path: Path, env: Mapping[str, str]) -> Path:
    if env.get("SHOPWRIGHT_SECRETS_FILE"):
        return Path(env["SHOPWRIGHT_SECRETS_FILE"])
    if file_config.secrets_file:
        candidate = Path(file_config.secrets_file)
        return candidate if candidate.is_absolute() else config_path.parent / candidate
    return DEFAULT_SECRETS_PATH


def _read_secrets(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError(str(path), [f"secrets file is readable by others; run: chmod 600 {path}"])
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(str(path), [f"not valid TOML ({error}); fix the syntax at that line"]) from None
