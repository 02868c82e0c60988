"""`python -m connectors.sfcc.sandbox --host 127.0.0.1 --port PORT [--seed FILE]`."""

from __future__ import annotations

import argparse

import uvicorn

from connectors.sfcc.sandbox.app import create_app, load_seed


def main(argv: list[str] | None = None) -> None:
    """Run the SFCC sandbox until interrupted."""
    parser = argparse.ArgumentParser(description="Local SFCC sandbox (OCAPI, SCAPI, Account Manager, SLAS).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8042)
    parser.add_argument("--seed", help="seed file (OCAPI documents); default: the shipped seed")
    parser.add_argument("--log-level", default="info", help="uvicorn log level: info logs every request")
    args = parser.parse_args(argv)
    app = create_app(load_seed(args.seed) if args.seed else None)
    print(f"SFCC sandbox on http://{args.host}:{args.port}", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)


if __name__ == "__main__":
    main()
