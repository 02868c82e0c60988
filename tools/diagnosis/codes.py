"""The registry of exception codes: what each means, what a person sees, and what fixes it.

Every code the daemon can record has an entry, and so does every code the diagnosis derives from
the store's state. ``origin`` says where a code is defined: the shared EXCEPTIONS.md table, or the
project's own additions made since. Codes are stable: never rename one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Origin = Literal["EXCEPTIONS.md", "project"]
# The categories list_exceptions filters on.
CATEGORIES = ("ingestion", "routing", "fulfillment", "inventory", "catalog", "connector", "state")


@dataclass(frozen=True)
class FixTemplate:
    """The write tool that fixes a code: arguments the diagnosis fills, and those a person chooses."""

    tool: str
    arguments: tuple[str, ...]
    chosen: tuple[str, ...] = ()


@dataclass(frozen=True)
class CodeInfo:
    """One code: ``meaning`` is what happened, ``symptom`` what a seller or on-call engineer reports."""

    code: str
    category: str
    meaning: str
    cause_to_check: str
    fix: str
    symptom: str = ""
    next_steps: tuple[str, ...] = ()
    fix_tool: FixTemplate | None = None
    # What the record is about (its entity_type); the first is the usual one.
    entities: tuple[str, ...] = ("order",)
    origin: Origin = "project"
    # False for codes the diagnosis derives from the store's state; nothing records them.
    recorded: bool = True


def _registry() -> dict[str, CodeInfo]:
    # Imported here: the entry modules import the types above.
    from tools.diagnosis.codes_connector import ENTRIES as CONNECTOR
    from tools.diagnosis.codes_operations import ENTRIES as OPERATIONS
    from tools.diagnosis.codes_shared import ENTRIES as SHARED

    registry: dict[str, CodeInfo] = {}
    for info in (*SHARED, *CONNECTOR, *OPERATIONS):
        if info.code in registry:
            raise ValueError(f"exception code {info.code} is catalogued twice")
        registry[info.code] = info
    return registry


REGISTRY: dict[str, CodeInfo] = _registry()

# The codes of the shared EXCEPTIONS.md table (the demo accounts for each of these).
CODES: dict[str, CodeInfo] = {code: info for code, info in REGISTRY.items() if info.origin == "EXCEPTIONS.md"}


def describe(code: str, category: str = "unknown") -> CodeInfo:
    """The entry for ``code``; a code recorded without an entry gets a neutral description."""
    return REGISTRY.get(code) or CodeInfo(
        code,
        category,
        "A failure Shopwright recorded with this code.",
        "The stored message and downstream fault.",
        "Follow the message; diagnose the entity for details.",
    )
