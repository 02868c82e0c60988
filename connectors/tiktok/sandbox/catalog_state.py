"""The sandbox's catalog world: category trees, rules, attributes, brands, uploaded images, audits.

Loaded from ``catalog_seed.json`` (TikTok's own wire formats) on every state reset. Products live in
`SandboxState.products` with the orders' products, so product search sees what create wrote; this
holds only what the catalog endpoints add around them. Access it under ``state.lock``.
"""

from __future__ import annotations

import copy
import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SEED_PATH = Path(__file__).with_name("catalog_seed.json")
VERSIONS = ("v1", "v2")
# How long a listed product stays PENDING before the audit decides (UNCERTAIN: TikTok says audits
# take minutes to a few days; the admin surface can change it).
AUDIT_SECONDS = 900
# Words the sandbox's audit refuses, so a FAILED outcome can be produced from product data alone.
AUDIT_BANNED_TERMS = ("replica", "counterfeit", "knockoff", "cures ")


@dataclass
class ImageRecord:
    """An uploaded image, as Get/Upload describe it."""

    uri: str
    url: str
    width: int
    height: int
    format: str
    size: int
    use_case: str


@dataclass
class CatalogState:
    """Categories per version, rules and attributes per leaf, brands, images and pending audits."""

    categories: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    attributes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    brands: dict[str, dict[str, Any]] = field(default_factory=dict)
    brand_categories: dict[str, set[str]] = field(default_factory=dict)
    # Invite-only categories the shop has been invited to, by shop id.
    invitations: dict[str, set[str]] = field(default_factory=dict)
    images: dict[str, ImageRecord] = field(default_factory=dict)
    # The accepted request body of each product written through the API (partial edits merge into
    # it), and the shop that owns it.
    bodies: dict[str, dict[str, Any]] = field(default_factory=dict)
    owners: dict[str, str] = field(default_factory=dict)
    audit_until: dict[str, int] = field(default_factory=dict)
    # The status a deleted product had, so recover can bring it back to something sensible.
    deleted_from: dict[str, str] = field(default_factory=dict)
    audit_seconds: int = AUDIT_SECONDS
    banned_terms: tuple[str, ...] = AUDIT_BANNED_TERMS
    strict_description: bool = True

    @classmethod
    def from_seed(cls, seed: dict[str, Any] | None = None) -> CatalogState:
        """Build from a catalog seed document (default: the bundled ``catalog_seed.json``)."""
        catalog = cls()
        catalog.apply(seed if seed is not None else load_seed())
        return catalog

    def apply(self, seed: dict[str, Any]) -> dict[str, int]:
        """Merge a seed document; returns how many records of each kind were loaded."""
        for version, nodes in seed.get("categories", {}).items():
            tree = self.categories.setdefault(version, {})
            for node in nodes:
                tree[str(node["id"])] = {**node, "id": str(node["id"]), "parent_id": str(node["parent_id"])}
        for category_id, rules in seed.get("category_rules", {}).items():
            self.rules[str(category_id)] = copy.deepcopy(rules)
        for category_id, attributes in seed.get("category_attributes", {}).items():
            self.attributes[str(category_id)] = copy.deepcopy(attributes)
        for brand in seed.get("brands", []):
            self.brands[str(brand["id"])] = {**brand, "id": str(brand["id"])}
        for brand_id, category_ids in seed.get("brand_categories", {}).items():
            self.brand_categories[str(brand_id)] = {str(c) for c in category_ids}
        for shop_id, category_ids in seed.get("invitations", {}).items():
            self.invitations.setdefault(str(shop_id), set()).update(str(c) for c in category_ids)
        settings = seed.get("settings", {})
        if "audit_seconds" in settings:
            self.audit_seconds = int(settings["audit_seconds"])
        if "strict_description" in settings:
            self.strict_description = bool(settings["strict_description"])
        return {
            "categories": sum(len(nodes) for nodes in seed.get("categories", {}).values()),
            "category_attributes": len(seed.get("category_attributes", {})),
            "brands": len(seed.get("brands", [])),
        }

    def find_category(self, category_id: str) -> tuple[str, dict[str, Any]] | None:
        """The version and node of a category id, whichever tree holds it."""
        for version in VERSIONS:
            node = self.categories.get(version, {}).get(category_id)
            if node is not None:
                return version, node
        return None

    def chain(self, version: str, category_id: str) -> list[dict[str, Any]]:
        """The category and its ancestors, root first (the ``category_chains`` of product detail)."""
        tree = self.categories.get(version, {})
        chain: list[dict[str, Any]] = []
        node = tree.get(category_id)
        while node is not None and len(chain) < 10:
            chain.append(node)
            node = tree.get(node["parent_id"])
        return list(reversed(chain))


def load_seed(path: Path = SEED_PATH) -> dict[str, Any]:
    """Read a catalog seed file (a fresh copy each time: the state mutates what it loads)."""
    data: dict[str, Any] = json.loads(_read(path))
    return data


@functools.cache
def _read(path: Path) -> str:
    # Every state reset loads the bundled seed; reading the file once per process is enough.
    return path.read_text(encoding="utf-8")
