"""The TikTok Shop connector type: its settings and the flows the daemon runs for it."""

from __future__ import annotations

from connectors.tiktok.settings import TikTokSettings
from connectors.types import ConnectorType

CONNECTOR = ConnectorType(
    name="tiktok",
    settings_model=TikTokSettings,
    description="TikTok Shop (Open API 202309): orders, fulfillment, inventory, catalog.",
)
