"""Replicas starting together both register the configured connections without failing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from connectors.config import load_config
from connectors.engine import app as engine_app
from connectors.engine.app import sync_connections
from store.migrate import upgrade
from store.models import Connection
from store.repositories.connections import ConnectionRepository
from store.session import create_session_factory, create_store_engine


def test_losing_the_race_to_create_a_connection_updates_the_winners_row(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config_path = tmp_path / "shopwright.toml"
    config_path.write_text('[daemon]\nplugins = ["ticker_connector"]\n[connections.t1]\ntype = "ticker"\n')
    config = load_config(config_path, environ={})
    engine = create_store_engine(database_url)
    upgrade(engine)
    factory = create_session_factory(engine)
    real_upsert = ConnectionRepository.upsert
    raced = []

    def upsert_after_another_replica(self, name, type_name, settings):  # type: ignore[no-untyped-def]
        if raced:
            return real_upsert(self, name, type_name, settings)
        # Another replica commits the same row between our read (which found nothing) and our insert.
        raced.append(name)
        with factory.begin() as other:
            other.add(Connection(name=name, type=type_name, settings={}, enabled=True))
        with monkeypatch.context() as patch:
            patch.setattr(ConnectionRepository, "get_by_name", lambda _self, _name: None)
            return real_upsert(self, name, type_name, settings)

    monkeypatch.setattr(engine_app.ConnectionRepository, "upsert", upsert_after_another_replica)
    sync_connections(config, factory)

    assert raced == ["t1"]
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(Connection)) == 1
        row = session.scalars(select(Connection)).one()
        assert row.type == "ticker"
        assert row.settings == config.connections["t1"].public_settings()
    engine.dispose()
