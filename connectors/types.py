"""Connector types: what a connection of each ``type`` brings (settings model, flows, client).

Built-in types are imported lazily so that reading the configuration of a TikTok-only shop never
imports the SFCC code. Plugins add types through ``[daemon] plugins`` in the configuration: each
plugin module exposes ``CONNECTOR_TYPES``, a sequence of :class:`ConnectorType`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

if TYPE_CHECKING:
    from connectors.engine.hooks import Authorizer, ServiceFactory
    from connectors.engine.registry import FlowSpec
    from connectors.runtime import ConnectionRuntime

BUILTIN_TYPES: Mapping[str, str] = {
    "tiktok": "connectors.tiktok.connector",
    "sfcc": "connectors.sfcc.connector",
    "katana": "connectors.katana.connector",
}


@dataclass(frozen=True)
class DoctorCheck:
    """One line of ``sync_daemon.py doctor``: ``ok`` false means the seller must act."""

    name: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class ConnectorType:
    """Everything the engine needs to run connections of one type."""

    name: str
    settings_model: type[BaseModel]
    flows: Sequence[FlowSpec] = ()
    # Builds the API client a flow receives; called once per connection by the daemon.
    build_client: Callable[[ConnectionRuntime], Any] | None = None
    # Live checks for `doctor`, beyond configuration sanity.
    doctor: Callable[[ConnectionRuntime], Sequence[DoctorCheck]] | None = None
    # Side services `run` starts with the flow loop (e.g. a webhook receiver); see engine/hooks.py.
    services: ServiceFactory | None = None
    # `sync_daemon.py authorize CONNECTION --code CODE`: a seller's authorisation code -> tokens.
    authorizer: Authorizer | None = None
    description: str = ""
    extras: Mapping[str, Any] = field(default_factory=dict)


class UnknownConnectorTypeError(LookupError):
    """A connection names a type nobody provides."""


def load_connector_type(name: str, plugins: Sequence[str] = ()) -> ConnectorType:
    """The connector type called ``name``, from the built-ins or the given plugin modules."""
    for module_name in plugins:
        module = importlib.import_module(module_name)
        for connector_type in getattr(module, "CONNECTOR_TYPES", ()):
            if connector_type.name == name:
                return connector_type  # type: ignore[no-any-return]
    builtin = BUILTIN_TYPES.get(name)
    if builtin is None:
        known = ", ".join(sorted(BUILTIN_TYPES))
        raise UnknownConnectorTypeError(f'unknown connector type "{name}"; use one of: {known}')
    connector_type = importlib.import_module(builtin).CONNECTOR
    assert isinstance(connector_type, ConnectorType)
    return connector_type
