"""Write SFCC products into the store: create, update, or refuse a product that is not the same.

Matching is by exact master SKU. A product that already belongs to another SFCC product, sits
under another master, or carries other identifiers is a different product claiming the SKU: the
store row is left as it is and a `catalog.sku_conflict` exception names both sides.
"""

from __future__ import annotations

from connectors.engine.registry import FlowContext
from connectors.sfcc.product_mapping import ProductFields, product_fields, variant_stub
from connectors.sfcc.schemas import Product as SfccProduct
from connectors.sfcc.settings import ProductAttributeNames, SfccSettings
from store.models import ChannelListing, Product
from store.repositories.products import ProductRepository

SKU_CONFLICT = "catalog.sku_conflict"


class CatalogWriter:
    """Applies SFCC product documents to the store during one run of the catalog pull."""

    def __init__(self, ctx: FlowContext, sku_map: dict[str, str], *, force: bool) -> None:
        self.ctx = ctx
        settings = ctx.settings
        self.attribute_names = (
            settings.product_attributes if isinstance(settings, SfccSettings) else ProductAttributeNames()
        )
        self.sku_map = sku_map
        self.force = force
        self.products = ProductRepository(ctx.session)
        self._stubs: list[ProductFields] = []

    def apply(self, doc: SfccProduct) -> None:
        """Create or update the store product of one SFCC product (unchanged content is skipped)."""
        fields = product_fields(doc, self.sku_map, {}, self.attribute_names)
        self.ctx.exceptions.checked("product", fields.sku)
        product = self.products.get_by_sku(fields.sku)
        reason = self._conflict(product, fields)
        if reason is not None:
            self._report_conflict(fields, reason)
            return
        if product is None:
            product = self.products.add(
                Product(
                    sku=fields.sku,
                    parent_sku=fields.parent_sku,
                    identifiers=dict(fields.identifiers),
                    source_connection_id=self.ctx.connection.id,
                    **fields.values,
                )
            )
            self.ctx.count("created")
        else:
            listing = self.products.listing(product.id, self.ctx.connection.id)
            if not self.force and listing is not None and listing.content_hash == fields.content_hash:
                self.ctx.count("unchanged")
                self._remember_variants(doc, fields)
                return
            self._update(product, fields)
            self.ctx.count("updated")
        self._link(product, fields)
        self._remember_variants(doc, fields)

    def finish(self) -> None:
        """Attach variants known only from their master's list (their own document never came)."""
        for stub in self._stubs:
            product = self.products.get_by_sku(stub.sku)
            if product is None:
                self.ctx.exceptions.checked("product", stub.sku)
                self.products.add(
                    Product(
                        sku=stub.sku,
                        parent_sku=stub.parent_sku,
                        source_connection_id=self.ctx.connection.id,
                        **stub.values,
                    )
                )
                self._link_stub(stub)
                self.ctx.count("variants_from_master")
            elif product.parent_sku is None and self._conflict(product, stub) is None:
                product.parent_sku = stub.parent_sku
                product.attributes = {**stub.values["attributes"], **(product.attributes or {})}
                self.ctx.count("variants_attached")

    def _remember_variants(self, doc: SfccProduct, fields: ProductFields) -> None:
        self._stubs.extend(variant_stub(fields, variant, self.sku_map) for variant in doc.variants)

    def _conflict(self, product: Product | None, fields: ProductFields) -> str | None:
        """Why `product` is not the product `fields` describe, or None when it is (or is new)."""
        if product is None:
            return None
        listing = self.products.listing(product.id, self.ctx.connection.id)
        if listing is not None and listing.external_product_id not in (None, fields.sfcc_id):
            return f"is already the master product of SFCC product '{listing.external_product_id}'"
        if product.parent_sku and fields.parent_sku and product.parent_sku != fields.parent_sku:
            return f"is a variant of '{product.parent_sku}' in the store, not of '{fields.parent_sku}'"
        known = product.identifiers if isinstance(product.identifiers, dict) else {}
        for name, value in fields.identifiers.items():
            if known.get(name) and known[name] != value:
                return f"has {name} {known[name]} in the store, while SFCC says {value}"
        return None

    def _report_conflict(self, fields: ProductFields, reason: str) -> None:
        name = self.ctx.connection.name
        self.ctx.exceptions.observe(
            code=SKU_CONFLICT,
            category="catalog",
            entity_type="product",
            entity_id=fields.sku,
            message=(
                f"SFCC product '{fields.sfcc_id}' ({name}) claims master SKU '{fields.sku}', which "
                f"{reason}; the store product was not overwritten. If SFCC calls another product by "
                f"this SKU, map it to its master SKU (channel SKU on {name}); otherwise fix the SKU in SFCC."
            ),
            fault={"sfcc_product_id": fields.sfcc_id, "master_sku": fields.sku, "reason": reason},
        )
        self.ctx.count("conflicts")

    def _update(self, product: Product, fields: ProductFields) -> None:
        for key, value in fields.values.items():
            if key == "attributes":
                value = {**(product.attributes or {}), **value}
            setattr(product, key, value)
        if fields.parent_sku:
            product.parent_sku = fields.parent_sku
        if fields.identifiers:
            product.identifiers = {**(product.identifiers or {}), **fields.identifiers}

    def _link(self, product: Product, fields: ProductFields) -> ChannelListing:
        listing = self.products.ensure_listing(product, self.ctx.connection.id)
        listing.external_product_id = fields.sfcc_id
        listing.content_hash = fields.content_hash
        listing.status = "active" if fields.values.get("status") == "active" else "inactive"
        listing.updated_at = self.ctx.now
        return listing

    def _link_stub(self, stub: ProductFields) -> None:
        product = self.products.get_by_sku(stub.sku)
        assert product is not None
        listing = self.products.ensure_listing(product, self.ctx.connection.id)
        listing.external_product_id = stub.sfcc_id
        listing.status = "pending"  # the content hash stays empty until the variant's own document
