"""Configuration: validation per connector type, secrets only from env or the secrets file."""

from __future__ import annotations

from pathlib import Path

import pytest

from connectors.config import ConfigError, env_var_for_secret, load_config

PLUGIN = '[daemon]\nplugins = ["ticker_connector"]\n'


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "shopwright.toml"
    path.write_text(text)
    return path


def test_missing_default_file_is_an_empty_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    config = load_config(environ={})
    assert config.connections == {}
    assert config.database_url == "sqlite:///var/shopwright.db"


def test_explicit_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_config(environ={"SHOPWRIGHT_CONFIG": str(tmp_path / "nope.toml")})


def test_database_url_env_overrides_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, 'database_url = "sqlite:///a.db"\n')
    assert load_config(path, environ={}).database_url == "sqlite:///a.db"
    assert (
        load_config(path, environ={"SHOPWRIGHT_DATABASE_URL": "sqlite:///b.db"}).database_url
        == "sqlite:///b.db"
    )


def test_secret_in_toml_is_refused_with_the_fix(tmp_path: Path) -> None:
    path = _write(tmp_path, PLUGIN + '[connections.t1]\ntype = "ticker"\napi_token = "hunter2hunter2"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ={})
    (problem,) = caught.value.problems
    assert problem.startswith("connections.t1.api_token: secrets are not allowed")
    assert "SHOPWRIGHT_T1_API_TOKEN" in problem
    assert "hunter2hunter2" not in str(caught.value)


def test_secret_comes_from_environment(tmp_path: Path) -> None:
    path = _write(tmp_path, PLUGIN + '[connections.t-1]\ntype = "ticker"\n')
    config = load_config(path, environ={"SHOPWRIGHT_T_1_API_TOKEN": "from-env-123"})
    settings = config.connections["t-1"].settings
    assert settings.api_token.get_secret_value() == "from-env-123"  # type: ignore[attr-defined]
    assert "from-env-123" in config.secret_values()
    assert "api_token" not in config.connections["t-1"].public_settings()


def test_secret_comes_from_secrets_file(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[connections.t1]\napi_token = "from-file-456"\n')
    secrets.chmod(0o600)
    path = _write(tmp_path, f'secrets_file = "secrets.toml"\n{PLUGIN}[connections.t1]\ntype = "ticker"\n')
    settings = load_config(path, environ={}).connections["t1"].settings
    assert settings.api_token.get_secret_value() == "from-file-456"  # type: ignore[attr-defined]


def test_world_readable_secrets_file_is_refused(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text("")
    secrets.chmod(0o644)
    with pytest.raises(ConfigError, match="chmod 600"):
        load_config(_write(tmp_path, ""), environ={"SHOPWRIGHT_SECRETS_FILE": str(secrets)})


def test_unknown_type_and_bad_values_name_key_problem_and_fix(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        PLUGIN
        + '[connections.a]\ntype = "shopify"\n[connections.b]\ntype = "ticker"\nbatch = "many"\ncolour = 1\n'
        "[connections.c]\n",
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ={})
    problems = caught.value.problems
    assert any(p.startswith('connections.a.type: unknown connector type "shopify"') for p in problems)
    assert any(p.startswith("connections.b.batch:") and "correct the value" in p for p in problems)
    assert any(p.startswith("connections.b.colour:") and "spelling" in p for p in problems)
    assert any(p.startswith("connections.c.type: missing") for p in problems)


def test_unknown_top_level_key_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="databse_url"):
        load_config(_write(tmp_path, 'databse_url = "x"\n'), environ={})


def test_bad_toml_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(_write(tmp_path, "[connections\n"), environ={})


def test_env_var_names_are_predictable() -> None:
    assert env_var_for_secret("tiktok-us", "app_secret") == "SHOPWRIGHT_TIKTOK_US_APP_SECRET"


def test_example_configuration_is_valid(monkeypatch: pytest.MonkeyPatch) -> None:
    example = Path(__file__).resolve().parents[2] / "shopwright.example.toml"
    environ = {line.split("=", 1)[0]: "example-secret-value" for line in _secret_env_lines(example)}
    config = load_config(example, environ=environ)
    assert config.connections, "the example should show at least one connection"


def _secret_env_lines(example: Path) -> list[str]:
    # The example documents each secret as a commented `# export NAME=...` line.
    return [
        line.split("export ", 1)[1]
        for line in example.read_text().splitlines()
        if "# export SHOPWRIGHT_" in line
    ]
