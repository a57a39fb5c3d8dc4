"""Where the bundled glossary lives, in a source checkout and after ``pip install``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Union

GlossarySpec = Union[str, os.PathLike, Iterable[Union[str, os.PathLike]]]

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


def as_paths(spec: GlossarySpec) -> tuple[Path, ...]:
    """The glossary files and folders a spec names: a path, a list of paths, or a string of
    comma-separated paths (the form of the TERMLIGHT_GLOSSARY setting)."""
    if isinstance(spec, str):
        return tuple(Path(part.strip()) for part in spec.split(",") if part.strip())
    if isinstance(spec, os.PathLike):
        return (Path(spec),)
    return tuple(Path(p) for p in spec)


def describe_spec(spec: GlossarySpec) -> str:
    """The spec for a log line or a message."""
    return ", ".join(map(str, as_paths(spec)))
