"""The scale-out scenario shared by ``bench/scale_out.py`` and ``tests/test_scale_out.py``.

Sandbox processes (two TikTok shops, one SFCC site) with injected faults, several
``sync_daemon.py run`` processes on one PostgreSQL store, one SIGKILL midway, and a check of the
sandboxes' final state for lost and duplicated orders and fulfillments.
"""
