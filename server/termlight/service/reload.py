"""Hot reload: each worker notices an edited glossary and swaps it in atomically.

Why a throttled stat() check on the request path rather than inotify or a thread:
every gunicorn worker is its own process and must notice the change by itself; a
stat of a few files every half second costs microseconds, works on every
filesystem, and survives `--preload` forks (a thread started before the fork would
not). The request that triggers a reload waits for it, so every answer after the
check reflects the new file; requests already running keep the snapshot they took.

A broken edit never replaces a good glossary: the last good one keeps serving and
the problems are logged and shown at /healthz until the file is fixed. Under
gunicorn the last good glossary is also kept on disk (LastGood), so a worker that
starts while the file is broken (a crashed worker's replacement, a SIGHUP reload)
serves the same last good glossary as its siblings instead of an empty one.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from termlight import Glossary, GlossaryError, signed_pickle
from termlight.paths import GlossarySpec, as_paths, describe_spec

log = logging.getLogger("termlight.reload")

# A file modified this recently may still change within the same timestamp tick, so a
# load right after an edit is repeated once the tick has surely passed.
RACY_WINDOW_NS = 1_000_000_000


@dataclass(frozen=True)
class Snapshot:
    """What a request works with: one glossary and the problems of the latest load."""

    glossary: Glossary
    errors: tuple[str, ...] = ()
    loaded: bool = True  # False when nothing good has loaded yet (serving empty)
    edited_ns: int = 0  # newest file mtime of the good glossary: orders "last good" copies

    @property
    def status(self) -> str:
        return "degraded" if self.errors else "ok"


def _stat_key(path: Path) -> tuple:
    try:
        st = path.stat()
    except OSError as err:
        return (str(path), "missing", err.errno)
    return (str(path), st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns)


def signature(spec: GlossarySpec) -> tuple:
    """Everything whose change means "reload": the file(s) and each directory's listing."""
    keys: list[tuple] = []
    for path in as_paths(spec):
        keys.append(_stat_key(path))
        if path.is_dir():
            keys.extend(_stat_key(p) for p in sorted(path.glob("*.json")))
    return tuple(keys)


def _newest_mtime_ns(sig: tuple) -> int:
    return max((k[1] for k in sig if isinstance(k[1], int)), default=0)


def describe(problem: object, spec: GlossarySpec) -> str:
    """A problem line without the server's absolute paths (shown on an open /healthz)."""
    text = str(problem)
    for root in as_paths(spec):
        for prefix in (str(root) + os.sep, str(root.parent) + os.sep):
            text = text.replace(prefix, "")
    return text


class LastGood:
    """The last good glossary of a server, shared by its workers through a private file.

    The directory is created by the gunicorn master (mode 0700, see gunicorn_conf). The file
    is read back only from a directory that this user owns and nobody else can write, and only
    if its HMAC verifies (termlight.signed_pickle): a pickle runs code when loaded.
    """

    FILE = "last-good.pickle"
    MAGIC = b"termlight-last-good 1\n"

    def __init__(self, directory: str | os.PathLike):
        self.path = Path(directory) / self.FILE

    def save(self, snap: Snapshot) -> None:
        if signed_pickle.untrusted(self.path.parent):
            return  # load() says why, once per attempt
        try:
            signed_pickle.dump(self.path, (snap.edited_ns, snap.glossary.glossaries,
                                           list(snap.glossary.terms.values())), self.MAGIC)
        except Exception:
            log.warning("could not keep a copy of the last good glossary", exc_info=True)

    def load(self, newer_than: int) -> Snapshot | None:
        """The kept glossary if it comes from a newer edit than `newer_than`."""
        refused = signed_pickle.untrusted(self.path.parent)
        try:
            if refused:
                raise signed_pickle.Refused(f"its directory is {refused}")
            edited_ns, infos, terms = signed_pickle.load(self.path, self.MAGIC)
            if edited_ns <= newer_than:
                return None
            return Snapshot(Glossary(infos, terms), edited_ns=edited_ns)
        except FileNotFoundError:
            return None
        except signed_pickle.Refused as err:
            log.warning("ignoring the last good glossary %s: %s", self.path, err)
            return None
        except Exception:
            log.warning("could not read the last good glossary", exc_info=True)
            return None


def load_compiled(path: GlossarySpec) -> Glossary:
    """Glossary.load through the on-disk cache of compiled glossaries (termlight.cache), so a
    restart, a SIGHUP or a worker that reloads an unchanged file starts in a fraction of a
    second even with 100k terms; an edited file simply misses the cache and is built anew."""
    return Glossary.load(path, cache=True)


class GlossaryState:
    """The current glossary of one worker, plus the bookkeeping to reload it."""

    def __init__(self, path: GlossarySpec, interval: float = 0.5,
                 loader: Callable[[GlossarySpec], Glossary] = load_compiled,
                 last_good: LastGood | None = None, watch: Callable[[], object] | None = None):
        self.path = path if isinstance(path, (str, os.PathLike)) else as_paths(path)
        self._watch = watch  # one more thing whose change means "reload" (the database)
        self._last_good = last_good
        self.interval = interval
        self._loader = loader
        self._lock = threading.Lock()
        self._next_check = 0.0
        self._signature: tuple | None = None
        self._recheck = False
        self._current = Snapshot(Glossary([], []), loaded=False)
        self._load(self._signature_now())
        self._next_check = time.monotonic() + interval

    def _signature_now(self) -> tuple:
        if self._watch is None:
            return signature(self.path)
        try:
            watched = self._watch()
        except Exception as err:  # the database is away: keep serving, reload when it is back
            watched = ("unavailable", type(err).__name__)
        return (*signature(self.path), watched)

    def check_soon(self) -> None:
        """Check at the next request (after a write through this worker)."""
        self._next_check = 0.0

    @property
    def snapshot(self) -> Snapshot:
        return self._current

    def maybe_reload(self) -> Snapshot:
        """Check the files at most once per interval; reload if they changed."""
        now = time.monotonic()
        if now >= self._next_check and self._lock.acquire(blocking=False):
            # Other threads of this worker skip the check and serve the current
            # snapshot instead of queueing behind a reload.
            try:
                self._next_check = now + self.interval
                sig = self._signature_now()
                if sig != self._signature or self._recheck:
                    self._load(sig)
            finally:
                self._lock.release()
        return self._current

    def _load(self, sig: tuple) -> None:
        old = self._current
        self._recheck = time.time_ns() - _newest_mtime_ns(sig) < RACY_WINDOW_NS
        self._signature = sig
        try:
            glossary = self._loader(self.path)
        except GlossaryError as err:
            errors = tuple(describe(p, self.path) for p in err.problems) or (str(err),)
        except Exception as err:  # an unreadable file must not take the worker down
            log.exception("could not load glossary %s", describe_spec(self.path))
            errors = (f"could not load glossary: {type(err).__name__}",)
        else:
            new = Snapshot(glossary, edited_ns=_newest_mtime_ns(sig))
            if glossary.version != old.glossary.version or not old.loaded:
                if self._last_good is not None:
                    self._last_good.save(new)
            if glossary.version != old.glossary.version or old.errors or not old.loaded:
                log.info("glossary loaded from %s: %d terms, version %s%s", describe_spec(self.path),
                         len(glossary), glossary.version,
                         f" (was {old.glossary.version})" if old.loaded else "")
            self._current = new
            return
        if self._last_good is not None:
            # A worker forked or started while the file is broken may hold an older
            # glossary than its siblings; adopt the newest good one they kept.
            kept = self._last_good.load(newer_than=old.edited_ns if old.loaded else -1)
            if kept is not None:
                log.info("using the last good glossary kept by the workers (version %s)",
                         kept.glossary.version)
                old = Snapshot(kept.glossary, old.errors, True, kept.edited_ns)
        if errors != old.errors:
            kept = (f"keeping the last good glossary (version {old.glossary.version})"
                    if old.loaded else "serving an empty glossary until it is fixed")
            log.warning("glossary %s has %d problem(s); %s:\n  %s", describe_spec(self.path), len(errors),
                        kept, "\n  ".join(errors))
        self._current = Snapshot(old.glossary, errors, old.loaded, old.edited_ns)
