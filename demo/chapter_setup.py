"""The opening chapters: configuration, store, the seller's shop and its authorisation, the day's data."""

from __future__ import annotations

import stat
from collections import Counter

from connectors.tiktok.client import build_client
from connectors.tiktok.sandbox.seed import DEFAULT_AUTH_CODE
from connectors.tiktok.settings import TikTokSettings
from connectors.tiktok.store_tokens import TOKEN_KIND, StoreTokenStore
from demo.capabilities import cli_commands
from demo.categories import CATEGORIES
from demo.commands import run_cli
from demo.configuration import SFCC, TIKTOK, write_configuration
from demo.context import DemoRun
from demo.daemon_runs import InProcessDaemon
from demo.scenarios import SCENARIOS
from demo.sfcc_wire import sfcc_seed
from demo.tiktok_catalog import catalog_seed
from demo.tiktok_ids import SHOP_CIPHER, SHOP_ID
from demo.tiktok_wire import day_seed, shop_seed
from demo.world import build_world
from store.repositories import ConnectionRepository
from store.session import create_session_factory, create_store_engine

# The day starts this far in the past; moving the clocks forward by as much ends every hold.
BACKDATE_SECONDS = 62 * 60


def write_config(run: DemoRun) -> None:
    """shopwright.toml without a secret in it, and secrets.toml readable by its owner only."""
    paths = run.paths
    write_configuration(paths, run.secrets, run.servers.tiktok.url, run.servers.sfcc.url)
    run.reporter.say(f"{paths.config}: connections {TIKTOK} (TikTok) and {SFCC} (SFCC)")
    run.reporter.say(f"{paths.secrets}: every secret, mode 600")
    text = paths.config.read_text(encoding="utf-8")
    secret_values = [run.secrets.tiktok_app_secret, *vars(run.secrets.sfcc).values()]
    run.reporter.check("no secret in shopwright.toml", not any(value in text for value in secret_values))
    mode = stat.S_IMODE(paths.secrets.stat().st_mode)
    run.reporter.check("secrets file is private", mode == 0o600, f"mode {mode:o}")
    config = run.config()
    run.reporter.check(
        "configuration loads", set(config.connections) == {TIKTOK, SFCC}, ", ".join(config.connections)
    )
    code, output = run_cli(run.reporter, ["migrate"], run.environment)
    run.reporter.check("store migrated", code == 0 and "revision" in output, str(run.paths.database))


def authorize_shop(run: DemoRun) -> None:
    """The seller's shop exists on TikTok; Shopwright exchanges the authorisation code for tokens."""
    run.tiktok.reset()
    run.tiktok.seed(shop_seed(DEFAULT_AUTH_CODE))
    if "authorize" in cli_commands():
        run_cli(run.reporter, ["authorize", TIKTOK, "--code", DEFAULT_AUTH_CODE], run.environment)
    else:
        run.reporter.say(
            "sync_daemon.py has no `authorize` command in this build: the demo calls the connector's "
            "client (exchange_auth_code, bind_shop) with the store's token store, as the daemon would."
        )
        _authorize_in_process(run)
    engine = create_store_engine(run.paths.database_url)
    try:
        with create_session_factory(engine)() as session:
            repository = ConnectionRepository(session)
            connection = repository.get_by_name(TIKTOK)
            token = repository.get_token(connection.id, TOKEN_KIND) if connection else None
            data = dict(token.data) if token is not None else {}
    finally:
        engine.dispose()
    run.reporter.check(
        f"shop {SHOP_ID} authorised with {DEFAULT_AUTH_CODE}; tokens and shop cipher in the store",
        data.get("shop_id") == SHOP_ID and data.get("shop_cipher") == SHOP_CIPHER,
        f"token record for shop {data.get('shop_id')}",
    )


def _authorize_in_process(run: DemoRun) -> None:
    from connectors.engine.app import sync_connections
    from connectors.engine.clock import SystemClock

    config = run.config()
    settings = config.connections[TIKTOK].settings
    assert isinstance(settings, TikTokSettings)
    engine = create_store_engine(config.database_url)
    try:
        sessions = create_session_factory(engine)
        sync_connections(config, sessions)
        client = build_client(settings, run.http, StoreTokenStore(sessions, TIKTOK), SystemClock())
        client.exchange_auth_code(DEFAULT_AUTH_CODE)
        shop = client.bind_shop()
        run.reporter.say(f"Authorised {shop.name} ({shop.id}).")
    finally:
        engine.dispose()


def seed_day(run: DemoRun) -> None:
    """Generate the world from the fixed seed; load it into both sandboxes through /_sandbox/."""
    reporter = run.reporter
    start = run.tiktok.advance_clock(-BACKDATE_SECONDS)
    run.clock.advance(-BACKDATE_SECONDS)
    reporter.say(
        f"The day starts {BACKDATE_SECONDS // 60} minutes ago: the TikTok sandbox's clock and the daemon's "
        "clock move back together, and forward together when the hold window passes."
    )
    world = build_world(start=start)
    run.world = world
    categories = run.tiktok.seed_catalog(catalog_seed())
    loaded = run.tiktok.seed(day_seed(world))
    sfcc_loaded = run.sfcc.seed(sfcc_seed(world, run.secrets.sfcc, run.servers.images.url))
    _describe_world(run)
    reporter.check(
        "TikTok sandbox holds the day's orders and the seller's listings",
        loaded.get("orders") == len(world.orders) and loaded.get("products", 0) > 0,
        f"{loaded.get('orders')} orders, {loaded.get('products')} listings",
    )
    reporter.check(
        "TikTok sandbox knows the shop's categories, their attributes and the brand",
        categories.get("category_attributes") == len(CATEGORIES),
        f"{categories.get('categories')} category nodes",
    )
    documents = len(world.catalog.products) + len(world.catalog.masters)
    reporter.check(
        "SFCC sandbox holds the catalog, inventory lists, methods and the generic customer",
        sfcc_loaded.get("products") == documents,
        f"{sfcc_loaded.get('products')} product documents",
    )
    run.daemon = InProcessDaemon(run.config(), run.clock)


def _describe_world(run: DemoRun) -> None:
    reporter, world = run.reporter, run.the_world()
    catalog = world.catalog
    missing = Counter(p.category.name for p in catalog.products if p.missing)
    reporter.say(
        f"Juniper & Pine: {len(catalog.products)} sellable products ({len(catalog.masters)} masters "
        f"with variants) in {len(world.category_counts())} TikTok categories:"
    )
    reporter.lines(
        f"{name:<16} {count:>3} products, {missing.get(name, 0)} missing a required attribute"
        for name, count in sorted(world.category_counts().items())
    )
    on_tiktok = sum(1 for p in catalog.products if p.on_tiktok)
    reporter.say(f"{on_tiktok} are live on TikTok; the rest wait for the catalog push.")
    reporter.say(f"A day of {len(world.orders)} TikTok orders, by status:")
    reporter.lines(f"{status:<20} {count:>3}" for status, count in sorted(world.status_counts().items()))
    reporter.say("Orders that must fail, and why:")
    reporter.lines(
        f"{scenario.exception_code:<32} {scenario.count:>2} x {scenario.description}"
        for scenario in SCENARIOS
        if scenario.exception_code
    )
