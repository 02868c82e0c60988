"""The Salesforce Commerce Cloud connector type: its settings and the flows the daemon runs for it."""

from __future__ import annotations

from connectors.runtime import ConnectionRuntime
from connectors.sfcc.client import SfccClient
from connectors.sfcc.doctor import run_checks
from connectors.sfcc.flows import FLOWS
from connectors.sfcc.settings import SfccSettings
from connectors.types import ConnectorType


def build_client(runtime: ConnectionRuntime) -> SfccClient:
    assert isinstance(runtime.settings, SfccSettings)
    return SfccClient(runtime.http, runtime.settings, clock=runtime.clock)


CONNECTOR = ConnectorType(
    name="sfcc",
    settings_model=SfccSettings,
    flows=FLOWS,
    build_client=build_client,
    doctor=run_checks,
    description="Salesforce B2C Commerce in fulfillment mode: orders in; products, inventory, shipments out.",
)
