"""Issue 10, item 9: every setting read on the Procfile path is checked, in one line.

The Procfile's command is run as a PaaS would run it (a shell, PORT and WEB_CONCURRENCY in the
environment), with one bad value at a time: exit status 2 and one line naming the variable,
never a traceback.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from support.server import server_environment

pytestmark = pytest.mark.server

ROOT = Path(__file__).resolve().parents[2]
PROCFILE = (ROOT / "Procfile").read_text().split(":", 1)[1].strip()

BAD = {
    "WEB_CONCURRENCY": "abc",
    "PORT": "http",
    "TERMLIGHT_MAX_BODY": "-1",
    "TERMLIGHT_MAX_TEXTS": "many",
    "TERMLIGHT_BODY_TIMEOUT": "nan",
    "TERMLIGHT_HEADER_TIMEOUT": "0",
    "TERMLIGHT_RELOAD_INTERVAL": "soon",
    "TERMLIGHT_TRUSTED_PROXIES": "yes",
    "TERMLIGHT_CORS_ORIGINS": "https://*.example.org",
    "TERMLIGHT_ALLOWED_HOSTS": "https://wiki.example.org/",
    "TERMLIGHT_RATE_LIMIT": "lots",
}


@pytest.mark.parametrize("name", list(BAD))
def test_a_bad_setting_on_the_procfile_path_is_one_line(name):
    env = server_environment()
    env.update({"PORT": "8765", name: BAD[name]})
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    proc = subprocess.run(["sh", "-c", PROCFILE], env=env, capture_output=True, text=True,
                          timeout=60, cwd=ROOT)
    output = (proc.stdout + proc.stderr).strip()
    assert proc.returncode == 2, output
    assert "Traceback" not in output and len(output.splitlines()) == 1, output
    assert name in output and repr(BAD[name]) in output or name in output, output
