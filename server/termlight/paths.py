"""Where the bundled glossary lives, in a source checkout and after ``pip install``."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled_glossary() -> Path:
    """The bundled glossary directory.

    A wheel carries it inside the package (``termlight/bundled``); a source checkout, including an
    editable install, reads the repository's ``glossary/`` folder directly.
    """
    installed = _PACKAGE / "bundled"
    if installed.is_dir():
        return installed
    return _PACKAGE.parent.parent / "glossary"
