"""The demo from start to end: sandboxes up, the chapters in order, the summary, the exit status."""

from __future__ import annotations

import logging
import shutil
import sys
import traceback
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import httpx

from connectors.engine.log import RedactingJsonFormatter
from demo import (
    chapter_catalog,
    chapter_codes,
    chapter_day,
    chapter_fulfillment,
    chapter_setup,
    walkthrough,
)
from demo.configuration import APP_KEY, DemoPaths, DemoSecrets, demo_environment
from demo.context import DemoRun
from demo.daemon_runs import FollowingClock
from demo.images import write_images
from demo.output import Reporter
from demo.processes import SandboxStartError, start_servers
from demo.sandbox_admin import SandboxAdminError

Chapter = Callable[[DemoRun], None]
CHAPTERS: list[tuple[str, Chapter]] = [
    ("Write the configuration and create the store", chapter_setup.write_config),
    ("Authorise the seller's TikTok shop", chapter_setup.authorize_shop),
    ("Seed a day of the shop", chapter_setup.seed_day),
    ("First sync: the daemon runs every flow until nothing is due", chapter_day.first_sync),
    ("The catalog on TikTok", chapter_catalog.catalog_on_tiktok),
    ("Buyers change their minds", chapter_day.buyers_change_their_minds),
    ("The hold window passes", chapter_day.hold_window_passes),
    ("The warehouse ships", chapter_fulfillment.warehouse_ships),
    ("Stock flows back", chapter_fulfillment.stock_flows_back),
    ("What an operator sees", chapter_fulfillment.status_and_doctor),
    ("Ask the bot", walkthrough.talk_to_the_bot),
    ("Every exception code, accounted for", chapter_codes.every_code_accounted_for),
]


def _log_to_file(paths: DemoPaths, secrets: DemoSecrets) -> None:
    """The in-process daemon logs to var/demo/logs/daemon.log, secrets redacted."""
    paths.logs.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(paths.logs / "daemon.log", encoding="utf-8")
    values = [secrets.tiktok_app_secret, *vars(secrets.sfcc).values()]
    handler.setFormatter(RedactingJsonFormatter(values))
    logger = logging.getLogger("shopwright")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO)
    logger.propagate = False


def run_demo(root: Path) -> int:
    """Run the whole story in ``root`` (wiped first); 0 when every check passed."""
    if root.exists():
        shutil.rmtree(root)
    paths = DemoPaths(root)
    secrets = DemoSecrets.fresh()
    _log_to_file(paths, secrets)
    write_images(paths.images)
    reporter = Reporter()
    reporter.say(
        "Shopwright demo: one day of a TikTok Shop seller whose back office is Salesforce Commerce Cloud."
    )
    try:
        with (
            start_servers(paths.logs, APP_KEY, secrets.tiktok_app_secret, paths.images) as servers,
            httpx.Client(timeout=httpx.Timeout(60.0, connect=5.0)) as http,
        ):
            reporter.say(
                f"TikTok Shop sandbox {servers.tiktok.url}, SFCC sandbox {servers.sfcc.url}, "
                f"product photos {servers.images.url}"
            )
            run = DemoRun(
                paths=paths,
                secrets=secrets,
                servers=servers,
                http=http,
                reporter=reporter,
                environment=demo_environment(paths),
                clock=FollowingClock(timedelta()),
            )
            try:
                _tell(run)
            finally:
                if run.daemon is not None:
                    run.daemon.close()
    except SandboxStartError as error:
        reporter.check("sandboxes started", False, str(error))
    return reporter.summary()


def _tell(run: DemoRun) -> None:
    for number, (title, chapter) in enumerate(CHAPTERS, start=1):
        run.reporter.heading(number, title)
        try:
            chapter(run)
        except (SandboxAdminError, httpx.HTTPError, RuntimeError, AssertionError, KeyError) as error:
            # A chapter that cannot finish stops the story: later chapters build on it.
            run.reporter.check(f"chapter '{title}' finished", False, f"{type(error).__name__}: {error}")
            traceback.print_exc(file=sys.stderr)
            return
