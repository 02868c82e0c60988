"""``python -m connectors.tiktok.sandbox --host 127.0.0.1 --port PORT --app-key KEY [--seed FILE]``.

The app secret comes from the environment (``TIKTOK_SANDBOX_APP_SECRET``) or a file
(``--app-secret-file``), so that it never shows in the process list; ``--app-secret`` is kept for
quick manual runs. When several are given, the flag wins, then the file, then the environment.
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Mapping
from pathlib import Path

import uvicorn

from connectors.tiktok.sandbox.app import create_app

SECRET_ENV = "TIKTOK_SANDBOX_APP_SECRET"  # noqa: S105 (the name of a variable, not a secret)


def app_secret(args: argparse.Namespace, environ: Mapping[str, str]) -> str | None:
    """The app secret from the flag, the file or the environment (in that order); None if absent."""
    if args.app_secret:
        return str(args.app_secret)
    if args.app_secret_file is not None:
        return str(args.app_secret_file.read_text(encoding="utf-8").strip()) or None
    return environ.get(SECRET_ENV) or None


def main(argv: list[str] | None = None, environ: Mapping[str, str] | None = None) -> None:
    """Parse arguments and serve the sandbox until interrupted."""
    parser = argparse.ArgumentParser(description="Local TikTok Shop Open API sandbox.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--app-key", required=True)
    parser.add_argument("--app-secret", help=f"app secret (visible in the process list; prefer {SECRET_ENV})")
    parser.add_argument("--app-secret-file", type=Path, help="file holding the app secret")
    parser.add_argument("--seed", type=Path, help="JSON seed file (format in connectors/tiktok/README.md)")
    parser.add_argument("--qps", type=float, default=None, help="per-shop rate limit (default: none)")
    args = parser.parse_args(argv)
    secret = app_secret(args, os.environ if environ is None else environ)
    if not secret:
        parser.error(f"no app secret: set {SECRET_ENV}, or pass --app-secret-file (or --app-secret)")
    seed = json.loads(args.seed.read_text()) if args.seed else None
    app = create_app(args.app_key, secret, seed=seed, qps=args.qps)
    print(f"TikTok Shop sandbox on http://{args.host}:{args.port} (admin under /_sandbox/)")
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
