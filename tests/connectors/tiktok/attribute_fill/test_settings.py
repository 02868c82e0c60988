"""Attribute fill settings: validation, SKU globs, and the catalog's old ai_* keys pointing here."""

from __future__ import annotations

import pytest
from pydantic import SecretStr, ValidationError

from connectors.tiktok.attribute_fill import RulesBackend
from connectors.tiktok.attribute_fill.backends import backend_from_settings
from connectors.tiktok.attribute_fill.llm import LlmBackend
from connectors.tiktok.attribute_fill.settings import AttributeFillSettings
from connectors.tiktok.settings import TikTokSettings


def connection(**changes: object) -> TikTokSettings:
    return TikTokSettings(app_key="k", app_secret=SecretStr("s"), **changes)  # type: ignore[arg-type]


def test_unknown_or_out_of_range_settings_are_refused() -> None:
    with pytest.raises(ValidationError):
        connection(attribute_fill={"sku_alow": ["X"]})
    with pytest.raises(ValidationError):
        AttributeFillSettings(min_confidence=1.5)
    with pytest.raises(ValidationError):
        AttributeFillSettings(backend="magic")  # type: ignore[arg-type]


def test_sku_lists_match_exactly_or_by_glob_and_block_wins() -> None:
    fill = connection(attribute_fill={"sku_allow": ["TEE-*", "MUG-1"], "sku_block": ["TEE-9"]}).attribute_fill
    assert fill.sku_allowed("TEE-1") and fill.sku_allowed("MUG-1")
    assert not fill.sku_allowed("TEE-9")  # blocked even though allowed by the glob
    assert not fill.sku_allowed("mug-1")  # SKUs match case-sensitively, as on TikTok
    assert not fill.sku_allowed("CAP-1")


def test_attribute_lists_match_id_or_name_in_any_case() -> None:
    fill = connection(attribute_fill={"attribute_block": ["MATERIAL", "100393"]}).attribute_fill
    assert not fill.attribute_allowed("100157", "Material")
    assert not fill.attribute_allowed("100393", "Neckline")
    assert fill.attribute_allowed("100198", "Pattern")


def test_empty_allow_lists_allow_everything_not_blocked() -> None:
    fill = AttributeFillSettings(sku_block=["TEE-3"])
    assert [s for s in ("TEE-1", "TEE-2", "TEE-3") if fill.sku_allowed(s)] == ["TEE-1", "TEE-2"]
    assert fill.attribute_allowed("100157", "Material")


def test_the_catalogs_old_ai_keys_are_refused_naming_their_new_home() -> None:
    with pytest.raises(ValidationError) as refused:
        connection(catalog={"ai_fill": False, "ai_sku_block": ["TEE-3"], "missing_attributes": "draft"})
    message = str(refused.value)
    assert "'ai_fill' is now 'attribute_fill.enabled'" in message
    assert "'ai_sku_block' is now 'attribute_fill.sku_block'" in message
    assert "'missing_attributes' is now 'catalog.when_attributes_missing'" in message
    assert connection(catalog={"when_attributes_missing": "draft"}).catalog.when_attributes_missing == "draft"


def test_backend_choice() -> None:
    assert isinstance(backend_from_settings(AttributeFillSettings(), {}), RulesBackend)
    assert isinstance(backend_from_settings(AttributeFillSettings(backend="auto"), {}), RulesBackend)
    # 'llm' with no key falls back to the rules instead of failing the run.
    assert isinstance(backend_from_settings(AttributeFillSettings(backend="llm"), {}), RulesBackend)
    keyed = {"OPENAI_API_KEY": "sk-test-placeholder", "OPENAI_BASE_URL": "https://api.openai.test/v1"}
    assert isinstance(backend_from_settings(AttributeFillSettings(backend="auto"), keyed), LlmBackend)
