"""What a connector type may add to the daemon besides flows: side services and an authorisation step.

A side service runs next to the flow loop for as long as ``sync_daemon.py run`` runs (a webhook
receiver, say). It gets a `FlowTrigger` to ask the daemon for an immediate run of one of its
connection's flows; the schedule stays the source of truth, a trigger only brings a run forward.

An authoriser turns what a seller brings back from a platform's consent page (an authorisation
code) into stored credentials, for ``sync_daemon.py authorize CONNECTION --code CODE``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from connectors.runtime import ConnectionRuntime

# ``trigger(flow_name, reason)``: run this connection's flow ``flow_name`` as soon as the daemon can.
# Returns False when the connection has no such enabled flow. Safe to call from any thread; quick.
FlowTrigger = Callable[[str, str], bool]


class ServiceStartError(RuntimeError):
    """A side service could not start (a port in use, say); the message says what to change."""


class SideService(Protocol):
    """Something the daemon starts before its first tick and stops, gracefully, at shutdown."""

    @property
    def description(self) -> str:
        """One line for people: what it is and where it listens."""
        ...

    def start(self) -> None:
        """Return once serving; raise `ServiceStartError` when it cannot."""
        ...

    def stop(self) -> None:
        """Finish what is in flight and stop, within a few seconds; safe to call twice."""
        ...


ServiceFactory = Callable[["ConnectionRuntime", FlowTrigger], Sequence[SideService]]


class AuthorizationError(RuntimeError):
    """Authorisation did not complete; the message says why and what the seller does next."""


class Authorizer(Protocol):
    """The authorisation step of a connector type."""

    def instructions(self, runtime: ConnectionRuntime) -> str:
        """Where the seller gets an authorisation code, in a few lines."""
        ...

    def authorize(self, runtime: ConnectionRuntime, code: str | None) -> Sequence[str]:
        """Exchange ``code`` (or, with None, re-check stored credentials) and return lines to print.

        Never returns or prints a secret. Raises `AuthorizationError` when the seller must act.
        """
        ...
