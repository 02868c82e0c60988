"""The last chapter: the console bot, as a conversation (terminal) or a scripted walkthrough.

The script is what an on-call person would type: ask why an order failed, take the fix the
diagnosis offers (with the value it asks for), approve it, retry the order, approve that, then
look at the order and decide an attribute proposal. Each step is checked in the store and in
SFCC, not only in the bot's words.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence

from sqlalchemy import select

from demo.capabilities import console_flags, first_flow, has_tool
from demo.checks import sfcc_number, stored_orders
from demo.commands import run_cli
from demo.configuration import APPROVER, SFCC, TIKTOK
from demo.context import DemoRun
from demo.daemon_runs import REPO_ROOT
from demo.orders import NEXT_DAY
from store.models import AttributeProposal, ChannelListing, Connection, ExceptionRecord, Mapping, Product

FIXED_METHOD = "003"  # the site's overnight method, which 'Next Day Delivery' should have named
THREAD = "demo-walkthrough"


def backend() -> str:
    """The real model when a key is set, the offline agent otherwise."""
    return "openai" if os.environ.get("OPENAI_API_KEY") else "offline"


def bot_command(thread: str, *, strict: bool = False) -> list[str]:
    """``bot.py --console`` as the demo's approver; ``strict`` makes a refused step exit 1."""
    flags = ["--strict"] if strict and "--strict" in console_flags() else []
    return [
        sys.executable,
        str(REPO_ROOT / "bot.py"),
        "--console",
        "--as",
        APPROVER,
        "--thread",
        thread,
        "--backend",
        backend(),
        *flags,
    ]


def converse(run: DemoRun, lines: Sequence[str], thread: str = THREAD) -> str:
    """Feed ``lines`` to ``bot.py --console`` (one conversation thread); print and return the transcript."""
    command = bot_command(thread, strict=True)
    run.reporter.lines([f"$ python bot.py {' '.join(command[2:])}   (the lines below typed in)"], "   ")
    completed = subprocess.run(  # noqa: S603
        command,
        input="".join(f"{line}\n" for line in lines),
        env=run.environment | {"SHOPWRIGHT_LOG_LEVEL": "WARNING"},
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    transcript = completed.stdout.rstrip()
    run.reporter.lines(transcript.splitlines())
    if completed.returncode != 0:
        run.reporter.lines(completed.stderr.rstrip().splitlines()[-5:])
    run.reporter.check(
        "console bot exited cleanly", completed.returncode == 0, f"status {completed.returncode}"
    )
    return transcript


def _says(run: DemoRun, transcript: str, what: str, needles: list[str]) -> None:
    """Check the bot's words, when they are the offline agent's templates.

    A real model words its answers its own way, so with one only the store is checked.
    """
    if backend() != "offline":
        run.reporter.say(f"(a model's wording is not checked: '{what}' is checked in the store)")
        return
    missing = [needle for needle in needles if needle not in transcript]
    run.reporter.check(f"the bot {what}", not missing, failure=f"its answer lacks {', '.join(missing)}")


def talk_to_the_bot(run: DemoRun) -> None:
    """A terminal gets a conversation; anything else gets the scripted walkthrough."""
    if sys.stdin.isatty():
        _interactive(run)
        return
    _fix_a_failed_order(run)
    _follow_up(run)


def _interactive(run: DemoRun) -> None:
    world = run.the_world()
    failed = world.scenario("invalid_shipping_method")[0].order_id
    unmapped = world.scenario("unmapped_delivery_option")[0].order_id
    held = world.scenario("unpaid")[0].order_id
    run.reporter.say("Talk to the bot (you are an approver). Some questions to start with:")
    run.reporter.lines(
        [
            f"why did order {failed} fail?",
            "apply the fix",
            f"apply the fix with {FIXED_METHOD}     then: approve",
            f"retry order {failed}     then: approve",
            f"why did order {unmapped} fail?",
            f"status of order {held}",
            "list exceptions",
            "which SKUs are unmapped?",
            "list attribute proposals",
            "flow status",
        ]
    )
    run.reporter.say("Type quit to finish.")
    code = subprocess.call(bot_command("demo-interactive"), env=run.environment, cwd=REPO_ROOT)  # noqa: S603
    run.reporter.check("console bot exited cleanly", code == 0, f"status {code}")


def _fix_a_failed_order(run: DemoRun) -> None:
    world = run.the_world()
    order = world.scenario("invalid_shipping_method")[0]
    transcript = converse(
        run,
        [
            f"why did order {order.order_id} fail?",
            "apply the fix",
            f"apply the fix with {FIXED_METHOD}",
            "approve",
            f"retry order {order.order_id}",
            "approve",
        ],
    )
    _says(
        run,
        transcript,
        "names the cause and offers the fix",
        ["sfcc.invalid_shipping_method", "map_shipping_method", "shipping_method_id"],
    )
    sessions = run.the_daemon().app.session_factory
    with sessions() as session:
        mapping = session.scalar(
            select(Mapping).where(Mapping.kind == "shipping_method", Mapping.source == NEXT_DAY)
        )
        target, who = (mapping.target, mapping.created_by) if mapping else (None, None)
    run.reporter.check(
        f"mapping '{NEXT_DAY}' -> {FIXED_METHOD} applied after {APPROVER}'s approval",
        target == FIXED_METHOD and who == APPROVER,
        f"mapping {target!r} by {who!r}",
    )
    route = stored_orders(sessions)[order.order_id].route_state
    run.reporter.check("the failed push is queued again", route == "pending", f"route {route}")
    run_cli(run.reporter, ["once", "--flow", f"{SFCC}:push_orders"], run.environment)
    document = run.sfcc.order(sfcc_number(order)) or {}
    shipments = document.get("shipments") or [{}]
    method = (shipments[0].get("shipping_method") or {}).get("id")
    run.reporter.check(
        f"order {order.order_id} is now in SFCC with shipping method {FIXED_METHOD}",
        method == FIXED_METHOD and stored_orders(sessions)[order.order_id].route_state == "created",
        f"SFCC order {document.get('order_no')} method {method}",
    )
    if document:
        customer = (document.get("customer_info") or {}).get("customer_no")
        run.reporter.say(
            f"SFCC order {document['order_no']}: status {document.get('status')}, customer {customer}, "
            f"total {document.get('order_total')} {document.get('currency')}, "
            f"{len(document.get('product_items') or [])} item line(s), shipping method {method}"
        )


def _follow_up(run: DemoRun) -> None:
    """Look at the fixed order, then decide the oldest pending attribute proposal."""
    order = run.the_world().scenario("invalid_shipping_method")[0]
    sessions = run.the_daemon().app.session_factory
    with sessions() as session:
        pending = select(AttributeProposal).where(AttributeProposal.status == "pending")
        proposal = session.scalar(pending.order_by(AttributeProposal.id))
        proposal_id = proposal.id if proposal else None
    lines = [f"status of order {order.order_id}"]
    if proposal_id is not None:
        lines += ["list attribute proposals", f"approve proposal {proposal_id}", "approve"]
    transcript = converse(run, lines, "demo-follow-up")
    _says(run, transcript, "shows the order created in SFCC", [sfcc_number(order), "created"])
    if first_flow("tiktok", ("propose_attributes",)) is None or not has_tool("apply_attribute_proposal"):
        run.reporter.missing(
            "approve an AI attribute proposal",
            "this build has no flow that proposes attribute values, or no tool that applies one",
        )
        return
    if proposal_id is None:
        run.reporter.check(
            "approve an AI attribute proposal", False, failure="propose_attributes left no pending proposal"
        )
        return
    with sessions() as session:
        decided = session.get(AttributeProposal, proposal_id)
        status, who = (decided.status, decided.decided_by) if decided else (None, None)
        product = session.get(Product, decided.product_id) if decided else None
        sku = product.sku if product else ""
    run.reporter.check(
        f"attribute proposal {proposal_id} for {sku} applied after approval",
        status in ("approved", "applied") and who == APPROVER and "apply_attribute_proposal" in transcript,
        f"status {status} by {who}",
    )
    _listed_after_approval(run, sku)


def _listed_after_approval(run: DemoRun, sku: str) -> None:
    """The approved value changed the product, so the next catalog push lists it."""
    flow = f"{TIKTOK}:push_products"
    run.reporter.say(f"daemon: once --flow {flow}")
    run.the_daemon().run_until_settled(run.reporter, only=[flow])
    with run.the_daemon().app.session_factory() as session:
        listing = session.scalar(
            select(ChannelListing)
            .join(Product, Product.id == ChannelListing.product_id)
            .join(Connection, Connection.id == ChannelListing.connection_id)
            .where(Product.sku == sku, Connection.name == TIKTOK)
        )
        still_missing = session.scalar(
            select(ExceptionRecord.id).where(
                ExceptionRecord.entity_id == sku,
                ExceptionRecord.code == "tiktok.attribute_missing",
                ExceptionRecord.status == "open",
            )
        )
        external = listing.external_product_id if listing else None
        status = listing.status if listing else None
    run.reporter.check(
        f"{sku} is listed on TikTok and no longer lacks an attribute",
        external is not None and still_missing is None,
        f"TikTok product {external}, listing {status}",
    )
