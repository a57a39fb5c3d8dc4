"""Shared pytest setup: make `tests/support` importable as `support` from every suite.

pytest already puts this directory on sys.path because this conftest lives here
(rootdir-style "prepend" import mode); the explicit insert keeps that true under
other import modes too.
"""

import sys
from pathlib import Path

_TESTS = str(Path(__file__).resolve().parent)
if _TESTS not in sys.path:
    sys.path.insert(0, _TESTS)
