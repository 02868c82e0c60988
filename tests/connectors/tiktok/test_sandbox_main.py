"""The sandbox's command line takes the app secret from the environment or a file, not only argv."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from connectors.tiktok.sandbox import __main__ as sandbox_main


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The apps main() would serve; uvicorn is not started."""
    apps: list[Any] = []
    monkeypatch.setattr(sandbox_main.uvicorn, "run", lambda app, **_: apps.append(app))
    return apps


def _secret(app: Any) -> str:
    return str(app.state.sandbox.state.app_secret)


def test_secret_from_the_environment(served: list[Any]) -> None:
    sandbox_main.main(["--app-key", "k"], environ={sandbox_main.SECRET_ENV: "from-env"})
    assert _secret(served[0]) == "from-env"


def test_secret_from_a_file_wins_over_the_environment(served: list[Any], tmp_path: Path) -> None:
    secret_file = tmp_path / "secret"
    secret_file.write_text("from-file\n")
    argv = ["--app-key", "k", "--app-secret-file", str(secret_file)]
    sandbox_main.main(argv, environ={sandbox_main.SECRET_ENV: "from-env"})
    assert _secret(served[0]) == "from-file"


def test_the_flag_still_works_and_wins(served: list[Any]) -> None:
    sandbox_main.main(["--app-key", "k", "--app-secret", "from-flag"], environ={sandbox_main.SECRET_ENV: "e"})
    assert _secret(served[0]) == "from-flag"


def test_no_secret_is_a_clear_error(served: list[Any], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        sandbox_main.main(["--app-key", "k"], environ={})
    assert exit_info.value.code == 2 and served == []
    assert sandbox_main.SECRET_ENV in capsys.readouterr().err
