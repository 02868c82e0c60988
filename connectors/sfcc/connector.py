"""The Salesforce Commerce Cloud connector type: its settings and the flows the daemon runs for it."""

from __future__ import annotations

from connectors.sfcc.settings import SfccSettings
from connectors.types import ConnectorType

CONNECTOR = ConnectorType(
    name="sfcc",
    settings_model=SfccSettings,
    description="Salesforce B2C Commerce in fulfillment mode: orders in; products, inventory, shipments out.",
)
