"""Every listing the sandbox rejects with a TikTok code, the local validator catches first, with that code.

Each case bends one fact of a valid master product. The same `ListingSource` then goes two ways: into
the local draft (validated, each issue mapped to the code it prevents) and, unvalidated, into the
create body the push would send; the sandbox must answer exactly the code the local rule named.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from connectors.tiktok.catalog_client import CatalogClient
from connectors.tiktok.errors import TikTokError
from connectors.tiktok.flows.catalog_category import CategoryCatalog
from connectors.tiktok.flows.catalog_listing import Uploads, build_body, build_draft, main_image_urls
from connectors.tiktok.flows.catalog_source import ListingSource, SourceSku
from connectors.tiktok.flows.listing_inventory import ListingInventory
from connectors.tiktok.image_probe import probe_image
from connectors.tiktok.listing_validation import tiktok_code, validate_listing
from tests.connectors.tiktok.catalog.conftest import png

WAREHOUSE = "7068517275539719942"
IMAGE, SMALL_IMAGE = "https://cdn.example.com/main-800x800.png", "https://cdn.example.com/small-200x200.png"
IMAGES = {IMAGE: png(800, 800), SMALL_IMAGE: png(200, 200)}


def sku(code: str = "CASE-15PRO", **changes: Any) -> SourceSku:
    fields: dict[str, Any] = {
        "sku": code,
        "product_id": 1,
        "price": Decimal("19.99"),
        "compare_at_price": None,
        "currency": "USD",
        "identifiers": {},
        "options": {},
        "images": [],
    }
    fields.update(changes)
    return SourceSku(**fields)


CASE = ListingSource(
    root_id=1,
    root_sku="CASE-15PRO",
    title="Slim Shockproof Clear Case for iPhone 15 Pro",
    description="Crystal clear TPU with raised edges that protect the camera.",
    active=True,
    pre_owned=False,
    category_key="601770",
    attributes={"Compatible Phone Models": ["iPhone 15 Pro"], "Material": "TPU", "Case Type": "Clear"},
    brand=None,
    certifications={},
    size_chart=None,
    images=[IMAGE],
    weight=Decimal("0.1"),
    weight_unit="kg",
    dimensions=(Decimal(18), Decimal(10), Decimal(2)),
    dimension_unit="cm",
    skus=[sku()],
)
TEE = replace(
    CASE,
    root_sku="TEE",
    title="Relaxed Crew Neck T-Shirt for Women",
    category_key="601226",
    attributes={
        "Material": "Cotton",
        "Pattern": "Solid",
        "Neckline": "Crew Neck",
        "Sleeve Length": "Short Sleeve",
    },
    size_chart={"template_id": "SC-100"},
    skus=[sku("TEE-M", options={"Color": "Navy", "Size": "M"})],
)
BOTTLE = replace(
    CASE,
    root_sku="BOTTLE",
    title="Insulated Stainless Steel Water Bottle 32 oz",
    category_key="600055",
    attributes={
        "Capacity": "32 oz",
        "Material": "Stainless Steel",
        "Insulation": "Double-wall Vacuum",
        "BPA Free": "Yes",
    },
    skus=[sku("BOTTLE-32")],
)
COLLAR = replace(
    CASE,
    root_sku="COLLAR",
    title="Reflective Nylon Dog Collar with Quick Release Buckle",
    category_key="602145",
    attributes={
        "Pet Size": "Medium",
        "Material": "Nylon",
        "Closure Type": "Quick Release",
        "Applicable Pet": "Dog",
    },
    skus=[sku("COLLAR-M")],
)
RING = replace(
    CASE,
    root_sku="RING",
    title="Solid 14K Yellow Gold Band Ring",
    category_key="605262",
    attributes={"Metal Purity": "14K", "Metal Color": "Yellow Gold"},
    certifications={"Precious Metal Assay Report": [IMAGE]},
    size_chart={"template_id": "SC-RING"},
)
CUP_CERT = {"Food Contact Material Compliance": [IMAGE]}


def _words(count: int) -> str:
    return " ".join(f"word{n}" for n in range(count))


Case = tuple[str, ListingSource, int]
CASES: list[Case] = [
    ("title empty", replace(CASE, title=""), 12052261),
    ("title too long", replace(CASE, title=_words(40)), 12052051),
    ("title in Chinese", replace(CASE, title="Clear Case 手机壳 for iPhone 15 Pro"), 12052262),
    ("title with emoji", replace(CASE, title="Clear Case for iPhone 15 Pro \U0001f4f1"), 12052931),
    ("title shouting", replace(CASE, title="Clear Case!!!!!!!!!!!! for iPhone"), 12052931),
    ("description empty", replace(CASE, description=""), 12052015),
    ("description too long", replace(CASE, description=_words(1500)), 12052013),
    ("description with emoji", replace(CASE, description="Tough and clear \U0001f44d"), 12052932),
    ("description with a table", replace(CASE, description="<table><tr><td>TPU</td></tr></table>"), 12019006),
    (
        "description with 31 images",
        replace(
            CASE,
            description="<p>Look</p>"
            + '<img src="https://cdn.example.com/d.png" width="600" height="600">' * 31,
        ),
        12052056,
    ),
    ("no main image", replace(CASE, images=[]), 12052028),
    ("main image too small", replace(CASE, images=[SMALL_IMAGE]), 36009004),
    ("category not a leaf", replace(CASE, category_key="601755"), 12052024),
    ("category by invitation", RING, 12052223),
    ("unauthorized brand", replace(CASE, brand="Casefort"), 12052201),
    ("brand unavailable", replace(BOTTLE, brand="Glacier Peak", certifications=CUP_CERT), 12052208),
    (
        "required attribute missing",
        replace(CASE, attributes={**CASE.attributes, "Case Type": None}),
        12052104,
    ),
    (
        "value not in the list",
        replace(CASE, attributes={**CASE.attributes, "Case Type": "Magnetic"}),
        36009004,
    ),
    (
        "two values for one",
        replace(CASE, attributes={**CASE.attributes, "Case Type": ["Clear", "Slim"]}),
        36009004,
    ),
    (
        "conditional attribute missing",
        replace(TEE, attributes={**TEE.attributes, "Material": "Wool"}),
        12052182,
    ),
    (
        "conditional attribute not allowed",
        replace(TEE, attributes={**TEE.attributes, "Wool Type": "Merino"}),
        12052183,
    ),
    ("certification missing", BOTTLE, 12052105),
    ("size chart missing", COLLAR, 36009004),
    ("weight zero", replace(CASE, weight=Decimal(0)), 12052181),
    ("weight in stones", replace(CASE, weight_unit="stone"), 12019011),
    ("dimensions missing", replace(CASE, dimensions=(None, None, None)), 12052116),
    ("units do not pair", replace(CASE, dimension_unit="in"), 12052915),
    (
        "101 SKUs",
        replace(CASE, skus=[sku(f"CASE-{n}", options={"Color": f"Shade {n}"}) for n in range(101)]),
        12052050,
    ),
    ("seller SKU too long", replace(CASE, skus=[sku("C" * 51)]), 12052054),
    (
        "seller SKU twice",
        replace(
            CASE, skus=[sku("CASE-A", options={"Color": "Red"}), sku("CASE-A", options={"Color": "Blue"})]
        ),
        12019059,
    ),
    (
        "SKUs with different options",
        replace(CASE, skus=[sku("CASE-A", options={"Color": "Red"}), sku("CASE-B", options={"Size": "L"})]),
        36009004,
    ),
    (
        "barcode shared by two SKUs",
        replace(
            CASE,
            skus=[
                sku("CASE-A", options={"Color": "Red"}, identifiers={"EAN": "4006381333931"}),
                sku("CASE-B", options={"Color": "Blue"}, identifiers={"EAN": "4006381333931"}),
            ],
        ),
        36009004,
    ),
    ("no price", replace(CASE, skus=[sku(price=None)]), 12052073),
    ("price over the US maximum", replace(CASE, skus=[sku(price=Decimal("8000"))]), 12052073),
    ("price in euros", replace(CASE, skus=[sku(currency="EUR")]), 12052012),
]
STOCK_CASE = ("stock over 999,999", CASE, 12052055)


def _uploads(catalog: CatalogClient, source: ListingSource) -> Uploads:
    uploads = Uploads()
    for url in main_image_urls(source):
        uploads.put(url, "MAIN_IMAGE", catalog.upload_image(IMAGES[url]).uri)
    for urls in source.certifications.values():
        for url in urls:
            uploads.put(
                url,
                "CERTIFICATION_IMAGE",
                catalog.upload_image(IMAGES[url], use_case="CERTIFICATION_IMAGE").uri,
            )
    return uploads


def _both_ways(
    catalog: CatalogClient, source: ListingSource, stock: Callable[[str], int]
) -> tuple[set[int], int]:
    categories = CategoryCatalog(catalog, "v1")
    info = categories.info(source.category_key or "")
    assert info is not None
    images = {url: probe_image(IMAGES[url]) for url in main_image_urls(source)}
    draft = build_draft(
        source,
        info,
        region="US",
        images=images,
        stock={s.sku: stock(s.sku) for s in source.skus},
        first_child_image=True,
    )
    local = {tiktok_code(issue, draft) for issue in validate_listing(draft)}
    body = build_body(
        draft,
        source,
        _uploads(catalog, source),
        version="v1",
        inventory=ListingInventory(WAREHOUSE),
        save_mode="LISTING",
    )
    try:
        catalog.create_product(body)
    except TikTokError as error:
        assert error.code is not None
        return local, error.code
    return local, 0


def test_the_base_products_pass_both_ways(catalog: CatalogClient) -> None:
    for source in (
        CASE,
        TEE,
        replace(BOTTLE, certifications=CUP_CERT),
        replace(COLLAR, size_chart={"template_id": "SC-7"}),
    ):
        assert _both_ways(catalog, source, lambda _: 5) == (set(), 0), source.root_sku


@pytest.mark.parametrize(
    ("name", "source", "code"), [*CASES, STOCK_CASE], ids=[c[0] for c in [*CASES, STOCK_CASE]]
)
def test_the_local_validator_catches_what_the_sandbox_rejects(
    catalog: CatalogClient, name: str, source: ListingSource, code: int
) -> None:
    stock = (lambda _: 1_000_000) if (name, source, code) == STOCK_CASE else (lambda _: 5)
    local, answered = _both_ways(catalog, source, stock)
    assert answered == code, f"the sandbox answered {answered} for {name!r}"
    assert local == {code}, f"the local validator found {local} for {name!r}"
