"""Approvers from config: user ids, and members of Slack user groups looked up on demand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from agent.approvers import Approvers, is_group_id
from connectors.engine.clock import FrozenClock


def test_entries_split_into_users_and_groups() -> None:
    approvers = Approvers(["U012ABCDEF", "S0614TZR7", "console-admin", "SAM"])
    assert approvers.users == {"U012ABCDEF", "console-admin", "SAM"}
    assert approvers.groups == ("S0614TZR7",)
    assert is_group_id("S0614TZR7") and not is_group_id("SAM") and not is_group_id("U012ABCDEF")
    assert approvers.describe() == "<@U012ABCDEF>, <!subteam^S0614TZR7>, <@console-admin>, <@SAM>"


def test_group_members_are_looked_up_and_cached_for_a_while() -> None:
    clock = FrozenClock(datetime(2026, 11, 23, 12, 0, tzinfo=UTC))
    members = {"S0614TZR7": ["U1", "U2"]}
    lookups: list[str] = []

    def resolve(group: str) -> list[str]:
        lookups.append(group)
        return members[group]

    approvers = Approvers(["S0614TZR7"], resolve_group=resolve, clock=clock, cache_minutes=5)
    assert approvers.allows("U1") and approvers.allows("U2") and not approvers.allows("U3")
    assert lookups == ["S0614TZR7"]
    members["S0614TZR7"] = ["U2"]
    clock.advance(timedelta(minutes=6))
    assert not approvers.allows("U1"), "someone removed from the group loses the right"
    assert lookups == ["S0614TZR7", "S0614TZR7"]


def test_a_failed_lookup_admits_nobody() -> None:
    def broken(group: str) -> list[str]:
        raise RuntimeError("missing_scope")

    approvers = Approvers(["S0614TZR7", "U9"], resolve_group=broken)
    assert not approvers.allows("U1") and approvers.allows("U9") and not approvers.allows("")
