"""The studio's HTTP layer without a browser: the token, the host, the routes, the errors."""

from __future__ import annotations

import http.client
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from evidence_annotate.recipe import load_recipe
from evidence_annotate.studio import StudioPaths, StudioServer, StudioSession
from studio_data import SUBTITLES


@pytest.fixture
def server(gray_clip: Path, tmp_path: Path) -> Iterator[StudioServer]:
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(gray_clip.read_bytes())
    (tmp_path / "clip.srt").write_text(SUBTITLES, encoding="utf-8")
    (tmp_path / "clip.toml").write_text('input = "clip.mp4"\n[captions]\nsource = "clip.srt"\n',
                                        encoding="utf-8")
    studio = StudioServer(StudioSession(StudioPaths.for_clip(clip)), token="secret-token")
    studio.start()
    yield studio
    studio.stop()


def request(server: StudioServer, method: str, path: str, body: Any = None, *,
            token: str | None = "secret-token",
            headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    sent = {"Host": f"127.0.0.1:{server.port}", **(headers or {})}
    if token is not None:
        sent["X-Studio-Token"] = token
    data = None
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        sent.setdefault("Content-Type", "application/json")
    connection.request(method, path, body=data, headers=sent)
    response = connection.getresponse()
    payload = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), payload


def test_it_listens_on_loopback_only(server: StudioServer) -> None:
    assert server.server_address[0] == "127.0.0.1"
    assert server.url.startswith(f"http://127.0.0.1:{server.port}/?token=")


@pytest.mark.parametrize("path", ["/", "/api/state", "/assets/editor.js", "/api/frame?t=0"])
def test_every_route_needs_the_token(server: StudioServer, path: str) -> None:
    assert request(server, "GET", path, token=None)[0] == 403
    assert request(server, "GET", path, token="secret-tokeN")[0] == 403
    assert request(server, "GET", path)[0] == 200


def test_the_token_works_in_the_query_and_the_page_carries_it(server: StudioServer) -> None:
    status, headers, page = request(server, "GET", "/?token=secret-token", token=None)
    assert status == 200
    assert b'content="secret-token"' in page and b"__TOKEN__" not in page
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize("path", [
    "/assets/../session.py", "/assets/%2e%2e/session.py", "/../../../etc/passwd",
    "/assets/index.html/../../server.py", "/clip.mp4", "/clip.toml", "/assets/widget.js",
    "//etc/passwd", "/api/state/../../etc/passwd",
])
def test_nothing_outside_the_routes_is_served(server: StudioServer, path: str) -> None:
    status, _, body = request(server, "GET", path)
    assert status == 404
    assert b"root:" not in body and b"import" not in body


def test_a_foreign_host_or_origin_is_refused(server: StudioServer) -> None:
    assert request(server, "GET", "/api/state", headers={"Host": "evil.example"})[0] == 403
    status, _, _ = request(server, "POST", "/api/save", {},
                           headers={"Origin": "http://evil.example"})
    assert status == 403


@pytest.mark.parametrize(("method", "path", "body", "status"), [
    ("POST", "/api/document", b"{not json", 400),
    ("POST", "/api/document", {"layers": [{"kind": "box", "args": {"rect": [1, 2]}}]}, 422),
    ("POST", "/api/document", {"layers": [{"kind": "rocket", "args": {}}]}, 422),
    ("POST", "/api/document", {"layers": [{"kind": "box", "args": {"rect": [0, 0, 9, 9],
                                                                   "bogus": 1}}]}, 422),
    ("POST", "/api/document", ["not", "an", "object"], 422),
    ("POST", "/api/export", {"platform": "myspace"}, 422),
    ("POST", "/api/export", {}, 400),
    ("GET", "/api/frame?t=99", None, 422),
    ("GET", "/api/frame?t=abc", None, 400),
    ("GET", "/api/frame?t=1&mode=xray", None, 422),
    ("PUT", "/api/document", {}, 405),
    ("DELETE", "/", None, 405),
])
def test_bad_requests_get_a_4xx_and_one_line(server: StudioServer, method: str, path: str,
                                             body: Any, status: int) -> None:
    got, headers, payload = request(server, method, path, body)
    assert got == status
    assert headers["Content-Type"].startswith("application/json")
    error = json.loads(payload)["error"]
    assert error and "\n" not in error and "Traceback" not in error


def test_a_refused_edit_names_the_layer_and_the_limit(server: StudioServer) -> None:
    doc = {"layers": [{"kind": "box", "args": {"rect": [300, 200, 100, 100]}}]}
    status, _, payload = request(server, "POST", "/api/document", doc)
    assert status == 422
    assert json.loads(payload)["error"].startswith("layers[0]: box: rect=")


def test_too_large_or_non_json_bodies_are_refused(server: StudioServer) -> None:
    huge = request(server, "POST", "/api/document", b"x",
                   headers={"Content-Length": str(10**9)})
    assert huge[0] == 413
    typed = request(server, "POST", "/api/document", b"{}", headers={"Content-Type": "text/plain"})
    assert typed[0] == 415


def test_edit_save_and_export_through_the_api(server: StudioServer) -> None:
    status, _, payload = request(server, "GET", "/api/state")
    state = json.loads(payload)
    assert status == 200 and state["info"]["frame"] == [320, 240]
    assert state["document"]["captions"][0]["text"] == "The case is craked here."
    doc = state["document"]
    doc["title_card"] = {"order": "42", "date": "2026-01-02", "title": None, "seconds": 1}
    doc["layers"] = [{"kind": "box", "args": {"rect": [40, 30, 100, 80], "start": 1.0}}]
    doc["captions"][0]["text"] = "The case is cracked here."
    status, _, payload = request(server, "POST", "/api/document", doc)
    answer = json.loads(payload)
    assert status == 200 and answer["timeline"]["card"] == 1.0
    assert answer["document"]["layers"][0]["args"] == {"rect": [40, 30, 100, 80], "start": 1.0}

    status, headers, png = request(server, "GET", "/api/frame?t=2.5")
    assert status == 200 and headers["Content-Type"] == "image/png" and png[1:4] == b"PNG"

    status, _, payload = request(server, "POST", "/api/save", {})
    assert status == 200 and json.loads(payload)["saved"] == ["clip.toml", "clip.captions.srt"]
    paths = server.session.paths
    assert load_recipe(paths.recipe).evidence(progress=False).layers == \
        server.session.evidence.layers
    assert "cracked here" in paths.captions.read_text(encoding="utf-8")

    status, _, payload = request(server, "POST", "/api/export", {"platform": "generic"})
    assert status == 202 and json.loads(payload)["state"] == "running"
    assert request(server, "POST", "/api/export", {"platform": "generic"})[0] in (202, 422)
    deadline = time.monotonic() + 120
    job: dict[str, Any] = {}
    while time.monotonic() < deadline:
        job = json.loads(request(server, "GET", "/api/export")[2])
        if job["state"] != "running":
            break
        time.sleep(0.2)
    assert job["state"] == "done", job
    assert job["progress"] == 1.0 and job["check"]["ok"] is True
    assert paths.output.is_file()
