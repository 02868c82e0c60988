"""``sync_daemon.py export-incomplete-products``: every product that cannot be listed as it stands.

One CSV row per product whose TikTok listing has missing attributes or validation errors, as the
push (or *Prepare for product push*) last recorded them: what to fill and what to fix, in a sheet a
catalog team can work through.
"""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.migrate import require_migrated
from store.models import ChannelListing, Connection, Product
from store.session import create_session_factory, create_store_engine

COLUMNS = ("connection", "sku", "title", "category", "listing_status", "missing_attributes", "errors")


@dataclass(frozen=True)
class IncompleteProduct:
    """One row of the export."""

    connection: str
    sku: str
    title: str
    category: str
    listing_status: str
    missing_attributes: list[str]
    errors: list[str]

    def row(self) -> list[str]:
        return [
            self.connection,
            self.sku,
            self.title,
            self.category,
            self.listing_status,
            "; ".join(self.missing_attributes),
            "; ".join(self.errors),
        ]


def _missing_name(item: Any) -> str:
    if isinstance(item, dict):
        return str(item.get("name") or item.get("attribute_name") or item.get("field") or item.get("id"))
    return str(item)


def _error_text(item: Any) -> str:
    if isinstance(item, dict):
        field = item.get("field")
        message = str(item.get("message") or item.get("rule") or "")
        return f"{field}: {message}" if field else message
    return str(item)


def _category(listing: ChannelListing, product: Product) -> str:
    for item in listing.missing_attributes or []:
        if isinstance(item, dict) and item.get("category_id"):
            return str(item["category_id"])
    attributes = product.attributes if isinstance(product.attributes, dict) else {}
    return str(attributes.get("tiktok_category_id") or product.category_id or "")


def incomplete_products(session: Session, connection: str | None = None) -> list[IncompleteProduct]:
    """Products with missing attributes or errors on a TikTok listing, by connection and SKU."""
    query = (
        select(ChannelListing, Product, Connection)
        .join(Product, Product.id == ChannelListing.product_id)
        .join(Connection, Connection.id == ChannelListing.connection_id)
        .where(Connection.type == "tiktok")
        .order_by(Connection.name, Product.sku)
    )
    if connection is not None:
        query = query.where(Connection.name == connection)
    rows = []
    for listing, product, conn in session.execute(query).all():
        missing = [_missing_name(m) for m in listing.missing_attributes or []]
        errors = [_error_text(e) for e in listing.validation_errors or []]
        if not missing and not errors:
            continue
        rows.append(
            IncompleteProduct(
                connection=conn.name,
                sku=product.sku,
                title=product.title,
                category=_category(listing, product),
                listing_status=listing.status,
                missing_attributes=missing,
                errors=errors,
            )
        )
    return rows


def write_csv(rows: list[IncompleteProduct], out: TextIO) -> None:
    """Write the rows with a header line."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(row.row())


def export_command(
    session: Session,
    connection: str | None,
    output: str | None,
    *,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
) -> int:
    """Run the export into ``output`` (a file path) or ``out``; a one-line summary goes to ``err``."""
    if connection is not None:
        known = session.scalars(select(Connection.name).where(Connection.type == "tiktok")).all()
        if connection not in known:
            names = ", ".join(sorted(known)) or "none in the store yet"
            err.write(f"shopwright: no TikTok connection named {connection}; known: {names}\n")
            return 2
    rows = incomplete_products(session, connection)
    if output:
        with Path(output).open("w", encoding="utf-8", newline="") as handle:
            write_csv(rows, handle)
        err.write(f"{len(rows)} incomplete product(s) written to {output}\n")
    else:
        write_csv(rows, out)
    return 0


def export_from_config(
    database_url: str,
    connection: str | None,
    output: str | None,
    *,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
) -> int:
    """The command-line entry: open the store at ``database_url`` (migrated) and export."""
    engine = create_store_engine(database_url)
    try:
        require_migrated(engine)
        with create_session_factory(engine)() as session:
            return export_command(session, connection, output, out=out, err=err)
    finally:
        engine.dispose()
