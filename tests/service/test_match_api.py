"""POST /v1/match through the Flask test client: shapes, units, batches, restrictions."""

from __future__ import annotations

TEXT = "😀 An LLM reads each token; we did ファインチューニング with LoRA."


def post(client, body, **kw):
    return client.post("/v1/match", json=body, **kw)


def test_single_text_utf16_default(client):
    resp = post(client, {"text": TEXT})
    assert resp.status_code == 200
    assert resp.mimetype == "application/json"
    body = resp.get_json()
    assert body["offsets"] == "utf16"
    assert body["glossary_version"]
    # UTF-16 offsets: decode through UTF-16 the way a browser indexes strings.
    units = TEXT.encode("utf-16-le")
    found = [(units[2 * m["start"]: 2 * m["end"]].decode("utf-16-le"), m["term_id"])
             for m in body["matches"]]
    assert found == [("LLM", "llm"), ("token", "token"), ("ファインチューニング", "fine-tuning"),
                     ("LoRA", "lora")]
    for m in body["matches"]:
        assert m["text"] == units[2 * m["start"]: 2 * m["end"]].decode("utf-16-le")


def test_each_term_listed_once_with_its_glossary(client):
    body = post(client, {"text": "LLM, LLM and Large Language Model."}).get_json()
    assert len(body["matches"]) == 3
    assert list(body["terms"]) == ["llm"]
    term = body["terms"]["llm"]
    assert term == {
        "id": "llm", "term": "Large Language Model", "aliases": ["LLM"],
        "definition": term["definition"], "url": None, "related": ["token", "fine-tuning"],
        "tags": ["models"], "glossary": "ai",
    }


def test_alternatives_from_another_glossary(client):
    body = post(client, {"text": "Each token costs money."}).get_json()
    (match,) = body["matches"]
    assert match["term_id"] == "token"
    assert match["alternatives"] == ["crypto-token"]
    assert set(body["terms"]) == {"token", "crypto-token"}
    assert body["terms"]["crypto-token"]["glossary"] == "crypto"


def test_restrict_to_glossaries(client):
    body = post(client, {"text": "A token and an LLM.", "glossaries": ["crypto"]}).get_json()
    assert [m["term_id"] for m in body["matches"]] == ["crypto-token"]
    assert "alternatives" not in body["matches"][0]


def test_codepoint_and_utf8_units(client):
    cp = post(client, {"text": TEXT, "offsets": "codepoint"}).get_json()
    u8 = post(client, {"text": TEXT, "offsets": "utf8"}).get_json()
    raw = TEXT.encode("utf-8")
    for a, b in zip(cp["matches"], u8["matches"], strict=True):
        assert TEXT[a["start"]:a["end"]] == a["text"]
        assert raw[b["start"]:b["end"]].decode("utf-8") == b["text"] == a["text"]
    assert cp["offsets"] == "codepoint" and u8["offsets"] == "utf8"


def test_batch_results_in_order(client):
    texts = ["No terms here.", "RAG and LoRA", "", "token token"]
    body = post(client, {"texts": texts}).get_json()
    assert [len(r["matches"]) for r in body["results"]] == [0, 2, 0, 2]
    assert [m["term_id"] for m in body["results"][1]["matches"]] == ["rag", "lora"]
    assert set(body["terms"]) == {"rag", "lora", "token", "crypto-token"}
    assert "matches" not in body


def test_empty_text_and_empty_batch(client):
    assert post(client, {"text": ""}).get_json()["matches"] == []
    assert post(client, {"texts": []}).get_json()["results"] == []


def test_hostile_but_valid_text_is_answered(client):
    text = "\u202eLLM\u202c \x00 LoRA " + "x" * 200_000 + " RAG"
    body = post(client, {"text": text, "offsets": "codepoint"}).get_json()
    assert [m["term_id"] for m in body["matches"]] == ["llm", "lora", "rag"]


def test_match_is_not_cached(client):
    assert post(client, {"text": "LLM"}).headers["Cache-Control"] == "no-store"


def test_problem_content_type_variants_accepted(client):
    for ctype in ("application/json; charset=utf-8", "application/merge-patch+json",
                  "Application/JSON"):
        resp = client.post("/v1/match", data='{"text": "LLM"}', content_type=ctype)
        assert resp.status_code == 200, ctype


def test_bundled_glossary_is_the_default(monkeypatch):
    from termlight.service.app import create_app

    monkeypatch.delenv("TERMLIGHT_GLOSSARY", raising=False)
    client = create_app().test_client()
    health = client.get("/healthz").get_json()
    assert health["status"] == "ok" and health["terms"] >= 200
    body = client.post("/v1/match", json={"text": "We used RAG and LoRA on a base model."}).get_json()
    assert len(body["matches"]) >= 3


def test_answers_are_utf8_json_encoded_by_orjson(client, monkeypatch):
    """The JSON provider encodes with orjson (the same JSON, an order of magnitude faster on
    large answers); Japanese stays UTF-8, not \\u escapes, and the body ends with a newline."""
    import orjson

    calls = []
    real = orjson.dumps
    monkeypatch.setattr(orjson, "dumps", lambda *a, **k: calls.append(1) or real(*a, **k))
    resp = client.post("/v1/match", json={"text": "LoRA と ＲＡＧ"})  # full-width RAG matches
    assert resp.status_code == 200 and calls
    raw = resp.get_data()
    assert raw.endswith(b"\n") and b"\\u" not in raw and "ＲＡＧ".encode() in raw
    assert resp.get_json()["matches"]
