"""The catalog flows of a TikTok Shop connection and the catalog settings that switch them on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from pydantic import BaseModel

from connectors.engine.registry import FlowSpec
from connectors.tiktok.catalog_settings import CatalogSettings
from connectors.tiktok.flows.pull_products import pull_products
from connectors.tiktok.flows.push_products import push_products


@dataclass(frozen=True)
class CatalogFlowSpec(FlowSpec):
    """A flow switched on by the nested ``catalog`` settings rather than a top-level flag."""

    enabled_when: Callable[[CatalogSettings], bool] | None = None

    def is_enabled(self, settings: BaseModel) -> bool:
        catalog = getattr(settings, "catalog", None)
        if not isinstance(catalog, CatalogSettings) or self.enabled_when is None:
            return False
        return self.enabled_when(catalog)


def _push_enabled(catalog: CatalogSettings) -> bool:
    return catalog.push_products and catalog.primary_catalog == "sfcc"


def _pull_enabled(catalog: CatalogSettings) -> bool:
    return catalog.pull_products and catalog.primary_catalog == "tiktok"


CATALOG_FLOWS = (
    CatalogFlowSpec(
        "push_products",
        "push",
        timedelta(minutes=15),
        push_products,
        description="master catalog -> TikTok listings (validated locally first)",
        enabled_when=_push_enabled,
    ),
    CatalogFlowSpec(
        "pull_products",
        "pull",
        timedelta(hours=1),
        pull_products,
        description="TikTok catalog -> store, when TikTok is the primary catalog",
        enabled_when=_pull_enabled,
    ),
)
