"""Settings of attribute fill for one TikTok Shop connection (its ``attribute_fill`` table).

The catalog settings carry older switches with the same purpose (``ai_fill``, ``ai_required_only``,
``ai_sku_*``, ``ai_attribute_*``). Both are honoured, the stricter one winning: the flow runs only when
both are on, a block list entry in either blocks, and when both give an allow list an entry must be on
both. :func:`effective_fill` combines them.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["AttributeFillSettings", "EffectiveFill", "effective_fill"]


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


def _matches_sku(sku: str, patterns: list[str]) -> bool:
    # SKUs match exactly (case and whitespace matter, as on TikTok); '*' and '?' are wildcards.
    return any(sku == p or fnmatchcase(sku, p) for p in patterns)


def _matches_attribute(attribute_id: str, name: str, entries: list[str]) -> bool:
    wanted = {e.strip().casefold() for e in entries}
    return attribute_id.strip().casefold() in wanted or name.strip().casefold() in wanted


class EffectiveFill(BaseModel):
    """The attribute fill settings of a connection with the catalog's switches folded in."""

    model_config = ConfigDict(frozen=True)

    settings: AttributeFillSettings
    enabled: bool
    required_only: bool
    sku_allow: tuple[tuple[str, ...], ...]
    sku_block: tuple[str, ...]
    attribute_allow: tuple[tuple[str, ...], ...]
    attribute_block: tuple[str, ...]

    def sku_allowed(self, sku: str) -> bool:
        """Whether a product may get proposals: not blocked, and on every non-empty allow list."""
        if _matches_sku(sku, list(self.sku_block)):
            return False
        return all(_matches_sku(sku, list(allow)) for allow in self.sku_allow if allow)

    def attribute_allowed(self, attribute_id: str, name: str) -> bool:
        """Whether an attribute may get proposals, by id or name (case does not matter)."""
        if _matches_attribute(attribute_id, name, list(self.attribute_block)):
            return False
        return all(
            _matches_attribute(attribute_id, name, list(allow)) for allow in self.attribute_allow if allow
        )


def effective_fill(connection_settings: Any) -> EffectiveFill:
    """Combine ``attribute_fill`` and the catalog's ``ai_*`` switches of a connection's settings."""
    fill = getattr(connection_settings, "attribute_fill", None) or AttributeFillSettings()
    catalog = getattr(connection_settings, "catalog", None)
    ai_fill = bool(getattr(catalog, "ai_fill", True))
    ai_required_only = bool(getattr(catalog, "ai_required_only", True))
    return EffectiveFill(
        settings=fill,
        enabled=fill.enabled and ai_fill,
        required_only=fill.required_only or ai_required_only,
        sku_allow=(tuple(fill.sku_allow), tuple(getattr(catalog, "ai_sku_allow", []) or [])),
        sku_block=(*fill.sku_block, *(getattr(catalog, "ai_sku_block", []) or [])),
        attribute_allow=(
            tuple(fill.attribute_allow),
            tuple(getattr(catalog, "ai_attribute_allow", []) or []),
        ),
        attribute_block=(*fill.attribute_block, *(getattr(catalog, "ai_attribute_block", []) or [])),
    )
