"""Local TikTok Shop listing validation: pure, network-free checks run before any product push.

Build a :class:`ListingDraft` and call :func:`validate_listing`; each :class:`ListingIssue` names the
field, the rule and a sentence the seller can act on.
"""

from __future__ import annotations

from .identifiers import select_identifier
from .issue import IssueCode, ListingIssue
from .model import (
    AttributeValueOption,
    Brand,
    Category,
    CategoryAttribute,
    CategoryRules,
    Certification,
    CertificationRequirement,
    IdentifierType,
    ListingDraft,
    MainImage,
    PackageDimensions,
    PackageWeight,
    ProductAttribute,
    ProductAttributeValue,
    RequirementCondition,
    SalesAttribute,
    SizeChart,
    Sku,
)
from .tiktok_codes import tiktok_code
from .validator import validate_listing

__all__ = [
    "AttributeValueOption",
    "Brand",
    "Category",
    "CategoryAttribute",
    "CategoryRules",
    "Certification",
    "CertificationRequirement",
    "IdentifierType",
    "IssueCode",
    "ListingDraft",
    "ListingIssue",
    "MainImage",
    "PackageDimensions",
    "PackageWeight",
    "ProductAttribute",
    "ProductAttributeValue",
    "RequirementCondition",
    "SalesAttribute",
    "SizeChart",
    "Sku",
    "select_identifier",
    "tiktok_code",
    "validate_listing",
]
