"""The review server: Starlette routes over a ReviewSession, locked to this machine and one random token.

Security, since any web page the user visits can talk to a local port:

- it listens on 127.0.0.1 only (never 0.0.0.0);
- every request needs the token printed in the URL (``?token=``) or the
  ``X-Npfterm-Token`` header, else 403; state-changing requests (POST) need
  the header, which a cross-site form or image cannot send (no CSRF);
- a Host header other than 127.0.0.1 or localhost is refused (DNS rebinding);
- the page builds its table with ``textContent`` (text stays text), and a
  Content-Security-Policy allows only this server's own script and style.
"""

from __future__ import annotations

import json
import secrets
import socket
from importlib import resources
from typing import Awaitable, Callable
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from npfterm.errors import EditError, NpftermError
from npfterm.review.session import ReviewSession

TOKEN_HEADER = "x-npfterm-token"
LOOPBACK = "127.0.0.1"
ALLOWED_HOSTS = frozenset({"127.0.0.1", "localhost"})
STATIC = {"review.js": "text/javascript", "review.css": "text/css"}
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
    " img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def new_token() -> str:
    """32 random bytes as hex: unguessable, and safe to put in a URL or an HTML attribute."""
    return secrets.token_hex(32)


def _host_name(host: str) -> str:
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if ":" in host else host


class Guard:
    """ASGI middleware: loopback Host only, the token on every request, in a header for changes."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if _host_name(headers.get("host", "")).lower() not in ALLOWED_HOSTS:
            await _forbidden("Forbidden: this server answers only to 127.0.0.1 and localhost")(scope, receive, send)
            return
        given = headers.get(TOKEN_HEADER, "")
        if scope["method"] in ("GET", "HEAD") and not given:
            given = (parse_qs(scope.get("query_string", b"").decode("latin-1")).get("token") or [""])[0]
        if not secrets.compare_digest(given.encode(), self.token.encode()):
            await _forbidden("Forbidden: open the address npfterm review printed, with its token")(scope, receive, send)
            return
        await self.app(scope, receive, _with_headers(send))


def _forbidden(message: str) -> Response:
    return PlainTextResponse(message, status_code=403, headers=SECURITY_HEADERS)


def _with_headers(send: Send) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            message.setdefault("headers", [])
            present = {k.lower() for k, _ in message["headers"]}
            for key, value in SECURITY_HEADERS.items():
                if key.lower().encode() not in present:
                    message["headers"].append((key.lower().encode(), value.encode()))
        await send(message)

    return wrapped


def _asset(name: str) -> str:
    return resources.files("npfterm.review").joinpath("static").joinpath(name).read_text(encoding="utf-8")


def create_app(session: ReviewSession, token: str) -> ASGIApp:
    """The review application; every route is a thin call into ``session``."""

    def api(call: Callable[[Request], object]) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            try:
                body = await request.body()
                if request.method == "POST" and body:
                    try:
                        request.state.json = json.loads(body)
                    except ValueError:
                        return JSONResponse({"error": "the request body is not JSON"}, status_code=400)
                return JSONResponse(await run_in_threadpool(call, request))
            except EditError as exc:
                return JSONResponse({"error": str(exc)}, status_code=400)
            except NpftermError as exc:
                return JSONResponse({"error": str(exc)}, status_code=409)

        return endpoint

    def doc_id(request: Request) -> int:
        return int(request.path_params["doc"])

    def edit(request: Request) -> object:
        op = getattr(request.state, "json", None)
        if not isinstance(op, dict):
            raise EditError("send one edit as a JSON object, e.g. {\"op\": \"unmatch\", \"lang\": \"en\", \"index\": 0}")
        return session.edit(doc_id(request), op)

    async def page(request: Request) -> Response:
        html = _asset("review.html").replace("__TOKEN__", token)  # hex only: nothing to escape
        return Response(html, media_type="text/html; charset=utf-8")

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            return PlainTextResponse("Not found", status_code=404)
        return Response(_asset(name), media_type=f"{STATIC[name]}; charset=utf-8")

    routes = [
        Route("/", page),
        Route("/static/{name}", static),
        Route("/api/docs", api(lambda r: session.documents())),
        Route("/api/docs/{doc:int}", api(lambda r: session.state(doc_id(r)))),
        Route("/api/docs/{doc:int}/edit", api(edit), methods=["POST"]),
        Route("/api/docs/{doc:int}/undo", api(lambda r: session.undo(doc_id(r))), methods=["POST"]),
        Route("/api/docs/{doc:int}/redo", api(lambda r: session.redo(doc_id(r))), methods=["POST"]),
        Route("/api/docs/{doc:int}/reviewed", api(lambda r: session.mark_reviewed(doc_id(r))), methods=["POST"]),
    ]
    return Guard(Starlette(routes=routes), token)


def loopback_socket(port: int = 0) -> socket.socket:
    """A listening socket on 127.0.0.1 (``port`` 0: a free one the system picks)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((LOOPBACK, port))
    sock.listen(64)
    return sock


def url(sock: socket.socket, token: str, doc: int | None = None) -> str:
    port = sock.getsockname()[1]
    return f"http://{LOOPBACK}:{port}/?token={token}" + (f"#doc={doc}" if doc is not None else "")


def make_server(app: ASGIApp):  # type: ignore[no-untyped-def]
    """A uvicorn server for ``app``: ``.run(sockets=[loopback_socket()])`` serves until ``.should_exit`` is set."""
    import uvicorn

    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    return uvicorn.Server(config)
