"""The review API through Starlette's test client: edits saved to the store, undo/redo, and the locks."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from npfterm.review.server import TOKEN_HEADER, create_app
from npfterm.review.session import ReviewSession
from npfterm.store.db import Store
from review_docs import XSS, small_store

TOKEN = "ab" * 32


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "s.db"
    small_store(path)
    return path


@pytest.fixture
def session(db: Path):  # type: ignore[no-untyped-def]
    session = ReviewSession(db, settle=0.0)
    yield session
    session.close()


@pytest.fixture
def client(session: ReviewSession) -> TestClient:
    return TestClient(create_app(session, TOKEN), base_url="http://127.0.0.1:8765")


def post(client: TestClient, path: str, body: object = None):  # type: ignore[no-untyped-def]
    return client.post(path, json=body, headers={TOKEN_HEADER: TOKEN})


def test_the_page_and_its_assets_need_the_token(client: TestClient):
    assert client.get("/").status_code == 403
    assert client.get("/?token=wrong").status_code == 403
    page = client.get(f"/?token={TOKEN}")
    assert page.status_code == 200 and f'data-token="{TOKEN}"' in page.text
    assert "Content-Security-Policy" in page.headers and page.headers["Referrer-Policy"] == "no-referrer"
    assert client.get("/static/review.js").status_code == 403
    assert client.get(f"/static/review.js?token={TOKEN}").status_code == 200
    assert client.get(f"/static/../server.py?token={TOKEN}").status_code == 404
    assert client.get("/api/docs").status_code == 403
    assert client.get("/api/docs", headers={TOKEN_HEADER: TOKEN}).status_code == 200


def test_a_foreign_host_is_refused_even_with_the_token(client: TestClient):
    for host in ("evil.example", "127.0.0.1.evil.example:8765", "localhost.attacker"):
        response = client.get(f"/?token={TOKEN}", headers={"Host": host})
        assert response.status_code == 403, host
        assert "127.0.0.1 and localhost" in response.text
    assert client.get(f"/?token={TOKEN}", headers={"Host": "localhost:8765"}).status_code == 200


def test_changes_need_the_token_in_a_header(client: TestClient):
    body = {"op": "unmatch", "lang": "en", "index": 0}
    assert client.post(f"/api/docs/1/edit?token={TOKEN}", json=body).status_code == 403
    assert client.post("/api/docs/1/edit", json=body).status_code == 403
    assert post(client, "/api/docs/1/edit", body).status_code == 200


def test_text_goes_out_as_data(client: TestClient):
    state = client.get("/api/docs/1", headers={TOKEN_HEADER: TOKEN}).json()
    assert state["en"][0] == XSS  # JSON, shown by the page with textContent
    assert state["beads"][0] == {"zh": [0], "en": [0, 1], "score": 0.45, "evidence": "aligned"}
    assert state["to_check"] == [0] and state["undo"] == 0


def test_an_edit_is_saved_with_evidence_reviewed_and_terms_recomputed(client: TestClient, session: ReviewSession, db: Path):
    state = post(client, "/api/docs/1/edit", {"op": "unmatch", "lang": "en", "index": 0}).json()
    assert [(b["zh"], b["en"], b["evidence"]) for b in state["beads"]] == [
        ([], [0], "reviewed"), ([0], [1], "reviewed"), ([1], [2], "aligned"),
    ]
    assert state["status"] == "in review" and state["undo"] == 1 and state["to_check"] == []
    assert session.terms.wait(120)
    with Store.open(db) as store:
        pairs = [(p.zh, p.en, p.evidence) for p in store.iter_pairs()]
        terms = {(t.zh, t.en) for t in store.iter_terms()}
    assert pairs[1] == ("科技创新是核心要素。", "Sci-tech innovation is the core element.", "reviewed")
    assert ("科技创新", "sci-tech innovation") in {(zh, en.lower()) for zh, en in terms}


def test_undo_and_redo_restore_the_store(client: TestClient, db: Path):
    post(client, "/api/docs/1/edit", {"op": "unmatch", "lang": "en", "index": 0})
    state = post(client, "/api/docs/1/undo").json()
    assert state["beads"][0]["en"] == [0, 1] and state["undo"] == 0 and state["redo"] == 1
    with Store.open(db) as store:
        assert [p.en_ids for p in store.iter_pairs()] == [(0, 1), (2,)]
    assert post(client, "/api/docs/1/redo").json()["beads"][0]["en"] == [0]
    response = post(client, "/api/docs/1/redo")
    assert response.status_code == 400 and response.json() == {"error": "nothing to redo"}


def test_mark_reviewed_confirms_every_bead(client: TestClient):
    state = post(client, "/api/docs/1/reviewed").json()
    assert state["status"] == "reviewed" and {b["evidence"] for b in state["beads"]} == {"reviewed"}
    docs = client.get("/api/docs", headers={TOKEN_HEADER: TOKEN}).json()
    assert docs == [{"id": 1, "name": "small.txt", "zh": 2, "en": 3, "beads": 2, "to_check": 0, "status": "reviewed"}]


def test_bad_edits_are_refused_and_change_nothing(client: TestClient, db: Path):
    for body, status, message in [
        ({"op": "unmatch", "lang": "en", "index": 9}, 400, "no en sentence 9"),
        ({"op": "merge", "bead": 1, "direction": 1}, 400, "no next bead"),
        ([1, 2], 400, "JSON object"),
    ]:
        response = post(client, "/api/docs/1/edit", body)
        assert response.status_code == status and message in response.json()["error"]
    raw = client.post("/api/docs/1/edit", content=b"{nope", headers={TOKEN_HEADER: TOKEN})
    assert raw.status_code == 400 and raw.json() == {"error": "the request body is not JSON"}
    assert post(client, "/api/docs/7/edit", {"op": "confirm"}).status_code == 409
    with Store.open(db) as store:
        assert [p.evidence for p in store.iter_pairs()] == ["aligned", "aligned"]


def test_a_session_for_some_documents_refuses_others(db: Path):
    session = ReviewSession(db, (5,))
    client = TestClient(create_app(session, TOKEN), base_url="http://127.0.0.1:8765")
    assert client.get("/api/docs", headers={TOKEN_HEADER: TOKEN}).json() == []
    response = post(client, "/api/docs/1/edit", {"op": "confirm"})
    assert response.status_code == 400 and "not open for review" in response.json()["error"]
    session.close()


def test_the_server_listens_on_loopback_only_with_a_fresh_token():
    from npfterm.review.server import loopback_socket, new_token, url

    sock = loopback_socket()
    try:
        assert sock.getsockname()[0] == "127.0.0.1" and sock.getsockname()[1] > 0
        first, second = new_token(), new_token()
        assert first != second and len(first) == 64 and int(first, 16) >= 0
        assert url(sock, first, 3) == f"http://127.0.0.1:{sock.getsockname()[1]}/?token={first}#doc=3"
    finally:
        sock.close()
