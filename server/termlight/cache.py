"""Compiled glossaries kept on disk, so that a worker or a reload starts in a fraction of a second.

Building the matcher for a large glossary takes seconds (validation, normalization, two
automata); unpickling the result takes a fraction of that.  An entry is keyed by a hash of
everything that decides its content: the bytes and names of the glossary files, and the versions
of termlight, of this cache format, of Python and of pyahocorasick.  So an edited glossary or an
upgrade simply misses the cache and builds anew; nothing ever has to be invalidated.

* Where: ``$TERMLIGHT_CACHE_DIR``, else ``$XDG_CACHE_HOME/termlight``, else
  ``~/.cache/termlight``, created private (0700): a pickle runs code when loaded, so only this
  user may write there. A directory owned by another user or writable by others is not used at
  all, and an entry is unpickled only if its HMAC verifies (see :mod:`termlight.signed_pickle`);
  either is logged in one line and the glossary is compiled from its source.
* Writes are atomic (a temporary file renamed into place), so a reader sees a whole entry or
  none; a truncated or garbled entry fails to load, is logged, and is rebuilt and replaced.
* Each glossary path keeps only its newest entry, and the directory at most ``KEEP`` entries:
  older ones are removed after a write.
* If the files change while they are being loaded, nothing is written (the content loaded
  might not be the content hashed).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import sys
from pathlib import Path
from typing import Callable, TypeVar

from termlight import settings, signed_pickle
from termlight.engine.collector import paused_collector
from termlight.paths import GlossarySpec, as_paths

log = logging.getLogger("termlight.cache")

FORMAT = 2
MAGIC = b"termlight-cache 2\n"  # then the HMAC (signed_pickle.py)
KEEP = 16
T = TypeVar("T")


def default_dir() -> Path:
    """Where compiled glossaries are kept unless told otherwise (the ``cache_dir`` setting)."""
    return Path(settings.value("cache_dir"))


def glossary_files(spec: GlossarySpec) -> list[Path]:
    """The files a glossary spec (one path or several) stands for, as the loader reads them."""
    files: list[Path] = []
    for path in as_paths(spec):
        files.extend(sorted(p for p in path.glob("*.json") if p.is_file()) if path.is_dir() else [path])
    return files


def source_digest(path: GlossarySpec) -> str | None:
    """A hash of the glossary's files and of the versions that shape a compiled entry, or None
    when a file cannot be read (the loader will report that properly)."""
    digest = hashlib.sha256(_versions().encode())
    try:
        for file in glossary_files(path):
            data = file.read_bytes()
            digest.update(f"\0{file.name}\0{len(data)}\0".encode("utf-8", "surrogatepass"))
            digest.update(data)
    except OSError:
        return None
    return digest.hexdigest()[:32]


@functools.cache
def _versions() -> str:
    """What else an entry depends on: the code that pickled it (a hash of termlight's own
    modules, so a development checkout never loads an entry an older build wrote), this
    format, Python and pyahocorasick. Computed once per process: the code that runs is the code
    that was imported, and hashing every module costs milliseconds on each cache lookup."""
    from importlib.metadata import PackageNotFoundError, version

    code = hashlib.sha256()
    for module in sorted(Path(__file__).parent.rglob("*.py")):
        code.update(module.read_bytes())
    try:
        automaton = version("pyahocorasick")
    except PackageNotFoundError:  # pragma: no cover - installed some other way
        automaton = "unknown"
    return f"termlight {code.hexdigest()} cache {FORMAT} python {sys.version_info[:2]} pyahocorasick {automaton}"


def load_cached(path: GlossarySpec, build: Callable[[GlossarySpec], T], directory: str | os.PathLike | None = None) -> T:
    """``build(path)``, or the entry a previous call kept for the same content."""
    folder = Path(directory) if directory is not None else default_dir()
    digest = source_digest(path)
    if digest is None:
        return build(path)
    refused = signed_pickle.untrusted(folder)
    if refused:
        log.warning("not using the cache directory %s: %s; compiling from the source",
                    folder, refused)
        return build(path)
    where = "\0".join(str(p.resolve()) for p in as_paths(path))
    prefix = hashlib.sha256(where.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    entry = folder / f"{prefix}-{digest}.pickle"
    found = _read(entry)
    if found is not None:
        return found
    result = build(path)
    if source_digest(path) == digest:
        _write(entry, result)
    return result


def _read(entry: Path):
    try:
        with paused_collector():
            return signed_pickle.load(entry, MAGIC)
    except FileNotFoundError:
        return None
    except signed_pickle.Refused as err:
        log.warning("ignoring cache entry %s: %s; compiling from the source", entry, err)
        return None
    except Exception as err:  # a truncated or garbled entry: rebuild it
        log.warning("ignoring unreadable cache entry %s (%s: %s)", entry, type(err).__name__, err)
        return None


def _write(entry: Path, value: object) -> None:
    try:
        signed_pickle.dump(entry, value, MAGIC)
        _prune(entry)
    except Exception as err:  # a read-only or full disk must not break loading
        log.warning("could not write cache entry %s (%s: %s)", entry, type(err).__name__, err)


def _prune(entry: Path) -> None:
    """Keep the newest entry of each glossary path, and at most ``KEEP`` entries in all (temporary
    glossaries, in tests say, would otherwise pile up)."""
    prefix = entry.name.split("-", 1)[0] + "-"
    others = []
    for old in entry.parent.glob("*.pickle"):
        if old == entry:
            continue
        if old.name.startswith(prefix):
            old.unlink(missing_ok=True)
        else:
            try:
                others.append((old.stat().st_mtime, old))
            except OSError:
                pass
    others.sort(reverse=True)
    for _, old in others[KEEP - 1 :]:
        old.unlink(missing_ok=True)
