"""The model backend: an OpenAI-compatible Chat Completions endpoint with structured output.

Works with any endpoint that speaks Chat Completions and ``response_format`` ``json_schema``
(``OPENAI_BASE_URL``); the key comes from ``OPENAI_API_KEY`` only and is never logged or echoed.
Attributes go in batches whose value lists stay under ``max_enum_values`` (OpenAI documents a limit on
enum values per schema; the exact number has changed over time, so it is a setting). Sales
properties are left to the variants and never sent.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from .engine import AttributeFillError
from .llm_schema import SCHEMA_NAME, attribute_catalog, product_document, read_reply, response_schema
from .models import AttributeItem, Proposal, SuggestRequest, SuggestResponse, Unfilled

__all__ = ["DEFAULT_MODEL", "LlmBackend"]

logger = logging.getLogger(__name__)

DEFAULT_MODEL = "gpt-4o-mini"
_PROMPTS = Path(__file__).resolve().parent / "prompts"


@cache
def _prompt(name: str) -> str:
    return (_PROMPTS / f"{name}.txt").read_text(encoding="utf-8").strip()


def _batches(items: Sequence[AttributeItem], max_enum_values: int) -> Iterator[list[AttributeItem]]:
    batch: list[AttributeItem] = []
    size = 0
    for item in items:
        if batch and size + len(item.values) > max_enum_values:
            yield batch
            batch, size = [], 0
        batch.append(item)
        size += len(item.values)
    if batch:
        yield batch


def _error_code(error: Exception) -> str:
    name = type(error).__name__
    if name in ("AuthenticationError", "PermissionDeniedError"):
        return "attribute_fill.llm_auth"
    if name == "RateLimitError":
        return "attribute_fill.llm_rate_limited"
    return "attribute_fill.llm_unavailable"


class LlmBackend:
    """Structured-output proposals from a chat model; ``client`` is an ``openai.OpenAI`` (or alike)."""

    name = "llm"

    def __init__(
        self,
        client: Any,
        model: str = DEFAULT_MODEL,
        *,
        max_enum_values: int = 1000,
        max_output_tokens: int = 2000,
    ) -> None:
        self._client = client
        self._model = model
        self._max_enum_values = max_enum_values
        self._max_output_tokens = max_output_tokens

    @classmethod
    def from_environment(
        cls,
        model: str = DEFAULT_MODEL,
        environ: Mapping[str, str] | None = None,
        *,
        timeout_seconds: float = 60.0,
        max_enum_values: int = 1000,
    ) -> LlmBackend:
        """A backend from ``OPENAI_API_KEY`` (required) and ``OPENAI_BASE_URL`` (optional)."""
        import openai

        env = os.environ if environ is None else environ
        key = env.get("OPENAI_API_KEY")
        if not key:
            raise AttributeFillError(
                "OPENAI_API_KEY is not set, so the llm attribute fill backend cannot run; set it, or use "
                "the rules backend.",
                code="attribute_fill.llm_not_configured",
            )
        client = openai.OpenAI(
            api_key=key, base_url=env.get("OPENAI_BASE_URL") or None, max_retries=2, timeout=timeout_seconds
        )
        return cls(client, model, max_enum_values=max_enum_values)

    def _messages(self, items: Sequence[AttributeItem], request: SuggestRequest) -> list[dict[str, str]]:
        user = _prompt("user").format(
            attributes=attribute_catalog(items), product=product_document(request.product)
        )
        return [{"role": "system", "content": _prompt("system")}, {"role": "user", "content": user}]

    def _call(self, items: Sequence[AttributeItem], request: SuggestRequest) -> dict[str, Any]:
        import openai

        try:
            response = self._client.chat.completions.create(
                model=self._model,
                messages=self._messages(items, request),
                response_format={
                    "type": "json_schema",
                    "json_schema": {"name": SCHEMA_NAME, "strict": True, "schema": response_schema(items)},
                },
                temperature=0,
                max_tokens=self._max_output_tokens,
            )
        except openai.OpenAIError as error:
            raise AttributeFillError(
                f"The model endpoint failed ({type(error).__name__}); the rules backend can answer instead, "
                "or check OPENAI_BASE_URL, the key and the model name.",
                code=_error_code(error),
            ) from None
        choice = response.choices[0]
        message = choice.message
        if getattr(message, "refusal", None):
            raise AttributeFillError("The model refused to answer.", code="attribute_fill.llm_refused")
        if choice.finish_reason == "length":
            raise AttributeFillError(
                "The model's answer was cut off at the token limit; send fewer attributes per call.",
                code="attribute_fill.llm_truncated",
            )
        try:
            reply = json.loads(message.content or "")
        except json.JSONDecodeError:
            raise AttributeFillError(
                "The model's answer is not JSON.", code="attribute_fill.llm_unreadable"
            ) from None
        if not isinstance(reply, dict):
            raise AttributeFillError(
                "The model's answer is not a JSON object.", code="attribute_fill.llm_unreadable"
            )
        return reply

    def suggest(self, request: SuggestRequest) -> SuggestResponse:
        """Ask the model about every product attribute of ``request``; sales properties stay unfilled."""
        outcomes: list[Proposal | Unfilled] = []
        asked = [item for item in request.attributes if not item.is_sales_property]
        for item in request.attributes:
            if item.is_sales_property:
                outcomes.append(
                    Unfilled(
                        attribute_id=item.id,
                        reason="It is a sales property: each SKU sets it from its variant options.",
                    )
                )
        for batch in _batches(asked, self._max_enum_values):
            reply = self._call(batch, request)
            outcomes += read_reply(batch, reply, request.product)
        logger.debug("model %s answered for %d attributes", self._model, len(asked))
        return SuggestResponse(
            proposals=[o for o in outcomes if isinstance(o, Proposal)],
            unfilled=[o for o in outcomes if isinstance(o, Unfilled)],
        )
