"""The Katana connector type (settings only for now: no flows are declared yet)."""

from __future__ import annotations

from connectors.katana.settings import KatanaSettings
from connectors.types import ConnectorType

CONNECTOR = ConnectorType(
    name="katana",
    settings_model=KatanaSettings,
    description="Katana MRP: inventory and manufacturing (flows not yet available).",
)
