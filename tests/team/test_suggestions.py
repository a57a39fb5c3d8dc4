"""POST/GET /v1/suggestions, approve and reject; `termlight token`."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import problem

XSS = '<img src=x onerror="window.pwned=1">'


def suggest(team, body, role="reader"):
    return team.client.post("/v1/suggestions", json=body, headers=team.auth(role))


def test_suggest_approve_edited_and_the_term_matches(team):
    resp = suggest(team, {"term": "Blue-green deploy", "definition": "Two copies, switch.",
                          "aliases": ["blue/green"], "source_url": "https://wiki.example/x"})
    assert resp.status_code == 201
    row = resp.get_json()
    assert row["state"] == "pending" and row["author"] == "reader-1"
    # Someone else's reader token does not see it; an editor sees the whole queue.
    mine = team.client.get("/v1/suggestions", headers=team.auth("reader")).get_json()
    assert mine["scope"] == "own" and [s["id"] for s in mine["suggestions"]] == [row["id"]]
    queue = team.client.get("/v1/suggestions?state=pending", headers=team.auth("editor")).get_json()
    assert queue["scope"] == "all" and queue["count"] == 1
    problem(team.client.post(f"/v1/suggestions/{row['id']}/approve", headers=team.auth("reader")),
            403, "forbidden")
    approved = team.client.post(f"/v1/suggestions/{row['id']}/approve",
                                json={"definition": "Run two copies; switch traffic at once.",
                                      "note": "tightened"}, headers=team.auth("editor"))
    assert approved.status_code == 200, approved.get_json()
    body = approved.get_json()
    assert body["term"]["id"] == "blue-green-deploy"
    assert body["term"]["url"] == "https://wiki.example/x"
    assert body["suggestion"]["state"] == "approved" and body["suggestion"]["decided_by"] == "editor-1"
    assert team.match("We do a blue-green deploy.") == ["blue-green-deploy"]
    problem(team.client.post(f"/v1/suggestions/{row['id']}/reject", headers=team.auth("editor")),
            409, "conflict")
    mine = team.client.get("/v1/suggestions", headers=team.auth("reader")).get_json()
    assert mine["suggestions"][0]["state"] == "approved"


def test_reject_with_a_note(team):
    row = suggest(team, {"term": "Thing", "definition": "Stuff."}).get_json()
    resp = team.client.post(f"/v1/suggestions/{row['id']}/reject", json={"note": "too vague"},
                            headers=team.auth("editor"))
    assert resp.get_json()["state"] == "rejected" and resp.get_json()["note"] == "too vague"
    assert team.match("a thing") == []


def test_better_definition_of_a_team_term(team):
    team.put("canary", {"term": "Canary", "definition": "A bird."})
    row = suggest(team, {"kind": "better-definition", "term": "Canary", "term_id": "canary",
                         "definition": "A release to a few users first."}).get_json()
    resp = team.client.post(f"/v1/suggestions/{row['id']}/approve", headers=team.auth("editor"))
    assert resp.get_json()["action"] == "update"
    term = team.client.get("/v1/terms/canary", headers=team.auth("reader")).get_json()
    assert term["definition"] == "A release to a few users first."


def test_bad_suggestions_are_422_and_stored_verbatim_as_text(team):
    problem(suggest(team, {"term": " ", "definition": "x"}), 422)
    problem(suggest(team, {"term": "x", "definition": "x", "source_url": "javascript:alert(1)"}), 422)
    problem(suggest(team, {"term": "x", "kind": "wrong-meaning"}), 422)
    problem(suggest(team, {"term": "x", "definition": "y", "extra": 1}), 422)
    problem(suggest(team, {"term": "x" * 201, "definition": "y"}), 422)
    # A bad alias is named by its place in the list, like every other field.
    for aliases in (["ok", "x" * 201], ["ok", 7]):
        assert problem(suggest(team, {"term": "x", "definition": "y", "aliases": aliases}), 422)["field"] == "aliases[1]"
    row = suggest(team, {"term": XSS, "definition": XSS, "aliases": [XSS], "comment": XSS}).get_json()
    assert row["term"] == XSS and row["aliases"] == [XSS]


def test_token_cli(tmp_path):
    env = {"TERMLIGHT_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "PATH": "/usr/bin:/bin"}

    def run(*args):
        return subprocess.run([sys.executable, "-m", "termlight.cli", "token", *args],
                              capture_output=True, text=True, env=env, timeout=60)

    added = run("add", "alice", "--role", "editor")
    assert added.returncode == 0, added.stderr
    token = added.stdout.strip()
    assert token.startswith("tl_") and len(token) > 40
    listed = run("list")
    assert listed.stdout.split("\t")[:2] == ["alice", "editor"] and token not in listed.stdout
    assert token.encode() not in (tmp_path / "db.sqlite3").read_bytes()
    assert run("add", "alice").returncode == 1
    assert run("revoke", "alice").returncode == 0
    assert run("revoke", "alice").returncode == 1
    assert run("list").stdout == ""


SCHEMA_CASES = [
    {"term": "x", "definition": "y"},
    {"term": " x ", "definition": "y", "source_url": "https://a.example/p?q=1"},
    {"term": "x", "definition": "y", "source_url": " https://a.example"},
    {"term": "x", "definition": "y", "source_url": "https://a\u0085b"},
    {"term": "x", "definition": "y", "source_url": "https://a\u00a0b"},
    {"term": "x", "definition": "y", "source_url": ""},
    {"term": "\u0085", "definition": "y"},
    {"term": "\u00a0", "definition": "y"},
    {"term": " " * 10 + "x" * 195, "definition": "y"},
    {"term": "x", "kind": "wrong-meaning", "term_id": "llm"},
    {"term": "x", "kind": "wrong-meaning", "term_id": " "},
    {"term": "x", "kind": "better-definition"},
    {"term": "x", "definition": " \u3000 "},
    {"term": "x", "definition": "y", "aliases": ["", " a "], "comment": None},
    {"term": "x", "definition": "y", "term_id": None, "source_url": None},
]


@pytest.mark.parametrize("body", SCHEMA_CASES)
def test_the_documented_schema_accepts_exactly_what_the_route_accepts(team, body):
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    spec = team.client.get("/openapi.json", headers=team.auth("reader")).get_json()
    registry = Registry().with_resource("urn:doc", Resource.from_contents(spec, DRAFT202012))
    schema = Draft202012Validator({"$ref": "urn:doc#/components/schemas/SuggestionRequest"},
                                  registry=registry)
    status = suggest(team, body).status_code
    assert status in (201, 422)
    assert schema.is_valid(body) == (status == 201), (body, status)
