"""``make demo`` (``python -m demo``): a day of a TikTok Shop seller on Shopwright, no keys needed.

Starts the TikTok Shop and SFCC sandboxes, seeds a shop of a few hundred products and a day of
orders (the same every run), runs the sync daemon through the day, and ends with the console bot:
a conversation on a terminal, a scripted walkthrough otherwise. Exits 0 when every check of the
story passed. Everything it writes lives in var/demo/.
"""

from __future__ import annotations

from pathlib import Path

from demo.story import run_demo

DEMO_DIR = Path(__file__).resolve().parents[1] / "var" / "demo"


def main() -> int:
    return run_demo(DEMO_DIR)


if __name__ == "__main__":
    raise SystemExit(main())
