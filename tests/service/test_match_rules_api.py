"""POST /v1/match: the context rule for ambiguous forms, its switch, and explanations."""

from __future__ import annotations

import json

import pytest

AMBIGUOUS = {"name": "Words", "terms": [
    {"id": "temperature", "term": "Temperature", "ambiguous": True, "definition": "Sampling randomness."},
    {"id": "agent", "term": "Agent", "ambiguous": True, "exclude": ["travel agent"], "definition": "An LLM with tools."},
]}


@pytest.fixture
def client(make_app, glossary_dir):
    # The ambiguous terms join the ai glossary's file, so LLM, LoRA and RAG are their context.
    ai = json.loads((glossary_dir / "ai.json").read_text())
    ai["terms"] += AMBIGUOUS["terms"]
    (glossary_dir / "ai.json").write_text(json.dumps(ai))
    return make_app().test_client()


def post(client, body):
    resp = client.post("/v1/match", json=body)
    return resp.status_code, resp.get_json()


def ids(body):
    return [[m["term_id"] for m in r["matches"]] for r in body["results"]]


def test_ambiguous_forms_need_context_in_the_same_request(client):
    status, body = post(client, {"texts": ["Raise the temperature.", "Ask a travel agent."]})
    assert status == 200 and ids(body) == [[], []]
    status, body = post(client, {"texts": ["Raise the temperature.", "An LLM with LoRA and RAG is an agent."]})
    assert ids(body) == [["temperature"], ["llm", "lora", "rag", "agent"]]
    assert [m["why"] for m in body["results"][1]["matches"]] == ["alias", "term", "term", "term context"]


def test_context_rule_can_be_turned_off(client):
    status, body = post(client, {"text": "Raise the temperature.", "context_rule": False})
    assert status == 200
    assert [(m["term_id"], m["why"]) for m in body["matches"]] == [("temperature", "term ambiguous")]


def test_explain_lists_what_was_suppressed(client):
    status, body = post(client, {"texts": ["Raise the temperature.", "Ask a travel agent."], "explain": True,
                                 "offsets": "codepoint"})
    assert status == 200
    assert body["results"] == [
        {"matches": [], "suppressed": [{"start": 10, "end": 21, "term_id": "temperature", "text": "temperature",
                                        "reason": "no context"}]},
        {"matches": [], "suppressed": [{"start": 6, "end": 18, "term_id": "agent", "text": "travel agent",
                                        "reason": "excluded"}]}]
    assert body["context"] == {"needed": 3, "found": {}}
    status, body = post(client, {"text": "Raise the temperature."})
    assert "suppressed" not in body and "context" not in body


@pytest.mark.parametrize("field", ["context_rule", "explain"])
@pytest.mark.parametrize("value", ["yes", 1, None, []])
def test_switches_must_be_booleans(client, field, value):
    resp = client.post("/v1/match", json={"text": "x", field: value})
    assert resp.status_code == 422
    assert resp.mimetype == "application/problem+json"
    assert resp.get_json()["field"] == field
