"""Store products as the SFCC catalog pull writes them, for the catalog push tests."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import ChannelListing, Connection, ExceptionRecord, InventoryLevel, Location, Product

# Master category ids of the SFCC site, mapped to TikTok leaves in the catalog settings.
CATEGORY_MAP = {"womens-tops": "601226", "drinkware": "600055", "phone-cases": "601770"}


def add_tshirt(session: Session, image_host: str) -> None:
    """A master with two variants, complete for TikTok's T-shirt category."""
    session.add(
        Product(
            sku="TSHIRT",
            title="Organic Cotton Crew Neck T-Shirt for Women",
            description="Soft organic cotton tee with a relaxed fit.\n\nMachine washable.",
            category_id="womens-tops",
            weight=Decimal("0.25"),
            weight_unit="kg",
            length=Decimal("30"),
            width=Decimal("25"),
            height=Decimal("2.5"),
            dimension_unit="cm",
            images=[f"{image_host}/images/tshirt-front-1000x1000.png"],
            attributes={
                "brand": "Northloom",
                "Material": ["Organic Cotton"],
                "Pattern": "Solid",
                "Neckline": "Crew Neck",
                "Sleeve Length": "Short Sleeve",
                "size_chart": f"{image_host}/images/tshirt-sizes-800x800.png",
            },
        )
    )
    for color, ean in (("red", "4006381333931"), ("blue", "4006381333948")):
        session.add(
            Product(
                sku=f"TSHIRT-{color.upper()}-M",
                parent_sku="TSHIRT",
                title=f"Organic Cotton Crew Neck T-Shirt {color} M",
                price=Decimal("19.99"),
                currency="USD",
                identifiers={"EAN": ean},
                images=[f"{image_host}/images/tshirt-{color}-900x900.png"],
                attributes={"color": color, "size": "M"},
            )
        )


def add_bottle(session: Session, image_host: str, **attributes: Any) -> None:
    """A standalone water bottle; by default it lacks the category's required attributes."""
    session.add(
        Product(
            sku="BOTTLE-32",
            title="Insulated Stainless Steel Water Bottle 32 oz",
            description="<p>Keeps drinks cold for 24 hours and hot for 12.</p>",
            category_id="drinkware",
            price=Decimal("24.99"),
            currency="USD",
            weight=Decimal("0.9"),
            weight_unit="lb",
            length=Decimal("4"),
            width=Decimal("4"),
            height=Decimal("11"),
            dimension_unit="in",
            images=[f"{image_host}/images/bottle-1200x1200.png"],
            attributes={"Capacity": "32 oz", **attributes},
        )
    )


def complete_bottle(session: Session, image_host: str) -> None:
    """Fill what the bottle lacked, as applying approved proposals would."""
    product = session.scalars(select(Product).where(Product.sku == "BOTTLE-32")).one()
    product.attributes = {
        **product.attributes,
        "Material": ["Stainless Steel"],
        "Insulation": ["Double-wall Vacuum"],
        "BPA Free": ["Yes"],
        "certifications": {
            "Food Contact Material Compliance": [f"{image_host}/images/fcm-cert-800x1000.png"]
        },
    }


def add_stock(session: Session, levels: dict[str, int]) -> None:
    connection = session.scalars(select(Connection)).first()
    assert connection is not None
    location = Location(connection_id=connection.id, external_id="WH-1", name="Main", kind="sales")
    session.add(location)
    session.flush()
    for sku, available in levels.items():
        session.add(
            InventoryLevel(
                sku=sku, location_id=location.id, on_hand=available, available=available, source="test"
            )
        )


def listing_of(session: Session, sku: str) -> ChannelListing:
    product = session.scalars(select(Product).where(Product.sku == sku)).one()
    return session.scalars(select(ChannelListing).where(ChannelListing.product_id == product.id)).one()


def open_codes(session: Session, sku: str) -> set[str]:
    rows = session.scalars(
        select(ExceptionRecord).where(ExceptionRecord.entity_id == sku, ExceptionRecord.status == "open")
    )
    return {row.code for row in rows}
