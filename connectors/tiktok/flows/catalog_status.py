"""Listing status after the push: audits finishing, master status followed, pre-owned items sold.

TikTok sends no update when an audit ends, so listings left PENDING are read back each run (a few
per run). With *Allow deactivating*, a TikTok product follows its master product: deactivated when
the master is inactive, activated again when it is active. A pre-owned item is one piece: once sold
it is deactivated whatever the setting says.
"""

from __future__ import annotations

from sqlalchemy import select

from connectors.tiktok.errors import NotFoundError
from connectors.tiktok.flows.catalog_outcomes import LISTING_INVALID
from connectors.tiktok.flows.catalog_run import PushRun
from connectors.tiktok.flows.catalog_source import ListingSource
from connectors.tiktok.flows.catalog_store import listing_status, was_sold
from store.models import ChannelListing, Product

PENDING_CHECKS_PER_RUN = 50


def refresh_pending(run: PushRun) -> None:
    """Read back the root listings still PENDING on TikTok and record how their audit ended."""
    ctx = run.ctx
    rows = ctx.session.execute(
        select(ChannelListing, Product)
        .join(Product, Product.id == ChannelListing.product_id)
        .where(
            ChannelListing.connection_id == ctx.connection.id,
            ChannelListing.status == "pending",
            ChannelListing.external_product_id.is_not(None),
            Product.parent_sku.is_(None),
        )
        .order_by(ChannelListing.id)
        .limit(PENDING_CHECKS_PER_RUN)
    ).all()
    for listing, product in rows:
        assert listing.external_product_id is not None
        try:
            detail = run.client.get_product(listing.external_product_id)
        except NotFoundError:
            continue
        status = listing_status(detail.status)
        if status == listing.status:
            continue
        _set_status(run, listing.external_product_id, status)
        ctx.count(f"audit_{status}")
        if detail.status == "FAILED":
            reasons = [r for reason in detail.audit_failed_reasons for r in reason.get("reasons", [])]
            listing.validation_errors = [
                {"field": "audit", "rule": "tiktok.audit_failed", "code": LISTING_INVALID, "message": r}
                for r in reasons
            ]
            ctx.exceptions.observe(
                code=LISTING_INVALID,
                category="catalog",
                entity_type="product",
                entity_id=product.sku,
                message=(
                    f"TikTok's audit refused product {product.sku}: "
                    f"{'; '.join(reasons) or 'no reason given'}. Change the product in the master catalog; "
                    "it is pushed again when it changes."
                ),
                fault={"audit_failed_reasons": detail.audit_failed_reasons},
            )


def follow_master(run: PushRun, source: ListingSource, listing: ChannelListing) -> None:
    """Deactivate or activate the TikTok product so that it follows the master product."""
    product_id = listing.external_product_id
    if not product_id:
        return
    if source.pre_owned and any(was_sold(run.ctx.session, sku.sku) for sku in source.skus):
        if listing.status in ("active", "pending"):
            _switch(run, source, product_id, "inactive", "pre_owned_sold_deactivated")
        return
    if not run.settings.allow_deactivating:
        return
    if not source.active and listing.status in ("active", "pending"):
        _switch(run, source, product_id, "inactive", "deactivated")
    elif source.active and listing.status == "inactive":
        _switch(run, source, product_id, "active", "activated")


def _switch(run: PushRun, source: ListingSource, product_id: str, status: str, counter: str) -> None:
    call = run.client.deactivate if status == "inactive" else run.client.activate
    errors = call([product_id])
    if errors:
        run.ctx.exceptions.observe(
            code=LISTING_INVALID,
            category="catalog",
            entity_type="product",
            entity_id=source.root_sku,
            message=(
                f"TikTok refused to {'deactivate' if status == 'inactive' else 'activate'} product "
                f"{source.root_sku} ({product_id}): {errors[0].message}"
            ),
            fault={"errors": [e.model_dump() for e in errors]},
        )
        return
    _set_status(run, product_id, status)
    run.ctx.count(counter)


def _set_status(run: PushRun, product_id: str, status: str) -> None:
    """Every listing of the TikTok product (root and SKUs) takes the status."""
    listings = run.ctx.session.scalars(
        select(ChannelListing).where(
            ChannelListing.connection_id == run.ctx.connection.id,
            ChannelListing.external_product_id == product_id,
        )
    ).all()
    for listing in listings:
        listing.status = status
