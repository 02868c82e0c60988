"""The labelled evaluation set stays consistent with the sandbox catalog it is labelled against."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from connectors.tiktok.attribute_fill import SuggestRequest
from tests.connectors.tiktok.attribute_fill.conftest import seed_items

DATA = Path(__file__).resolve().parents[4] / "tests" / "data" / "attribute_fill"


def products() -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for path in sorted(DATA.glob("*.json")):
        found += json.loads(path.read_text(encoding="utf-8"))["products"]
    return found


def test_set_size_and_spread() -> None:
    labelled = products()
    assert len(labelled) >= 100
    assert len({p["id"] for p in labelled}) == len(labelled)
    kinds = {
        tuple(sorted(a["name"] for a in seed_items(p["product"]["category_id"]) if a["is_requried"]))
        for p in labelled
    }
    assert len(kinds) >= 6
    assert sum(1 for p in labelled for label in p["labels"].values() if label.get("not_inferable")) >= 50


def test_every_label_names_a_required_attribute_and_its_own_values() -> None:
    for product in products():
        items = {a["id"]: a for a in seed_items(product["product"]["category_id"])}
        required = {i for i, a in items.items() if a["is_requried"] and a["type"] == "PRODUCT_PROPERTY"}
        assert set(product["labels"]) == required, product["id"]
        SuggestRequest.model_validate({"product": product["product"], "attributes": list(items.values())})
        for attribute_id, label in product["labels"].items():
            spec = items[attribute_id]
            assert label["attribute_name"] == spec["name"]
            if "values" in label:
                listed = {v["id"]: v["name"] for v in spec["values"]}
                assert all(listed.get(v["id"]) == v["name"] for v in label["values"]), product["id"]
                assert spec["is_multiple_selection"] or len(label["values"]) == 1, product["id"]
            elif "custom" in label:
                assert spec["is_customizable"], product["id"]
            else:
                assert label == {"attribute_name": spec["name"], "not_inferable": True}
