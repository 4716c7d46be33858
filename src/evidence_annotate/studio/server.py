"""The studio's HTTP layer: the standard library's threading server on 127.0.0.1 only.

Why not a framework: the page needs a dozen fixed routes, JSON in and out, PNG frames and a
few static files; ``http.server`` does that in one small, typed module with no dependency,
and nothing here streams or upgrades connections.

Safety, in the order a request meets it:

* the server listens on ``127.0.0.1`` only, on a free port;
* the ``Host`` header must name that address and port (a web page that re-points its own
  domain at 127.0.0.1 is refused);
* every request, page and assets included, must carry the session's random token (the
  ``token`` query parameter or the ``X-Studio-Token`` header), else 403;
* requests that change anything are ``POST`` with a JSON body of bounded size, and a browser
  ``Origin`` other than the studio's own is refused;
* routes are a fixed table: no request names a file, so nothing outside the clip, the recipe,
  its captions and the export is ever read or written (anything else is 404);
* a refused edit is a 4xx with the API's one-line message; no response carries a traceback.
"""

from __future__ import annotations

import hmac
import json
import secrets
import sys
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ..errors import EvidenceAnnotateError
from .session import StudioSession

__all__ = ["ASSETS", "MAX_BODY", "StudioServer"]

MAX_BODY = 8_000_000
"""The largest request body accepted, in bytes (a document of thousands of cues fits)."""
ASSETS = {"studio.css": "text/css", "editor.js": "text/javascript",
          "studio.js": "text/javascript"}
"""The static files the page loads (from the package's ``studio/assets`` folder)."""
_SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
                               "img-src 'self' blob: data:; connect-src 'self'; "
                               "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


class _RefusedError(Exception):
    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status


def _asset(name: str) -> bytes:
    return (resources.files(__package__ or "evidence_annotate.studio") / "assets" / name) \
        .read_bytes()


class StudioServer(ThreadingHTTPServer):
    """The studio's server: one session, one token, bound to ``127.0.0.1``.

    Args:
        session: The session the page edits.
        port: The port (0 = a free one).
        token: The access token (default: 32 random bytes, URL-safe).
        verbose: Log every request to stderr.

    Example:
        >>> server = StudioServer(session)                     # doctest: +SKIP
        >>> server.url                                         # doctest: +SKIP
        'http://127.0.0.1:41237/?token=...'
    """

    daemon_threads = True

    def __init__(self, session: StudioSession, *, port: int = 0, token: str | None = None,
                 verbose: bool = False) -> None:
        self.session = session
        self.token = token or secrets.token_urlsafe(32)
        self.verbose = verbose
        super().__init__(("127.0.0.1", port), _Handler)

    @property
    def port(self) -> int:
        """The port the server listens on."""
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        """The page's address, token included."""
        return f"http://127.0.0.1:{self.port}/?token={self.token}"

    def start(self) -> threading.Thread:
        """Serve in a background thread (tests, notebooks); stop with [stop][]."""
        thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05},
                                  daemon=True, name="studio")
        thread.start()
        return thread

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: StudioServer
    server_version = "evidence-annotate-studio"
    sys_version = ""

    # -- plumbing ---------------------------------------------------------------------------
    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            sys.stderr.write(f"studio: {format % args}\n")

    def _send(self, status: HTTPStatus, body: bytes, content_type: str,
              extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in {**_SECURITY_HEADERS, **(extra or {})}.items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: HTTPStatus, data: Any) -> None:
        self._send(status, json.dumps(data, ensure_ascii=False).encode("utf-8"),
                   "application/json; charset=utf-8")

    def send_error(self, code: int, message: str | None = None,
                   explain: str | None = None) -> None:
        """Protocol errors (bad request line, unsupported method) as JSON, never HTML."""
        try:
            status = HTTPStatus(code)
        except ValueError:
            status = HTTPStatus.BAD_REQUEST
        self.close_connection = True
        self._json(status, {"error": message or status.phrase})

    def _check(self, query: dict[str, list[str]]) -> None:
        host = self.headers.get("Host", "")
        if host not in (f"127.0.0.1:{self.server.port}", f"localhost:{self.server.port}"):
            raise _RefusedError(HTTPStatus.FORBIDDEN, f"Host {host!r} is not this studio; open "
                                                 "the address the command printed")
        given = self.headers.get("X-Studio-Token") or (query.get("token") or [""])[0]
        if not hmac.compare_digest(given.encode(), self.server.token.encode()):
            raise _RefusedError(HTTPStatus.FORBIDDEN, "missing or wrong token; open the address "
                                                 "(with ?token=...) the command printed")

    def _body(self) -> Any:
        origin = self.headers.get("Origin")
        if origin is not None and origin not in (f"http://127.0.0.1:{self.server.port}",
                                                 f"http://localhost:{self.server.port}"):
            raise _RefusedError(HTTPStatus.FORBIDDEN, f"requests from {origin!r} are refused")
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            raise _RefusedError(HTTPStatus.BAD_REQUEST, "Content-Length must be a number") from None
        if length < 0 or length > MAX_BODY:
            raise _RefusedError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                           f"body of {length} bytes; at most {MAX_BODY} are accepted")
        if length and not self.headers.get("Content-Type", "").startswith("application/json"):
            raise _RefusedError(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "send the body as "
                                                              "application/json")
        raw = self.rfile.read(length) if length else b"{}"
        try:
            return json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            raise _RefusedError(HTTPStatus.BAD_REQUEST, f"the body is not JSON ({err})") from None

    def _route(self, method: str) -> None:
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        try:
            self._check(query)
            routes = self._gets() if method == "GET" else self._posts()
            handler = routes.get(parts.path)
            if handler is None:
                raise _RefusedError(HTTPStatus.NOT_FOUND,
                                    f"{method} {parts.path} is not a route of the studio")
            handler(query)
        except _RefusedError as refused:
            self._json(refused.status, {"error": str(refused)})
        except (EvidenceAnnotateError, ValueError) as err:
            lines = str(err).strip().splitlines() or [type(err).__name__]
            self._json(HTTPStatus.UNPROCESSABLE_ENTITY, {"error": lines[0]})
        except Exception as err:  # the page gets one line; the terminal gets the rest
            self.log_error("%s", f"{type(err).__name__}: {err}")
            self._json(HTTPStatus.INTERNAL_SERVER_ERROR,
                       {"error": f"the studio failed ({type(err).__name__}); see the terminal"})

    def do_GET(self) -> None:
        """Pages, assets, state, frames and the export's progress."""
        self._route("GET")

    def do_HEAD(self) -> None:
        """As GET, without a body."""
        self._route("GET")

    def do_POST(self) -> None:
        """Edits, save, transcribe, export."""
        self._route("POST")

    def _not_allowed(self) -> None:
        self._json(HTTPStatus.METHOD_NOT_ALLOWED, {"error": f"{self.command} is not used; "
                                                            "GET or POST"})

    def do_PUT(self) -> None:
        """Not used: 405."""
        self._not_allowed()

    def do_DELETE(self) -> None:
        """Not used: 405."""
        self._not_allowed()

    # -- routes -----------------------------------------------------------------------------
    def _gets(self) -> dict[str, Callable[[dict[str, list[str]]], None]]:
        return {"/": self._page, "/index.html": self._page, "/api/state": self._state,
                "/api/frame": self._frame, "/api/export": self._export_status,
                **{f"/assets/{name}": self._static for name in ASSETS}}

    def _posts(self) -> dict[str, Callable[[dict[str, list[str]]], None]]:
        return {"/api/document": self._update, "/api/save": self._save,
                "/api/export": self._export, "/api/transcribe": self._transcribe}

    def _page(self, query: dict[str, list[str]]) -> None:
        page = _asset("index.html").decode("utf-8").replace("__TOKEN__", self.server.token)
        self._send(HTTPStatus.OK, page.encode("utf-8"), "text/html; charset=utf-8")

    def _static(self, query: dict[str, list[str]]) -> None:
        name = urlsplit(self.path).path.removeprefix("/assets/")
        self._send(HTTPStatus.OK, _asset(name), f"{ASSETS[name]}; charset=utf-8")

    def _state(self, query: dict[str, list[str]]) -> None:
        self._json(HTTPStatus.OK, self.server.session.state())

    def _frame(self, query: dict[str, list[str]]) -> None:
        try:
            t = float((query.get("t") or ["0"])[0])
        except ValueError:
            raise _RefusedError(HTTPStatus.BAD_REQUEST, "t must be a number of seconds") from None
        mode = (query.get("mode") or ["result"])[0]
        self._send(HTTPStatus.OK, self.server.session.frame(t, mode), "image/png")

    def _export_status(self, query: dict[str, list[str]]) -> None:
        self._json(HTTPStatus.OK, self.server.session.job.to_dict())

    def _update(self, query: dict[str, list[str]]) -> None:
        self._json(HTTPStatus.OK, self.server.session.update(self._body()))

    def _save(self, query: dict[str, list[str]]) -> None:
        self._body()
        self._json(HTTPStatus.OK, self.server.session.save())

    def _transcribe(self, query: dict[str, list[str]]) -> None:
        self._body()
        self._json(HTTPStatus.OK, self.server.session.transcribe())

    def _export(self, query: dict[str, list[str]]) -> None:
        body = self._body()
        platform = body.get("platform") if isinstance(body, dict) else None
        if not isinstance(platform, str):
            raise _RefusedError(HTTPStatus.BAD_REQUEST, "send {\"platform\": \"<name>\"}")
        self._json(HTTPStatus.ACCEPTED, self.server.session.start_export(platform))
