"""suggest_attributes takes the issue's JSON contract, in process and through ``python -m tools``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from connectors.tiktok.attribute_fill import SuggestRequest, SuggestResponse
from tests.connectors.tiktok.attribute_fill.conftest import seed_items
from tests.tools.seeding import Seed
from tools import run_tool
from tools.attributes import SuggestForSkuOutput
from tools.registry import ToolContext, ToolError

ROOT = Path(__file__).resolve().parents[2]
CONTRACT: dict[str, Any] = {
    "product": {
        "title": "Insulated Stainless Steel Water Bottle, 16.9 oz",
        "description": "<p>Double-wall vacuum insulation. Not glass.</p>",
        "brand": "Summit Flask",
        "variant_options": {"Color": ["Black", "Sage"]},
        "attributes": {"lid": "straw"},
        "category_id": "600055",
    },
    "attributes": seed_items("600055", "Capacity", "Material", "Insulation", "BPA Free"),
}


def test_contract_in_and_out(ctx: ToolContext) -> None:
    result = run_tool("suggest_attributes", ctx, CONTRACT)
    assert isinstance(result, SuggestResponse)
    document = result.model_dump(mode="json")
    assert set(document) == {"proposals", "unfilled"}
    by_id = {p["attribute_id"]: p for p in document["proposals"]}
    assert by_id["101501"]["values"] == [{"id": "1002740", "name": "500 ml"}]
    assert by_id["100157"]["values"] == [{"id": "1002883", "name": "Stainless Steel"}]
    assert by_id["101502"]["values"] == [{"id": "1002948", "name": "Double-wall Vacuum"}]
    assert all(
        set(p) == {"attribute_id", "attribute_name", "values", "confidence", "rationale", "source"}
        for p in document["proposals"]
    )
    assert {p["source"] for p in document["proposals"]} == {"rules"}
    assert document["unfilled"] == [{"attribute_id": "101503", "reason": document["unfilled"][0]["reason"]}]
    assert "silence" in document["unfilled"][0]["reason"]


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"product": {"description": "no title"}}, "product.title"),
        ({"attributes": "Material"}, "attributes"),
        ({"extra": 1}, "extra"),
        ({"product": {**CONTRACT["product"], "colour": "red"}}, "product.colour"),
        ({"attributes": [{"name": "Material"}]}, "attributes.0.id"),
        ({"attributes": [CONTRACT["attributes"][0], CONTRACT["attributes"][0]]}, "listed twice"),
    ],
)
def test_bad_input_names_the_field(ctx: ToolContext, change: dict[str, Any], where: str) -> None:
    with pytest.raises(ToolError) as info:
        run_tool("suggest_attributes", ctx, CONTRACT | change)
    assert info.value.code == "tool.invalid_input" and where in info.value.message


def test_an_injected_backend_is_used_and_held_to_the_contract(ctx: ToolContext) -> None:
    class Inventing:
        name = "llm"

        def suggest(self, request: SuggestRequest) -> SuggestResponse:
            return SuggestResponse.model_validate(
                {
                    "proposals": [
                        {
                            "attribute_id": "100157",
                            "attribute_name": "Material",
                            "values": [{"id": "424242", "name": "Unobtainium"}],
                            "confidence": 1,
                            "rationale": "made up",
                            "source": "llm",
                        }
                    ]
                }
            )

    injected = replace(ctx, extras={"attribute_fill_backend": Inventing()})
    result = run_tool("suggest_attributes", injected, CONTRACT)
    assert isinstance(result, SuggestResponse) and result.proposals == []
    reasons = {u.attribute_id: u.reason for u in result.unfilled}
    assert "424242" in reasons["100157"] and len(reasons) == 4


def test_for_sku_reads_the_listing_and_the_product(seed: Seed, ctx: ToolContext) -> None:
    tiktok, _ = seed.standard()
    product = seed.product(
        "BOTTLE-1", title="Stainless steel bottle 750 ml", description="BPA-free lid.", category_id="600055"
    )
    missing = [
        {**item, "category_id": "600055", "field": f"product_attributes[id={item['id']}]"}
        for item in CONTRACT["attributes"]
    ]
    seed.listing(product, tiktok, missing_attributes=missing)
    result = run_tool("suggest_attributes_for_sku", ctx, {"sku": "BOTTLE-1", "attribute": "bpa free"})
    assert isinstance(result, SuggestForSkuOutput)
    assert (result.sku, result.category_id) == ("BOTTLE-1", "600055")
    assert [(p.attribute_name, [v.name for v in p.values]) for p in result.proposals] == [
        ("BPA Free", ["Yes"])
    ]
    with pytest.raises(ToolError) as info:
        run_tool("suggest_attributes_for_sku", ctx, {"sku": "BOTTLE-1", "attribute": "Colour"})
    assert info.value.code == "tool.invalid_input" and "Capacity" in info.value.message


def test_for_sku_without_a_validated_listing_says_what_to_do(seed: Seed, ctx: ToolContext) -> None:
    seed.standard()
    seed.product("BARE-1")
    with pytest.raises(ToolError) as info:
        run_tool("suggest_attributes_for_sku", ctx, {"sku": "BARE-1"})
    assert info.value.code == "tool.not_found" and "validate it first" in info.value.message


@pytest.fixture
def cli_env(tmp_path: Path, sqlite_url: str) -> dict[str, str]:
    config = tmp_path / "shopwright.toml"
    config.write_text(f'database_url = "{sqlite_url}"\n', encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SHOPWRIGHT_", "OPENAI_"))}
    return env | {"SHOPWRIGHT_CONFIG": str(config), "SHOPWRIGHT_SECRETS_FILE": str(tmp_path / "none.toml")}


def cli(env: dict[str, str], arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tools", "call", "suggest_attributes", arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_cli_prints_the_contract(cli_env: dict[str, str]) -> None:
    done = cli(cli_env, json.dumps(CONTRACT))
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert {p["attribute_name"] for p in document["proposals"]} == {"Capacity", "Material", "Insulation"}


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "one JSON object"),
        (json.dumps({"product": {"title": ""}, "attributes": []}), "product.title"),
        (json.dumps({"attributes": []}), "product"),
    ],
)
def test_cli_bad_input_exits_non_zero_with_a_json_error(
    cli_env: dict[str, str], arguments: str, message: str
) -> None:
    done = cli(cli_env, arguments)
    assert done.returncode == 2
    error = json.loads(done.stdout)["error"]
    assert error["code"] == "tool.invalid_input" and message in error["message"]
