"""Settings of attribute fill for one TikTok Shop connection (its ``attribute_fill`` table).

This is the one home of every switch about proposing attribute values (on or off, required only,
SKU and attribute allow and block lists). What the catalog push does with a product that still
lacks values (hold it, or create it as a DRAFT) is the catalog's ``when_attributes_missing``.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["AttributeFillSettings"]


def _matches_sku(sku: str, patterns: list[str]) -> bool:
    # SKUs match exactly (case and whitespace matter, as on TikTok); '*' and '?' are wildcards.
    return any(sku == p or fnmatchcase(sku, p) for p in patterns)


def _matches_attribute(attribute_id: str, name: str, entries: list[str]) -> bool:
    wanted = {e.strip().casefold() for e in entries}
    return attribute_id.strip().casefold() in wanted or name.strip().casefold() in wanted


class AttributeFillSettings(BaseModel):
    """How missing category attributes get proposals."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = Field(
        default=True, description="Create attribute proposals for products that lack values."
    )
    backend: Literal["rules", "llm", "auto"] = Field(
        default="rules",
        description=(
            "'rules': offline and deterministic (the daemon's default: same input, same proposals); "
            "'llm': an OpenAI-compatible model (OPENAI_API_KEY, OPENAI_BASE_URL), falling back to the "
            "rules if it fails; 'auto': llm when OPENAI_API_KEY is set, else rules."
        ),
    )
    model: str = Field(default="gpt-4o-mini", description="Model name for the llm backend.")
    llm_timeout_seconds: float = Field(default=60.0, gt=0, description="Timeout of one model call.")
    max_enum_values: int = Field(
        default=1000,
        ge=10,
        description="Allowed values per model call; attributes are batched under it (provider schema limit).",
    )
    min_confidence: float = Field(
        default=0.5, ge=0, le=1, description="Proposals below this confidence are not stored."
    )
    required_only: bool = Field(default=True, description="Propose values only for required attributes.")
    sku_allow: list[str] = Field(
        default_factory=list,
        description="Only these SKUs (globs such as 'TEE-*') get proposals (empty: all).",
    )
    sku_block: list[str] = Field(default_factory=list, description="These SKUs (globs) never get proposals.")
    attribute_allow: list[str] = Field(
        default_factory=list, description="Only these attribute names or ids get proposals (empty: all)."
    )
    attribute_block: list[str] = Field(
        default_factory=list, description="These attribute names or ids never get proposals."
    )
    products_per_run: int = Field(default=100, ge=1, le=5000, description="Products examined per run.")
    category_cache_minutes: int = Field(
        default=1440, ge=0, description="How long category attributes fetched from TikTok are reused."
    )

    def sku_allowed(self, sku: str) -> bool:
        """Whether a product may get proposals: not blocked, and allowed when an allow list is given."""
        if _matches_sku(sku, self.sku_block):
            return False
        return not self.sku_allow or _matches_sku(sku, self.sku_allow)

    def attribute_allowed(self, attribute_id: str, name: str) -> bool:
        """Whether an attribute may get proposals, by id or name (case does not matter)."""
        if _matches_attribute(attribute_id, name, self.attribute_block):
            return False
        return not self.attribute_allow or _matches_attribute(attribute_id, name, self.attribute_allow)
