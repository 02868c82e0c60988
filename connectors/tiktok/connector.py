"""The TikTok Shop connector type: its settings and the flows the daemon runs for it."""

from __future__ import annotations

from connectors.runtime import ConnectionRuntime
from connectors.tiktok.authorize import TikTokAuthorizer
from connectors.tiktok.client import TikTokClient
from connectors.tiktok.client import build_client as build_tiktok_client
from connectors.tiktok.doctor import tiktok_doctor
from connectors.tiktok.flows import FLOWS
from connectors.tiktok.settings import TikTokSettings
from connectors.tiktok.store_tokens import StoreTokenStore
from connectors.tiktok.webhooks import webhook_services
from connectors.types import ConnectorType


def build_client(runtime: ConnectionRuntime) -> TikTokClient:
    assert isinstance(runtime.settings, TikTokSettings)
    tokens = StoreTokenStore(runtime.session_factory, runtime.name)
    return build_tiktok_client(runtime.settings, runtime.http, tokens, runtime.clock)


CONNECTOR = ConnectorType(
    name="tiktok",
    settings_model=TikTokSettings,
    flows=FLOWS,
    build_client=build_client,
    doctor=tiktok_doctor,
    services=webhook_services,
    authorizer=TikTokAuthorizer(),
    description="TikTok Shop (Open API 202309): orders, fulfillment, inventory, catalog.",
)
