"""The sandbox's catalog endpoints through the catalog client: wire formats, statuses, lifecycle."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest

from connectors.engine.clock import FrozenClock
from connectors.tiktok.catalog_client import CatalogClient
from connectors.tiktok.client import TikTokClient
from connectors.tiktok.errors import NotFoundError, TikTokError
from connectors.tiktok.sandbox.catalog_state import load_seed
from tests.connectors.tiktok.catalog.conftest import png

WAREHOUSE = "7068517275539719942"


def _case_body(uri: str, **changes: Any) -> dict[str, Any]:
    """A phone case listing that passes every rule of category 601770."""
    body: dict[str, Any] = {
        "title": "Slim Shockproof Clear Case for iPhone 15 Pro",
        "description": "<p>Crystal clear TPU with raised edges.</p>",
        "category_id": "601770",
        "main_images": [{"uri": uri}],
        "product_attributes": [
            {"id": "100801", "values": [{"name": "iPhone 15 Pro"}]},
            {"id": "100157", "values": [{"name": "TPU"}]},
            {"id": "100802", "values": [{"name": "Clear"}]},
        ],
        "package_weight": {"value": "0.1", "unit": "KILOGRAM"},
        "package_dimensions": {"length": "18", "width": "10", "height": "2", "unit": "CENTIMETER"},
        "skus": [
            {
                "seller_sku": "CASE-15PRO",
                "price": {"amount": "19.99", "currency": "USD"},
                "inventory": [{"warehouse_id": WAREHOUSE, "quantity": 25}],
            }
        ],
    }
    body.update(changes)
    return body


@pytest.fixture
def image_uri(catalog: CatalogClient) -> str:
    return catalog.upload_image(png(800, 800)).uri


def test_category_trees_mark_leaves_and_invite_only_categories(catalog: CatalogClient) -> None:
    v1 = {c.id: c for c in catalog.get_categories(version="v1")}
    v2 = {c.id: c for c in catalog.get_categories(version="v2")}
    assert v1["601226"].is_leaf and not v1["601176"].is_leaf and v1["601176"].parent_id == "601152"
    assert "601226" not in v2 and v2["1001111"].is_leaf
    assert v1["605262"].invite_only and not v1["601226"].invite_only
    assert sum(1 for c in v1.values() if c.is_leaf) >= 6
    assert [c.id for c in catalog.get_categories(keyword="lipstick")] == ["601460"]


def test_an_invitation_opens_an_invite_only_category(catalog: CatalogClient, sandbox: Any) -> None:
    with sandbox.state.lock:
        shop_id = next(iter(sandbox.state.shops))
        sandbox.state.catalog.invitations[shop_id] = {"605262"}
    assert {c.id: c for c in catalog.get_categories()}["605262"].permission_statuses == ["AVAILABLE"]


def test_attributes_come_in_tiktoks_wire_format(catalog: CatalogClient, client: TikTokClient) -> None:
    raw = client.caller.call(
        "GET", "/product/202309/categories/601226/attributes", query={"category_version": "v1"}
    )
    material = next(a for a in raw["attributes"] if a["name"] == "Material")
    assert material["is_requried"] is True and "is_required" not in material  # TikTok's own spelling
    assert material["type"] == "PRODUCT_PROPERTY" and material["is_multiple_selection"] is True
    wool = next(a for a in raw["attributes"] if a["name"] == "Wool Type")
    wool_value = next(v["id"] for v in material["values"] if v["name"] == "Wool")
    assert wool["requirement_conditions"] == [
        {"condition_type": "VALUE_ID_MATCH", "attribute_id": material["id"], "attribute_value_id": wool_value}
    ]
    parsed = {a.name: a for a in catalog.get_attributes("601226")}
    assert parsed["Material"].is_requried and parsed["Color"].type == "SALES_PROPERTY"
    assert raw["attributes"] == load_seed()["category_attributes"]["601226"]


def test_rules_and_brands(catalog: CatalogClient) -> None:
    rules = catalog.get_category_rules("600055")
    assert [c.name for c in rules.product_certifications if c.is_required] == [
        "Food Contact Material Compliance"
    ]
    assert rules.package_dimension.is_required and not rules.size_chart.is_required
    assert catalog.get_category_rules("602145").size_chart.is_required
    brands = {b.name: b for b in catalog.iter_brands(category_id="600055")}
    assert (
        set(brands) == {"Tidewell", "Glacier Peak"} and brands["Glacier Peak"].brand_status == "UNAVAILABLE"
    )
    with pytest.raises(TikTokError) as caught:
        catalog.get_attributes("999999")
    assert caught.value.code == 12052023
    with pytest.raises(TikTokError) as caught:
        catalog.get_attributes("601226", version="v2")
    assert caught.value.code == 12052230


def test_image_upload_is_multipart_and_its_body_is_not_signed(
    catalog: CatalogClient, client: TikTokClient, sandbox_url: str, http: httpx.Client
) -> None:
    uploaded = catalog.upload_image(png(640, 480), use_case="ATTRIBUTE_IMAGE")
    assert (uploaded.width, uploaded.height, uploaded.use_case) == (640, 480, "ATTRIBUTE_IMAGE")
    assert uploaded.uri.startswith("tos-maliva-i-") and uploaded.url.endswith(".png")
    # Signed as multipart (no body in the sign): a different file under the same signature is accepted,
    # while the same request sent as JSON would have to sign its body.
    request = http.build_request(
        "POST", f"{sandbox_url}/product/202309/images/upload", files={"data": ("a.png", png(300, 300))}
    )
    client.caller.auth.sign(request, client.tokens.current())  # type: ignore[attr-defined]
    other = http.build_request(
        "POST",
        str(request.url),
        files={"data": ("b.png", png(500, 500))},
        headers={"x-tts-access-token": request.headers["x-tts-access-token"]},
    )
    answer = http.send(other).json()
    assert answer["code"] == 0 and answer["data"]["width"] == 500
    tampered = httpx.URL(str(request.url)).copy_set_param("use_case", "MAIN_IMAGE")
    rejected = http.post(
        str(tampered),
        files={"data": ("a.png", png(300, 300))},
        headers={"x-tts-access-token": request.headers["x-tts-access-token"]},
    )
    assert rejected.json()["code"] == 106001


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"GIF89a" + b"\x10\x00\x10\x00" + b"\x00" * 20, 12038004),
        (b"not an image at all", 12038004),
        (png(60, 60), 12038014),
        (png(400, 400) + b"\x00" * (5 * 1024 * 1024), 12038005),
    ],
)
def test_image_upload_rejects_what_tiktok_rejects(catalog: CatalogClient, data: bytes, code: int) -> None:
    with pytest.raises(TikTokError) as caught:
        catalog.upload_image(data)
    assert caught.value.code == code


def test_upload_without_multipart_is_refused(client: TikTokClient) -> None:
    with pytest.raises(TikTokError) as caught:
        client.caller.call("POST", "/product/202309/images/upload", body={"data": "x"})
    assert caught.value.code == 36009023


def test_listed_product_goes_through_audit_to_activate(
    catalog: CatalogClient, image_uri: str, sandbox: Any, clock: FrozenClock
) -> None:
    created = catalog.create_product(_case_body(image_uri))
    assert [s.seller_sku for s in created.skus] == ["CASE-15PRO"] and created.skus[0].id
    assert catalog.get_product(created.product_id).status == "PENDING"
    found = catalog.search_products({"seller_skus": ["CASE-15PRO"]})
    assert [p.id for p in found.products] == [created.product_id]
    clock.advance(timedelta(seconds=sandbox.state.catalog.audit_seconds))
    detail = catalog.get_product(created.product_id)
    assert detail.status == "ACTIVATE" and detail.category_id == "601770"
    assert {a["name"]: [v["name"] for v in a["values"]] for a in detail.product_attributes}["Material"] == [
        "TPU"
    ]
    assert catalog.search_products({"status": "ACTIVATE", "seller_skus": ["CASE-15PRO"]}).total_count == 1


def test_drafts_edits_and_the_batch_status_calls(
    catalog: CatalogClient, image_uri: str, clock: FrozenClock
) -> None:
    draft = catalog.create_product({**_case_body(image_uri, product_attributes=[]), "save_mode": "AS_DRAFT"})
    assert catalog.get_product(draft.product_id).status == "DRAFT"
    # A draft may lack required attributes; listing it may not.
    with pytest.raises(TikTokError) as caught:
        catalog.edit_product(draft.product_id, _case_body(image_uri, product_attributes=[]))
    assert caught.value.code == 12052104
    sku_id = draft.skus[0].id
    edited = catalog.edit_product(
        draft.product_id, _case_body(image_uri, skus=[{**_case_body(image_uri)["skus"][0], "id": sku_id}])
    )
    assert edited.skus[0].id == sku_id and catalog.get_product(draft.product_id).status == "PENDING"
    clock.advance(timedelta(hours=1))
    catalog.partial_edit_product(
        draft.product_id, {"skus": [{"id": sku_id, "price": {"amount": "15.00", "currency": "USD"}}]}
    )
    detail = catalog.get_product(draft.product_id)
    assert detail.status == "ACTIVATE" and detail.skus[0].price["amount"] == "15.00"
    assert catalog.deactivate([draft.product_id]) == []
    assert catalog.get_product(draft.product_id).status == "SELLER_DEACTIVATED"
    assert catalog.activate([draft.product_id]) == []
    assert catalog.delete([draft.product_id]) == []
    assert catalog.get_product(draft.product_id).status == "DELETED"
    errors = catalog.activate([draft.product_id, "1"])
    assert [(e.code, e.detail.product_id if e.detail else None) for e in errors] == [
        (12052990, draft.product_id),
        (12019150, "1"),
    ]
    assert catalog.recover([draft.product_id]) == []
    assert catalog.get_product(draft.product_id).status == "SELLER_DEACTIVATED"
    with pytest.raises(NotFoundError):
        catalog.get_product("404")


def test_listing_check_reports_every_broken_rule(catalog: CatalogClient, image_uri: str) -> None:
    assert catalog.listing_check(_case_body(image_uri)).check_result == "PASS"
    body = _case_body(
        image_uri, title="", product_attributes=[], package_weight={"value": "0", "unit": "KILOGRAM"}
    )
    check = catalog.listing_check(body)
    assert check.check_result == "FAILED"
    assert [r.code for r in check.fail_reasons] == [12052261, 12052104, 12052104, 12052104, 12052181]


def test_description_images_must_be_tiktok_images(catalog: CatalogClient, image_uri: str) -> None:
    foreign = '<p>Case</p><img src="https://cdn.example.com/case.png" width="600" height="600">'
    with pytest.raises(TikTokError) as caught:
        catalog.create_product(_case_body(image_uri, description=foreign))
    assert caught.value.code == 12019006 and "upload it first" in caught.value.message
    hosted = catalog.upload_image(png(600, 600), use_case="DESCRIPTION_IMAGE").url
    catalog.create_product(
        _case_body(image_uri, description=foreign.replace("https://cdn.example.com/case.png", hosted))
    )


def test_the_admin_surface_seeds_categories_and_tunes_the_audit(
    catalog: CatalogClient, sandbox_url: str, http: httpx.Client, image_uri: str, clock: FrozenClock
) -> None:
    seed = {
        "categories": {
            "v1": [
                {
                    "id": "700001",
                    "parent_id": "601739",
                    "local_name": "Tablet Cases",
                    "is_leaf": True,
                    "permission_statuses": ["AVAILABLE"],
                }
            ]
        },
        "category_attributes": {
            "700001": [
                {
                    "id": "100157",
                    "name": "Material",
                    "type": "PRODUCT_PROPERTY",
                    "is_requried": True,
                    "values": [{"id": "1", "name": "TPU"}],
                }
            ]
        },
    }
    assert http.post(f"{sandbox_url}/_sandbox/catalog/seed", json=seed).json()["loaded"]["categories"] == 1
    assert [a.name for a in catalog.get_attributes("700001")] == ["Material"]
    assert (
        http.post(f"{sandbox_url}/_sandbox/catalog/settings", json={"audit_seconds": 60}).json()[
            "audit_seconds"
        ]
        == 60
    )
    created = catalog.create_product(_case_body(image_uri))
    clock.advance(timedelta(seconds=61))
    stored = http.get(f"{sandbox_url}/_sandbox/catalog/products/{created.product_id}").json()
    assert stored["product"]["status"] == "ACTIVATE" and stored["accepted_body"]["title"].startswith("Slim")
