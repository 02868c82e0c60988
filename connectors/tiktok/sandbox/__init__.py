"""A local TikTok Shop Open API sandbox: real paths, envelopes, signatures, token rules and faults.

Build one with `create_app` (see `connectors.tiktok.sandbox.app`); run one with
``python -m connectors.tiktok.sandbox``.
"""

from __future__ import annotations

from connectors.tiktok.sandbox.app import Sandbox, create_app

__all__ = ["Sandbox", "create_app"]
