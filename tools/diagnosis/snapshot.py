"""Everything the diagnosis rules read about one order, loaded once, so rules stay pure."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import (
    AttributeProposal,
    ChannelListing,
    Connection,
    ExceptionRecord,
    Fulfillment,
    Lease,
    Mapping,
    Order,
    OrderLine,
    OrderRoute,
    Product,
)
from tools.connections import ConnectionView, view_of
from tools.lookups import near_miss_skus, order_lines, order_routes, payment_method_of
from tools.registry import ToolContext

RECORD_INVALID = "tiktok.record_invalid"


@dataclass(frozen=True)
class FaultInfo:
    """A stored downstream fault, whatever shape the connector kept it in."""

    type: str | None
    message: str | None
    arguments: dict[str, Any]
    raw: Any


def fault_info(record: ExceptionRecord) -> FaultInfo:
    """Read ``type``/``message``/``arguments`` from an exception's fault (OCAPI, SCAPI or flat)."""
    raw = record.fault
    doc: Any = raw
    if isinstance(doc, dict) and isinstance(doc.get("fault"), dict):
        doc = doc["fault"]
    if not isinstance(doc, dict):
        return FaultInfo(None, None, {}, raw)
    args = doc.get("arguments")
    kind = doc.get("type") or doc.get("error")
    message = doc.get("message") or doc.get("detail") or doc.get("error_description")
    return FaultInfo(
        str(kind) if kind is not None else None,
        str(message) if message is not None else None,
        dict(args) if isinstance(args, dict) else {},
        raw,
    )


@dataclass(frozen=True)
class Snapshot:
    """One order and the store state around it, at ``now``."""

    now: datetime
    order: Order
    lines: list[OrderLine]
    routes: list[OrderRoute]
    source: ConnectionView
    destination: ConnectionView | None
    connections: dict[int, ConnectionView]
    exceptions: list[ExceptionRecord]
    mappings: list[Mapping]
    products: dict[str, Product]
    near_misses: dict[str, list[str]]
    listings: list[ChannelListing]
    fulfillments: list[Fulfillment]
    leases: list[Lease]
    proposals: list[AttributeProposal]
    payment_method: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def open_exceptions(self, code: str) -> list[ExceptionRecord]:
        return [record for record in self.exceptions if record.code == code]

    @property
    def route(self) -> OrderRoute | None:
        """The route to the destination SFCC connection, if the order has one."""
        if self.destination is None:
            return None
        for route in self.routes:
            if route.destination_connection_id == self.destination.id:
                return route
        return None

    def mapping_rows(self, kind: str, connection: ConnectionView | None) -> list[Mapping]:
        if connection is None:
            return []
        return [m for m in self.mappings if m.kind == kind and m.connection_id == connection.id]

    def shipping_mapping(self) -> dict[str, tuple[str, str]]:
        """Delivery option -> (SFCC method id, where it is set): settings first, the mapping table over it."""
        result: dict[str, tuple[str, str]] = {}
        if self.destination is None:
            return result
        configured = self.destination.setting("shipping_method_mapping") or {}
        for option, method in dict(configured).items():
            result[str(option)] = (str(method), "settings shipping_method_mapping")
        for row in self.mapping_rows("shipping_method", self.destination):
            result[row.source] = (row.target, f"mapping table (set by {row.created_by})")
        return result

    def payment_target(self) -> tuple[str, str] | None:
        """The SFCC payment method id that applies to this order, and where it is set."""
        rows = {row.source: row.target for row in self.mapping_rows("payment_method", self.destination)}
        if self.payment_method and self.payment_method in rows:
            return rows[self.payment_method], "mapping table"
        if "*" in rows:
            return rows["*"], "mapping table"
        if self.destination is None:
            return None
        for rule in self.destination.setting("payment_method_mapping") or []:
            if not isinstance(rule, dict):
                continue
            if rule.get("tiktok_payment_method") in (None, "", self.payment_method):
                return str(rule.get("sfcc_payment_method_id")), "settings payment_method_mapping"
        return None

    def listings_of(self, product: Product) -> list[ChannelListing]:
        return [listing for listing in self.listings if listing.product_id == product.id]

    def connection_name(self, connection_id: int | None) -> str:
        view = self.connections.get(connection_id) if connection_id is not None else None
        return view.name if view is not None else str(connection_id)


def load_snapshot(ctx: ToolContext, order: Order) -> Snapshot:
    """Read the order's rows, its connections' settings, mappings and open exceptions."""
    session = ctx.db()
    connections = {c.id: view_of(ctx, c) for c in session.scalars(select(Connection))}
    lines = order_lines(session, order)
    routes = order_routes(session, order)
    destination = _destination(connections, routes)
    skus = [line.sku for line in lines]
    products = (
        {p.sku: p for p in session.scalars(select(Product).where(Product.sku.in_(skus)))} if skus else {}
    )
    near = {sku: near_miss_skus(session, sku) for sku in skus if sku not in products}
    product_ids = [p.id for p in products.values()]
    listings = _listings(session, product_ids)
    fulfillments = list(session.scalars(select(Fulfillment).where(Fulfillment.order_id == order.id)))
    source = connections[order.connection_id]
    names = [source.name] + ([destination.name] if destination else [])
    keys = {("order", order.external_id), ("order", str(order.id))}
    keys |= {("order_route", str(r.id)) for r in routes}
    keys |= {("connection", name) for name in names}
    keys |= {(kind, sku) for sku in skus for kind in ("sku", "product", "order_line")}
    keys |= {("product", str(pid)) for pid in product_ids}
    # Catalog pushes record failures on a variant's master product (its root SKU).
    keys |= {("product", p.parent_sku) for p in products.values() if p.parent_sku}
    keys |= {(kind, str(listing.id)) for listing in listings for kind in ("listing", "channel_listing")}
    keys |= {("fulfillment", v) for f in fulfillments for v in (f.external_id, str(f.id))}
    exceptions = _open_exceptions(session, keys) + _refused_after_sales(session, order.external_id)
    view_ids = [source.id] + ([destination.id] if destination else [])
    return Snapshot(
        now=ctx.now(),
        order=order,
        lines=lines,
        routes=routes,
        source=source,
        destination=destination,
        connections=connections,
        exceptions=exceptions,
        mappings=list(session.scalars(select(Mapping).where(Mapping.connection_id.in_(view_ids)))),
        products=products,
        near_misses=near,
        listings=listings,
        fulfillments=fulfillments,
        leases=list(session.scalars(select(Lease).where(Lease.connection_name.in_(names)))),
        proposals=_proposals(session, product_ids),
        payment_method=payment_method_of(order),
    )


def _destination(connections: dict[int, ConnectionView], routes: list[OrderRoute]) -> ConnectionView | None:
    # The route names the SFCC connection; before a route exists, the only SFCC connection is it.
    for route in routes:
        view = connections.get(route.destination_connection_id)
        if view is not None and view.type == "sfcc":
            return view
    sfcc = [view for view in connections.values() if view.type == "sfcc"]
    return sfcc[0] if len(sfcc) == 1 else None


def _listings(session: Session, product_ids: list[int]) -> list[ChannelListing]:
    if not product_ids:
        return []
    return list(session.scalars(select(ChannelListing).where(ChannelListing.product_id.in_(product_ids))))


def _proposals(session: Session, product_ids: list[int]) -> list[AttributeProposal]:
    if not product_ids:
        return []
    return list(
        session.scalars(
            select(AttributeProposal)
            .where(AttributeProposal.product_id.in_(product_ids), AttributeProposal.status == "pending")
            .order_by(AttributeProposal.id)
        )
    )


def _refused_after_sales(session: Session, order_id: str) -> list[ExceptionRecord]:
    """Returns and cancellations of the order that TikTok sent but the store refused to keep.

    They are recorded on the request (which was not stored), so the order is found in the fault.
    """
    rows = session.scalars(
        select(ExceptionRecord)
        .where(
            ExceptionRecord.status == "open",
            ExceptionRecord.code == RECORD_INVALID,
            ExceptionRecord.entity_type.in_(("return", "cancellation")),
        )
        .order_by(ExceptionRecord.last_seen_at.desc(), ExceptionRecord.id.desc())
    )
    return [row for row in rows if isinstance(row.fault, dict) and row.fault.get("order_id") == order_id]


def _open_exceptions(session: Session, keys: set[tuple[str, str]]) -> list[ExceptionRecord]:
    ids = sorted({entity_id for _, entity_id in keys})
    rows = session.scalars(
        select(ExceptionRecord)
        .where(ExceptionRecord.status == "open", ExceptionRecord.entity_id.in_(ids))
        .order_by(ExceptionRecord.last_seen_at.desc(), ExceptionRecord.id.desc())
    )
    return [row for row in rows if (row.entity_type, row.entity_id) in keys]
