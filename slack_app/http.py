"""HTTP mode: the Bolt app behind an ASGI server, for replicas behind a load balancer.

Slack posts events and interactive payloads to ``/slack/events`` (one Request URL serves both).
Bolt verifies the signature (v0, five-minute window) on the raw body and acks at once; the agent
runs in lazy listeners on worker threads. ``/healthz`` answers the load balancer. ``dispatch``
is blocking, so it runs in a thread and never stalls the event loop for other requests.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"


def create_http_app(bolt_app: App) -> Starlette:
    """An ASGI app that hands Slack's requests to ``bolt_app``."""

    async def events(request: Request) -> Response:
        body = (await request.body()).decode("utf-8")
        bolt_request = BoltRequest(
            body=body,
            query=str(request.url.query),
            headers={key: [value] for key, value in request.headers.items()},
        )
        response: BoltResponse = await run_in_threadpool(bolt_app.dispatch, bolt_request)
        return Response(
            status_code=response.status,
            content=response.body,
            headers=response.first_headers_without_set_cookie(),
        )

    async def health(_: Request) -> Response:
        return PlainTextResponse("ok")

    return Starlette(
        routes=[
            Route(EVENTS_PATH, events, methods=["POST"]),
            Route(HEALTH_PATH, health, methods=["GET"]),
        ]
    )


def serve(bolt_app: App, *, host: str, port: int, **uvicorn_options: Any) -> None:
    """Serve until SIGINT/SIGTERM (uvicorn shuts down gracefully on either)."""
    import uvicorn

    uvicorn.run(
        create_http_app(bolt_app),
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        **uvicorn_options,
    )
