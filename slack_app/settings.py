"""Bot settings: secrets from the environment only, everything else from ``[bot]`` in the config."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from connectors.engine.clock import Clock, SystemClock


@dataclass(frozen=True)
class BotSettings:
    """What ``create_app`` needs. ``repr`` hides the secrets so they never reach a log line."""

    bot_token: str = field(repr=False)
    signing_secret: str = field(repr=False)
    app_token: str | None = field(default=None, repr=False)
    approvers: tuple[str, ...] = ()
    alerts_channel: str | None = None
    approval_ttl_minutes: int = 24 * 60
    # Another Slack Web API root (SHOPWRIGHT_SLACK_API_URL): a local mock server in tests, or an
    # egress proxy. Unset means https://slack.com/api/.
    web_api_base_url: str | None = None
    clock: Clock = field(default_factory=SystemClock)

    @classmethod
    def from_environment(cls, config: Any, environ: Mapping[str, str] | None = None) -> BotSettings:
        """Settings from ``SLACK_*`` variables and the configuration's ``[bot]`` table."""
        env = os.environ if environ is None else environ
        bot = config.bot
        return cls(
            bot_token=env.get("SLACK_BOT_TOKEN", ""),
            signing_secret=env.get("SLACK_SIGNING_SECRET", ""),
            app_token=env.get("SLACK_APP_TOKEN") or None,
            approvers=tuple(bot.approvers),
            alerts_channel=bot.alerts_channel,
            approval_ttl_minutes=bot.approval_ttl_minutes,
            web_api_base_url=env.get("SHOPWRIGHT_SLACK_API_URL") or None,
        )

    def missing(self, *, socket: bool) -> list[str]:
        """Environment variables a mode needs that are not set."""
        needed = {"SLACK_BOT_TOKEN": self.bot_token}
        if socket:
            needed["SLACK_APP_TOKEN"] = self.app_token or ""
        else:
            needed["SLACK_SIGNING_SECRET"] = self.signing_secret
        return [name for name, value in needed.items() if not value]
