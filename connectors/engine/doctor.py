"""``sync_daemon.py doctor``: configuration sanity, the store, then each connector's live checks."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from connectors.config import ShopwrightConfig
from connectors.engine.clock import Clock
from connectors.runtime import ConnectionRuntime
from connectors.types import DoctorCheck
from store.migrate import current_revision, head_revision
from store.session import create_session_factory, create_store_engine


def run_doctor(config: ShopwrightConfig, clock: Clock, emit: Callable[[str, DoctorCheck], None]) -> bool:
    """Run every check, reporting each through ``emit(section, check)``; True when all pass."""
    ok = True

    def report(section: str, check: DoctorCheck) -> None:
        nonlocal ok
        ok = ok and check.ok
        emit(section, check)

    report(
        "config",
        DoctorCheck("configuration", True, f"{config.source}: {len(config.connections)} connection(s)"),
    )
    engine = create_store_engine(config.database_url)
    try:
        current, head = current_revision(engine), head_revision()
        report(
            "store",
            DoctorCheck(
                "schema",
                current == head,
                f"at revision {current}"
                if current == head
                else f"at {current or 'no revision'}, needs {head}: run `python sync_daemon.py migrate`",
            ),
        )
    except Exception as error:  # the database itself is unreachable
        report("store", DoctorCheck("database", False, f"cannot open {config.database_url}: {error}"))
        engine.dispose()
        return False
    session_factory = create_session_factory(engine)
    with httpx.Client(timeout=httpx.Timeout(15.0, connect=5.0)) as http:
        for name, connection in config.connections.items():
            doctor = connection.connector.doctor
            if doctor is None:
                report(name, DoctorCheck("live checks", True, f"none for type {connection.type}"))
                continue
            runtime = ConnectionRuntime(name, connection.settings, http, clock, session_factory)
            try:
                for check in doctor(runtime):
                    report(name, check)
            except Exception as error:
                report(name, DoctorCheck("live checks", False, f"could not run: {error}"))
    engine.dispose()
    return ok
