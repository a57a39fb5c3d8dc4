"""Every error path answers application/problem+json with the right 4xx (never HTML, never 500)."""

from __future__ import annotations

import json

import pytest

from support.problems import assert_problem


def raw(client, data, content_type="application/json", path="/v1/match"):
    if isinstance(data, str):
        data = data.encode("utf-8")
    return client.post(path, data=data, content_type=content_type)


@pytest.mark.parametrize("data", [
    "{bad", "", "{\"text\": \"a\",}", "nul\x00l", "[" * 100_000, "{\"text\": " + "[" * 50_000,
    b"\xff\xfe{}", b"{\"text\": \"\xc3\x28\"}",
], ids=["syntax", "empty", "trailing-comma", "nul", "deep-array", "deep-value", "bad-utf8-bom",
        "bad-utf8-string"])
def test_malformed_json_is_400(client, data):
    body = assert_problem(raw(client, data), 400)
    assert body["type"].endswith("invalid-json")


def test_malformed_json_names_line_and_column(client):
    body = assert_problem(raw(client, '{\n  "text": oops\n}'), 400)
    assert "line 2, column 11" in body["detail"]


@pytest.mark.parametrize("body, field", [
    ({}, "text"),
    ({"text": "a", "texts": ["b"]}, "texts"),
    ({"text": 5}, "text"),
    ({"text": None}, "text"),
    ({"text": True}, "text"),
    ({"text": ["LLM"]}, "text"),
    ({"texts": "LLM"}, "texts"),
    ({"texts": {"0": "LLM"}}, "texts"),
    ({"texts": ["ok", 3]}, "texts[1]"),
    ({"texts": ["ok", None]}, "texts[1]"),
    ({"text": "a", "offsets": "bytes"}, "offsets"),
    ({"text": "a", "offsets": 16}, "offsets"),
    ({"text": "a", "offsets": None}, "offsets"),
    ({"text": "a", "glossaries": []}, "glossaries"),
    ({"text": "a", "glossaries": "ai"}, "glossaries"),
    ({"text": "a", "glossaries": None}, "glossaries"),
    ({"text": "a", "glossaries": ["ai", "nope"]}, "glossaries[1]"),
    ({"text": "a", "glossaries": [1]}, "glossaries[0]"),
    ({"text": "a", "alias": 1}, "alias"),
])
def test_wrong_shape_is_422_naming_the_field(client, body, field):
    problem = assert_problem(client.post("/v1/match", json=body), 422, field)
    assert problem["type"].endswith("invalid-request")


@pytest.mark.parametrize("body", [[], "LLM", 3, None, [{"text": "LLM"}]])
def test_body_must_be_an_object(client, body):
    assert_problem(raw(client, json.dumps(body)), 422)


@pytest.mark.parametrize("data, field", [
    ('{"text": "a\\ud800b"}', "text"),
    ('{"text": "\\udfff"}', "text"),
    ('{"texts": ["fine", "x\\udc00"]}', "texts[1]"),
])
def test_lone_surrogates_are_422(client, data, field):
    problem = assert_problem(raw(client, data), 422, field)
    assert "surrogate" in problem["detail"]


def test_surrogate_in_unknown_key_is_echoed_safely(client):
    resp = raw(client, '{"text": "a", "\\ud800x": 1}')
    assert_problem(resp, 422)
    resp.get_data().decode("utf-8")  # the answer itself is valid UTF-8
    assert resp.get_json()["field"] == "\\ud800x"


def test_body_over_limit_is_413(make_app):
    client = make_app(max_body=1000).test_client()
    body = assert_problem(client.post("/v1/match", json={"text": "x" * 2000}), 413)
    assert body["type"].endswith("too-large")
    assert client.post("/v1/match", json={"text": "x" * 900}).status_code == 200


def test_too_many_texts_is_422(make_app):
    client = make_app(max_texts=3).test_client()
    assert_problem(client.post("/v1/match", json={"texts": ["a"] * 4}), 422, "texts")
    assert client.post("/v1/match", json={"texts": ["a"] * 3}).status_code == 200


@pytest.mark.parametrize("content_type", [
    None, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
    "application/json; charset=latin-1", "application/jsonx",
])
def test_wrong_content_type_is_415(client, content_type):
    resp = client.post("/v1/match", data=b'{"text": "LLM"}', content_type=content_type)
    assert_problem(resp, 415)


@pytest.mark.parametrize("path", [
    "/nope", "/v1", "/v1/nope", "/v1/terms/", "/v1/terms/unknown",
    "/v1/terms/..%2F..%2Fetc%2Fpasswd", "/v1/terms/../../etc/passwd", "/assets/nope.js",
    "/assets/../app.py",
])
def test_unknown_paths_are_404(client, path):
    assert_problem(client.get(path), 404)


def test_unknown_term_names_the_id_field(client):
    assert_problem(client.get("/v1/terms/no-such-term"), 404, "id")


@pytest.mark.parametrize("method, path, allowed", [
    ("GET", "/v1/match", "POST"), ("PUT", "/v1/match", "POST"), ("DELETE", "/v1/terms", "GET"),
    ("POST", "/v1/glossaries", "GET"), ("POST", "/healthz", "GET"), ("PATCH", "/", "GET"),
])
def test_wrong_method_is_405_with_allow(client, method, path, allowed):
    resp = client.open(path, method=method)
    assert_problem(resp, 405)
    assert allowed in resp.headers["Allow"]


V1_REQUESTS = [
    ("POST", "/v1/match", {"text": "LLM"}), ("GET", "/v1/terms", None),
    ("GET", "/v1/terms?q=ll", None), ("GET", "/v1/terms/llm", None),
    ("GET", "/v1/glossaries", None), ("GET", "/v1/unknown", None), ("GET", "/v1/match", None),
]


@pytest.mark.parametrize("method, path, body", V1_REQUESTS)
@pytest.mark.parametrize("header", [
    None, "Bearer", "Bearer ", "Bearer wrong", "Bearer alpha-token-x", "Bearer alpha",
    "Basic YWxwaGEtdG9rZW46", "alpha-token", "Bearer beta-token,alpha-token",
    "Bearer \u00e9alpha-token",
])
def test_v1_needs_a_valid_token(secured, method, path, body, header):
    headers = {"Authorization": header} if header is not None else {}
    resp = secured.open(path, method=method, json=body, headers=headers)
    problem = assert_problem(resp, 401, "Authorization")
    assert resp.headers["WWW-Authenticate"].startswith("Bearer")
    assert "alpha-token" not in json.dumps(problem) and "beta-token" not in json.dumps(problem)


@pytest.mark.parametrize("token", ["alpha-token", "beta-token"])
def test_each_configured_token_works(secured, token):
    auth = {"Authorization": f"Bearer {token}"}
    assert secured.post("/v1/match", json={"text": "LLM"}, headers=auth).status_code == 200
    assert secured.get("/v1/terms/llm", headers=auth).status_code == 200
    assert secured.get("/v1/glossaries", headers={"Authorization": f"bearer  {token} "}).status_code == 200


@pytest.mark.parametrize("path", ["/healthz", "/openapi.json", "/", "/docs", "/assets/home.js"])
def test_open_routes_need_no_token(secured, path):
    resp = secured.get(path)
    assert resp.status_code == 200
    assert b"alpha-token" not in resp.get_data()


def test_unexpected_exception_is_a_500_problem_without_internals(make_app, caplog):
    app = make_app()

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    resp = app.test_client().get("/boom")
    body = assert_problem(resp, 500)
    assert "secret internals" not in json.dumps(body)
    assert "secret internals" in caplog.text  # but it is logged for the operator


def test_no_error_is_ever_html(client):
    for resp in (client.get("/nope"), client.put("/v1/match"), raw(client, "{"),
                 client.get("/v1/terms/x"), raw(client, "{}", "text/html")):
        assert "html" not in resp.headers["Content-Type"]
        assert not resp.get_data(as_text=True).lstrip().startswith("<")


def test_body_shorter_than_its_content_length_is_400(client):
    resp = client.post("/v1/match", data=b'{"text": "LLM"}', content_type="application/json",
                       environ_overrides={"CONTENT_LENGTH": "1000"})
    body = assert_problem(resp, 400)
    assert "Content-Length" in body["detail"]


def test_streamed_body_over_the_limit_is_413(make_app):
    import io

    client = make_app(max_body=50).test_client()
    payload = b'{"text": "' + b"x" * 100 + b'"}'
    resp = client.post("/v1/match", input_stream=io.BytesIO(payload), content_type="application/json",
                       environ_overrides={"wsgi.input_terminated": True})
    assert_problem(resp, 413)
    small = b'{"text": "LLM"}'
    ok = client.post("/v1/match", input_stream=io.BytesIO(small), content_type="application/json",
                     environ_overrides={"wsgi.input_terminated": True})
    assert ok.status_code == 200 and ok.get_json()["matches"]
