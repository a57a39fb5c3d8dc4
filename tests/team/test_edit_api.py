"""PUT/DELETE /v1/terms/{id}, history and undo on SQLite, through the Flask app."""

from __future__ import annotations

from .conftest import problem as assert_problem

TERM = {"term": "Feature flag", "definition": "A switch that turns code on or off.",
        "aliases": ["flag"]}


def test_a_term_written_through_the_api_is_matched(team):
    assert team.match("Flip the feature flag.") == []
    resp = team.put("feature-flag", TERM)
    assert resp.status_code == 201 and resp.headers["Location"] == "/v1/terms/feature-flag"
    assert resp.get_json()["glossary"] == "team"
    assert team.match("Flip the feature flag.") == ["feature-flag"]
    got = team.client.get("/v1/terms/feature-flag", headers=team.auth("reader"))
    assert got.headers["ETag"] == resp.headers["ETag"]
    glossaries = team.client.get("/v1/glossaries", headers=team.auth("reader")).get_json()
    assert [g["id"] for g in glossaries["glossaries"]] == ["ai", "crypto", "team"]


def test_stale_if_match_gets_412_and_nothing_changes(team):
    etag = team.put("feature-flag", TERM).headers["ETag"]
    first = team.put("feature-flag", {**TERM, "definition": "One."}, **{"If-Match": etag})
    assert first.status_code == 200 and first.headers["ETag"] != etag
    assert_problem(team.put("feature-flag", {**TERM, "definition": "Two."}, **{"If-Match": etag}),
                   412, "precondition-failed")
    assert_problem(team.put("feature-flag", {**TERM, "definition": "Two."}), 428)
    assert_problem(team.put("feature-flag", TERM, **{"If-None-Match": "*"}), 412)
    body = team.client.get("/v1/terms/feature-flag", headers=team.auth("reader")).get_json()
    assert body["definition"] == "One."


def test_validation_uses_the_messages_of_termlight_check(team):
    resp = team.put("x", {"term": " ", "definition": "d", "url": "javascript:alert(1)"})
    problem = assert_problem(resp, 422, "invalid-request")
    assert "'term' is required and must be a non-empty string" in problem["detail"]
    assert "'url' must be an http(s) URL" in problem["detail"]
    # Ids are unique across files and database; a term of a file is read-only here.
    assert_problem(team.put("llm", {"term": "Other", "definition": "d"}), 409, "conflict")
    team.put("one", {"term": "Alpha", "definition": "d"})
    clash = assert_problem(team.put("two", {"term": "alpha", "definition": "d"}), 422)
    assert "already claimed by term 'one'" in clash["detail"]
    missing = assert_problem(team.put("three", {"term": "Gamma", "definition": "d",
                                                "related": ["nope"]}), 422)
    assert "related id 'nope' does not exist" in missing["detail"]
    assert team.put("four", {"term": "Delta", "definition": "d", "related": ["llm"]}).status_code == 201


def test_roles(team):
    assert_problem(team.put("t", TERM, role="reader"), 403, "forbidden")
    assert team.put("t", TERM, role="admin").status_code == 201
    assert_problem(team.client.put("/v1/terms/t", json=TERM), 401, "unauthorized")
    assert_problem(team.client.delete("/v1/terms/t", headers=team.auth("reader")), 403)
    assert_problem(team.client.get("/v1/terms/t/history", headers=team.auth("reader")), 403)
    me = team.client.get("/v1/me", headers=team.auth("editor")).get_json()
    assert me == {"name": "editor-1", "role": "editor", "anonymous": False}


def test_history_keeps_who_when_before_after_and_undo(team):
    etag = team.put("feature-flag", TERM).headers["ETag"]
    team.put("feature-flag", {**TERM, "definition": "Changed."}, role="admin", **{"If-Match": etag})
    changes = team.client.get("/v1/terms/feature-flag/history",
                              headers=team.auth("editor")).get_json()["changes"]
    assert [(c["action"], c["actor"]) for c in changes] == [("update", "admin-1"),
                                                            ("create", "editor-1")]
    assert changes[0]["before"]["definition"] == TERM["definition"]
    assert changes[0]["after"]["definition"] == "Changed." and changes[0]["at"].endswith("Z")
    # Undoing the older change would throw the newer one away: refused.
    assert_problem(team.client.post(f"/v1/history/{changes[1]['seq']}/undo",
                                    headers=team.auth("editor")), 409)
    undone = team.client.post(f"/v1/history/{changes[0]['seq']}/undo", headers=team.auth("editor"))
    assert undone.status_code == 200 and undone.get_json()["term"]["definition"] == TERM["definition"]
    assert team.match("a feature flag") == ["feature-flag"]
    latest = team.client.get("/v1/terms/feature-flag/history",
                             headers=team.auth("editor")).get_json()["changes"][0]
    assert latest["undoes"] == changes[0]["seq"]
    assert_problem(team.client.post("/v1/history/99999999999999999999/undo",
                                    headers=team.auth("editor")), 404)


def test_delete(team):
    etag = team.put("feature-flag", TERM).headers["ETag"]
    assert_problem(team.client.delete("/v1/terms/feature-flag",
                                      headers=team.auth("editor", **{"If-Match": '"t-old"'})), 412)
    ok = team.client.delete("/v1/terms/feature-flag", headers=team.auth("editor", **{"If-Match": etag}))
    assert ok.status_code == 204
    assert team.match("feature flag") == []
    assert_problem(team.client.delete("/v1/terms/feature-flag", headers=team.auth("editor")), 404)
    assert_problem(team.client.delete("/v1/terms/llm", headers=team.auth("editor")), 409)


def test_env_token_is_a_reader(tmp_path):
    from .conftest import Team

    team = Team(tmp_path, tokens="shared-secret")
    shared = {"Authorization": "Bearer shared-secret"}
    assert team.client.get("/v1/me", headers=shared).get_json()["role"] == "reader"
    assert_problem(team.client.put("/v1/terms/x", json=TERM, headers=shared), 403)
    assert_problem(team.client.get("/v1/me"), 401)


def test_without_any_token_readers_are_anonymous_and_editing_needs_one(tmp_path):
    from termlight.service.app import create_app

    app = create_app({"database_url": f"sqlite:///{tmp_path / 'db.sqlite3'}"})
    client = app.test_client()
    assert client.get("/v1/me").get_json() == {"name": "anonymous", "role": "reader",
                                               "anonymous": True}
    assert_problem(client.put("/v1/terms/x", json=TERM), 401)


def test_admins_manage_tokens_over_the_api_and_a_revoked_token_stops_working(team):
    import time

    assert_problem(team.client.get("/v1/tokens", headers=team.auth("editor")), 403, "forbidden")
    made = team.client.post("/v1/tokens", json={"name": "newbie", "role": "reader"},
                            headers=team.auth("admin"))
    assert made.status_code == 201
    token = made.get_json()["token"]
    listed = team.client.get("/v1/tokens", headers=team.auth("admin")).get_json()["tokens"]
    assert "newbie" in {t["name"] for t in listed} and token not in str(listed)
    assert_problem(team.client.post("/v1/tokens", json={"name": "newbie", "role": "reader"},
                                    headers=team.auth("admin")), 409)
    assert_problem(team.client.post("/v1/tokens", json={"name": "a\n", "role": "reader"},
                                    headers=team.auth("admin")), 422)
    mine = {"Authorization": f"Bearer {token}"}
    deadline = time.monotonic() + 5
    while team.client.get("/v1/me", headers=mine).status_code != 200:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert team.client.delete("/v1/tokens/newbie", headers=team.auth("admin")).status_code == 204
    deadline = time.monotonic() + 5  # every worker drops it within TOKENS_REFRESH (0.5 s)
    while team.client.get("/v1/me", headers=mine).status_code != 401:
        assert time.monotonic() < deadline
        time.sleep(0.05)
