"""``make demo``: run Shopwright end to end on its embedded defaults, with no accounts or keys.

Today the demo migrates a fresh SQLite store under var/demo/, runs every due flow once and shows
the daemon's status and doctor report, all against the configuration in var/demo/ (which has no
connections until the sandboxes join the demo).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import sync_daemon

DEMO_DIR = Path("var/demo")


def main() -> int:
    if DEMO_DIR.exists():
        shutil.rmtree(DEMO_DIR)
    DEMO_DIR.mkdir(parents=True)
    config = DEMO_DIR / "shopwright.toml"
    config.write_text(f'database_url = "sqlite:///{DEMO_DIR / "shopwright.db"}"\n')
    os.environ["SHOPWRIGHT_CONFIG"] = str(config)
    steps = [
        ("Create the store", ["migrate"]),
        ("Run every due flow once", ["once"]),
        ("Daemon status", ["status"]),
        ("Health checks", ["doctor"]),
    ]
    for title, argv in steps:
        print(f"\n== {title}: python sync_daemon.py {' '.join(argv)}", flush=True)
        code = sync_daemon.main(argv)
        if code != 0:
            print(f"demo step failed: {title} (exit {code})", file=sys.stderr)
            return code
    print("\nDemo finished: the store is in var/demo/shopwright.db")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
