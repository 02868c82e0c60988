"""The order a failure recorded on a shipment, route, SKU, product or listing concerns.

The diagnosis rules read one order's snapshot. A failure recorded on another entity is explained
through the order it belongs to or, for catalogue entities, the most recent order with its SKU.
The order is chosen so that :func:`~tools.diagnosis.snapshot.load_snapshot` gathers the record:
the snapshot reads the failures of the order's routes and shipments, of its line SKUs (recorded
on a sku, product or order_line), of their products' row ids and master SKUs, and of their listings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, case, or_, select
from sqlalchemy.orm import Session

from store.models import ChannelListing, ExceptionRecord, Fulfillment, Order, OrderLine, OrderRoute, Product
from tools.diagnosis.findings import Finding, quoted
from tools.diagnosis.rules.common import ident

SKU_ENTITIES = ("sku", "order_line")
LISTING_ENTITIES = ("listing", "channel_listing")
AFTER_SALES_ENTITIES = ("return", "cancellation")
ONLY_CATALOGUE = "only the catalogue text applies"
# A longer number is a channel's id (TikTok's have 18 digits), never one of the store's row ids.
_ROW_ID_DIGITS = 9


@dataclass(frozen=True)
class RelatedOrder:
    """The order whose diagnosis explains a record (None when there is none) and how it was found."""

    order: Order | None
    note: str
    # The SKUs the record is about: a finding that names another SKU is about something else.
    skus: frozenset[str] = frozenset()


def order_of(session: Session, record: ExceptionRecord) -> RelatedOrder:
    """The order a failure recorded on anything but an order concerns, with a note saying why."""
    kind, key = record.entity_type, record.entity_id
    if kind == "fulfillment":
        return _of_shipment(session, record)
    if kind == "order_route":
        return _of_route(session, key)
    if kind in SKU_ENTITIES:
        return _with_skus(session, record, {key}, f"SKU {quoted(key)}")
    if kind == "product":
        return _of_product(session, record)
    if kind in LISTING_ENTITIES:
        return _of_listing(session, record)
    if kind in AFTER_SALES_ENTITIES:
        return _of_after_sales(session, record)
    if kind == "connection":
        return RelatedOrder(
            None,
            f"A failure of connection {ident(key)} concerns every order it handles rather than one; "
            f"{ONLY_CATALOGUE} (diagnose_order on an affected order shows what it blocks there).",
        )
    return RelatedOrder(None, f"A failure recorded on a {kind} belongs to no order, so {ONLY_CATALOGUE}.")


def about_record(record: ExceptionRecord, findings: Iterable[Finding], skus: frozenset[str]) -> list[Finding]:
    """The findings about ``record``: those citing it, and those of its code that cite no recorded
    failure and name no other SKU (rules that read listing rows rather than the record).
    """
    kept = []
    for finding in findings:
        cited = finding.evidence.get("exception_id")
        if cited is not None:
            if cited == record.id:
                kept.append(finding)
            continue
        sku = finding.evidence.get("sku")
        if finding.code == record.code and (sku is None or not skus or str(sku) in skus):
            kept.append(finding)
    return kept


def _row_id(key: str) -> int | None:
    return int(key) if key.isascii() and key.isdigit() and len(key) <= _ROW_ID_DIGITS else None


def _newest(session: Session, query: Select[Order], record: ExceptionRecord) -> Order | None:
    """The most recent order of ``query``, preferring the record's own connection (its shop)."""
    order_by: list[ColumnElement[Any]] = []
    if record.connection_id is not None:
        order_by.append(case((Order.connection_id == record.connection_id, 0), else_=1))
    # Orders without a placing time go last, on both stores (NULLS LAST is not portable).
    order_by += [Order.placed_at.is_(None), Order.placed_at.desc(), Order.id.desc()]
    return session.scalars(query.order_by(*order_by).limit(1)).first()


def _of_shipment(session: Session, record: ExceptionRecord) -> RelatedOrder:
    key = record.entity_id
    matches = [Fulfillment.external_id == key]
    row_id = _row_id(key)
    if row_id is not None:
        matches.append(Fulfillment.id == row_id)
    query = select(Order).join(Fulfillment, Fulfillment.order_id == Order.id).where(or_(*matches))
    order = _newest(session, query, record)
    if order is None:
        return RelatedOrder(None, f"Shipment {quoted(key)} is not in the store, so {ONLY_CATALOGUE}.")
    return RelatedOrder(
        order,
        f"Shipment {quoted(key)} belongs to order {ident(order.external_id)}; the findings come from "
        "that order's diagnosis.",
    )


def _of_route(session: Session, key: str) -> RelatedOrder:
    row_id = _row_id(key)
    route = session.get(OrderRoute, row_id) if row_id is not None else None
    order = session.get(Order, route.order_id) if route is not None else None
    if order is None:
        return RelatedOrder(None, f"Order route {ident(key)} is not in the store, so {ONLY_CATALOGUE}.")
    return RelatedOrder(
        order,
        f"Order route {ident(key)} is the push of order {ident(order.external_id)}; the findings come "
        "from that order's diagnosis.",
    )


def _with_skus(session: Session, record: ExceptionRecord, skus: set[str], what: str) -> RelatedOrder:
    query = select(Order).join(OrderLine, OrderLine.order_id == Order.id).where(OrderLine.sku.in_(skus))
    order = _newest(session, query, record)
    if order is None:
        return RelatedOrder(
            None,
            f"No order in the store has {what} yet, and the diagnosis rules read an order's state, so "
            f"{ONLY_CATALOGUE}.",
            frozenset(skus),
        )
    return RelatedOrder(
        order,
        f"The findings come from order {ident(order.external_id)}, the most recent order with {what}.",
        frozenset(skus),
    )


def _of_product(session: Session, record: ExceptionRecord) -> RelatedOrder:
    """Catalogue flows record a product on its SKU or its master's (root) SKU; the snapshot also
    reads failures recorded on a product's row id.
    """
    key = record.entity_id
    skus = {key} | set(session.scalars(select(Product.sku).where(Product.parent_sku == key)))
    row_id = _row_id(key)
    product = session.get(Product, row_id) if row_id is not None else None
    if product is not None:
        skus.add(product.sku)
    return _with_skus(session, record, skus, f"product {quoted(key)} or one of its variants")


def _of_listing(session: Session, record: ExceptionRecord) -> RelatedOrder:
    key = record.entity_id
    row_id = _row_id(key)
    listing = session.get(ChannelListing, row_id) if row_id is not None else None
    product = session.get(Product, listing.product_id) if listing is not None else None
    if product is None:
        return RelatedOrder(None, f"Listing {ident(key)} is not in the store, so {ONLY_CATALOGUE}.")
    return _with_skus(session, record, {product.sku}, f"the listed SKU {quoted(product.sku)}")


def _of_after_sales(session: Session, record: ExceptionRecord) -> RelatedOrder:
    """A return or cancellation the store refused is not stored; its fault names the order."""
    fault = record.fault if isinstance(record.fault, dict) else {}
    order_id = str(fault.get("order_id") or "")
    order = _newest(session, select(Order).where(Order.external_id == order_id), record) if order_id else None
    if order is None:
        return RelatedOrder(
            None, f"The {record.entity_type} names no order that is in the store, so {ONLY_CATALOGUE}."
        )
    return RelatedOrder(
        order,
        f"The {record.entity_type} belongs to order {ident(order.external_id)}; the findings come from "
        "that order's diagnosis.",
    )
