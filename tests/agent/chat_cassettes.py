"""Replaying hand-written Chat Completions cassettes: recording off, requests matched by content.

The cassettes under ``tests/cassettes/openai/`` were written by hand from the public Chat
Completions wire format; nothing was ever recorded from a live service. A recorded request body
states only what the test cares about, and a live request matches when it contains it:

- an object matches when every key of the recorded object matches (extra live keys are fine);
- a list matches when it has the same length and every item matches, in order;
- ``{"$contains": [...]}`` matches a string that contains every listed piece;
- anything else matches by equality.

So a cassette pins the conversation's shape (roles, tool calls, tool call ids, the person's
words) and the delimiting of data, without copying the whole system prompt into every file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx2
import openai
import vcr
from vcr.request import Request

CASSETTES = Path(__file__).resolve().parents[1] / "cassettes" / "openai"
BASE_URL = "https://api.openai.test/v1"  # never resolved: record_mode "none" refuses the network


def contains(expected: Any, actual: Any, where: str = "body") -> None:
    """Raise AssertionError naming the first place where ``actual`` does not contain ``expected``."""
    if isinstance(expected, dict) and set(expected) == {"$contains"}:
        if not isinstance(actual, str):
            raise AssertionError(f"{where}: expected a string, got {type(actual).__name__}")
        for piece in expected["$contains"]:
            if piece not in actual:
                raise AssertionError(f"{where}: {piece!r} not found")
        return
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            raise AssertionError(f"{where}: expected an object, got {type(actual).__name__}")
        for key, value in expected.items():
            if key not in actual:
                raise AssertionError(f"{where}.{key}: missing")
            contains(value, actual[key], f"{where}.{key}")
        return
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            size = len(actual) if isinstance(actual, list) else type(actual).__name__
            raise AssertionError(f"{where}: expected {len(expected)} items, got {size}")
        for index, (item, other) in enumerate(zip(expected, actual, strict=True)):
            contains(item, other, f"{where}[{index}]")
        return
    if expected != actual:
        raise AssertionError(f"{where}: expected {expected!r}, got {actual!r}")


def _body(request: Request) -> Any:
    raw = request.body
    if raw is None:
        return None
    return json.loads(raw.decode() if isinstance(raw, bytes) else raw)


def _chat_body(live: Request, recorded: Request) -> None:
    expected = _body(recorded)
    if expected is not None:
        contains(expected, _body(live))


def replayer() -> vcr.VCR:
    """A VCR that only replays: an unmatched request fails instead of reaching the network."""
    recorder = vcr.VCR(
        cassette_library_dir=str(CASSETTES),
        record_mode="none",
        match_on=["method", "scheme", "host", "path", "chat_body"],
        filter_headers=["authorization", "openai-organization", "openai-project"],
        decode_compressed_response=True,
    )
    recorder.register_matcher("chat_body", _chat_body)
    return recorder


def replay_client(sent: list[dict[str, Any]]) -> openai.OpenAI:
    """An OpenAI client for replay that appends every JSON body it sends to ``sent``.

    The key is a placeholder: the client insists on one, and a cassette never holds one.
    """

    def keep(request: httpx2.Request) -> None:
        sent.append(json.loads(request.read()))

    return openai.OpenAI(
        api_key="sk-placeholder-for-replay",
        base_url=BASE_URL,
        max_retries=0,
        http_client=httpx2.Client(event_hooks={"request": [keep]}),
    )
