"""Entry point of ``python -m tools``."""

from __future__ import annotations

import sys

from tools.cli import main

sys.exit(main())
