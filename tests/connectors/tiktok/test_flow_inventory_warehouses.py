"""push_inventory with inventory_warehouses: SFCC inventory lists -> several TikTok warehouses."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import select

from connectors.config import ConfigError, load_config
from connectors.engine.app import DaemonApp
from connectors.engine.runner import RunReport
from connectors.tiktok.flows.inventory_plan import SplitDecision, decide_split
from connectors.tiktok.sandbox import Sandbox
from connectors.tiktok.sandbox.seed import DEFAULT_WAREHOUSE, apply_seed
from connectors.tiktok.settings import TikTokSettings
from store.models import ChannelListing, Connection, ExceptionRecord, InventoryLevel, Location, Product
from store.repositories.inventory import StockTotal

APP_KEY, APP_SECRET = "test_app_key", "test_app_secret_not_real"
WEST = "7068517275539719960"
NORTH = "7068517275539719961"
UNKNOWN = "7000000000000000001"
SHIRTS, TOTES, JACKETS = "1729582718312380123", "1729582718312380124", "1729582718312380200"
SHIRT_M, SHIRT_L, TOTE, JACKET = (
    "1729582718312446001",
    "1729582718312446002",
    "1729582718312446003",
    "1729582718312446200",
)
UPDATE_CALLS = "POST /product/202309/products/{product_id}/inventory/update"


def _mapping(west: str = WEST) -> str:
    return (
        f'inventory_buffer = 1\ninventory_warehouses = {{ "inventory_east" = "{DEFAULT_WAREHOUSE}", '
        f'"inventory_annex" = "{DEFAULT_WAREHOUSE}", "inventory_west" = "{west}" }}\n'
    )


@pytest.fixture
def app(request: pytest.FixtureRequest, authorized_app: Callable[[str], DaemonApp]) -> DaemonApp:
    return authorized_app(getattr(request, "param", _mapping()))


@pytest.fixture
def world(app: DaemonApp, sandbox: Sandbox) -> DaemonApp:
    """Four SFCC inventory lists: east and annex feed the default warehouse, west the West one, and
    the outlet is not mapped. The shop has a second sales warehouse (West)."""
    apply_seed(
        sandbox.state,
        {
            "warehouses": [
                {"id": WEST, "name": "West", "effect_status": "ENABLED", "type": "SALES_WAREHOUSE"},
                {"id": NORTH, "name": "North", "effect_status": "ENABLED", "type": "SALES_WAREHOUSE"},
            ],
            "products": [
                {
                    "id": JACKETS,
                    "title": "Vintage denim jacket",
                    "status": "ACTIVATE",
                    "skus": [{"id": JACKET, "seller_sku": "VINTAGE-JACKET", "inventory": []}],
                }
            ],
        },
    )
    with app.session_factory.begin() as session:
        sf = Connection(name="sf", type="sfcc", settings={})
        session.add(sf)
        session.flush()
        locations = {
            code: Location(
                connection_id=sf.id, external_id=f"inventory_{code}", name=code, kind="inventory_list"
            )
            for code in ("east", "annex", "west", "outlet")
        }
        session.add_all(locations.values())
        session.flush()
        stock = {  # sku: {location: (on hand, committed)}
            "SHIRT-M": {"east": (8, 2), "annex": (3, 0), "west": (4, 0), "outlet": (50, 0)},
            "SHIRT-L": {"east": (5, 0)},
            "TOTE": {"outlet": (30, 0)},
            "VINTAGE-JACKET": {"west": (2, 0)},
        }
        for sku, levels in stock.items():
            for code, (on_hand, committed) in levels.items():
                session.add(
                    InventoryLevel(
                        sku=sku,
                        location_id=locations[code].id,
                        on_hand=on_hand,
                        committed=committed,
                        available=on_hand - committed,
                        source="sfcc:sf",
                    )
                )
        products = {
            sku: Product(sku=sku, title=sku, condition="pre_owned" if sku == "VINTAGE-JACKET" else "new")
            for sku in stock
        }
        session.add_all(products.values())
        session.flush()
        tt = session.scalars(select(Connection).where(Connection.name == "tt")).one()
        for sku, sku_id in (("SHIRT-M", SHIRT_M), ("SHIRT-L", SHIRT_L)):
            session.add(
                ChannelListing(
                    product_id=products[sku].id,
                    connection_id=tt.id,
                    external_product_id=SHIRTS,
                    external_sku_id=sku_id,
                    status="active",
                )
            )
    return app


def _run(app: DaemonApp, flow: str = "push_inventory") -> RunReport:
    (report,) = app.daemon.run_once(app.registry.select(f"tt:{flow}"), force=True)
    assert report.outcome in ("success", "partial"), report
    return report


def _quantities(sandbox: Sandbox) -> dict[str, dict[str, int]]:
    return {
        sku["seller_sku"]: {i["warehouse_id"]: i["quantity"] for i in sku["inventory"]}
        for product in sandbox.state.products.values()
        for sku in product["skus"]
    }


def _listing(app: DaemonApp, sku: str) -> ChannelListing:
    with app.session_factory() as session:
        return session.scalars(select(ChannelListing).join(Product).where(Product.sku == sku)).one()


def _set_level(app: DaemonApp, sku: str, location: str, on_hand: int) -> None:
    with app.session_factory.begin() as session:
        level = session.scalars(
            select(InventoryLevel)
            .join(Location)
            .where(InventoryLevel.sku == sku, Location.external_id == location)
        ).one()
        level.on_hand = on_hand


def _open(app: DaemonApp) -> dict[str, ExceptionRecord]:
    with app.session_factory() as session:
        rows = session.scalars(select(ExceptionRecord).where(ExceptionRecord.status == "open"))
        return {f"{r.entity_id}:{r.code}": r for r in rows}


def test_two_locations_feed_two_warehouses_in_one_call_per_product(
    world: DaemonApp, sandbox: Sandbox
) -> None:
    report = _run(world)
    quantities = _quantities(sandbox)
    # East 8 - 2 committed + annex 3 - 1 buffer; West 4 - 1 buffer; the outlet's 50 do not count.
    assert quantities["SHIRT-M"] == {DEFAULT_WAREHOUSE: 8, WEST: 3}
    assert quantities["SHIRT-L"] == {DEFAULT_WAREHOUSE: 4, WEST: 0}  # none at West: 0, still listed
    assert quantities["TOTE"] == {DEFAULT_WAREHOUSE: 0, WEST: 0}  # stocked at the outlet only
    assert quantities["VINTAGE-JACKET"] == {DEFAULT_WAREHOUSE: 0, WEST: 1}  # the one item, where it is
    assert sandbox.state.received.calls[UPDATE_CALLS] == 3  # one call per TikTok product
    sent = {u["sku_id"]: u["levels"] for u in sandbox.state.received.inventory_updates}
    assert all(set(levels) == {DEFAULT_WAREHOUSE, WEST} for levels in sent.values())
    assert report.counts["skus_pushed"] == 4 and "skus_rejected" not in report.counts
    shirt = _listing(world, "SHIRT-M")
    assert shirt.pushed_quantity == 11  # the total stays for diagnosis and the tools
    assert shirt.pushed_warehouse_quantities == {DEFAULT_WAREHOUSE: 8, WEST: 3}
    assert set(_open(world)) == set()


def test_unchanged_split_is_not_sent_and_a_changed_split_with_the_same_total_is(
    world: DaemonApp, sandbox: Sandbox
) -> None:
    _run(world)
    calls = sandbox.state.received.calls[UPDATE_CALLS]
    report = _run(world)
    assert sandbox.state.received.calls[UPDATE_CALLS] == calls
    assert report.counts["skus_unchanged"] == 4

    _set_level(world, "SHIRT-M", "inventory_outlet", 10)  # a location not mapped: ignored
    _run(world)
    assert sandbox.state.received.calls[UPDATE_CALLS] == calls

    _set_level(world, "SHIRT-M", "inventory_east", 6)  # two units move from east to west
    _set_level(world, "SHIRT-M", "inventory_west", 6)
    report = _run(world)
    assert sandbox.state.received.calls[UPDATE_CALLS] == calls + 1
    assert sandbox.state.received.inventory_updates[-1]["levels"] == {DEFAULT_WAREHOUSE: 6, WEST: 5}
    assert report.counts["skus_pushed"] == 1
    shirt = _listing(world, "SHIRT-M")
    assert (shirt.pushed_quantity, shirt.pushed_warehouse_quantities) == (11, {DEFAULT_WAREHOUSE: 6, WEST: 5})


def test_a_sku_stocked_in_an_unmapped_warehouse_is_refused_alone(world: DaemonApp, sandbox: Sandbox) -> None:
    with sandbox.state.lock:  # on TikTok, SHIRT-L is also stocked at North, which nothing feeds
        shirt_l = sandbox.state.products[SHIRTS]["skus"][1]
        shirt_l["inventory"] = [
            {"warehouse_id": DEFAULT_WAREHOUSE, "quantity": 4},
            {"warehouse_id": NORTH, "quantity": 2},
        ]
    report = _run(world)
    quantities = _quantities(sandbox)
    assert quantities["SHIRT-M"] == {DEFAULT_WAREHOUSE: 8, WEST: 3}  # same call, went through
    assert quantities["SHIRT-L"] == {DEFAULT_WAREHOUSE: 4, NORTH: 2}  # untouched
    assert report.counts["skus_rejected"] == 1
    (refused,) = _open(world).values()
    assert (refused.entity_id, refused.code) == ("SHIRT-L", "tiktok.inventory_rejected")
    assert f"Multiple warehouses need every warehouse ID: warehouse {NORTH}" in refused.message
    assert f"quantities 4 at warehouse {DEFAULT_WAREHOUSE}, 0 at warehouse {WEST}" in refused.message
    assert "map a location to each of them in inventory_warehouses" in refused.message
    listing = _listing(world, "SHIRT-L")
    assert (listing.pushed_quantity, listing.pushed_warehouse_quantities) == (None, None)


@pytest.mark.parametrize("app", [_mapping(west=UNKNOWN)], indirect=True)
def test_a_mapped_warehouse_the_shop_lacks_is_refused_per_sku(world: DaemonApp, sandbox: Sandbox) -> None:
    report = _run(world)
    assert report.counts["skus_rejected"] == 4 and sandbox.state.received.inventory_updates == []
    refused = _open(world)["SHIRT-M:tiktok.inventory_rejected"]
    assert f"Warehouse does not exist: warehouse {UNKNOWN}" in refused.message
    assert "not one of the shop's" in refused.message


@pytest.mark.parametrize(
    "app", [_mapping() + 'force_inventory_resync = true\ninventory_skus = ["SHIRT-M"]\n'], indirect=True
)
def test_forced_resync_and_sku_filter_apply_per_warehouse(world: DaemonApp, sandbox: Sandbox) -> None:
    _run(world)
    _run(world)
    updates = sandbox.state.received.inventory_updates
    assert [u["sku_id"] for u in updates] == [SHIRT_M, SHIRT_M]
    assert updates[-1]["levels"] == {DEFAULT_WAREHOUSE: 8, WEST: 3}


@pytest.mark.parametrize(
    "app",
    [f'inventory_warehouses = {{ "inventory_east" = "{WEST}", "inventory_nowhere" = "{WEST}" }}'],
    indirect=True,
)
def test_a_mapped_location_code_missing_from_the_store_sends_nothing(
    world: DaemonApp, sandbox: Sandbox
) -> None:
    (report,) = world.daemon.run_once(world.registry.select("tt:push_inventory"), force=True)
    assert report.outcome == "failed" and report.error is not None
    assert "'inventory_nowhere'" in report.error and "no inventory was pushed" in report.error
    assert UPDATE_CALLS not in sandbox.state.received.calls


@pytest.mark.parametrize("app", ["inventory_buffer = 1\n"], indirect=True)
def test_a_sku_last_sent_split_is_sent_again_when_the_map_is_emptied(
    world: DaemonApp, sandbox: Sandbox
) -> None:
    with world.session_factory.begin() as session:  # what runs with the map left behind
        rows = session.execute(select(Product.sku, ChannelListing).join(ChannelListing))
        listings = {sku: listing for sku, listing in rows}
        listings["SHIRT-M"].pushed_quantity = 62
        listings["SHIRT-L"].pushed_quantity = 4
        listings["SHIRT-L"].pushed_warehouse_quantities = {DEFAULT_WAREHOUSE: 4, WEST: 0}
    _run(world, "pull_locations")
    _run(world)
    # Both totals are what TikTok last accepted, but SHIRT-L was sent split: it goes again, as one
    # total to one warehouse, where every location counts again.
    sent = [u for u in sandbox.state.received.inventory_updates if u["product_id"] == SHIRTS]
    assert [(u["sku_id"], u["levels"]) for u in sent] == [(SHIRT_L, {DEFAULT_WAREHOUSE: 4})]
    assert _quantities(sandbox)["TOTE"] == {DEFAULT_WAREHOUSE: 29}
    shirt_l = _listing(world, "SHIRT-L")
    assert (shirt_l.pushed_quantity, shirt_l.pushed_warehouse_quantities) == (4, None)
    calls = sandbox.state.received.calls[UPDATE_CALLS]
    assert _run(world).counts.get("skus_pushed") is None  # then only on change, as before
    assert sandbox.state.received.calls[UPDATE_CALLS] == calls


def test_settings_refuse_the_map_with_one_warehouse_or_one_location(tmp_path: Path) -> None:
    base = {"app_key": APP_KEY, "app_secret": APP_SECRET, "inventory_warehouses": {"inventory_east": WEST}}
    assert TikTokSettings.model_validate(base).inventory_warehouses == {"inventory_east": WEST}
    with pytest.raises(ValidationError, match="cannot be set together with default_warehouse_id"):
        TikTokSettings.model_validate(base | {"default_warehouse_id": WEST})
    with pytest.raises(ValidationError, match="default_warehouse_id or inventory_location"):
        TikTokSettings.model_validate(base | {"default_warehouse_id": WEST, "inventory_location": "East"})
    with pytest.raises(ValidationError, match="empty code or warehouse id"):
        TikTokSettings.model_validate(base | {"inventory_warehouses": {"inventory_east": ""}})
    path = tmp_path / "shopwright.toml"
    connection = f'[connections.tt]\ntype = "tiktok"\napp_key = "{APP_KEY}"\n'
    table = f'[connections.tt.inventory_warehouses]\ninventory_east = "{WEST}"\ninventory_annex = "{WEST}"\n'
    path.write_text(f'database_url = "sqlite:///{tmp_path}/s.db"\n{connection}{table}')  # as documented
    settings = load_config(path, environ={"SHOPWRIGHT_TT_APP_SECRET": APP_SECRET}).connections["tt"].settings
    assert isinstance(settings, TikTokSettings)
    assert settings.inventory_warehouses == {"inventory_east": WEST, "inventory_annex": WEST}
    path.write_text(
        f'database_url = "sqlite:///{tmp_path}/s.db"\n{connection}inventory_location = "East"\n{table}'
    )
    with pytest.raises(ConfigError) as refused:
        load_config(path, environ={"SHOPWRIGHT_TT_APP_SECRET": APP_SECRET})
    (problem,) = refused.value.problems
    assert "inventory_warehouses cannot be set together with inventory_location" in problem
    assert problem.startswith("connections.tt")


def test_decide_split_holds_the_buffer_per_warehouse_and_places_a_pre_owned_item() -> None:
    def stock(**levels: tuple[int, int]) -> dict[str, StockTotal]:
        return {w: StockTotal("SKU", on_hand, committed) for w, (on_hand, committed) in levels.items()}

    def split(levels: dict[str, StockTotal], condition: str = "new", **kw: Any) -> SplitDecision:
        options: dict[str, Any] = {"buffer": 2, "pushed": None, "listing_status": "active", "force": False}
        return decide_split(levels, condition=condition, **(options | kw))

    decision = split(stock(a=(10, 3), b=(1, 0), c=(2_000_000, 0)))
    assert (decision.action, decision.quantities) == ("send", {"a": 5, "b": 0, "c": 999_999})
    assert decision.total == 1_000_004
    assert split(stock(a=(10, 3), b=(1, 0)), pushed={"a": 5, "b": 0}).action == "none"
    assert split(stock(a=(10, 3), b=(1, 0)), pushed={"a": 5, "b": 0}, force=True).action == "send"
    assert split(stock(a=(10, 3), b=(1, 0)), pushed={"a": 4, "b": 1}).action == "send"  # same total
    # Pre-owned: the one item lists where most is available (first id on a tie), 0 elsewhere.
    assert split(stock(a=(3, 0), b=(3, 0)), "pre_owned").quantities == {"a": 1, "b": 0}
    assert split(stock(a=(2, 0), b=(4, 0)), "pre_owned").quantities == {"a": 0, "b": 1}
    # Sold: the buffer leaves nothing in either warehouse, so the total is 0 and it is deactivated.
    assert split(stock(a=(2, 0), b=(1, 0)), "pre_owned").action == "deactivate"
    assert split(stock(a=(3, 0)), "pre_owned", listing_status="inactive").action == "none"
