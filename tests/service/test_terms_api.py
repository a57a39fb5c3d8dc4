"""GET /v1/terms, /v1/terms/<id>, /v1/glossaries, /healthz: content, ETags and 304s."""

from __future__ import annotations

import json

import pytest

from support.problems import assert_problem


def test_list_all_terms(client):
    body = client.get("/v1/terms").get_json()
    assert body["count"] == len(body["terms"]) == 6
    assert {t["id"] for t in body["terms"]} == {"llm", "token", "lora", "fine-tuning", "rag",
                                                "crypto-token"}


def test_search_is_prefix_and_case_insensitive_on_all_forms(client):
    ids = lambda q: [t["id"] for t in client.get("/v1/terms", query_string={"q": q}).get_json()["terms"]]  # noqa: E731
    assert ids("lo") == ["lora"]
    assert ids("LOW-RANK") == ["lora"]
    assert ids("ファイン") == ["fine-tuning"]
    assert set(ids("tok")) == {"token", "crypto-token"}
    assert ids("zzz") == []


def test_filter_by_glossary(client):
    body = client.get("/v1/terms?q=token&glossary=crypto").get_json()
    assert [t["id"] for t in body["terms"]] == ["crypto-token"]
    assert_problem(client.get("/v1/terms?glossary=nope"), 422, "glossary")
    assert_problem(client.get("/v1/terms?q=a&q=b"), 422, "q")


def test_one_term(client):
    resp = client.get("/v1/terms/token")
    assert resp.status_code == 200
    assert resp.get_json()["url"] == "https://example.org/token"


def test_glossaries(client):
    body = client.get("/v1/glossaries").get_json()
    assert body["glossaries"] == [
        {"id": "ai", "name": "AI (test)", "description": "A handful of AI terms for the service tests.",
         "terms": 5},
        {"id": "crypto", "name": "Crypto (test)",
         "description": "Shares the form Token with the AI glossary, to test alternatives.", "terms": 1},
    ]


@pytest.mark.parametrize("path", ["/v1/terms", "/v1/terms?q=lo", "/v1/terms/llm", "/v1/glossaries"])
def test_etag_and_304(client, path):
    first = client.get(path)
    etag = first.headers["ETag"]
    assert etag.startswith('"') and first.headers["Cache-Control"] == "no-cache"
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["ETag"] == etag
    weak = client.get(path, headers={"If-None-Match": f'"other", W/{etag}'})
    assert weak.status_code == 304
    assert client.get(path, headers={"If-None-Match": "*"}).status_code == 304
    stale = client.get(path, headers={"If-None-Match": '"stale"'})
    assert stale.status_code == 200 and stale.get_json() == first.get_json()


def test_etag_depends_on_query(client):
    tags = {client.get(p).headers["ETag"] for p in ("/v1/terms", "/v1/terms?q=lo", "/v1/terms?q=ra",
                                                     "/v1/terms/llm", "/v1/terms/rag")}
    assert len(tags) == 5


def test_etag_changes_with_the_glossary(make_app, glossary_dir):
    client = make_app(reload_interval=0).test_client()
    etag = client.get("/v1/terms/llm").headers["ETag"]
    data = json.loads((glossary_dir / "crypto.json").read_text())
    data["terms"][0]["definition"] = "Changed."
    (glossary_dir / "crypto.json").write_text(json.dumps(data))
    resp = client.get("/v1/terms/llm", headers={"If-None-Match": etag})
    assert resp.status_code == 200 and resp.headers["ETag"] != etag


def test_private_cache_when_tokens_are_on(secured):
    resp = secured.get("/v1/terms", headers={"Authorization": "Bearer alpha-token"})
    assert resp.headers["Cache-Control"] == "private, no-cache"
    assert "Authorization" in resp.headers["Vary"]
    # A 304 still needs the token: auth runs before the ETag check.
    assert_problem(secured.get("/v1/terms", headers={"If-None-Match": resp.headers["ETag"]}), 401)


def test_healthz_ok(client):
    resp = client.get("/healthz")
    body = resp.get_json()
    assert body == {"status": "ok", "terms": 6, "glossaries": 2,
                    "problems": 0, "glossary_version": body["glossary_version"], "errors": []}
    assert resp.headers["Cache-Control"] == "no-store"


def test_healthz_degraded_at_startup_when_broken(make_app, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"terms": [{"term": "X"}]}')
    client = make_app(glossary_path=broken).test_client()
    body = client.get("/healthz").get_json()
    assert body["status"] == "degraded" and body["terms"] == 0
    assert body["errors"] == ["broken.json: term #1 ('X'): 'definition' is required and must be a non-empty string"]
    assert str(tmp_path) not in json.dumps(body)  # no server paths on an open route
    # Still a working (empty) service, not a crash loop.
    assert client.post("/v1/match", json={"text": "X"}).get_json()["matches"] == []


def test_healthz_missing_glossary(make_app, tmp_path):
    body = make_app(glossary_path=tmp_path / "nowhere.json").test_client().get("/healthz").get_json()
    assert body["status"] == "degraded"
    assert body["errors"] == ["nowhere.json: no such file or directory"]


def test_security_headers(client):
    page = client.get("/")
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get("/v1/terms").headers["X-Content-Type-Options"] == "nosniff"
