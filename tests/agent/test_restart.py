"""A decision clicked after a restart resumes the same run from the checkpoint file."""

from __future__ import annotations

from collections.abc import Callable

from tests.agent.conftest import APPROVER, THREAD, Harness
from tests.agent.fakes import ORDER_ID


def test_decision_after_restart_resumes_the_same_run_and_writes_once(
    make_harness: Callable[..., Harness],
) -> None:
    before = make_harness()
    before.runner.ask(THREAD, "USELLER", f"why did order {ORDER_ID} fail?")
    card = before.runner.ask(THREAD, "USELLER", "apply the fix").approval
    assert card is not None and before.world.writes == []
    before.close()  # the process goes away: graph, runner and checkpointer are dropped
    del before

    after = make_harness()
    assert after.runner.pending(THREAD) is not None
    result = after.runner.decide(str(card["token"]), APPROVER, "approve", source="test")
    assert result.text is not None and "Done" in result.text
    assert after.world.writes == [
        (
            "map_shipping_method",
            {"delivery_option": "Standard Shipping", "shipping_method_id": "001"},
            APPROVER,
        )
    ]
    assert after.runner.pending(THREAD) is None
    follow_up = after.runner.ask(THREAD, "USELLER", f"why did order {ORDER_ID} fail?")
    assert follow_up.text is not None and "sentToFulfillment" in follow_up.text
    assert len(after.world.writes) == 1
