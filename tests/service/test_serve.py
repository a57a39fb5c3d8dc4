"""`termlight serve` and settings: flag > environment > default, and a real run."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time

import pytest

from support.server import request_json
from termlight.service.serve import build_command, preflight
from termlight.settings import Settings, SettingsError, default_workers


def test_defaults():
    cfg = Settings.from_env({})
    assert cfg.glossary_path is None and cfg.tokens == () and cfg.cors_origins == ()
    assert cfg.max_body == 5 * 1024 * 1024 and cfg.max_texts == 10_000
    assert 2 <= default_workers() <= 4


def test_environment_is_read_and_lists_are_split():
    cfg = Settings.from_env({"TERMLIGHT_API_TOKEN": " a, b ,,", "TERMLIGHT_CORS_ORIGINS":
                             "https://x.example, https://y.example", "TERMLIGHT_MAX_BODY": "10",
                             "TERMLIGHT_MAX_TEXTS": "3", "TERMLIGHT_GLOSSARY": "/g"})
    assert cfg.tokens == ("a", "b")
    assert cfg.cors_origins == ("https://x.example", "https://y.example")
    assert (cfg.max_body, cfg.max_texts, cfg.glossary_path) == (10, 3, "/g")
    assert "tokens" not in repr(cfg)  # reprs end up in logs and tracebacks


@pytest.mark.parametrize("env, message", [
    ({"TERMLIGHT_MAX_BODY": "lots"}, "TERMLIGHT_MAX_BODY must be a whole number"),
    ({"TERMLIGHT_MAX_TEXTS": "0"}, "TERMLIGHT_MAX_TEXTS must be at least 1"),
    ({"TERMLIGHT_RELOAD_INTERVAL": "-1"}, "TERMLIGHT_RELOAD_INTERVAL must not be negative"),
])
def test_bad_settings_name_the_variable(env, message):
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(env)


def test_flags_beat_environment_which_beats_defaults(tmp_path):
    environ = {"PORT": "9000", "TERMLIGHT_API_TOKEN": "from-env", "TERMLIGHT_MAX_TEXTS": "5"}
    argv, env = build_command(port=9100, token="from-flag", glossary=tmp_path,
                              environ=environ)
    assert env["PORT"] == "9100" and env["TERMLIGHT_API_TOKEN"] == "from-flag"
    assert env["TERMLIGHT_MAX_TEXTS"] == "5"  # no flag: the environment stays
    assert env["TERMLIGHT_GLOSSARY"] == str(tmp_path.resolve())
    assert "TERMLIGHT_HOST" not in env  # nothing given: gunicorn_conf uses 127.0.0.1
    assert argv[1:] == ["-m", "gunicorn", "-c", "python:termlight.service.gunicorn_conf",
                        "termlight.service.app:create_app()"]
    assert not any("from-flag" in a for a in argv)  # tokens never on a command line


def test_preflight_rejects_bad_ports_and_warns_about_broken_glossaries(tmp_path):
    with pytest.raises(SettingsError, match="PORT"):
        preflight({"PORT": "http"})
    broken = tmp_path / "g.json"
    broken.write_text("[{}]")
    warnings = preflight({"TERMLIGHT_GLOSSARY": str(broken)})
    assert warnings[0].startswith("the glossary has problems")
    assert any("'term' is required" in w for w in warnings)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run_cli(args, env):
    code = "import sys; from termlight.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.Popen([sys.executable, "-c", code, *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)


@pytest.mark.server
def test_termlight_serve_runs_gunicorn(glossary_dir):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TERMLIGHT_")}
    env.update({"PYTHONUNBUFFERED": "1", "TERMLIGHT_API_TOKEN": "env-token"})
    proc = _run_cli(["serve", "--port", str(port), "--workers", "2", "--glossary",
                     str(glossary_dir), "--token", "flag-token"], env)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                if request_json(url + "/healthz", timeout=1)[0] == 200:
                    break
            except OSError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, "serve did not start"
            time.sleep(0.1)
        assert request_json(url + "/v1/glossaries", token="flag-token")[0] == 200
        assert request_json(url + "/v1/glossaries", token="env-token")[0] == 401
        status, body = request_json(url + "/v1/match", body={"text": "LoRA"}, token="flag-token")
        assert status == 200 and body["matches"][0]["term_id"] == "lora"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        out = proc.communicate(timeout=45)[0].decode()  # > gunicorn graceful_timeout (20 s)
    assert "Using worker: termlight.service.head_timeout_worker.HeadTimeoutWorker" in out  # gunicorn, not the Flask development server
    assert "Running on" not in out and "development server" not in out
    assert len(set(re.findall(r"Booting worker with pid: (\d+)", out))) == 2
    assert re.search(r'"POST /v1/match HTTP/1.1" 200 \d+ \d+ms', out)
    assert "flag-token" not in out and "env-token" not in out


@pytest.mark.server
def test_termlight_serve_refuses_bad_settings():
    env = dict(os.environ, TERMLIGHT_MAX_BODY="huge")
    proc = _run_cli(["serve", "--port", "1"], env)
    out = proc.communicate(timeout=45)[0].decode()  # > gunicorn graceful_timeout (20 s)
    assert proc.returncode == 2
    assert out.strip() == "termlight serve: TERMLIGHT_MAX_BODY must be a whole number, not 'huge'"


def test_a_busy_port_is_one_line_with_a_hint():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if not k.startswith("TERMLIGHT_")}
        proc = _run_cli(["serve", "--port", str(port)], env)
        out = proc.communicate(timeout=45)[0].decode()
    assert proc.returncode == 2
    assert out.strip() == (f"termlight serve: port {port} on 127.0.0.1 is already in use (another "
                           f"termlight?); choose another with PORT={port + 1} make serve, or "
                           f"termlight serve --port {port + 1}")
