"""The catalog: what the first sync made of the SFCC catalog on TikTok, and the proposals it left.

Complete products are listed (or matched to their existing TikTok listing by seller SKU); products
lacking a required attribute are held with ``tiktok.attribute_missing`` and get a proposal for the
value, which a person approves later; products breaking a listing rule are held with
``tiktok.listing_invalid``.
"""

from __future__ import annotations

from sqlalchemy import select

from demo.capabilities import first_flow, flows_of
from demo.catalog import OFFLINE
from demo.configuration import TIKTOK
from demo.context import DemoRun
from store.models import AttributeProposal, ChannelListing, Connection, ExceptionRecord, Product


def _open_product_codes(run: DemoRun) -> dict[str, set[str]]:
    with run.the_daemon().app.session_factory() as session:
        rows = session.execute(
            select(ExceptionRecord.entity_id, ExceptionRecord.code).where(
                ExceptionRecord.entity_type == "product", ExceptionRecord.status == "open"
            )
        ).all()
    codes: dict[str, set[str]] = {}
    for sku, code in rows:
        codes.setdefault(sku, set()).add(code)
    return codes


def _name(value: object) -> str:
    """A proposed value: TikTok's ``{"id", "name"}`` item, or plain text."""
    return str(value.get("name")) if isinstance(value, dict) else str(value)


def _messages(run: DemoRun, skus: list[str]) -> list[str]:
    """The open exception messages of these products, so a failed check says why."""
    with run.the_daemon().app.session_factory() as session:
        return list(
            session.scalars(
                select(ExceptionRecord.message).where(
                    ExceptionRecord.entity_type == "product",
                    ExceptionRecord.entity_id.in_(skus),
                    ExceptionRecord.status == "open",
                )
            )
        )


def catalog_on_tiktok(run: DemoRun) -> None:
    """Check listings, holds and proposals against the catalog the demo generated."""
    world = run.the_world()
    reporter = run.reporter
    if first_flow("tiktok", ("push_products",)) is None:
        reporter.missing(
            "catalog pushed to TikTok",
            f"the TikTok connector has no catalog push flow (its flows: {', '.join(flows_of('tiktok'))})",
        )
        return
    sessions = run.the_daemon().app.session_factory
    with sessions() as session:
        listed = {
            sku: (status, external)
            for sku, status, external in session.execute(
                select(Product.sku, ChannelListing.status, ChannelListing.external_product_id)
                .join(ChannelListing, ChannelListing.product_id == Product.id)
                .join(Connection, Connection.id == ChannelListing.connection_id)
                .where(Connection.name == TIKTOK)
            )
        }
        proposals = session.execute(
            select(Product.sku, AttributeProposal.attribute_name, AttributeProposal.values).join(
                Product, Product.id == AttributeProposal.product_id
            )
        ).all()
    # Offline products stay off the push (the seller switched them off in SFCC).
    complete = [
        p for p in world.catalog.products if p.on_tiktok and p.master_sku is None and p.unorderable != OFFLINE
    ]
    unlisted = [p.sku for p in complete if not (listed.get(p.sku) or (None, None))[1]]
    codes, messages = _open_product_codes(run), _messages(run, unlisted[:1])
    reporter.check(
        "complete products are on TikTok (listed, or matched by seller SKU)",
        not unlisted,
        f"{len(complete) - len(unlisted)} of {len(complete)} items",
        failure=f"{len(unlisted)} without a TikTok listing, e.g. {', '.join(unlisted[:3])}"
        + (f"; {unlisted[0]}: {messages[0]}" if messages else ""),
    )
    for code, products in (
        ("tiktok.attribute_missing", [p for p in world.catalog.products if p.missing]),
        ("tiktok.listing_invalid", [p for p in world.catalog.products if p.listing_problem]),
    ):
        wrong = [p.sku for p in products if code not in codes.get(p.sku, set())]
        reporter.check(
            f"{code} open on each such product",
            not wrong,
            f"{len(products)} products",
            failure=f"{len(wrong)} without it, e.g. {', '.join(wrong[:3])}",
        )
    by_sku = world.catalog.by_sku()
    gaps = {p.sku for p in world.catalog.products if p.missing}
    proposed = [(sku, name, values) for sku, name, values in proposals if sku in gaps]
    reporter.say(f"{len(proposals)} attribute proposals waiting for a person, e.g.:")
    reporter.lines(
        f"{sku}: {name} = {', '.join(_name(v) for v in values or [])}" for sku, name, values in proposed[:3]
    )
    right = [sku for sku, _, values in proposed if any(_name(v) in by_sku[sku].title for v in values or [])]
    reporter.check(
        "proposals name values the products' own titles show",
        bool(proposed) and len(right) == len(proposed),
        f"{len(right)} of {len(proposed)}",
        failure=f"{len(right)} of {len(proposed)} proposals point at their evidence",
    )
