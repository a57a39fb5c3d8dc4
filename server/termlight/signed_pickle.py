"""Pickles that only this service wrote, in directories that only this service's user controls.

A pickle runs code when it is loaded, so the compiled-glossary cache (cache.py) and the
workers' last good glossary (service/reload.py) must never load a file someone else put
there. Two checks, both before anything is unpickled:

* the directory: owned by the user the service runs as, and writable by nobody else
  (`untrusted(directory)` says why not, or None). A world-writable TERMLIGHT_CACHE_DIR or
  TERMLIGHT_STATE_DIR is refused as a whole: nothing is read from it or written to it.
* the file: it starts with a magic line and an HMAC-SHA256 of the rest, made with a random
  key kept in the directory (`.hmac-key`, mode 0600, created on first use). A file whose
  HMAC does not verify was not written by this code with this key, and is not unpickled.

Callers log one line for what is refused and build from the glossary's source instead.
"""

from __future__ import annotations

import errno
import hashlib
import hmac
import os
import pickle
import secrets
import stat
import tempfile
from pathlib import Path

KEY_FILE = ".hmac-key"
KEY_BYTES = 32
MAC_BYTES = hashlib.sha256().digest_size


class Refused(Exception):
    """A file or directory that must not be trusted; the message says why, in a few words."""


def untrusted(directory: str | os.PathLike) -> str | None:
    """Why `directory` cannot hold trusted files, or None if it can (or does not exist yet)."""
    try:
        st = os.stat(directory)
    except FileNotFoundError:
        return None
    except OSError as err:
        return f"cannot stat it ({err.strerror})"
    if not stat.S_ISDIR(st.st_mode):
        return "not a directory"
    if st.st_uid != os.geteuid():
        return f"owned by uid {st.st_uid}, not by this service's uid {os.geteuid()}"
    if st.st_mode & 0o022:
        return f"writable by others (mode {stat.S_IMODE(st.st_mode):04o})"
    return None


def _read_key(path: Path) -> bytes:
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    try:
        st = os.fstat(fd)
        if st.st_uid != os.geteuid() or st.st_mode & 0o077 or not stat.S_ISREG(st.st_mode):
            raise Refused(f"{path.name} is not a private file of this user")
        key = os.read(fd, KEY_BYTES + 1)
    finally:
        os.close(fd)
    if len(key) != KEY_BYTES:
        raise Refused(f"{path.name} does not hold a key")
    return key


def _key(directory: Path, create: bool) -> bytes | None:
    path = directory / KEY_FILE
    try:
        return _read_key(path)
    except FileNotFoundError:
        if not create:
            return None
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise Refused(f"{KEY_FILE} is a symlink") from None
        raise
    # Written whole to a private temporary file, then linked into place: link() fails if
    # another worker got there first, and nobody ever reads a half-written key.
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".key-")
    try:
        os.write(fd, secrets.token_bytes(KEY_BYTES))
        os.close(fd)
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
    finally:
        os.unlink(tmp)
    return _read_key(path)


def _mac(key: bytes, payload: bytes) -> bytes:
    return hmac.new(key, payload, hashlib.sha256).digest()


def load(path: str | os.PathLike, magic: bytes) -> object:
    """Unpickle `path` if this code wrote it; FileNotFoundError if absent, Refused if not ours.

    The directory must have passed `untrusted()`."""
    path = Path(path)
    with open(path, "rb") as src:
        if os.fstat(src.fileno()).st_uid != os.geteuid():
            raise Refused("owned by another user")
        head = src.read(len(magic) + MAC_BYTES)
        payload = src.read()
    key = _key(path.parent, create=False)
    if key is None:
        raise Refused(f"no {KEY_FILE} beside it, so it was not written by termlight")
    if head[: len(magic)] != magic:
        raise Refused("not a termlight file")
    if not hmac.compare_digest(head[len(magic):], _mac(key, payload)):
        raise Refused("its HMAC does not verify (not written by this service)")
    return pickle.loads(payload)


def dump(path: str | os.PathLike, value: object, magic: bytes) -> None:
    """Pickle `value` to `path` atomically, with the HMAC that `load` checks."""
    path = Path(path)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    mac = _mac(_key(path.parent, create=True), payload)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(magic + mac)
            out.write(payload)
        os.replace(tmp, path)  # readers see the old file or the new one, never half
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
