"""The demo shop's catalog: a few hundred products, generated the same way from the same seed.

Most products are complete and already live on TikTok. Some are not, on purpose: products whose
SFCC record lacks a required TikTok attribute (the value is still in the title, so a proposal can
point at it), products whose listing breaks a TikTok rule, and products TikTok still sells that
SFCC cannot take an order for (offline, or out of stock).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal

from demo.categories import CATEGORIES, TEES, Category

TEE_COLORS = ("Black", "White", "Sage", "Navy")
TEE_SIZES = ("S", "M", "L")
ITEMS_PER_CATEGORY = 45
MISSING_ATTRIBUTE_PRODUCTS = 40
SKU_PREFIX = {"601312": "MUG", "602510": "MAT", "848648": "CASE", "604578": "CNDL", "902152": "PACK"}
SKU_PREFIX["700645"] = "SRM"

# Why a product is not orderable in SFCC although TikTok sells it.
OFFLINE = "offline"
OUT_OF_STOCK = "out_of_stock"
# Listing rules a product breaks on purpose (see connectors/tiktok/listing_validation).
REPEATED_CHARACTERS = "title_repeated_characters"
ZERO_WEIGHT = "zero_weight"


@dataclass(frozen=True)
class DemoProduct:
    """A sellable product (an item, or a variant of a master) as the seller keeps it in SFCC."""

    sku: str
    title: str
    description: str
    category: Category
    price: Decimal
    attributes: Mapping[str, str]
    ean: str
    weight_lb: Decimal
    size_in: tuple[int, int, int]
    stock: int
    master_sku: str | None = None
    variation: Mapping[str, str] = field(default_factory=dict)
    missing: tuple[str, ...] = ()
    unorderable: str | None = None
    listing_problem: str | None = None

    @property
    def on_tiktok(self) -> bool:
        """Already live on TikTok: complete products, and the ones SFCC cannot take orders for."""
        return not self.missing and self.listing_problem is None


@dataclass(frozen=True)
class DemoMaster:
    """A master product whose variants are the sellable SKUs (the T-shirts)."""

    sku: str
    title: str
    description: str
    category: Category
    variant_skus: tuple[str, ...]


@dataclass(frozen=True)
class Catalog:
    """Every product of the demo shop."""

    products: tuple[DemoProduct, ...]
    masters: tuple[DemoMaster, ...]

    def by_sku(self) -> dict[str, DemoProduct]:
        return {product.sku: product for product in self.products}

    def orderable_on_tiktok(self) -> list[DemoProduct]:
        """Products buyers can order on TikTok that SFCC also accepts."""
        return [p for p in self.products if p.on_tiktok and p.unorderable is None]


def ean13(rng: random.Random) -> str:
    """A random EAN-13 with a correct check digit."""
    digits = [0, *(rng.randint(0, 9) for _ in range(11))]
    total = sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits))
    return "".join(map(str, digits)) + str((10 - total % 10) % 10)


def _description(headline: str, attributes: Mapping[str, str]) -> str:
    facts = "".join(f"<li>{name}: {value}</li>" for name, value in attributes.items())
    return (
        f"<p>{headline} Designed in our Portland studio and made to be used every day.</p>"
        f"<ul>{facts}<li>Ships in 1-2 business days</li></ul>"
    )


def _money(rng: random.Random, bounds: tuple[int, int]) -> Decimal:
    cents = rng.randint(*bounds) // 100 * 100 + 99  # shelf prices end in .99
    return Decimal(cents) / 100


def _weight(rng: random.Random, bounds: tuple[float, float]) -> Decimal:
    return Decimal(str(round(rng.uniform(*bounds), 2)))


def _tees(rng: random.Random) -> tuple[list[DemoProduct], list[DemoMaster]]:
    products: list[DemoProduct] = []
    masters: list[DemoMaster] = []
    material, neckline = TEES.required
    for index, style in enumerate(TEES.adjectives):
        code = style.replace("-", "").replace(" ", "")[:3].upper()
        master_sku = f"TEE-{code}"
        values = {material.name: material.values[index % 4], neckline.name: neckline.values[index % 3]}
        title = f"{style} Tee - {values[material.name]}, {values[neckline.name]}"
        price = _money(rng, TEES.price_cents)
        variant_skus = []
        for color in TEE_COLORS:
            for size in TEE_SIZES:
                sku = f"{master_sku}-{color[:3].upper()}-{size}"
                variant_skus.append(sku)
                products.append(
                    DemoProduct(
                        sku=sku,
                        title=f"{title}, {color}, {size}",
                        description=_description(f"The {style.lower()} tee in {color.lower()}.", values),
                        category=TEES,
                        price=price,
                        attributes=dict(values),
                        ean=ean13(rng),
                        weight_lb=_weight(rng, TEES.weight_lb),
                        size_in=TEES.size_in,
                        stock=rng.randint(15, 240),
                        master_sku=master_sku,
                        variation={"color": color, "size": size},
                    )
                )
        masters.append(
            DemoMaster(
                master_sku,
                title,
                _description(f"The {style.lower()} tee.", values),
                TEES,
                tuple(variant_skus),
            )
        )
    return products, masters


def _items(rng: random.Random, category: Category) -> list[DemoProduct]:
    products = []
    for number in range(1, ITEMS_PER_CATEGORY + 1):
        values = {spec.name: rng.choice(spec.values) for spec in category.required}
        adjective = category.adjectives[number % len(category.adjectives)]
        noun = rng.choice(category.nouns)
        title = f"{adjective} {noun} - " + ", ".join(values.values())
        products.append(
            DemoProduct(
                sku=f"{SKU_PREFIX[category.tiktok_id]}-{number:03d}",
                title=title,
                description=_description(f"Our {adjective.lower()} {noun.lower()}.", values),
                category=category,
                price=_money(rng, category.price_cents),
                attributes=values,
                ean=ean13(rng),
                weight_lb=_weight(rng, category.weight_lb),
                size_in=category.size_in,
                stock=rng.randint(20, 400),
            )
        )
    return products


def _with_gaps(rng: random.Random, products: list[DemoProduct]) -> list[DemoProduct]:
    """Mark the deliberately imperfect products, chosen among the items (never a variant)."""
    items = [index for index, product in enumerate(products) if product.master_sku is None]
    chosen = rng.sample(items, MISSING_ATTRIBUTE_PRODUCTS + 8)
    missing, rest = chosen[:MISSING_ATTRIBUTE_PRODUCTS], chosen[MISSING_ATTRIBUTE_PRODUCTS:]
    result = list(products)
    for index in missing:
        product = products[index]
        gone = rng.choice(product.category.required).name
        attributes = {k: v for k, v in product.attributes.items() if k != gone}
        result[index] = replace(product, attributes=attributes, missing=(gone,))
    repeated, weightless = rest[0], rest[1]
    result[repeated] = replace(
        products[repeated],
        listing_problem=REPEATED_CHARACTERS,
        title=f"SALE!!!!!!!!!!!! {products[repeated].title}",
    )
    result[weightless] = replace(products[weightless], listing_problem=ZERO_WEIGHT, weight_lb=Decimal(0))
    for index in rest[2:5]:
        result[index] = replace(products[index], unorderable=OFFLINE)
    for index in rest[5:8]:
        result[index] = replace(products[index], unorderable=OUT_OF_STOCK, stock=0)
    return result


def build_catalog(rng: random.Random) -> Catalog:
    """The whole catalog; the same ``rng`` state gives the same catalog."""
    products, masters = _tees(rng)
    for category in CATEGORIES:
        if category is not TEES:
            products.extend(_items(rng, category))
    return Catalog(tuple(_with_gaps(rng, products)), tuple(masters))
