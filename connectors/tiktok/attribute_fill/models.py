"""The contract of attribute fill: a product and its category's attributes in, proposals out.

Input attributes are items exactly as TikTok's Get Attributes returns them (``is_requried`` spelling
included; ``is_required`` is accepted too); fields this engine does not use are ignored so that items
can be passed straight from the API.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from connectors.tiktok.listing_validation import CategoryAttribute

__all__ = [
    "AttributeItem",
    "ProductFacts",
    "Proposal",
    "ProposedValue",
    "Source",
    "SuggestRequest",
    "SuggestResponse",
    "Unfilled",
]

Source = Literal["llm", "rules"]


class AttributeItem(CategoryAttribute):
    """One Get Attributes item; adds the value format of customizable attributes."""

    value_data_format: str | None = None

    @property
    def is_boolean(self) -> bool:
        """A Yes/No attribute ("BPA Free", "Vegan")."""
        names = {value.name.strip().casefold() for value in self.values}
        return bool(self.values) and names <= {"yes", "no"} and "yes" in names

    @property
    def is_sales_property(self) -> bool:
        return self.type == "SALES_PROPERTY"

    @property
    def numeric_only(self) -> bool:
        """Custom values must be numbers (``POSITIVE_INT_OR_DECIMAL``)."""
        return (self.value_data_format or "").upper().startswith("POSITIVE_")


class ProductFacts(BaseModel):
    """What the product says about itself; all of it is data, never instructions."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=1000)
    description: str = Field(default="", max_length=50_000, description="HTML or plain text.")
    brand: str | None = Field(default=None, max_length=200)
    variant_options: dict[str, list[str]] = Field(
        default_factory=dict, description='Option name -> values, e.g. {"Color": ["Navy", "Red"]}.'
    )
    attributes: dict[str, Any] = Field(
        default_factory=dict, description='The product\'s own attributes, e.g. {"material": "100% cotton"}.'
    )
    category_id: str | None = None

    @field_validator("variant_options", mode="before")
    @classmethod
    def _listify(cls, value: Any) -> Any:
        # A single option value is common in exports ({"Color": "Navy"}); read it as a list of one.
        if isinstance(value, dict):
            return {key: [item] if isinstance(item, str) else item for key, item in value.items()}
        return value


class SuggestRequest(BaseModel):
    """``{"product": {...}, "attributes": [<Get Attributes items>]}``."""

    model_config = ConfigDict(extra="forbid")

    product: ProductFacts
    attributes: list[AttributeItem] = Field(
        max_length=500, description="Category attribute items exactly as Get Attributes returns them."
    )

    @model_validator(mode="after")
    def _unique_ids(self) -> SuggestRequest:
        seen: set[str] = set()
        for item in self.attributes:
            if item.id in seen:
                raise ValueError(f"attribute {item.id} is listed twice; pass each attribute once")
            seen.add(item.id)
        return self


class ProposedValue(BaseModel):
    """An allowed value (``id`` from the attribute's list) or a custom value (``id`` None)."""

    model_config = ConfigDict(frozen=True)

    id: str | None
    name: str


class Proposal(BaseModel):
    """Proposed value(s) for one attribute, with how sure the backend is and why."""

    attribute_id: str
    attribute_name: str
    values: list[ProposedValue] = Field(min_length=1)
    confidence: float = Field(ge=0, le=1)
    rationale: str = Field(description="Why; may quote the product text, which is data.")
    source: Source


class Unfilled(BaseModel):
    """An attribute no value is proposed for, and why."""

    attribute_id: str
    reason: str


class SuggestResponse(BaseModel):
    """``{"proposals": [...], "unfilled": [...]}``; every requested attribute is in exactly one list."""

    proposals: list[Proposal] = Field(default_factory=list)
    unfilled: list[Unfilled] = Field(default_factory=list)
