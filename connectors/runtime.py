"""What a connector needs at run time to build its client: settings, HTTP, clock, store."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from pydantic import BaseModel
from sqlalchemy.orm import Session, sessionmaker

from connectors.engine.clock import Clock


@dataclass(frozen=True)
class ConnectionRuntime:
    """One configured connection, ready to talk to its system.

    ``http`` is created once by the entry point and closed on shutdown; connectors never make
    their own.
    """

    name: str
    settings: BaseModel
    http: httpx.Client
    clock: Clock
    session_factory: sessionmaker[Session]
