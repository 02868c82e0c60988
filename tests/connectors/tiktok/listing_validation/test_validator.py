from __future__ import annotations

from connectors.tiktok.listing_validation import IssueCode, ListingDraft, validate_listing

from .drafts import good

MISSING_RULES = {
    "attributes.required",
    "attributes.conditionally_required",
    "certifications.required",
    "size_chart.required",
    "package_dimensions.required",
}


def _broken() -> ListingDraft:
    data = good()
    data["title"] = "Tee 中 \U0001f600 sale!!!!!!!!!!"
    data["description"] = "<div><p>Nice <b>tee</b> &amp; more</p></div>"
    data["main_images"][0]["format"] = "webp"
    data["category"]["is_leaf"] = False
    data["product_attributes"] = []
    data["certifications"] = []
    data["size_chart"] = None
    data["package_weight"]["value"] = "0"
    data["package_dimensions"] = None
    data["skus"][1]["seller_sku"] = "X" * 51
    data["skus"][1]["identifier_codes"] = {"EAN": "4006381333931"}
    return ListingDraft.model_validate(data)


def test_validate_listing_good_draft_has_no_issues() -> None:
    assert validate_listing(ListingDraft.model_validate(good())) == []


def test_validate_listing_codes_follow_the_exception_table() -> None:
    issues = validate_listing(_broken())
    assert {issue.rule for issue in issues} >= MISSING_RULES - {"attributes.conditionally_required"}
    for issue in issues:
        expected = IssueCode.ATTRIBUTE_MISSING if issue.rule in MISSING_RULES else IssueCode.LISTING_INVALID
        assert issue.code is expected, issue
        assert issue.code.value in {"tiktok.attribute_missing", "tiktok.listing_invalid"}


def test_validate_listing_messages_are_one_sentence_each() -> None:
    issues = validate_listing(_broken())
    assert len(issues) >= 14
    for issue in issues:
        assert issue.message[0].isupper(), issue.message
        assert issue.message.endswith("."), issue.message
        assert "\n" not in issue.message


def test_validate_listing_order_follows_the_form() -> None:
    prefixes = [issue.rule.split(".")[0] for issue in validate_listing(_broken())]
    order = [
        "title",
        "description",
        "main_images",
        "category",
        "attributes",
        "certifications",
        "size_chart",
        "package_weight",
        "package_dimensions",
        "skus",
        "identifier",
    ]
    assert prefixes == sorted(prefixes, key=order.index)


def test_validate_listing_issue_serialises_with_stable_names() -> None:
    issue = validate_listing(_broken())[0]
    assert set(issue.model_dump()) == {"code", "field", "rule", "message"}
    assert issue.model_dump(mode="json")["code"] in {"tiktok.attribute_missing", "tiktok.listing_invalid"}
