"""Issue 10, items 1, 6 and 7: what an unauthenticated client and a careless glossary editor
can make the service show. Over a real gunicorn with a token configured.

The glossary folder holds what an editor might leave there: a term without a definition
that names a confidential project, a symlink to a secrets file elsewhere on the machine, and
an id and a URL that end with a newline.
"""

from __future__ import annotations

import json
import os

import pytest

from support.server import run_server

from .hostile import raw_call

pytestmark = pytest.mark.server

TOKEN = "tok-Disclosure_51c2"
SECRETS = {"db_password": "hunter2", "aws_secret_access_key": "AKIAXXXX"}


def glossary(terms):
    return json.dumps({"name": "Internal", "terms": terms})


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("disclosure")
    outside = root / "elsewhere"
    outside.mkdir()
    (outside / "settings.json").write_text(json.dumps(SECRETS))
    inside = root / "glossary"
    inside.mkdir()
    (inside / "internal-roadmap.json").write_text(glossary([
        {"id": "kestrel", "term": "Project Kestrel", "definition": "The 2027 acquisition."},
        {"term": "Project Osprey"},  # no definition: a problem line quoting the term
    ]))
    (inside / "ids.json").write_text(glossary([
        {"id": "ok\n", "term": "Newline id", "definition": "An id ending with a newline."},
        {"id": "url-nl", "term": "Newline URL", "definition": "d", "url": "https://example.org/\n"},
    ]))
    os.symlink(outside / "settings.json", inside / "settings.json")
    (inside / "shared.json").write_text(glossary([
        {"id": "shared", "term": "Shared term", "definition": "Linked from inside: allowed."}]))
    os.symlink(inside / "shared.json", inside / "alias-inside.json")
    return inside


@pytest.fixture(scope="module")
def srv(folder):
    with run_server(folder, env={"TERMLIGHT_API_TOKEN": TOKEN}, workers=1) as server:
        yield server


def get(srv, path, token=None):
    headers = f"Authorization: Bearer {token}\r\n" if token else ""
    data = (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n{headers}\r\n")
    status, hdrs, body = raw_call(srv, data.encode())()
    return status, hdrs, body.decode("utf-8")


CONFIDENTIAL = ["Kestrel", "Osprey", "db_password", "aws_secret_access_key", "internal-roadmap",
                "ids", "settings"]


def test_healthz_without_the_token_shows_status_and_counts_only(srv):
    status, headers, raw = get(srv, "/healthz")
    body = json.loads(raw)
    assert status == 200 and "Authorization" in headers["vary"]
    assert body["status"] == "degraded" and body["problems"] >= 4
    assert set(body) == {"status", "terms", "glossaries", "problems"}, body
    for word in CONFIDENTIAL:
        assert word not in raw, word
    # Positive control: the token shows every problem line.
    status, _, raw = get(srv, "/healthz", TOKEN)
    errors = json.loads(raw)["errors"]
    assert status == 200 and len(errors) == body["problems"]
    assert any("Osprey" in e and "definition" in e for e in errors), errors
    print("\nwithout a token:", json.dumps(body), "\nwith the token:", len(errors), "problem lines")


def test_a_symlink_out_of_the_folder_is_refused_and_its_keys_never_shown(srv):
    _, _, raw = get(srv, "/healthz", TOKEN)
    errors = json.loads(raw)["errors"]
    refused = [e for e in errors if "settings.json" in e]
    assert refused and "symlink" in refused[0] and "outside the glossary folder" in refused[0]
    assert "db_password" not in raw and "aws_secret" not in raw and "hunter2" not in raw
    # A link to a file inside the folder is fine (its terms load; the id clash is the only
    # problem it causes, as any second copy would).
    assert not any(e.startswith("alias-inside.json") and "symlink" in e for e in errors)


def test_ids_and_urls_ending_with_a_newline_are_refused(srv):
    _, _, raw = get(srv, "/healthz", TOKEN)
    errors = [e for e in json.loads(raw)["errors"] if e.startswith("ids.json")]
    assert any("'ok\\n'" in e and "id" in e for e in errors), errors
    assert any("url" in e for e in errors), errors


@pytest.fixture(scope="module")
def good_folder(tmp_path_factory):
    """A valid glossary whose id (its file name) is confidential."""
    folder = tmp_path_factory.mktemp("good")
    (folder / "kestrel-acquisition.json").write_text(glossary([
        {"id": "kestrel", "term": "Project Kestrel", "definition": "The 2027 acquisition."}]))
    return folder


def test_openapi_lists_glossary_ids_only_with_the_token(good_folder):
    with run_server(good_folder, env={"TERMLIGHT_API_TOKEN": TOKEN}, workers=1) as server:
        status, _, raw = get(server, "/openapi.json")
        assert status == 200 and "/v1/match" in raw
        assert "kestrel" not in raw.lower()
        status, _, raw = get(server, "/openapi.json", "wrong-token")
        assert status == 200 and "kestrel" not in raw.lower()
        status, headers, raw = get(server, "/openapi.json", TOKEN)  # positive control
        assert status == 200 and '"kestrel-acquisition"' in raw
        assert "Authorization" in headers["vary"]
        # /healthz without the token: counts, and no version either.
        _, _, raw = get(server, "/healthz")
        assert json.loads(raw) == {"status": "ok", "terms": 1, "glossaries": 1, "problems": 0}


def test_without_a_token_configured_everything_stays_visible(folder, good_folder):
    with run_server(folder, workers=1) as server:
        _, _, raw = get(server, "/healthz")
        assert "Osprey" in raw and json.loads(raw)["problems"] >= 4
    with run_server(good_folder, workers=1) as server:
        _, _, raw = get(server, "/openapi.json")
        assert '"kestrel-acquisition"' in raw
