"""Push the master catalog to TikTok Shop: validate locally, then create, update or hold each product.

A product is looked at again only when its content hash (the master data plus the category and the
settings that shape the listing) differs from the one its listing last recorded; that is also how an
approved attribute proposal goes live: the value lands in ``Product.attributes``, the hash changes,
and the next run validates and pushes. Each run examines ``batch_size`` listing roots and the cursor
remembers where to continue; it also counts today's new products against the daily upload limit.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from connectors.engine.errors import FlowError
from connectors.engine.registry import FlowContext, FlowResult
from connectors.tiktok.errors import AmbiguousWriteError, NotFoundError, TikTokError, ValidationError
from connectors.tiktok.flows.catalog_category import CategoryInfo
from connectors.tiktok.flows.catalog_images import ImageFetchError
from connectors.tiktok.flows.catalog_listing import build_draft, main_image_urls
from connectors.tiktok.flows.catalog_outcomes import VARIANTS_INCONSISTENT, record_issues, record_rejection
from connectors.tiktok.flows.catalog_push import VariantsInconsistentError, push_listing
from connectors.tiktok.flows.catalog_run import HeldError, PushRun, QueuedError
from connectors.tiktok.flows.catalog_source import ListingSource, read_source, stock_for
from connectors.tiktok.flows.catalog_status import follow_master, refresh_pending
from connectors.tiktok.flows.catalog_store import ensure_listing, listing_roots
from connectors.tiktok.listing_validation import ListingDraft, ListingIssue, validate_listing
from connectors.tiktok.listing_validation.issue import invalid
from store.models import ChannelListing, Product

PROMOTION_MIN, PROMOTION_MAX = Decimal("0.05"), Decimal("0.95")


def push_products(ctx: FlowContext) -> FlowResult:
    """One pass over up to ``batch_size`` listing roots, continuing where the last run stopped."""
    cursor: dict[str, Any] = dict(ctx.cursor or {})
    try:
        run = PushRun.start(ctx, cursor)
        refresh_pending(run)
    except TikTokError as error:
        raise FlowError(str(error), code=error.exception_code, retryable=error.retryable) from error
    after_id = int(cursor.get("after_id") or 0)
    roots = listing_roots(ctx.session, after_id=after_id, limit=run.settings.batch_size)
    stopped = False
    for root in roots:
        try:
            push_root(run, root)
        except TikTokError as error:
            if error.retryable or isinstance(error, AmbiguousWriteError):
                # TikTok is struggling: keep what is done, start from this product next run.
                ctx.count("retry_later")
                stopped = True
                break
            if not isinstance(error, ValidationError | NotFoundError):
                raise FlowError(str(error), code=error.exception_code, retryable=False) from error
            # TikTok refused something about this product only: note it there and move on.
            ctx.count("rejected")
            listing = ensure_listing(ctx.session, root, ctx.connection.id)
            record_rejection(ctx, listing, root.sku, error, "update")
        after_id = root.id
    finished = not stopped and len(roots) < run.settings.batch_size
    return FlowResult(
        {"after_id": 0 if finished else after_id, "day": run.day, "created": run.created_today},
        more=not finished and not stopped,
    )


def push_root(run: PushRun, root: Product) -> None:
    """Validate one listing root and push it when the settings allow; the listing records the outcome."""
    ctx, settings = run.ctx, run.settings
    source = read_source(ctx.session, root, run.mappings)
    listing = ensure_listing(ctx.session, root, ctx.connection.id)
    follow_master(run, source, listing)
    category_id = run.categories.resolve(source.category_key, settings)
    digest = source.content_hash({"category_id": category_id, "settings": run.settings_fingerprint()})
    if listing.content_hash == digest:
        ctx.count("unchanged")
        return
    if not source.active and not listing.external_product_id:
        ctx.count("inactive_not_listed")
        return
    ctx.exceptions.checked("product", source.root_sku)
    info = run.categories.info(category_id) if category_id else None
    draft, issues = _evaluate(run, source, category_id, info)
    missing, wrong = record_issues(ctx, listing, source.root_sku, issues, draft)
    if wrong or draft is None or info is None:
        ctx.count("invalid")
    elif settings.prepare_only:
        ctx.count("prepared")
    elif missing and settings.when_attributes_missing == "hold":
        ctx.count("held_missing_attributes")
    else:
        if not _push(run, source, listing, draft, info, "AS_DRAFT" if missing else "LISTING"):
            return  # queued or retried later: the hash stays old so the product is looked at again
        _note_promotions(run, source)
    listing.content_hash = digest


def _evaluate(
    run: PushRun, source: ListingSource, category_id: str | None, info: CategoryInfo | None
) -> tuple[ListingDraft | None, list[ListingIssue]]:
    if category_id is None:
        return None, [
            invalid(
                "category.id",
                "category.required",
                f"Product {source.root_sku} has no TikTok category: map its category "
                f"({source.category_key or 'none'}) in the catalog settings (category_map), or set "
                "default_category_id.",
            )
        ]
    if info is None:
        return None, [
            invalid(
                "category.id",
                "category.unknown",
                f"TikTok has no category {category_id} in the {run.categories.version} tree; map the product "
                "to an existing leaf category.",
            )
        ]
    urls = main_image_urls(source)
    images, image_issues = run.images.probe_all(urls, "main_images")
    stock = {sku.sku: stock_for(run.ctx.session, source, sku) for sku in source.skus}
    draft = build_draft(
        source,
        info,
        region=run.region,
        images=images,
        stock=stock,
        first_child_image=run.settings.first_child_image_as_variant_image,
    )
    return draft, [*image_issues, *validate_listing(draft)]


def _push(
    run: PushRun,
    source: ListingSource,
    listing: ChannelListing,
    draft: ListingDraft,
    info: CategoryInfo,
    mode: str,
) -> bool:
    """Push; False when the product must be looked at again later (queued by the daily limit)."""
    ctx = run.ctx
    try:
        ctx.count(push_listing(run, source, listing, draft, info, mode))
    except QueuedError:
        ctx.count("queued_daily_limit")
        return False
    except HeldError as held:
        ctx.count("held")
        listing.validation_errors = [
            *(listing.validation_errors or []),
            {"field": "status", "rule": "push.held", "code": "tiktok.listing_invalid", "message": str(held)},
        ]
    except VariantsInconsistentError as error:
        ctx.count("blocked_inconsistent_variants")
        ctx.exceptions.observe(
            code=VARIANTS_INCONSISTENT,
            category="catalog",
            entity_type="product",
            entity_id=source.root_sku,
            message=(
                f"Product {source.root_sku} was not updated on TikTok: its variants differ from the master's "
                f"(only on TikTok: {', '.join(error.extra) or 'none'}; missing on TikTok: "
                f"{', '.join(error.absent) or 'none'}). Make them match, or turn off 'Block update if "
                "variants inconsistent' to let the push add the missing ones and DELETE the extra ones."
            ),
            fault={"extra": error.extra, "absent": error.absent},
        )
    except ValidationError as error:
        ctx.count("rejected")
        record_rejection(ctx, listing, source.root_sku, error, "list")
    except ImageFetchError as error:
        # Only description images are fetched this late; the others failed validation already.
        ctx.count("invalid")
        issue = invalid(
            "description",
            "description.image_unreachable",
            f"A description image could not be fetched: {error}.",
        )
        record_issues(ctx, listing, source.root_sku, [issue], draft)
    return True


def promotion_discount(price: Decimal | None, compare_at: Decimal | None) -> Decimal | None:
    """The discount a compare-at price implies, when it qualifies for a promotion (5% to 95%)."""
    if price is None or compare_at is None or compare_at <= price or compare_at <= 0:
        return None
    discount = (compare_at - price) / compare_at
    return discount if PROMOTION_MIN <= discount <= PROMOTION_MAX else None


def _note_promotions(run: PushRun, source: ListingSource) -> None:
    """Count the SKUs that would get a promotion; the promotion API is outside this connector."""
    if not run.settings.use_promotions:
        return
    eligible = sum(1 for s in source.skus if promotion_discount(s.price, s.compare_at_price) is not None)
    if eligible:
        run.ctx.count("promotions_not_supported", eligible)
