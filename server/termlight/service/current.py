"""Per-request access to the app's settings and glossary snapshot.

Blueprints read these through functions instead of importing the app, which keeps
the import graph one-way (app -> blueprints -> current).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import current_app, g

from termlight.service.reload import GlossaryState, Snapshot
from termlight.settings import Settings
from termlight.store.database import Database

if TYPE_CHECKING:
    from termlight.service.auth import TokenTable

EXTENSION_KEY = "termlight"


@dataclass(frozen=True)
class Service:
    settings: Settings
    state: GlossaryState
    db: Database
    token_table: "TokenTable"  # auth.TokenTable (auth imports this module)


def service() -> Service:
    return current_app.extensions[EXTENSION_KEY]


def settings() -> Settings:
    return service().settings


def snapshot() -> Snapshot:
    """The glossary for this request, taken once so a reload mid-request cannot mix versions."""
    snap = g.get("termlight_snapshot")
    if snap is None:
        snap = g.termlight_snapshot = service().state.maybe_reload()
    return snap


def database() -> Database:
    return service().db

