from __future__ import annotations

from connectors.tiktok.listing_validation import IssueCode, ListingDraft, validate_listing

from .drafts import MATERIAL, WOOL, found, good


def test_category_not_leaf_is_rejected() -> None:
    data = good()
    data["category"]["is_leaf"] = False
    assert found(data) == [("category.leaf", "category.id")]
    (issue,) = validate_listing(ListingDraft.model_validate(data))
    assert issue.code is IssueCode.LISTING_INVALID


def test_certification_required_and_absent_is_missing() -> None:
    data = good()
    data["certifications"] = []
    assert found(data) == [("certifications.required", "certifications[id=7001]")]
    (issue,) = validate_listing(ListingDraft.model_validate(data))
    assert issue.code is IssueCode.ATTRIBUTE_MISSING
    assert "Textile Fibre Label" in issue.message


def test_certification_without_image_or_file_counts_as_missing() -> None:
    data = good()
    data["certifications"] = [{"id": "7001"}]
    assert found(data) == [("certifications.required", "certifications[id=7001]")]
    data["certifications"] = [{"id": "7001", "file_ids": ["v09ea0g40000cj91373c77u3mid3g1s0"]}]
    assert found(data) == []


def test_certification_required_by_condition() -> None:
    data = good()
    data["product_attributes"][0]["values"] = [{"id": WOOL}]
    data["product_attributes"].append({"id": "100200", "values": [{"id": "2001"}]})
    assert data["product_attributes"][0]["id"] == MATERIAL
    assert found(data) == [("certifications.required", "certifications[id=7002]")]
    data["certifications"].append({"id": "7002", "image_urls": ["https://cdn.example.com/woolmark.jpg"]})
    assert found(data) == []


def test_size_chart_required_and_absent_is_missing() -> None:
    data = good()
    data["size_chart"] = None
    assert found(data) == [("size_chart.required", "size_chart")]
    data["size_chart"] = {}
    assert found(data) == [("size_chart.required", "size_chart")]
    data["size_chart"] = {"image_url": "https://cdn.example.com/sizes.png"}
    assert found(data) == []


def test_size_chart_not_required_may_be_absent() -> None:
    data = good()
    data["size_chart"] = None
    data["category_rules"]["size_chart_required"] = False
    assert found(data) == []
