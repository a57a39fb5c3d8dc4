"""Fixtures for the service tests: apps built on the small test glossaries in data/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from termlight.service.app import create_app

DATA = Path(__file__).resolve().parent / "data"
BASIC = DATA / "basic"


@pytest.fixture
def glossary_dir(tmp_path: Path) -> Path:
    """A private, editable copy of data/basic (two glossaries: ai and crypto)."""
    target = tmp_path / "glossary"
    shutil.copytree(BASIC, target)
    return target


@pytest.fixture
def make_app(glossary_dir: Path, tmp_path: Path):
    """Build an app on the basic glossary (and an empty team database) with settings
    overridden per test."""

    def build(**config):
        config.setdefault("glossary_path", glossary_dir)
        config.setdefault("database_url", f"sqlite:///{tmp_path / 'team.sqlite3'}")
        return create_app(config)

    return build


@pytest.fixture
def client(make_app):
    return make_app().test_client()


@pytest.fixture
def secured(make_app):
    """A client for an app with two tokens configured."""
    return make_app(tokens="alpha-token,beta-token").test_client()

