"""Who may decide on a change: Slack user ids and Slack user groups from ``[bot] approvers``.

Entries starting with ``S`` are Slack user group ids (``S0614TZR7``); every other entry is a user
id (``U…``/``W…``, or a plain name on the console). Group members are looked up through a
resolver (the Slack Web API's ``usergroups.users.list`` in the bot) and cached for a few minutes,
so removing someone from the group takes effect without a restart. A lookup that fails denies:
nobody is let in because Slack could not be asked.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Collection, Iterable
from datetime import datetime, timedelta

from connectors.engine.clock import Clock, SystemClock

logger = logging.getLogger(__name__)

GroupResolver = Callable[[str], Collection[str]]


def is_group_id(entry: str) -> bool:
    """Slack user group ids look like ``S0614TZR7``: ``S``, then upper-case letters and digits."""
    rest = entry[1:]
    return (
        entry[:1] == "S"
        and 8 <= len(rest) <= 12
        and rest.isalnum()
        and rest.upper() == rest
        and any(ch.isdigit() for ch in rest)
    )


class Approvers:
    """The approvers list, with user groups expanded on demand."""

    def __init__(
        self,
        entries: Iterable[str],
        *,
        resolve_group: GroupResolver | None = None,
        clock: Clock | None = None,
        cache_minutes: float = 5.0,
    ) -> None:
        self.entries = tuple(dict.fromkeys(str(entry).strip() for entry in entries if str(entry).strip()))
        self.users = frozenset(entry for entry in self.entries if not is_group_id(entry))
        self.groups = tuple(entry for entry in self.entries if is_group_id(entry))
        self._resolve = resolve_group
        self._clock = clock or SystemClock()
        self._ttl = timedelta(minutes=cache_minutes)
        self._cache: dict[str, tuple[datetime, frozenset[str]]] = {}
        self._lock = threading.Lock()

    def allows(self, user: str) -> bool:
        """Whether ``user`` may approve or reject changes."""
        if not user:
            return False
        if user in self.users:
            return True
        return any(user in self._members(group) for group in self.groups)

    def describe(self) -> str:
        """The approvers as Slack mentions (users and groups), or how to configure them."""
        if not self.entries:
            return (
                "nobody yet: add Slack user ids or user group ids to `approvers` under [bot] in "
                "shopwright.toml"
            )
        return ", ".join(mention(entry) for entry in self.entries)

    def _members(self, group: str) -> frozenset[str]:
        if self._resolve is None:
            return frozenset()
        now = self._clock.now()
        with self._lock:
            cached = self._cache.get(group)
            if cached is not None and now - cached[0] < self._ttl:
                return cached[1]
        try:
            members = frozenset(self._resolve(group))
        except Exception as error:
            # Fail closed, and keep the last known members out too: a broken lookup admits nobody.
            logger.warning("could not read the members of Slack user group %s (%s)", group, error)
            return frozenset()
        with self._lock:
            self._cache[group] = (now, members)
        return members


def mention(entry: str) -> str:
    """A Slack mention of an approvers entry: ``<@U…>`` for a user, ``<!subteam^S…>`` for a group."""
    return f"<!subteam^{entry}>" if is_group_id(entry) else f"<@{entry}>"
