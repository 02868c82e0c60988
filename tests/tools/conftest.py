"""Fixtures for tool tests; the seeding helpers live in tests/tools/seeding.py."""

from __future__ import annotations

from tests.tools.seeding import approved, config, ctx, seed

__all__ = ["approved", "config", "ctx", "seed"]
