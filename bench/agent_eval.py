"""Agent evaluation in the style of tau-bench: requests over a seeded store, judged by outcome.

    .venv/bin/python bench/agent_eval.py [--tasks bench/agent_tasks.json] [--only ID ...]
                                          [--backend offline|openai|all] [--trials K] [--verbose]

Each task is a short conversation (what people say, which card an approver approves or rejects)
and what must be true afterwards: the changed store rows (every other watched row unchanged),
the approval cards raised with their final status, the tools that must have been called, and
the facts the answers must contain. The offline backend always runs; a live OpenAI-compatible
model runs too when OPENAI_API_KEY is set (or with --backend openai). Prints the pass rate
(pass^k with --trials), and the median tool calls and seconds per task. Not part of the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from langchain_core.messages import ToolMessage
from sqlalchemy import select

from agent.approvals import ApprovalRefusedError
from agent.backends.offline import OfflineBackend
from agent.backends.openai_chat import OpenAIBackend
from agent.checkpoint import open_checkpointer
from agent.context import AgentContext
from agent.graph import approval_service, build_graph
from agent.runner import AgentRunner, TurnResult
from agent.toolset import ToolSet
from bench.agent_eval_world import WorldIds, apply_setup, build_world, changed_rows, snapshot
from connectors.engine.clock import FrozenClock
from store.migrate import upgrade
from store.models import Approval
from store.session import create_session_factory, create_store_engine

TASKS = Path(__file__).with_name("agent_tasks.json")
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
APPROVER = "U_APPROVER"
Backend = Callable[[], Any]


@dataclass
class Outcome:
    task: str
    passed: bool
    reasons: list[str]
    tool_calls: int
    seconds: float
    transcript: list[str] = field(default_factory=list)


def run_task(
    task: Mapping[str, Any], template: Path, ids: WorldIds, backend: Backend, workdir: Path
) -> Outcome:
    """One task on a fresh copy of the seeded store, with a fresh checkpointer."""
    store = workdir / f"{task['id']}.db"
    shutil.copyfile(template, store)
    engine = create_store_engine(f"sqlite:///{store}")
    sessions = create_session_factory(engine)
    clock = FrozenClock(NOW)
    apply_setup(sessions, task.get("setup") or {}, NOW)
    before = snapshot(sessions)
    context = AgentContext(
        backend=backend(),
        toolset=ToolSet.from_registry(),
        session_factory=sessions,
        clock=clock,
        approvers=(APPROVER,),
        config=SimpleNamespace(bot=SimpleNamespace(approvers=[APPROVER]), connections={}),
    )
    transcript: list[str] = []
    thread = f"eval:{task['id']}"
    started = time.perf_counter()
    try:
        with open_checkpointer(f"sqlite:///{store}", sqlite_path=workdir / f"{task['id']}.cp") as saver:
            graph = build_graph(context, saver)
            runner = AgentRunner(graph, approval_service(context))
            for turn in task["turns"]:
                _play(turn, runner, thread, ids, clock, transcript, task.get("user", "U_SELLER"))
            state = graph.get_state({"configurable": {"thread_id": thread}}).values
        seconds = time.perf_counter() - started
        called = [m.name for m in state.get("messages", []) if isinstance(m, ToolMessage)]
        reasons = _judge(task["expect"], sessions, before, called, transcript)
    except Exception as error:  # a crash fails the task; the run goes on with the next one
        seconds, called, reasons = time.perf_counter() - started, [], [f"crashed: {error!r}"]
    finally:
        engine.dispose()
    return Outcome(str(task["id"]), not reasons, reasons, len(called), seconds, transcript)


def _play(
    turn: Mapping[str, Any],
    runner: AgentRunner,
    thread: str,
    ids: WorldIds,
    clock: FrozenClock,
    transcript: list[str],
    user: str,
) -> None:
    if "advance_minutes" in turn:
        clock.advance(timedelta(minutes=int(turn["advance_minutes"])))
        return
    if "decide" in turn:
        who = turn.get("as", APPROVER)
        waiting = runner.pending(thread)
        if waiting is None:
            transcript.append("(no card to decide)")
            return
        try:
            result = runner.decide(str(waiting["token"]), who, turn["decide"], source="eval")
        except ApprovalRefusedError as refused:
            transcript.append(f"refused: {refused.message}")
            return
    else:
        result = runner.ask(thread, turn.get("as", user), ids.resolve(turn["say"]))
    transcript.append(_shown(result))


def _shown(result: TurnResult) -> str:
    text = result.text or ""
    if result.approval:
        card = result.approval
        text += f"\n[card {card['tool']} {json.dumps(card['arguments'], sort_keys=True)}]"
    return text


def _judge(
    expect: Mapping[str, Any],
    sessions: Any,
    before: Mapping[Any, Any],
    called: Sequence[str],
    transcript: Sequence[str],
) -> list[str]:
    reasons: list[str] = []
    said = "\n".join(transcript).casefold()
    reasons += [f"answer lacks {fact!r}" for fact in expect.get("facts", []) if fact.casefold() not in said]
    reasons += [f"answer must not say {x!r}" for x in expect.get("absent", []) if x.casefold() in said]
    reasons += [f"{tool} was not called" for tool in expect.get("tools", []) if tool not in called]
    with sessions() as session:
        cards = [[row.tool, row.status] for row in session.scalars(select(Approval).order_by(Approval.id))]
    wanted_cards = [[card["tool"], card["status"]] for card in expect.get("approvals", [])]
    if cards != wanted_cards:
        reasons.append(f"approval cards {cards} != expected {wanted_cards}")
    changes = list(changed_rows(before, snapshot(sessions)))
    wanted = list(expect.get("changes", []))
    for table, row in changes:
        match = next((w for w in wanted if w["table"] == table and _matches(w.get("row"), row)), None)
        if match is None:
            reasons.append(f"unexpected change in {table}: {row}")
        else:
            wanted.remove(match)
    reasons += [f"expected change missing: {w}" for w in wanted]
    return reasons


def _matches(expected: Mapping[str, Any] | None, row: Mapping[str, Any] | None) -> bool:
    if expected is None or row is None:
        return expected is row
    return all(_same(row.get(key), value) for key, value in expected.items())


def _same(actual: Any, expected: Any) -> bool:
    if isinstance(expected, dict) and isinstance(actual, dict):
        return all(_same(actual.get(key), value) for key, value in expected.items())
    return actual == expected or str(actual) == str(expected)


def _template(world: Mapping[str, Any], workdir: Path) -> tuple[Path, WorldIds]:
    path = workdir / "template.db"
    engine = create_store_engine(f"sqlite:///{path}")
    upgrade(engine)
    ids = build_world(create_session_factory(engine), world, NOW)
    engine.dispose()
    return path, ids


def _backends(choice: str) -> dict[str, Backend]:
    backends: dict[str, Backend] = {}
    if choice in ("offline", "all"):
        backends["offline"] = lambda: OfflineBackend([APPROVER])
    live = choice == "openai" or (choice == "all" and os.environ.get("OPENAI_API_KEY"))
    if live:
        model = os.environ.get("SHOPWRIGHT_EVAL_MODEL", "gpt-4o-mini")
        backends[f"openai:{model}"] = lambda: OpenAIBackend.from_environment(model)
    return backends


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tasks", type=Path, default=TASKS)
    parser.add_argument("--only", nargs="*", default=None, help="run only these task ids")
    parser.add_argument("--backend", choices=("offline", "openai", "all"), default="all")
    parser.add_argument(
        "--trials", type=int, default=1, help="runs per task; pass^k counts a task once all pass"
    )
    parser.add_argument("--verbose", action="store_true", help="print every transcript")
    args = parser.parse_args()
    if args.backend == "openai" and not os.environ.get("OPENAI_API_KEY"):
        print("agent_eval: --backend openai needs OPENAI_API_KEY (and OPENAI_BASE_URL for another endpoint)")
        return 2
    data = json.loads(args.tasks.read_text(encoding="utf-8"))
    tasks = [t for t in data["tasks"] if args.only is None or t["id"] in args.only]
    with tempfile.TemporaryDirectory(prefix="shopwright-eval-") as scratch:
        workdir = Path(scratch)
        template, ids = _template(data["world"], workdir)
        for name, backend in _backends(args.backend).items():
            trials = [
                [run_task(task, template, ids, backend, workdir) for task in tasks]
                for _ in range(args.trials)
            ]
            _report(name, trials, args.verbose)
    return 0


def _report(name: str, trials: list[list[Outcome]], verbose: bool) -> None:
    first = trials[0]
    for outcome in first:
        if verbose or not outcome.passed:
            status = "pass" if outcome.passed else "FAIL"
            print(f"[{name}] {status} {outcome.task}: {'; '.join(outcome.reasons) or 'ok'}")
            if verbose or not outcome.passed:
                for line in outcome.transcript:
                    print("    | " + line.replace("\n", "\n    | "))
    runs = [outcome for trial in trials for outcome in trial]
    passed = sum(outcome.passed for outcome in runs)
    every = sum(all(trial[i].passed for trial in trials) for i in range(len(first)))
    print(
        f"{name}: {len(first)} tasks x {len(trials)} trial(s): pass rate {passed}/{len(runs)} = "
        f"{100 * passed / max(1, len(runs)):.1f}% (pass^{len(trials)} {every}/{len(first)}), "
        f"median tool calls {statistics.median(o.tool_calls for o in runs):.1f}, "
        f"median seconds {statistics.median(o.seconds for o in runs):.3f}"
    )


if __name__ == "__main__":
    raise SystemExit(main())
