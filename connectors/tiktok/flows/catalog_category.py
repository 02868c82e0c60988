"""What TikTok says about a category, fetched once per run: tree node, rules, attributes, brands.

Which TikTok category a product goes in: its ``tiktok_category_id`` attribute or its own category id
when that is a TikTok category, else the ``category_map`` of the settings, else the default category.
"""

from __future__ import annotations

from dataclasses import dataclass

from connectors.tiktok.catalog_client import CatalogClient
from connectors.tiktok.catalog_schemas import Brand, Category, CategoryRules
from connectors.tiktok.catalog_settings import CatalogSettings
from connectors.tiktok.listing_validation import CategoryAttribute


@dataclass(frozen=True)
class CategoryInfo:
    """One TikTok category with everything a listing in it must satisfy."""

    node: Category
    version: str
    rules: CategoryRules
    attributes: list[CategoryAttribute]
    brands: list[Brand]


class CategoryCatalog:
    """Category facts for one run: the tree is read once, each used category once."""

    def __init__(self, client: CatalogClient, version: str) -> None:
        self.client = client
        self.version = version
        self._tree: dict[str, Category] | None = None
        self._info: dict[str, CategoryInfo] = {}

    def tree(self) -> dict[str, Category]:
        if self._tree is None:
            self._tree = {c.id: c for c in self.client.get_categories(version=self.version)}
        return self._tree

    def resolve(self, category_key: str | None, settings: CatalogSettings) -> str | None:
        """The TikTok category id for a product's own category key (None when nothing applies)."""
        if category_key and category_key in self.tree():
            return category_key
        if category_key and category_key in settings.category_map:
            return settings.category_map[category_key]
        return settings.default_category_id

    def info(self, category_id: str) -> CategoryInfo | None:
        """Rules, attributes and brands of a category in the tree, or None when it is not in it."""
        cached = self._info.get(category_id)
        if cached is not None:
            return cached
        node = self.tree().get(category_id)
        if node is None:
            return None
        if node.is_leaf:
            rules = self.client.get_category_rules(category_id, version=self.version)
            attributes = self.client.get_attributes(category_id, version=self.version)
            brands = list(self.client.iter_brands(category_id=category_id, version=self.version))
        else:
            # Nothing can be listed in a non-leaf category; its rules do not matter.
            rules, attributes, brands = CategoryRules(), [], []
        info = CategoryInfo(node, self.version, rules, attributes, brands)
        self._info[category_id] = info
        return info
