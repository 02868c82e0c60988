"""The TikTok side of a push: find the product (by id, then by SKU), recover, create, or edit it.

A create is sent once; if its answer is lost, the next run's SKU search finds the product and links
it instead of creating a second one. Edits bring TikTok's variants to parity only when the seller
allowed it (*Block update if variants inconsistent* off): TikTok deletes the SKUs an edit leaves out.
"""

from __future__ import annotations

from connectors.tiktok.catalog_schemas import ProductDetail, ProductWriteResult
from connectors.tiktok.errors import NotFoundError
from connectors.tiktok.flows.catalog_category import CategoryInfo
from connectors.tiktok.flows.catalog_listing import (
    Uploads,
    build_body,
    certification_urls,
    description_image_urls,
    main_image_urls,
    variant_image,
)
from connectors.tiktok.flows.catalog_run import HeldError, PushRun, QueuedError
from connectors.tiktok.flows.catalog_source import ListingSource
from connectors.tiktok.flows.catalog_store import ensure_listing, listing_status
from connectors.tiktok.listing_validation import ListingDraft
from store.models import ChannelListing, Product

SEARCH_BATCH = 10
# Which body fields each *Update only* property covers.
PARTIAL_FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "description": ("description",),
    "images": ("main_images",),
    "attributes": ("product_attributes", "certifications", "size_chart"),
    "package": ("package_weight", "package_dimensions"),
    "brand": ("brand_id",),
}


class VariantsInconsistentError(Exception):
    """TikTok's SKUs differ from the master's and the settings block the update."""

    def __init__(self, extra: list[str], absent: list[str]) -> None:
        super().__init__(f"extra on TikTok: {extra}; absent on TikTok: {absent}")
        self.extra = extra
        self.absent = absent


def push_listing(
    run: PushRun,
    source: ListingSource,
    listing: ChannelListing,
    draft: ListingDraft,
    info: CategoryInfo,
    save_mode: str,
) -> str:
    """Create or update the TikTok product of ``source``; returns what was done."""
    detail = _current(run, listing)
    if detail is None:
        detail = _find_by_sku(run, source, listing)
    if detail is not None and detail.status == "DELETED":
        if not run.settings.recover_deleted:
            _forget(listing)
            detail = None
        else:
            run.client.recover([detail.id])
            run.ctx.count("recovered")
            detail = run.client.get_product(detail.id)
    if detail is None:
        if not run.may_create():
            raise QueuedError(f"today's limit of {run.settings.daily_upload_limit} new products is reached")
        body = build_body(
            draft,
            source,
            _upload(run, source, draft, info),
            version=run.categories.version,
            inventory=run.inventory,
            save_mode=save_mode,
        )
        result = run.client.create_product(body)
        run.created_today += 1
        _record(run, source, listing, result, "DRAFT" if save_mode == "AS_DRAFT" else "PENDING")
        return "created"
    if save_mode == "AS_DRAFT" and detail.status != "DRAFT":
        raise HeldError(f"the product is {detail.status} on TikTok and cannot go back to a draft")
    return _update(run, source, listing, draft, info, detail, save_mode)


def _current(run: PushRun, listing: ChannelListing) -> ProductDetail | None:
    if not listing.external_product_id:
        return None
    try:
        return run.client.get_product(listing.external_product_id)
    except NotFoundError:
        _forget(listing)
        return None


def _find_by_sku(run: PushRun, source: ListingSource, listing: ChannelListing) -> ProductDetail | None:
    """A TikTok product already listing one of these seller SKUs (a lost create, or a deleted one)."""
    skus = [s.sku for s in source.skus]
    candidates: dict[str, str] = {}
    for start in range(0, len(skus), SEARCH_BATCH):
        for page in run.client.iter_product_pages({"seller_skus": skus[start : start + SEARCH_BATCH]}):
            for product in page.products:
                candidates[product.id] = product.status
    if not candidates:
        return None
    # A live product wins over a deleted one; among equals the oldest id (the first listed).
    chosen = min(candidates, key=lambda pid: (candidates[pid] == "DELETED", int(pid) if pid.isdigit() else 0))
    listing.external_product_id = chosen
    run.ctx.count("linked_by_sku")
    return run.client.get_product(chosen)


def _forget(listing: ChannelListing) -> None:
    listing.external_product_id = None
    listing.external_sku_id = None


def _upload(
    run: PushRun,
    source: ListingSource,
    draft: ListingDraft,
    info: CategoryInfo,
    fields: tuple[str, ...] | None = None,
) -> Uploads:
    """Upload what the body (or the fields of a partial edit) refers to."""
    uploads = Uploads()
    wanted = set(fields) if fields is not None else None

    def put(url: str, use_case: str) -> None:
        uploaded = run.images.upload(url, use_case)
        # Listings refer to images by URI; description HTML by the URL TikTok serves them from.
        uploads.put(url, use_case, uploaded.url if use_case == "DESCRIPTION_IMAGE" else uploaded.uri)

    if wanted is None or "main_images" in wanted:
        for url in main_image_urls(source):
            put(url, "MAIN_IMAGE")
        for sku in source.skus:
            image = variant_image(sku, run.settings.first_child_image_as_variant_image)
            if image:
                put(image, "ATTRIBUTE_IMAGE")
    if wanted is None or "description" in wanted:
        for url in description_image_urls(draft.description):
            put(url, "DESCRIPTION_IMAGE")
    if wanted is None or "certifications" in wanted:
        for urls in certification_urls(source, info).values():
            for url in urls:
                put(url, "CERTIFICATION_IMAGE")
        chart = draft.size_chart.image_url if draft.size_chart is not None else None
        if chart:
            put(chart, "SIZE_CHART_IMAGE")
    return uploads


def _update(
    run: PushRun,
    source: ListingSource,
    listing: ChannelListing,
    draft: ListingDraft,
    info: CategoryInfo,
    detail: ProductDetail,
    save_mode: str,
) -> str:
    on_tiktok = {s.seller_sku: s.id for s in detail.skus}
    master = [s.sku for s in source.skus]
    extra = sorted(set(on_tiktok) - set(master))
    absent = [sku for sku in master if sku not in on_tiktok]
    if (extra or absent) and run.settings.block_inconsistent_variants:
        raise VariantsInconsistentError(extra, absent)
    partial = (
        run.settings.update_only
        and not (extra or absent)
        and not (detail.status == "DRAFT" and save_mode == "LISTING")
    )
    if partial:
        fields = tuple(f for prop in run.settings.update_only for f in PARTIAL_FIELDS.get(prop, ()))
        body = build_body(
            draft,
            source,
            _upload(run, source, draft, info, fields),
            version=run.categories.version,
            inventory=run.inventory,
            save_mode=save_mode,
            sku_ids=on_tiktok,
        )
        changes = {key: body[key] for key in fields if key in body}
        if "price" in run.settings.update_only:
            changes["skus"] = [{"id": s["id"], "price": s["price"]} for s in body["skus"] if "price" in s]
        result = run.client.partial_edit_product(detail.id, changes)
        _record(run, source, listing, result, run.client.get_product(detail.id).status)
        return "updated_partially"
    body = build_body(
        draft,
        source,
        _upload(run, source, draft, info),
        version=run.categories.version,
        inventory=run.inventory,
        save_mode=save_mode,
        sku_ids=on_tiktok,
    )
    result = run.client.edit_product(detail.id, body)
    if extra:
        run.ctx.count("variants_deleted", len(extra))
    _record(run, source, listing, result, "DRAFT" if save_mode == "AS_DRAFT" else "PENDING")
    return "updated"


def _record(
    run: PushRun, source: ListingSource, listing: ChannelListing, result: ProductWriteResult, status: str
) -> None:
    """Keep TikTok's product and SKU ids on the root's and each SKU's listing."""
    session = run.ctx.session
    listing.external_product_id = result.product_id
    listing.status = listing_status(status)
    listing.pushed_at = run.ctx.now
    sku_ids = {s.seller_sku: s.id for s in result.skus}
    for sku in source.skus:
        product = session.get(Product, sku.product_id)
        if product is None:
            continue
        sku_listing = (
            listing
            if product.id == source.root_id
            else ensure_listing(session, product, run.ctx.connection.id)
        )
        sku_listing.external_product_id = result.product_id
        sku_listing.external_sku_id = sku_ids.get(sku.sku)
        sku_listing.status = listing.status
        sku_listing.pushed_at = run.ctx.now
