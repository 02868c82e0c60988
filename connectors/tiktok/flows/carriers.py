"""From a carrier name as shipped to a shipping_provider_id TikTok accepts for the order.

TikTok only takes the shipping providers of the order's delivery option, so every candidate is
checked against that list (read once per delivery option per run). Candidates, in order: the
carrier's mapping (kind ``carrier``), a provider whose name is the carrier's (case-insensitive),
then the fallback: ``fallback_shipping_provider_id`` when ``use_fallback_carrier`` is on, or a
``*`` carrier mapping, which a person sets explicitly as the fallback (the ``map_carrier`` tool).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from connectors.engine.registry import FlowContext
from connectors.tiktok.errors import TikTokError
from connectors.tiktok.flows.failures import is_record_failure
from connectors.tiktok.schemas import ShippingProvider
from connectors.tiktok.settings import TikTokSettings
from store.models import Mapping

FALLBACK_SOURCE = "*"


@dataclass(frozen=True)
class CarrierChoice:
    """A provider id and how it was chosen, or the reason there is none."""

    provider_id: str | None
    how: str
    problem: str | None = None


class CarrierResolver:
    """Resolves carriers for one run; caches each delivery option's providers."""

    def __init__(self, ctx: FlowContext, settings: TikTokSettings) -> None:
        self.ctx = ctx
        self.settings = settings
        rows = ctx.session.scalars(
            select(Mapping).where(Mapping.kind == "carrier", Mapping.connection_id == ctx.connection.id)
        )
        self.mappings = {row.source: row.target for row in rows}
        self._providers: dict[str, list[ShippingProvider] | str] = {}

    def providers(self, delivery_option_id: str) -> list[ShippingProvider] | str:
        """The option's providers, or why TikTok would not list them (a refusal for this option)."""
        if delivery_option_id not in self._providers:
            try:
                self._providers[delivery_option_id] = self.ctx.client.get_shipping_providers(
                    delivery_option_id
                )
            except TikTokError as error:
                if not is_record_failure(error):
                    raise
                self._providers[delivery_option_id] = error.message
        return self._providers[delivery_option_id]

    def resolve(self, carrier: str | None, delivery_option_id: str | None) -> CarrierChoice:
        """Choose the provider for ``carrier`` on an order with ``delivery_option_id``."""
        if not delivery_option_id:
            return CarrierChoice(None, "none", "the TikTok order has no delivery option")
        providers = self.providers(delivery_option_id)
        if isinstance(providers, str):
            return CarrierChoice(
                None,
                "none",
                f"TikTok lists no shipping providers for delivery option {delivery_option_id} ({providers})",
            )
        valid = {p.id: p for p in providers}
        name = (carrier or "").strip()
        mapped = self.mappings.get(name) if name else None
        if mapped in valid:
            return CarrierChoice(mapped, "mapping")
        by_name = next((p for p in providers if name and p.name.strip().casefold() == name.casefold()), None)
        if by_name is not None:
            return CarrierChoice(by_name.id, "name")
        for fallback in self._fallbacks():
            if fallback in valid:
                return CarrierChoice(fallback, "fallback")
        offered = ", ".join(f"{p.name} ({p.id})" for p in providers) or "none"
        option = f"delivery option {delivery_option_id}"
        why = f"carrier '{name or '(none)'}'"
        if mapped:
            why += f" is mapped to provider {mapped}, which is not offered for {option}"
        else:
            why += f" has no carrier mapping and matches no provider offered for {option}"
        fallbacks = self._fallbacks()
        why += (
            f"; the fallback provider {', '.join(fallbacks)} is not offered either"
            if fallbacks
            else "; no fallback carrier is set"
        )
        return CarrierChoice(None, "none", f"{why}. Offered: {offered}")

    def _fallbacks(self) -> list[str]:
        candidates = []
        if self.settings.use_fallback_carrier and self.settings.fallback_shipping_provider_id:
            candidates.append(self.settings.fallback_shipping_provider_id)
        star = self.mappings.get(FALLBACK_SOURCE)
        if star and star not in candidates:
            candidates.append(star)
        return candidates
