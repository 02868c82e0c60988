"""Prometheus metrics of the daemon, on their own registry (no global state)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server

from connectors.engine.runner import RunReport


class DaemonMetrics:
    """Flow runs, durations, records and open exceptions."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.runs = Counter(
            "shopwright_flow_runs",
            "Flow runs by outcome.",
            ["connection", "flow", "outcome"],
            registry=self.registry,
        )
        self.duration = Histogram(
            "shopwright_flow_duration_seconds",
            "Flow run duration.",
            ["connection", "flow"],
            registry=self.registry,
        )
        self.records = Counter(
            "shopwright_flow_records",
            "Records handled by flows.",
            ["connection", "flow", "kind"],
            registry=self.registry,
        )
        self.exceptions_open = Gauge(
            "shopwright_exceptions_open", "Open exceptions in the store.", registry=self.registry
        )

    def observe(self, report: RunReport) -> None:
        if report.outcome == "skipped":
            return
        connection, flow = report.flow_key.split(":", 1)
        self.runs.labels(connection, flow, report.outcome).inc()
        self.duration.labels(connection, flow).observe(report.duration_s)
        for kind, amount in report.counts.items():
            self.records.labels(connection, flow, kind).inc(amount)

    def serve(self, port: int, host: str = "127.0.0.1") -> int:
        """Expose /metrics on ``port`` (0 picks a free one); returns the port."""
        server, _thread = start_http_server(port, addr=host, registry=self.registry)
        return int(server.server_port)
