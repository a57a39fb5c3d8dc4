"""Fixtures for the team glossary: an app on the small test glossaries with its own database
and a token of each role."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from termlight.service.app import create_app
from termlight.store import open_database, tokens

BASIC = Path(__file__).resolve().parent.parent / "service" / "data" / "basic"


class Team:
    def __init__(self, tmp_path: Path, **config):
        self.glossary = tmp_path / "glossary"
        shutil.copytree(BASIC, self.glossary)
        self.url = f"sqlite:///{tmp_path / 'team.sqlite3'}"
        self.db = open_database(self.url)
        self.tokens = {role: tokens.add(self.db, f"{role}-1", role) for role in tokens.ROLES}
        self.app = create_app({"glossary_path": self.glossary, "database_url": self.url,
                               "reload_interval": 0, **config})
        self.client = self.app.test_client()

    def auth(self, role: str, **headers) -> dict:
        return {"Authorization": f"Bearer {self.tokens[role]}", **headers}

    def put(self, term_id: str, body: dict, role: str = "editor", **headers):
        return self.client.put(f"/v1/terms/{term_id}", json=body, headers=self.auth(role, **headers))

    def match(self, text: str) -> list[str]:
        resp = self.client.post("/v1/match", json={"text": text}, headers=self.auth("reader"))
        return [m["term_id"] for m in resp.get_json()["matches"]]


@pytest.fixture
def team(tmp_path) -> Team:
    return Team(tmp_path)


def problem(resp, status: int, slug: str | None = None) -> dict:
    """A problem+json answer with this status (and type slug)."""
    from support.problems import assert_problem

    body = assert_problem(resp, status)
    if slug is not None:
        assert body["type"] == f"/docs#problem-{slug}", body
    return body
