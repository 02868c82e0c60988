"""The figures of a scenario run, and the lines the bench prints."""

from __future__ import annotations

from dataclasses import dataclass, field

from scale_out.daemons import DaemonProcess
from scale_out.verify import Delivery, RateUse, percentile


@dataclass
class ScenarioResult:
    """Verdicts and figures of one run."""

    orders: Delivery
    finished: bool
    timings: dict[str, float]
    latencies: list[float]
    kill_note: str
    in_flight_at_kill: int
    summaries: list[str]
    daemons: list[DaemonProcess]
    fulfillments: Delivery | None = None
    ship_missing: list[str] = field(default_factory=list)
    rates: list[RateUse] = field(default_factory=list)
    run_outcomes: dict[str, int] = field(default_factory=dict)
    found_existing: int = 0
    process_cpu: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Zero lost and zero duplicated orders (and fulfillments, when that half ran)."""
        fulfilled = self.fulfillments is None or self.fulfillments.exactly_once
        return self.finished and self.orders.exactly_once and fulfilled and not self.ship_missing

    def lines(self) -> list[str]:
        out = [] if self.finished else [self._incomplete()]
        out.append(self.orders.line())
        if self.fulfillments is not None:
            out.append(self.fulfillments.line())
        if self.ship_missing:
            out.append(f"routes marked created whose SFCC order did not exist: {len(self.ship_missing)}")
        out += [self._throughput(), self._latency()]
        out += [f"rate limit use, {rate.line()}" for rate in self.rates]
        for daemon in self.daemons:
            fate = "SIGKILLed" if daemon.killed else "stopped with SIGTERM"
            out.append(
                f"peak memory {daemon.label}, pid {daemon.process.pid}: "
                f"{daemon.peak_rss_kib / 1024:.1f} MiB (VmHWM), {daemon.cpu_seconds:.1f} CPU s, {fate}"
            )
        out += [f"CPU {name}: {seconds:.1f} s" for name, seconds in self.process_cpu.items()]
        outcomes = ", ".join(f"{count} {name}" for name, count in sorted(self.run_outcomes.items()))
        out += [
            self.kill_note,
            f"push_orders runs: {outcomes}; orders found already in SFCC on a re-push: {self.found_existing}",
            *self.summaries,
            "RESULT: " + ("OK, zero lost and zero duplicated" if self.ok else self._failure()),
        ]
        return out

    def _incomplete(self) -> str:
        return (
            f"INCOMPLETE: stopped after {self.timings['total']:.0f} s; the figures cover what was "
            "delivered by then, and only records the store claims as delivered count as lost"
        )

    def _throughput(self) -> str:
        total, orders = self.timings["total"], self.orders.present
        half = self.timings.get("orders")
        to_sfcc = f"{orders / half:.1f} orders/s ({half:.1f} s)" if half else f"{orders / total:.1f} orders/s"
        if self.fulfillments is None:
            return f"throughput: TikTok -> SFCC {to_sfcc}; end to end not measured (no fulfillment half)"
        done = self.fulfillments.present
        return (
            f"throughput: {done / total:.1f} orders/s end to end ({done} orders in {total:.1f} s); "
            f"TikTok -> SFCC {to_sfcc}"
        )

    def _latency(self) -> str:
        values = self.latencies
        return (
            f"latency pushable -> in SFCC: p50 {percentile(values, 0.50):.2f} s, "
            f"p99 {percentile(values, 0.99):.2f} s, max {max(values, default=0):.2f} s "
            f"over {len(values)} orders"
        )

    def _failure(self) -> str:
        if not self.finished and self.orders.exactly_once:
            return "INCOMPLETE (nothing lost or duplicated so far)"
        return "FAILED: lost, duplicated or unexpected records (see above)"
