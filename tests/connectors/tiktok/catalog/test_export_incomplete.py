"""``sync_daemon.py export-incomplete-products``: every product with missing attributes or errors, as CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import select

import sync_daemon
from connectors.engine.app import DaemonApp
from connectors.tiktok.catalog_export import COLUMNS, export_command
from store.models import Product
from tests.connectors.tiktok.catalog.catalog_data import CATEGORY_MAP, add_bottle, add_tshirt
from tests.connectors.tiktok.catalog.conftest import APP_SECRET, run_flow

PREPARE = [{"push_products": True, "prepare_only": True, "category_map": CATEGORY_MAP}]


@pytest.fixture
def store_url(database_url: str) -> str:
    return database_url


def _prepare(app: DaemonApp, image_host: str) -> None:
    with app.session_factory.begin() as session:
        add_tshirt(session, image_host)
        add_bottle(session, image_host)
        session.add(
            Product(
                sku="CASE-BAD",
                title="Clear Case \U0001f4f1",
                category_id="phone-cases",
                price=None,
                images=[f"{image_host}/images/case-800x800.png"],
                attributes={"Material": "TPU"},
            )
        )
    run_flow(app, "push_products")


def _rows(text: str) -> dict[str, dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text))
    assert tuple(reader.fieldnames or ()) == COLUMNS
    return {row["sku"]: row for row in reader}


@pytest.mark.parametrize("catalog_settings", PREPARE)
def test_export_lists_every_incomplete_product(
    app: DaemonApp, image_host: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _prepare(app, image_host)
    output = tmp_path / "incomplete.csv"
    monkeypatch.setenv("SHOPWRIGHT_TT_APP_SECRET", APP_SECRET)
    config = str(tmp_path / "shopwright.toml")
    assert sync_daemon.main(["--config", config, "export-incomplete-products", "--output", str(output)]) == 0
    rows = _rows(output.read_text())
    assert set(rows) == {"BOTTLE-32", "CASE-BAD"}  # the complete T-shirt is not listed
    bottle = rows["BOTTLE-32"]
    assert bottle["category"] == "600055" and bottle["connection"] == "tt"
    assert bottle["missing_attributes"].split("; ")[:3] == ["Material", "Insulation", "BPA Free"]
    assert "certifications" in bottle["missing_attributes"] and bottle["errors"] == ""
    case = rows["CASE-BAD"]
    assert "title: The title contains the emoji" in case["errors"]
    assert "skus[0].price: SKU 'CASE-BAD' has no price" in case["errors"]
    assert "Compatible Phone Models" in case["missing_attributes"]


@pytest.mark.parametrize("catalog_settings", PREPARE)
def test_export_writes_to_stdout_and_refuses_an_unknown_connection(app: DaemonApp, image_host: str) -> None:
    _prepare(app, image_host)
    out, err = io.StringIO(), io.StringIO()
    with app.session_factory() as session:
        assert export_command(session, "tt", None, out=out, err=err) == 0
        assert set(_rows(out.getvalue())) == {"BOTTLE-32", "CASE-BAD"}
        assert export_command(session, "nope", None, out=io.StringIO(), err=err) == 2
    assert "no TikTok connection named nope; known: tt" in err.getvalue()


@pytest.mark.parametrize("catalog_settings", PREPARE)
def test_a_completed_product_leaves_the_export(app: DaemonApp, image_host: str) -> None:
    _prepare(app, image_host)
    with app.session_factory.begin() as session:
        case = session.scalars(select(Product).where(Product.sku == "CASE-BAD")).one()
        case.title = "Slim Shockproof Clear Case for iPhone 15 Pro"
        case.description = "Crystal clear TPU."
        case.price, case.currency = 19, "USD"
        case.weight, case.weight_unit = 0.1, "kg"
        case.length, case.width, case.height, case.dimension_unit = 18, 10, 2, "cm"
        case.attributes = {
            "Material": "TPU",
            "Compatible Phone Models": ["iPhone 15 Pro"],
            "Case Type": "Clear",
        }
    run_flow(app, "push_products")
    out = io.StringIO()
    with app.session_factory() as session:
        export_command(session, None, None, out=out, err=io.StringIO())
    assert set(_rows(out.getvalue())) == {"BOTTLE-32"}
