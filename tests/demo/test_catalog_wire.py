"""The demo catalog as TikTok and SFCC see it: categories, attributes, custom attributes, photos."""

from __future__ import annotations

from pathlib import Path

from connectors.tiktok.image_probe import probe_image
from demo.categories import CATEGORIES, TEES
from demo.configuration import DemoPaths, config_text
from demo.images import SIZE, image_path, png, write_images
from demo.sfcc_wire import SfccCredentials, sfcc_seed
from demo.tiktok_catalog import catalog_seed
from demo.world import build_world

START = 1_795_000_000


def test_catalog_seed_tree_holds_every_category_under_known_parents() -> None:
    nodes = catalog_seed()["categories"]["v1"]
    ids = {node["id"] for node in nodes}
    assert all(node["parent_id"] == "0" or node["parent_id"] in ids for node in nodes)
    leaves = {node["id"] for node in nodes if node["is_leaf"]}
    assert leaves == {category.tiktok_id for category in CATEGORIES}
    assert len(ids) == len(nodes)


def test_catalog_seed_requires_every_attribute_the_products_use() -> None:
    seed = catalog_seed()
    world = build_world(start=START)
    for category in CATEGORIES:
        attributes = {a["name"]: a for a in seed["category_attributes"][category.tiktok_id]}
        for spec in category.required:
            assert attributes[spec.name]["is_requried"] is True
            assert attributes[spec.name]["type"] == "PRODUCT_PROPERTY"
        for product in (p for p in world.catalog.products if p.category is category):
            for name, value in product.attributes.items():
                assert value in {v["name"] for v in attributes[name]["values"]}
    tee_sales = {
        a["name"] for a in seed["category_attributes"][TEES.tiktok_id] if a["type"] == "SALES_PROPERTY"
    }
    assert tee_sales == {"Color", "Size"}


def test_sfcc_documents_carry_category_attributes_and_package() -> None:
    world = build_world(start=START)
    credentials = SfccCredentials("a", "b", "c", "d", "e")
    documents = {d["id"]: d for d in sfcc_seed(world, credentials, "http://images")["products"]}
    for product in world.catalog.products:
        document = documents[product.sku]
        assert document["primary_category_id"] == product.category.sfcc_category_id
        for spec in product.category.required:
            assert document.get(spec.sfcc_field) == product.attributes.get(spec.name)
        [group] = document["image_groups"]
        assert group["images"][0]["link"].startswith("http://images/")
        assert document["c_weight"] == float(product.weight_lb)
    config = config_text(DemoPaths(Path("/tmp/demo")), "http://t", "http://s")
    for category in CATEGORIES:
        assert f'"{category.sfcc_category_id}" = "{category.tiktok_id}"' in config


def test_product_photos_are_real_pngs_of_the_size_tiktok_accepts(tmp_path: Path) -> None:
    info = probe_image(png(SIZE, SIZE, (10, 20, 30)))
    assert info is not None and (info.format, info.width, info.height) == ("PNG", SIZE, SIZE)
    written = write_images(tmp_path)
    assert written == len(CATEGORIES) * 4
    for category in CATEGORIES:
        photo = probe_image((tmp_path / image_path(category, 3)).read_bytes())
        assert photo is not None and photo.width == SIZE
