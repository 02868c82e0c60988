"""What the sandbox verifies in a create, edit or listing-check body: category and its rules.

`check_product` returns every broken rule in the order a listing form reads; create and edit answer
the first one (TikTok answers one error per call), listing check answers them all. A draft
(``save_mode=AS_DRAFT``) skips the completeness rules (required attributes, certifications, size
chart, images, package and price), as Seller Center lets a draft be saved half-filled.
"""

from __future__ import annotations

from typing import Any

from connectors.tiktok.sandbox.catalog_rejection import Rejection, invalid
from connectors.tiktok.sandbox.catalog_sku_checks import check_package, check_skus
from connectors.tiktok.sandbox.catalog_state import VERSIONS, CatalogState
from connectors.tiktok.sandbox.catalog_text import check_description, check_title
from connectors.tiktok.sandbox.state import SandboxState

MAX_MAIN_IMAGES = 9
MAIN_IMAGE_MIN, MAIN_IMAGE_MAX = 300, 4000


def check_product(
    state: SandboxState, shop: dict[str, Any], body: dict[str, Any], *, draft: bool
) -> list[Rejection]:
    """Every rule ``body`` breaks for ``shop``, in form order; call under ``state.lock``."""
    catalog: CatalogState = state.catalog
    region = str(shop.get("region") or "US").upper()
    category = _category(catalog, shop, body)
    if isinstance(category, Rejection):
        return [category]
    category_id = category["id"]
    rules = catalog.rules.get(category_id, {})
    chosen = _chosen_values(body)
    return [
        *check_title(body.get("title"), region),
        *check_description(
            body.get("description"),
            required=not draft,
            strict=catalog.strict_description,
            image_urls={image.url for image in catalog.images.values()},
        ),
        *_main_images(catalog, body.get("main_images"), draft),
        *_brand(catalog, body.get("brand_id"), category_id),
        *_attributes(catalog.attributes.get(category_id, []), body.get("product_attributes"), chosen, draft),
        *([] if draft else _certifications(rules, body.get("certifications"), chosen)),
        *([] if draft else _size_chart(rules, body.get("size_chart"))),
        *check_package(body, rules, region, draft=draft),
        *check_skus(state, body.get("skus"), region, draft=draft),
    ]


def _category(
    catalog: CatalogState, shop: dict[str, Any], body: dict[str, Any]
) -> dict[str, Any] | Rejection:
    category_id = str(body.get("category_id") or "")
    version = str(body.get("category_version") or "v1")
    if not category_id:
        return invalid("category_id", "is required")
    if version not in VERSIONS:
        return invalid("category_version", "must be v1 or v2")
    found = catalog.find_category(category_id)
    if found is None:
        return Rejection(12052023, f"Category {category_id} does not exist.")
    found_version, node = found
    if found_version != version:
        return Rejection(
            12052230, f"category_version {version} does not match category {category_id} ({found_version})."
        )
    if not node.get("is_leaf"):
        return Rejection(12052024, f"Category {category_id} is not a leaf category.")
    if "INVITE_ONLY" in node.get("permission_statuses", []) and category_id not in catalog.invitations.get(
        str(shop["id"]), set()
    ):
        return Rejection(
            12052223, f"Category {category_id} is restricted: it is available by invitation only."
        )
    return node


def _main_images(catalog: CatalogState, images: Any, draft: bool) -> list[Rejection]:
    if not images:
        return [] if draft else [Rejection(12052028, "At least one main image is required.")]
    if not isinstance(images, list):
        return [invalid("main_images", "must be a list")]
    if len(images) > MAX_MAIN_IMAGES:
        return [invalid("main_images", f"accepts at most {MAX_MAIN_IMAGES} images")]
    for index, image in enumerate(images):
        uri = image.get("uri") if isinstance(image, dict) else None
        record = catalog.images.get(str(uri))
        if record is None:
            return [invalid(f"main_images[{index}].uri", "is not an uploaded image; upload it first")]
        sides = (record.width, record.height)
        if not all(MAIN_IMAGE_MIN <= side <= MAIN_IMAGE_MAX for side in sides):
            return [
                invalid(
                    f"main_images[{index}]",
                    f"is {record.width}x{record.height} px; main images need "
                    f"{MAIN_IMAGE_MIN} to {MAIN_IMAGE_MAX} px",
                )
            ]
    return []


def _brand(catalog: CatalogState, brand_id: Any, category_id: str) -> list[Rejection]:
    if not brand_id:
        return []
    brand = catalog.brands.get(str(brand_id))
    if brand is None:
        return [Rejection(12052026, f"Brand {brand_id} does not exist.")]
    if brand.get("brand_status") != "AVAILABLE" or category_id not in catalog.brand_categories.get(
        brand["id"], set()
    ):
        return [Rejection(12052208, f"Brand {brand['name']} cannot be used in category {category_id}.")]
    if brand.get("authorized_status") != "AUTHORIZED":
        return [Rejection(12052201, f"The shop is not authorized to sell brand {brand['name']}.")]
    return []


def _chosen_values(body: dict[str, Any]) -> dict[str, set[str]]:
    chosen: dict[str, set[str]] = {}
    for attribute in body.get("product_attributes") or []:
        if isinstance(attribute, dict):
            ids = {str(v["id"]) for v in attribute.get("values") or [] if isinstance(v, dict) and v.get("id")}
            chosen.setdefault(str(attribute.get("id")), set()).update(ids)
    return chosen


def _triggered(conditions: list[dict[str, Any]], chosen: dict[str, set[str]]) -> bool:
    return any(str(c["attribute_value_id"]) in chosen.get(str(c["attribute_id"]), set()) for c in conditions)


def _attributes(
    specs: list[dict[str, Any]], given: Any, chosen: dict[str, set[str]], draft: bool
) -> list[Rejection]:
    problems: list[Rejection] = []
    by_id = {spec["id"]: spec for spec in specs}
    values: dict[str, list[dict[str, Any]]] = {}
    for attribute in given or []:
        spec = by_id.get(str(attribute.get("id")))
        if spec is None or spec["type"] != "PRODUCT_PROPERTY":
            problems.append(
                invalid(
                    f"product_attributes[{attribute.get('id')}]", "is not a product attribute of the category"
                )
            )
            continue
        filled = [v for v in attribute.get("values") or [] if v.get("id") or str(v.get("name") or "").strip()]
        values[spec["id"]] = filled
        problems.extend(_value_problems(spec, filled))
    for spec in specs:
        if spec["type"] != "PRODUCT_PROPERTY":
            continue
        has = bool(values.get(spec["id"]))
        conditions = spec.get("requirement_conditions") or []
        if spec.get("is_requried") and not has and not draft:
            problems.append(Rejection(12052104, f"[{spec['name']}] property is required."))
        elif conditions and not spec.get("is_requried"):
            triggered = _triggered(conditions, chosen)
            if triggered and not has and not draft:
                problems.append(
                    Rejection(12052182, f"[{spec['name']}] is required by the value of another property.")
                )
            elif has and not triggered:
                problems.append(
                    Rejection(12052183, f"[{spec['name']}] must be empty for the chosen property values.")
                )
    return problems


def _value_problems(spec: dict[str, Any], filled: list[dict[str, Any]]) -> list[Rejection]:
    field = f"product_attributes[{spec['id']}]"
    if len(filled) > 1 and not spec.get("is_multiple_selection"):
        return [invalid(field, f"({spec['name']}) accepts a single value")]
    allowed = {v["id"]: v["name"].casefold() for v in spec.get("values") or []}
    for value in filled:
        if value.get("id"):
            if str(value["id"]) not in allowed:
                return [invalid(field, f"value id {value['id']} is not a value of {spec['name']}")]
        elif (
            not spec.get("is_customizable") and str(value["name"]).strip().casefold() not in allowed.values()
        ):
            return [invalid(field, f"({spec['name']}) does not accept custom values")]
        elif len(str(value["name"])) > 500:
            return [invalid(field, "custom values have at most 500 characters")]
    return []


def _certifications(rules: dict[str, Any], given: Any, chosen: dict[str, set[str]]) -> list[Rejection]:
    supplied = {
        str(c.get("id")) for c in given or [] if isinstance(c, dict) and (c.get("images") or c.get("files"))
    }
    for requirement in rules.get("product_certifications") or []:
        needed = requirement.get("is_required") or _triggered(
            requirement.get("requirement_conditions") or [], chosen
        )
        if needed and str(requirement["id"]) not in supplied:
            return [Rejection(12052105, f"Required qualification miss: {requirement['name']}.")]
    return []


def _size_chart(rules: dict[str, Any], chart: Any) -> list[Rejection]:
    if not (rules.get("size_chart") or {}).get("is_required"):
        return []
    image = (chart or {}).get("image") or {}
    template = (chart or {}).get("template") or {}
    if image.get("uri") or template.get("id"):
        return []
    # The reference names no dedicated code for a missing size chart (UNCERTAIN): the gateway's
    # invalid-parameter answer is used.
    return [invalid("size_chart", "is required for this category")]
