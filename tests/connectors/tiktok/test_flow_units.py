"""The pure parts of the TikTok flows: inventory decisions, line selection, incremental passes."""

from __future__ import annotations

import pytest

from connectors.tiktok.flows.fulfillment_lines import (
    fully_shipped,
    record_shipment,
    select_lines,
    shipped_package,
    waiting_package,
)
from connectors.tiktok.flows.incremental import begin_pass, end_pass, read_pages
from connectors.tiktok.flows.inventory_plan import MAX_QUANTITY, decide
from connectors.tiktok.flows.pull_after_sales import refund_status
from connectors.tiktok.pagination import RepeatedPageTokenError
from connectors.tiktok.schemas import Order
from store.repositories.inventory import StockTotal


def _decide(on_hand: int, committed: int = 0, **kwargs: object) -> tuple[str, int]:
    options: dict[str, object] = {
        "buffer": 0,
        "condition": "new",
        "pushed_quantity": None,
        "listing_status": "active",
        "force": False,
    }
    options.update(kwargs)
    decision = decide(StockTotal("SKU", on_hand, committed), **options)  # type: ignore[arg-type]
    return decision.action, decision.quantity


def test_inventory_decision_sends_only_changes_and_never_below_zero() -> None:
    assert _decide(10, 3, buffer=2) == ("send", 5)
    assert _decide(10, 3, buffer=2, pushed_quantity=5) == ("none", 5)
    assert _decide(10, 3, buffer=2, pushed_quantity=5, force=True) == ("send", 5)
    assert _decide(2, 3, buffer=4, pushed_quantity=7) == ("send", 0)
    assert _decide(MAX_QUANTITY + 50) == ("send", MAX_QUANTITY)


def test_pre_owned_lists_one_and_is_deactivated_when_sold() -> None:
    assert _decide(3, condition="pre_owned") == ("send", 1)
    assert _decide(3, condition="pre_owned", pushed_quantity=1) == ("none", 1)
    assert _decide(1, 1, condition="pre_owned", pushed_quantity=1) == ("deactivate", 0)
    assert _decide(2, 0, buffer=2, condition="pre_owned") == ("deactivate", 0)
    assert _decide(1, condition="pre_owned", listing_status="inactive") == ("none", 0)


def _order(lines: list[dict[str, object]]) -> Order:
    return Order.model_validate({"id": "9", "status": "AWAITING_SHIPMENT", "line_items": lines})


def _line(line_id: str, sku: str, **extra: object) -> dict[str, object]:
    return {"id": line_id, "seller_sku": sku, "display_status": "AWAITING_SHIPMENT", **extra}


def test_line_selection_prefers_recorded_ids_and_tops_up_from_open_lines() -> None:
    order = _order(
        [
            _line("1", "A", package_id="P0", package_status="PROCESSING", tracking_number="SELLER"),
            _line("2", "A"),
            _line("3", "A"),
            _line("4", "A", display_status="CANCELLED"),
            _line("5", "B"),
        ]
    )
    selection = select_lines([{"sku": "A", "quantity": 2, "line_ids": ["1", "3"]}], order)
    assert selection.line_ids == ["3", "2"] and selection.complete
    short = select_lines([{"sku": "A", "quantity": 3, "line_ids": []}, {"sku": "C", "quantity": 1}], order)
    assert short.line_ids == ["2", "3"] and short.short == {"A": 1, "C": 1} and not short.complete


def test_shipped_package_is_recognised_by_tracking_number() -> None:
    order = _order([_line("1", "A"), _line("2", "A"), _line("3", "B")])
    lines = [{"sku": "A", "quantity": 2, "line_ids": ["1", "2"]}]
    assert shipped_package(lines, "1Z", order) is None
    record_shipment(order, ["2", "1"], "PKG", "1Z")  # other ids than recorded, same units
    assert shipped_package(lines, "1Z", order) == "PKG"
    assert shipped_package([{"sku": "A", "quantity": 2, "line_ids": ["1", "3"]}], "1Z", order) == "PKG"
    assert shipped_package([{"sku": "B", "quantity": 1, "line_ids": ["3"]}], "1Z", order) is None
    assert not fully_shipped(order)
    record_shipment(order, ["3"], "PKG2", "9400")
    assert fully_shipped(order)


def test_waiting_package_only_when_it_holds_exactly_the_lines() -> None:
    order = _order(
        [
            _line("1", "A", package_id="P1", package_status="TO_FULFILL"),
            _line("2", "A", package_id="P1", package_status="TO_FULFILL"),
            _line("3", "B"),
        ]
    )
    assert waiting_package(order, ["1", "2"]) == "P1"
    assert waiting_package(order, ["1"]) is None  # part of a package: mark the lines instead
    assert waiting_package(order, ["3"]) is None


def test_incremental_pass_resumes_and_moves_the_cursor_only_when_done() -> None:
    read = begin_pass(None, now=1_000, overlap_seconds=60)
    assert (read.ge, read.lt) == (0, 1_000)
    pages = {None: (["a", "b"], "t1"), "t1": (["c"], "t2"), "t2": (["d"], "")}
    seen: list[str] = []
    assert read_pages(read, lambda token: pages[token], seen.append, max_pages=2) == 3
    state = end_pass(None, read)
    assert state == {"since": 0, "pass": {"ge": 0, "lt": 1_000, "page_token": "t2"}}
    resumed = begin_pass(state, now=5_000, overlap_seconds=60)
    assert (resumed.ge, resumed.lt, resumed.page_token) == (0, 1_000, "t2")
    read_pages(resumed, lambda token: pages[token], seen.append, max_pages=2)
    assert seen == ["a", "b", "c", "d"] and end_pass(state, resumed) == {"since": 1_000}
    following = begin_pass({"since": 1_000}, now=900, overlap_seconds=60)
    assert (following.ge, following.lt) == (940, 1_000)  # a clock behind never moves it back


def test_incremental_pass_refuses_a_repeated_page_token() -> None:
    read = begin_pass(None, now=10, overlap_seconds=0)
    with pytest.raises(RepeatedPageTokenError):
        read_pages(read, lambda token: (["x"], "same"), lambda _: None, max_pages=5)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("CANCELLATION_REQUEST_PENDING", "pending"),
        ("CANCELLATION_REQUEST_SUCCESS", "approved"),
        ("CANCELLATION_REQUEST_COMPLETE", "refunded"),
        ("CANCELLATION_REQUEST_CANCEL", "withdrawn"),
        ("REFUND_OR_RETURN_REQUEST_REJECT", "rejected"),
    ],
)
def test_refund_status_follows_the_request(status: str, expected: str) -> None:
    assert refund_status(status) == expected
