"""Self-hosting as the README describes it: several glossaries in one setting, the bundled one by
name, the client's address behind a reverse proxy, and access-log lines without headers."""

from __future__ import annotations

import json
import time
import urllib.request

import pytest

from support.server import run_server
from termlight.paths import bundled_glossary
from termlight.service.app import create_app
from termlight.service.reload import signature
from termlight.settings import Settings, SettingsError

TEAM = {"name": "Team", "terms": [{"id": "kestrel", "term": "Kestrel", "definition": "Our project.",
                                   "related": ["lora"]}]}


@pytest.fixture
def team(tmp_path):
    folder = tmp_path / "team"
    folder.mkdir()
    (folder / "team.json").write_text(json.dumps(TEAM))
    return folder


def test_bundled_by_name_together_with_a_team_folder(team):
    app = create_app({"glossary_path": f"bundled, {team}"})
    client = app.test_client()
    ids = [g["id"] for g in client.get("/v1/glossaries").get_json()["glossaries"]]
    assert ids == ["ai", "team"]
    found = client.post("/v1/match", json={"text": "Kestrel uses LoRA."}).get_json()
    assert [m["term_id"] for m in found["matches"]] == ["kestrel", "lora"]  # related across paths
    assert client.get("/healthz").get_json()["status"] == "ok"


def test_the_setting_names_the_bundled_glossary_and_keeps_paths_absolute(team, monkeypatch):
    monkeypatch.chdir(team.parent)
    cfg = Settings.from_env({"TERMLIGHT_GLOSSARY": "bundled,team"})
    assert cfg.glossary_path == f"{bundled_glossary()},{team}"
    with pytest.raises(SettingsError, match="TERMLIGHT_GLOSSARY must name a glossary"):
        Settings.from_env({"TERMLIGHT_GLOSSARY": " , "})


def test_an_edit_in_any_of_the_paths_is_noticed(team, tmp_path):
    single = tmp_path / "one.json"
    single.write_text(json.dumps([{"term": "One", "definition": "d"}]))
    spec = f"{team},{single}"
    before = signature(spec)
    (team / "more.json").write_text("[]")
    assert signature(spec) != before
    before = signature(spec)
    single.write_text(json.dumps([{"term": "Two", "definition": "longer d"}]))
    assert signature(spec) != before


def test_the_same_glossary_id_twice_is_reported(team):
    (team / "ai.json").write_text(json.dumps([{"id": "mine", "term": "Mine", "definition": "d"}]))
    health = create_app({"glossary_path": f"bundled,{team}"}).test_client().get("/healthz").get_json()
    assert health["status"] == "degraded"
    assert any("glossary id 'ai' is used twice" in e for e in health["errors"])


def _get(url: str, headers: dict) -> int:
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as resp:
        return resp.status


def _access_lines(server, marker: str, deadline: float = 10) -> list[str]:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        lines = [l for l in server.log().splitlines() if marker in l]
        if lines:
            return lines
        time.sleep(0.05)
    raise AssertionError(f"no access-log line with {marker!r}:\n{server.log()}")


@pytest.mark.server
@pytest.mark.parametrize("trusted", [0, 1])
def test_client_address_behind_a_proxy_and_no_headers_in_the_log(trusted):
    env = {"TERMLIGHT_TRUSTED_PROXIES": str(trusted)}
    with run_server(None, env=env, workers=1) as srv:
        headers = {"X-Forwarded-For": "198.51.100.9, 203.0.113.7", "User-Agent": "curious-agent/9.9"}
        assert _get(srv.url + "/healthz?via-proxy", headers) == 200
        [line] = _access_lines(srv, "via-proxy")
        # One trusted proxy: the address it appended; none trusted: the socket's, whatever is sent.
        assert line.startswith("203.0.113.7 " if trusted else "127.0.0.1 "), line
        assert "198.51.100.9" not in line and "curious-agent" not in srv.log()
