"""Attribute fill settings: validation, SKU globs, and how they combine with the catalog's ai_* switches."""

from __future__ import annotations

import pytest
from pydantic import SecretStr, ValidationError

from connectors.tiktok.attribute_fill import RulesBackend
from connectors.tiktok.attribute_fill.backends import backend_from_settings
from connectors.tiktok.attribute_fill.llm import LlmBackend
from connectors.tiktok.attribute_fill.settings import AttributeFillSettings, effective_fill
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
    fill = effective_fill(
        connection(attribute_fill={"sku_allow": ["TEE-*", "MUG-1"], "sku_block": ["TEE-9"]})
    )
    assert fill.sku_allowed("TEE-1") and fill.sku_allowed("MUG-1")
    assert not fill.sku_allowed("TEE-9")  # blocked even though allowed by the glob
    assert not fill.sku_allowed("mug-1")  # SKUs match case-sensitively, as on TikTok
    assert not fill.sku_allowed("CAP-1")


def test_attribute_lists_match_id_or_name_in_any_case() -> None:
    fill = effective_fill(connection(attribute_fill={"attribute_block": ["MATERIAL", "100393"]}))
    assert not fill.attribute_allowed("100157", "Material")
    assert not fill.attribute_allowed("100393", "Neckline")
    assert fill.attribute_allowed("100198", "Pattern")


def test_catalog_switches_make_it_stricter_never_looser() -> None:
    both = connection(
        catalog={"ai_sku_allow": ["TEE-1", "TEE-2"], "ai_sku_block": ["TEE-3"], "ai_required_only": False},
        attribute_fill={"sku_allow": ["TEE-2", "TEE-3"], "required_only": False},
    )
    fill = effective_fill(both)
    assert [s for s in ("TEE-1", "TEE-2", "TEE-3") if fill.sku_allowed(s)] == ["TEE-2"]
    assert fill.required_only is False
    assert effective_fill(connection(attribute_fill={"required_only": False})).required_only is True
    assert effective_fill(connection(catalog={"ai_fill": False})).enabled is False


def test_backend_choice() -> None:
    assert isinstance(backend_from_settings(AttributeFillSettings(), {}), RulesBackend)
    assert isinstance(backend_from_settings(AttributeFillSettings(backend="auto"), {}), RulesBackend)
    # 'llm' with no key falls back to the rules instead of failing the run.
    assert isinstance(backend_from_settings(AttributeFillSettings(backend="llm"), {}), RulesBackend)
    keyed = {"OPENAI_API_KEY": "sk-test-placeholder", "OPENAI_BASE_URL": "https://api.openai.test/v1"}
    assert isinstance(backend_from_settings(AttributeFillSettings(backend="auto"), keyed), LlmBackend)
