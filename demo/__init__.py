"""``make demo``: a whole Shopwright day against the local TikTok and SFCC sandboxes.

The package splits the demo by role: ``catalog`` and ``orders`` generate a deterministic shop,
``tiktok_wire`` and ``sfcc_wire`` render it in each API's own format, ``processes`` runs the
sandboxes, ``configuration`` writes the demo's settings, ``story`` tells the day step by step
with ``checks`` against the store and the sandboxes, and ``walkthrough`` talks to the console bot.
"""
