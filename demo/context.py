"""What every chapter of the demo works with: paths, world, sandboxes, clock, daemon, reporter."""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx

from connectors.config import ShopwrightConfig, load_config
from demo.configuration import DemoPaths, DemoSecrets
from demo.daemon_runs import FollowingClock, InProcessDaemon
from demo.output import Reporter
from demo.processes import Servers
from demo.sandbox_admin import SfccAdmin, TikTokAdmin
from demo.world import DemoWorld


@dataclass
class DemoRun:
    """One run of the demo; chapters read and extend it."""

    paths: DemoPaths
    secrets: DemoSecrets
    servers: Servers
    http: httpx.Client
    reporter: Reporter
    environment: dict[str, str]
    clock: FollowingClock
    world: DemoWorld | None = None
    daemon: InProcessDaemon | None = None
    notes: dict[str, str] = field(default_factory=dict)

    @property
    def tiktok(self) -> TikTokAdmin:
        return TikTokAdmin(self.http, self.servers.tiktok.url)

    @property
    def sfcc(self) -> SfccAdmin:
        return SfccAdmin(self.http, self.servers.sfcc.url)

    def config(self) -> ShopwrightConfig:
        """The demo's configuration, read the way the daemon reads it."""
        return load_config(self.paths.config, environ=self.environment)

    def the_world(self) -> DemoWorld:
        if self.world is None:
            raise RuntimeError("the shop has not been seeded yet")
        return self.world

    def the_daemon(self) -> InProcessDaemon:
        if self.daemon is None:
            raise RuntimeError("the daemon has not been created yet")
        return self.daemon
