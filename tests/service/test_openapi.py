"""/openapi.json must describe what the server really does: routes, statuses and bodies.

Each response below is checked against the document's own schemas with jsonschema,
and the MatchRequest schema must accept exactly the bodies the validator accepts.
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest
from pathlib import Path
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

BASE = "urn:termlight-openapi"


@pytest.fixture
def spec(client) -> dict:
    resp = client.get("/openapi.json")
    assert resp.status_code == 200
    return resp.get_json()


def validator(spec: dict, pointer: str) -> Draft202012Validator:
    """Validate against the schema at `pointer` (a JSON pointer into the document)."""
    registry = Registry().with_resource(BASE, Resource.from_contents(spec, DRAFT202012))
    return Draft202012Validator({"$ref": f"{BASE}#{quote(pointer)}"}, registry=registry)


def pointer(*parts: str) -> str:
    return "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in parts)


def check_response(spec: dict, method: str, template: str, resp) -> None:
    """The status is documented for the operation and the body fits its schema."""
    operation = spec["paths"][template][method.lower()]
    status = str(resp.status_code)
    assert status in operation["responses"], f"{method} {template}: {status} is not documented"
    documented = operation["responses"][status]
    for name, header in documented.get("headers", {}).items():
        if header.get("required"):
            assert name in resp.headers, f"{method} {template} {status}: no {name} header"
    content = documented.get("content")
    if not content:
        assert not resp.get_data()
        return
    assert resp.mimetype in content, f"{resp.mimetype} not documented for {status}"
    if resp.mimetype.endswith("json"):
        body = json.loads(resp.get_data())
        where = pointer("paths", template, method.lower(), "responses", status, "content",
                        resp.mimetype, "schema")
        errors = list(validator(spec, where).iter_errors(body))
        assert not errors, [e.message for e in errors][:3]


def test_document_basics(spec):
    assert spec["openapi"].startswith("3.1")
    assert spec["info"]["title"] == "termlight"
    for slug_uri, problem in spec["x-problem-types"].items():
        assert slug_uri.startswith("/docs#problem-") and 400 <= problem["status"] <= 599


def test_every_route_is_documented(client, spec):
    app = client.application
    documented = set(spec["paths"])
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "web.static":
            continue  # page assets, not API
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)  # <int:seq> -> {seq}
        assert path in documented, path
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert method.lower() in spec["paths"][path], (method, path)


def test_every_ref_resolves(spec):
    refs = []

    def walk(node):
        if isinstance(node, dict):
            if "$ref" in node:
                refs.append(node["$ref"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec)
    assert refs
    for ref in refs:
        target = spec
        for part in ref.removeprefix("#/").split("/"):
            target = target[part]


RESPONSES = [
    ("POST", "/v1/match", "/v1/match", {"json": {"text": "An LLM and a token."}}),
    ("POST", "/v1/match", "/v1/match", {"json": {"texts": ["LoRA", "", "RAG token"],
                                                  "offsets": "utf8"}}),
    ("POST", "/v1/match", "/v1/match", {"data": "{", "content_type": "application/json"}),
    ("POST", "/v1/match", "/v1/match", {"json": {"text": 1}}),
    ("POST", "/v1/match", "/v1/match", {"data": "x", "content_type": "text/plain"}),
    ("GET", "/v1/terms", "/v1/terms?q=l", {}),
    ("GET", "/v1/terms", "/v1/terms?glossary=nope", {}),
    ("GET", "/v1/terms/{term_id}", "/v1/terms/token", {}),
    ("GET", "/v1/terms/{term_id}", "/v1/terms/nope", {}),
    ("GET", "/v1/glossaries", "/v1/glossaries", {}),
    ("GET", "/healthz", "/healthz", {}),
    ("GET", "/openapi.json", "/openapi.json", {}),
    ("GET", "/", "/", {}),
    ("GET", "/docs", "/docs", {}),
    ("GET", "/schema/glossary.json", "/schema/glossary.json", {}),
    ("GET", "/favicon.ico", "/favicon.ico", {}),
]


@pytest.mark.parametrize("method, template, url, kwargs", RESPONSES)
def test_responses_match_the_document(client, spec, method, template, url, kwargs):
    check_response(spec, method, template, client.open(url, method=method, **kwargs))


def test_304_and_413_and_401_match_the_document(make_app):
    app = make_app(max_body=100, tokens="t0ken")
    client = app.test_client()
    spec = client.get("/openapi.json").get_json()
    auth = {"Authorization": "Bearer t0ken"}
    check_response(spec, "POST", "/v1/match",
                   client.post("/v1/match", json={"text": "x" * 200}, headers=auth))
    check_response(spec, "POST", "/v1/match", client.post("/v1/match", json={"text": "x"}))
    etag = client.get("/v1/glossaries", headers=auth).headers["ETag"]
    check_response(spec, "GET", "/v1/glossaries",
                   client.get("/v1/glossaries", headers={**auth, "If-None-Match": etag}))
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert spec["paths"]["/v1/terms"]["get"]["security"] == [{"bearerAuth": []}]
    assert "security" not in spec["paths"]["/healthz"]["get"]


def test_no_security_on_reader_routes_without_tokens(spec):
    # Open for reading; the editor routes always need a named token.
    assert "security" not in spec["paths"]["/v1/match"]["post"]
    assert "security" not in spec["paths"]["/v1/suggestions"]["post"]
    assert spec["paths"]["/v1/terms/{term_id}"]["put"]["security"] == [{"bearerAuth": []}]
    assert all("security" not in op for item in spec["paths"].values() for op in item.values()
               if op.get("x-role", "reader") == "reader")


BODIES = [
    {"text": "LLM"}, {"texts": []}, {"texts": ["a", "b"]}, {"text": "", "offsets": "codepoint"},
    {"text": "a", "glossaries": ["ai", "crypto"]}, {},
    {"text": "a", "texts": []}, {"text": 1}, {"texts": [1]}, {"texts": ["a"] * 6},
    {"text": "a", "offsets": "x"}, {"text": "a", "glossaries": []},
    {"text": "a", "glossaries": ["nope"]}, {"text": "a", "extra": True}, [], "text", None,
    {"text": None}, {"texts": None}, {"text": "a", "offsets": None},
]


@pytest.mark.parametrize("body", BODIES, ids=[json.dumps(b) for b in BODIES])
def test_request_schema_agrees_with_the_validator(make_app, body):
    client = make_app(max_texts=5).test_client()
    spec = client.get("/openapi.json").get_json()
    schema_ok = validator(spec, "/components/schemas/MatchRequest").is_valid(body)
    resp = client.post("/v1/match", json=body)
    assert (resp.status_code == 200) == schema_ok, resp.get_json()


def test_limits_and_ids_in_the_document_follow_the_settings(make_app):
    spec = make_app(max_texts=7).test_client().get("/openapi.json").get_json()
    request = spec["components"]["schemas"]["MatchRequest"]["properties"]
    assert request["texts"]["maxItems"] == 7
    assert request["glossaries"]["items"]["enum"] == ["ai", "crypto"]


def test_the_glossary_schema_is_served_as_in_the_repository(client):
    resp = client.get("/schema/glossary.json")
    assert resp.status_code == 200 and resp.mimetype == "application/schema+json"
    repo_copy = Path(__file__).resolve().parents[2] / "server/termlight/schema/glossary.json"
    assert resp.get_json() == json.loads(repo_copy.read_text())


def _examples(spec):
    """(where, schema pointer, example) for every example in the document."""
    for path, item in spec["paths"].items():
        for method, op in item.items():
            body = op.get("requestBody", {}).get("content", {})
            for mime, media in body.items():
                for name, example in media.get("examples", {}).items():
                    yield (f"{method} {path} body {name}",
                           pointer("paths", path, method, "requestBody", "content", mime, "schema"),
                           example["value"])
            for status, resp in op["responses"].items():
                for mime, media in resp.get("content", {}).items():
                    if "example" in media:
                        yield (f"{method} {path} {status}",
                               pointer("paths", path, method, "responses", status, "content", mime, "schema"),
                               media["example"])


def test_every_example_fits_its_schema_and_every_json_route_has_one(spec):
    found = list(_examples(spec))
    for where, schema_at, example in found:
        errors = [e.message for e in validator(spec, schema_at).iter_errors(example)]
        assert not errors, (where, errors)
    places = {where for where, _, _ in found}
    for path, item in spec["paths"].items():
        for method, op in item.items():
            media = op["responses"].get("200", {}).get("content", {}).get("application/json")
            if media and path not in ("/openapi.json", "/v1/compiled"):
                assert f"{method} {path} 200" in places, (method, path)
            for status in op["responses"]:
                if status.startswith("4"):
                    assert f"{method} {path} {status}" in places, (method, path, status)


def test_the_match_example_is_consistent():
    from termlight.service import openapi_examples as ex
    for m in ex.MATCH_RESPONSE["matches"]:
        assert ex.MATCH_TEXT[m["start"]:m["end"]] == m["text"]


def test_problem_types_are_listed_by_status_and_get_routes_explain_422_without_bodies(spec):
    statuses = [p["status"] for p in spec["x-problem-types"].values()]
    assert statuses == sorted(statuses)
    get_422 = spec["paths"]["/v1/terms"]["get"]["responses"]["422"]["description"]
    assert "query parameter" in get_422 and "texts" not in get_422 and "JSON" not in get_422
    post_422 = spec["paths"]["/v1/match"]["post"]["responses"]["422"]["description"]
    assert "texts" in post_422


def test_examples_fit_any_server_not_only_the_test_glossary(tmp_path, make_app):
    other = tmp_path / "other"
    other.mkdir()
    (other / "cardio.json").write_text(json.dumps([{"term": "ECG", "definition": "d"}]))
    spec = make_app(glossary_path=other).test_client().get("/openapi.json").get_json()
    for where, schema_at, example in _examples(spec):
        if "body" in where:
            assert validator(spec, schema_at).is_valid(example), where
