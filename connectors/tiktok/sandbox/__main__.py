"""``python -m connectors.tiktok.sandbox --host 127.0.0.1 --port PORT --app-key KEY --app-secret SECRET``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import uvicorn

from connectors.tiktok.sandbox.app import create_app


def main(argv: list[str] | None = None) -> None:
    """Parse arguments and serve the sandbox until interrupted."""
    parser = argparse.ArgumentParser(description="Local TikTok Shop Open API sandbox.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--app-key", required=True)
    parser.add_argument("--app-secret", required=True)
    parser.add_argument("--seed", type=Path, help="JSON seed file (format in connectors/tiktok/README.md)")
    parser.add_argument("--qps", type=float, default=None, help="per-shop rate limit (default: none)")
    args = parser.parse_args(argv)
    seed = json.loads(args.seed.read_text()) if args.seed else None
    app = create_app(args.app_key, args.app_secret, seed=seed, qps=args.qps)
    print(f"TikTok Shop sandbox on http://{args.host}:{args.port} (admin under /_sandbox/)")
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
