"""GET /v1/compiled (issue 15, item 1): the compiled glossary for local matching, token-protected,
with ETag/304, gzipped for clients that accept it, and following hot reloads."""

from __future__ import annotations

import gzip
import json
import os
import time

from support.problems import assert_problem
from termlight.compiled_format import FORMAT, FORMAT_VERSION

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


def test_document(client):
    resp = client.get("/v1/compiled")
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    assert "Content-Encoding" not in resp.headers
    doc = resp.get_json()
    assert doc["format"] == FORMAT and doc["format_version"] == FORMAT_VERSION
    assert doc["glossary_version"] == client.get("/healthz").get_json()["glossary_version"]
    assert doc["glossaries"] == ["ai", "crypto"]
    assert set(doc["terms"]) == {"llm", "token", "lora", "fine-tuning", "rag", "crypto-token"}
    assert len(doc["names"]) == len(doc["terms"])
    keys = {key[0]: key[1:] for key in doc["keys"]}
    llm = doc["terms"].index("llm")
    assert keys["llm"] == [[llm, 0, 0, 1, "LLM"]]  # an alias, all upper case: compared as written
    assert keys["llms"] == [[llm, 0, 1, 3, "LLMs"]]  # its generated plural (rank 1, HOW alias|plural)
    token, crypto = doc["terms"].index("token"), doc["terms"].index("crypto-token")
    assert keys["token"] == [[token, 0, 0, 0], [crypto, 1, 0, 0]]  # one form, two glossaries, in order
    assert doc["context_min"] == 3
    tables = doc["tables"]
    assert tables["casefold"][str(ord("ß"))] == "ss" and str(ord("A")) in tables["casefold"]
    assert tables["replace"][str(0x2014)] == " " and tables["replace"][str(0x200B)] == ""
    assert "definition" not in resp.get_data(as_text=True)  # definitions stay behind /v1/terms/<id>


def test_gzip_etag_and_304(client):
    plain = client.get("/v1/compiled")
    packed = client.get("/v1/compiled", headers=GZIP)
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    body = gzip.decompress(packed.get_data())
    assert json.loads(body) == plain.get_json()
    assert len(packed.get_data()) < len(body) / 2
    assert packed.headers["ETag"] != plain.headers["ETag"]  # two representations
    assert packed.headers["Cache-Control"] == "no-cache"
    again = client.get("/v1/compiled", headers={**GZIP, "If-None-Match": packed.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["ETag"] == packed.headers["ETag"]
    stale = client.get("/v1/compiled", headers={**GZIP, "If-None-Match": '"other"'})
    assert stale.status_code == 200


def test_token_protected(secured):
    assert_problem(secured.get("/v1/compiled"), 401, "Authorization")
    assert_problem(secured.get("/v1/compiled", headers={"Authorization": "Bearer wrong"}), 401, "Authorization")
    ok = secured.get("/v1/compiled", headers={"Authorization": "Bearer beta-token"})
    assert ok.status_code == 200 and ok.get_json()["format"] == FORMAT
    assert "private" in ok.headers["Cache-Control"] and "Authorization" in ok.headers["Vary"]


def test_follows_a_reload(make_app, glossary_dir):
    client = make_app(reload_interval=0).test_client()
    first = client.get("/v1/compiled", headers=GZIP)
    path = glossary_dir / "ai.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["terms"].append({"id": "moe", "term": "Mixture of Experts", "definition": "Routed sub-networks."})
    path.write_text(json.dumps(data), encoding="utf-8")
    later = time.time() + 5
    os.utime(path, (later, later))
    resp = client.get("/v1/compiled", headers={**GZIP, "If-None-Match": first.headers["ETag"]})
    assert resp.status_code == 200
    doc = json.loads(gzip.decompress(resp.get_data()))
    assert "moe" in doc["terms"] and ["mixture of experts", [doc["terms"].index("moe"), 0, 0, 0]] in doc["keys"]
