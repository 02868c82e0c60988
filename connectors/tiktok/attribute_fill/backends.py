"""Choosing a backend from settings and the environment; the rules are always the fallback."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

from .engine import AttributeFillBackend, AttributeFillError
from .rules import RulesBackend
from .settings import AttributeFillSettings

__all__ = ["backend_from_settings"]

logger = logging.getLogger(__name__)


def backend_from_settings(
    settings: AttributeFillSettings, environ: Mapping[str, str] | None = None
) -> AttributeFillBackend:
    """The configured backend; 'llm' without a key falls back to the rules (and says so in the log)."""
    env = os.environ if environ is None else environ
    wanted = settings.backend
    if wanted == "auto":
        wanted = "llm" if env.get("OPENAI_API_KEY") else "rules"
    if wanted == "rules":
        return RulesBackend()
    from .llm import LlmBackend

    try:
        return LlmBackend.from_environment(
            settings.model,
            env,
            timeout_seconds=settings.llm_timeout_seconds,
            max_enum_values=settings.max_enum_values,
        )
    except AttributeFillError as error:
        logger.warning("attribute fill: %s Using the rules backend.", error.message)
        return RulesBackend()
