"""Category rules: a leaf category, and the certifications and size chart the category requires."""

from __future__ import annotations

from .conditions import chosen_value_ids, condition_met
from .issue import ListingIssue, invalid, missing, quote
from .model import ListingDraft

__all__ = ["check_category", "check_certifications", "check_size_chart"]


def check_category(draft: ListingDraft) -> list[ListingIssue]:
    """Products can only be listed in a leaf category (12052024) the shop may use (12052223)."""
    category = draft.category
    name = f" {quote(category.name)}" if category.name else ""
    if category.is_leaf:
        if "INVITE_ONLY" not in category.permission_statuses:
            return []
        return [
            invalid(
                "category.id",
                "category.invite_only",
                f"Category {category.id}{name} is open by invitation only and the shop has not been "
                "invited; choose another category or apply for the invitation in Seller Center.",
            )
        ]
    return [
        invalid(
            "category.id",
            "category.leaf",
            f"Category {category.id}{name} is not a leaf category; "
            "choose one of its most specific subcategories.",
        )
    ]


def check_certifications(draft: ListingDraft) -> list[ListingIssue]:
    """Every certification the category requires, outright or by condition, needs an image or a file."""
    supplied = {cert.id: cert for cert in draft.certifications if cert.image_urls or cert.file_ids}
    chosen = chosen_value_ids(draft.product_attributes)
    issues: list[ListingIssue] = []
    for requirement in draft.category_rules.certifications:
        needed = requirement.is_required or condition_met(requirement.requirement_conditions, chosen)
        if needed and requirement.id not in supplied:
            issues.append(
                missing(
                    f"certifications[id={requirement.id}]",
                    "certifications.required",
                    f"Category {draft.category.id} requires the certification {quote(requirement.name)} "
                    f"(id {requirement.id}); upload its certificate as an image or a PDF file.",
                )
            )
    return issues


def check_size_chart(draft: ListingDraft) -> list[ListingIssue]:
    """A size chart, image or template, when the category rules require one."""
    chart = draft.size_chart
    if not draft.category_rules.size_chart_required:
        return []
    if chart is not None and (chart.image_url or chart.template_id):
        return []
    return [
        missing(
            "size_chart",
            "size_chart.required",
            f"Category {draft.category.id} requires a size chart; add a size chart image or choose a "
            "size chart template.",
        )
    ]
