"""Settings of a Katana MRP connection."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, SecretStr


class KatanaSettings(BaseModel):
    """What a seller enters to connect Katana (inventory and manufacturing orders)."""

    model_config = ConfigDict(extra="forbid")

    api_key: SecretStr = Field(description="Katana API key (Settings > API in Katana).")
    base_url: HttpUrl = Field(HttpUrl("https://api.katanamrp.com/v1"), description="Katana API base URL.")
    pull_inventory: bool = Field(True, description="Pull stock levels from Katana as locations.")
