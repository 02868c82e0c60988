"""The last look at the day: every exception code of the catalog, seen, or why the demo cannot cause it.

Codes the daemon stores are counted in the store. The two state codes (an order on hold, an order
in a status that is not pushed) are never stored: the diagnosis derives them, so the demo asks the
diagnosis tool about one such order each.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from connectors.engine.clock import SystemClock
from demo.context import DemoRun
from demo.scenarios import NOT_CAUSED
from store.models import ExceptionRecord
from tools import ToolContext, run_tool
from tools.diagnosis.codes import CODES

# State codes come from the diagnosis of an order of these scenarios.
DIAGNOSED = {"order.on_hold": "unpaid", "order.status_not_pushed": "partially_shipping"}


def _diagnosed_codes(run: DemoRun, order_id: str) -> set[str]:
    context = ToolContext(
        session_factory=run.the_daemon().app.session_factory,
        clock=SystemClock(),
        config=run.config(),
        actor="demo",
    )
    diagnosis = run_tool("diagnose_order", context, {"order_id": order_id}).model_dump()
    return {str(finding["code"]) for finding in diagnosis["findings"]}


def every_code_accounted_for(run: DemoRun) -> None:
    """One line per code: how often it was seen and is still open, or why the day cannot cause it."""
    world = run.the_world()
    caused = world.caused_codes()
    with run.the_daemon().app.session_factory() as session:
        rows = session.execute(
            select(ExceptionRecord.code, ExceptionRecord.status, func.count()).group_by(
                ExceptionRecord.code, ExceptionRecord.status
            )
        ).all()
    seen: Counter[str] = Counter()
    still_open: Counter[str] = Counter()
    for code, status, count in rows:
        seen[code] += int(count)
        if status == "open":
            still_open[code] += int(count)
    for code in CODES:
        if code in DIAGNOSED:
            order_id = world.scenario(DIAGNOSED[code])[0].order_id
            found = _diagnosed_codes(run, order_id)
            run.reporter.check(f"{code:<32} diagnosed for order {order_id}", code in found, ", ".join(found))
        elif code in caused:
            run.reporter.check(
                f"{code:<32} seen {seen[code]:>3}, open {still_open[code]:>3}: {caused[code]}",
                seen[code] > 0,
                failure="never recorded",
            )
        else:
            run.reporter.say(
                f"  -       {code:<32} not caused by the demo: {NOT_CAUSED.get(code, 'no reason given')}"
            )
    others = sorted(set(seen) - set(CODES))
    if others:
        run.reporter.say("Other codes the day recorded: " + ", ".join(f"{c} ({seen[c]})" for c in others))
