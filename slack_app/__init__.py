"""Slack wiring for ``bot.py``: settings, Block Kit, middleware, listeners, alerts and the console.

Business logic stays in ``agent``; only this package and ``bot.py`` import Slack libraries.
"""
